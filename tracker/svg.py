"""Small helpers shared by the server-side SVG pictures: attributes, numbers, the document."""

from __future__ import annotations

import re
from html import escape
from typing import Any

from markupsafe import Markup

#: The characters :func:`html.escape` replaces (text without them is written as it is).
_SPECIAL = re.compile("[&<>\"']")


def attrs(**values: Any) -> str:
    """``name="value"`` pairs, escaped; a trailing ``_`` is dropped and ``_`` becomes ``-``."""
    pairs = []
    for k, v in values.items():
        text = str(v)
        if _SPECIAL.search(text):
            text = escape(text)
        pairs.append(f'{k.rstrip("_").replace("_", "-")}="{text}"')
    return " ".join(pairs)


def fmt(value: float) -> str:
    """A coordinate with one decimal (a tenth of a pixel is below what a screen shows)."""
    return f"{value:.1f}"


def svg_open(css_class: str, width: int, height: int, title: str, *extra: str) -> list[str]:
    """The opening tag and title of a picture, drawn left to right whatever the page's
    direction (``extra``: more attributes, already escaped)."""
    more = "".join(f" {e}" for e in extra)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{escape(css_class)}" role="img" '
        f"{attrs(viewBox=f'0 0 {width} {height}', width=width, height=height)} "
        f'direction="ltr"{more}>',
        f"<title>{escape(title)}</title>",
    ]


def document(parts: list[str]) -> Markup:
    """The picture as markup: every text in ``parts`` went through :func:`html.escape`."""
    return Markup("".join(parts))  # noqa: S704 (every text in it went through escape())
