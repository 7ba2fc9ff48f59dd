"""Where the folders that ship with the package are found: ``templates`` and ``migrations``.

They stay at the top of the source tree; the wheel puts them inside the package
(``tracker/templates``, ``tracker/migrations``: see ``[tool.setuptools.package-dir]`` in
``pyproject.toml``), beside ``tracker/static`` and ``tracker/translations``."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

#: The top of the source tree, when the package runs from one.
SOURCE_TREE = Path(__file__).resolve().parent.parent


def shipped_folder(name: str) -> Path:
    """The folder ``name`` inside the installed package, else at the top of the source tree
    (a checkout, or an editable install of one).

    :raises FileNotFoundError: when neither exists."""
    with as_file(files("tracker") / name) as installed:
        if installed.is_dir():
            return installed
    in_tree = SOURCE_TREE / name
    if in_tree.is_dir():
        return in_tree
    raise FileNotFoundError(f"the folder {name!r} is missing from the installed package")
