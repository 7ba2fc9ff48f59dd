"""Fields shared by the catalogue forms: slugs, alias lists, choices of records."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, TextAreaField
from wtforms.validators import Length, NoneOf, Regexp

SLUG_VALIDATORS = [
    Length(min=2, max=120),
    Regexp(
        r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
        message=_l("Use lower-case Latin letters, digits and single hyphens (e.g. kafr-nabudah)."),
    ),
    NoneOf(["new"], message=_l("This short name is reserved: choose another.")),
]


def options(pairs: Iterable[tuple[Any, Any]]) -> list[Any]:
    """The choices of a select or radio field from ``(value, label)`` pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class LinesField(TextAreaField):
    """A text area holding one value per line; its data is the list of non-empty lines."""

    data: list[str]

    def _value(self) -> str:
        return "\n".join(self.data or [])

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist:
            lines = (line.strip() for line in str(valuelist[0]).splitlines())
            self.data = list(dict.fromkeys(line for line in lines if line))
        else:
            self.data = []


def blank_to_none(value: Any) -> Any:
    """A filter turning empty strings into None (so optional text columns store NULL)."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value
