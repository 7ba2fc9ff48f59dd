"""Layers point one way: views and commands -> forms, services, queries -> rules, models -> db;
the domain's rules and models load without the web stack."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent.parent / "tracker"

#: Each module's layer, by the longest matching name prefix: a module may import modules of its
#: own layer and of lower ones, never of a higher one.
LAYERS: dict[str, int] = {
    # the web application and the command line: they call everything below
    "tracker.app": 6,
    "tracker.wsgi": 6,
    "tracker.errors": 6,
    "tracker.views": 6,
    "tracker.auth": 6,
    "tracker.permissions": 6,
    "tracker.security": 6,
    "tracker.static_files": 6,
    "tracker.cli": 6,
    "tracker.api": 6,
    # template filters that put records and dates into words for pages
    "tracker.date_display": 6,
    "tracker.history_words": 6,
    # what views and commands call: field checks, writes, and what is built from reads
    "tracker.forms": 5,
    "tracker.services": 5,
    "tracker.export": 5,
    "tracker.imports": 5,
    "tracker.demo": 5,
    "tracker.charts": 5,
    # the request checks that forms and the application share
    "tracker.input_guard": 5,
    # reads: they never write, so they never call services (whose errors they may raise)
    "tracker.queries": 4,
    "tracker.services.errors": 4,
    # the interface language of messages built by forms, services and queries
    "tracker.i18n": 3,
    # the domain: pure rules, the mapped tables and the words of their values
    "tracker.rules": 2,
    "tracker.models": 2,
    "tracker.labels": 2,
    # engines, sessions and the schema's migrations
    "tracker.db": 1,
    "tracker.migrate": 1,
    # settings and the package itself
    "tracker.config": 0,
    "tracker.resources": 0,
    "tracker": 0,
}

#: Imports that go the wrong way today, each to be removed by the change that fixes it; the
#: test fails when an entry is no longer needed, so the list only shrinks.
ALLOWED_UPWARD: dict[tuple[str, str], str] = {}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    relative = Path(*name.split("."))
    root = PACKAGE.parent
    return (root / relative).with_suffix(".py").exists() or (root / relative).is_dir()


def imported_modules(source: str, importer: str, is_package: bool) -> Iterator[str]:
    """The ``tracker`` modules that ``source`` (the text of module ``importer``) imports,
    wherever the import statement stands (functions included)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.startswith("tracker"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = importer.split(".")
                if not is_package:
                    package = package[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, node.module] if node.module else package)
            else:
                base = node.module or ""
            if base != "tracker" and not base.startswith("tracker."):
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                yield candidate if is_module(candidate) else base


def layer(module: str) -> int:
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        prefix = ".".join(parts[:end])
        if prefix in LAYERS:
            return LAYERS[prefix]
    raise KeyError(module)


def upward_imports(modules: dict[str, tuple[str, bool]]) -> set[tuple[str, str]]:
    """Every (importer, imported) pair of ``modules`` (name -> source, is_package) that
    imports from a higher layer."""
    found = set()
    for importer, (source, is_package) in modules.items():
        for imported in imported_modules(source, importer, is_package):
            if layer(imported) > layer(importer):
                found.add((importer, imported))
    return found


def package_modules() -> dict[str, tuple[str, bool]]:
    return {
        module_name(path): (path.read_text(encoding="utf-8"), path.name == "__init__.py")
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def test_every_module_has_a_layer() -> None:
    unplaced = []
    for name in package_modules():
        try:
            layer(name)
        except KeyError:
            unplaced.append(name)
    assert unplaced == [], "add these modules to LAYERS"


def test_no_module_imports_from_a_higher_layer() -> None:
    found = upward_imports(package_modules())
    unexpected = sorted(found - ALLOWED_UPWARD.keys())
    assert unexpected == [], "imports from a higher layer (importer, imported)"
    fixed = sorted(ALLOWED_UPWARD.keys() - found)
    assert fixed == [], "these imports are gone: remove them from ALLOWED_UPWARD"


@pytest.mark.parametrize(
    ("importer", "source"),
    [
        ("tracker.models.example", "from tracker.views import incidents\n"),
        ("tracker.queries.example", "def f():\n    from tracker.services import users\n"),
        ("tracker.rules.example", "from ..forms import incidents\n"),
        ("tracker.db", "import tracker.models.incidents\n"),
    ],
)
def test_the_check_finds_an_import_from_a_higher_layer(importer: str, source: str) -> None:
    assert upward_imports({importer: (source, False)}) != set()


def test_the_check_accepts_imports_from_lower_layers() -> None:
    modules = {
        "tracker.views.example": ("from tracker.services import incidents\n", False),
        "tracker.services.example": ("from tracker.queries.incidents import filtered\n", False),
        "tracker.queries.example": ("from . import incidents\nfrom tracker import db\n", False),
    }
    assert upward_imports(modules) == set()


def import_cycles(modules: dict[str, tuple[str, bool]]) -> list[list[str]]:
    """The import circles among ``modules`` (name -> source, is_package): each as the list of
    modules along it, the first repeated at the end. Imports of modules outside ``modules``
    are ignored."""
    edges = {
        importer: sorted(
            {name for name in imported_modules(source, importer, is_package) if name in modules}
        )
        for importer, (source, is_package) in modules.items()
    }
    cycles: list[list[str]] = []
    done: set[str] = set()

    def walk(module: str, path: list[str]) -> None:
        if module in path:
            cycles.append([*path[path.index(module) :], module])
            return
        if module in done:
            return
        for imported in edges[module]:
            walk(imported, [*path, module])
        done.add(module)

    for module in sorted(modules):
        walk(module, [])
    return cycles


def test_no_module_imports_itself_through_others() -> None:
    """No import circle anywhere in the package (the command line's modules included: the
    groups import their context, never the package that registers them)."""
    modules = package_modules()
    assert len([name for name in modules if name.startswith("tracker.cli.")]) > 5
    assert import_cycles(modules) == []


def test_the_check_finds_an_import_circle() -> None:
    modules = {
        "tracker.cli": ("from tracker.cli.report import report_command\n", True),
        "tracker.cli.report": ("def f():\n    from tracker.cli import Context\n", False),
        "tracker.cli.context": ("import click\n", False),
    }
    assert import_cycles(modules) == [["tracker.cli", "tracker.cli.report", "tracker.cli"]]
    del modules["tracker.cli.report"]
    assert import_cycles(modules) == []


def test_rules_and_models_load_without_flask() -> None:
    """Every module of the domain imports in a fresh interpreter without loading Flask (nor
    computing a password hash: the argon2 library stays unloaded too)."""
    names = sorted(
        name for name in package_modules() if name.startswith(("tracker.rules", "tracker.models"))
    )
    script = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'flask', 'argon2'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=PACKAGE.parent,
        timeout=60,
    )
    assert len(names) > 10
    assert result.stdout.strip() == "[]", result.stdout
