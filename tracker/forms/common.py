"""Fields shared by the forms: slugs, alias lists, choices of records, and the base form that
applies the rules of stored values to every field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, FieldList, Form, FormField, IntegerField, SelectChoice, TextAreaField
from wtforms.validators import Length, NoneOf, Regexp

from tracker.input_guard import refuse_form_values
from tracker.rules.values import (
    INT32_MAX,
    INT32_MIN,
    MESSAGES,
    ValueProblemError,
    date_bounds,
    date_problem,
    integer_problem,
    parse_integer,
    text_problem,
)

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


def value_errors(form: Form) -> bool:
    """Put a message beside every field of ``form`` (and of its subforms) whose value breaks
    the rules of :mod:`tracker.rules.values`: control characters in any text, integers beyond
    the columns' range, dates outside the configured years. Returns whether all were valid."""
    valid = True
    for field in form:
        if isinstance(field, FormField):
            valid = value_errors(field.form) and valid
            continue
        if isinstance(field, FieldList):
            for entry in field.entries:
                if isinstance(entry, FormField):
                    valid = value_errors(entry.form) and valid
            continue
        key, params = _field_problem(field)
        if key:
            refuse_form_values()
            message = gettext(MESSAGES[key]) % params if params else gettext(MESSAGES[key])
            field.errors = [*field.errors, message]
            valid = False
    return valid


def _field_problem(field: Field) -> tuple[str | None, dict[str, str]]:
    for raw in getattr(field, "raw_data", None) or []:
        if isinstance(raw, str):
            key = text_problem(raw)
            if key:
                return key, {}
    data = field.data
    if isinstance(data, int) and not isinstance(data, bool) and integer_problem(data):
        return "integer", {"low": f"{INT32_MIN:,}", "high": f"{INT32_MAX:,}"}
    if isinstance(data, dt.date) and date_problem(data):
        low, high = date_bounds()
        return "date", {"low": low.isoformat(), "high": high.isoformat()}
    return None, {}


class CheckedForm(FlaskForm):
    """A form whose validation also applies :func:`value_errors` to every field."""

    def validate(self, extra_validators: Any = None) -> bool:
        valid = bool(super().validate(extra_validators))
        return value_errors(self) and valid


class WholeNumberField(IntegerField):
    """An integer field that reads ASCII digits only (``²`` and other Unicode digits are
    refused) and at most :data:`tracker.rules.values.MAX_DIGITS` of them, within the 32-bit
    range of INTEGER columns, so that no typed number can overflow a validator or a column."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        raw = str(valuelist[0])
        if not raw.strip():
            self.data = None
            return
        try:
            self.data = parse_integer(raw)
        except ValueProblemError as exc:
            self.data = None
            digits = raw.strip().lstrip("+-")
            if digits.isascii() and digits.isdigit():
                refuse_form_values()  # a number beyond the columns' range: 400
            message = gettext(MESSAGES["integer"]) % {
                "low": f"{INT32_MIN:,}",
                "high": f"{INT32_MAX:,}",
            }
            raise ValueError(message) from exc


def field_list(form: Form) -> dict[str, Field]:
    """Every field of ``form`` and of its subforms, by its name in the page."""
    found: dict[str, Field] = {}
    for field in form:
        found[field.name] = field
        if isinstance(field, FormField):
            found.update(field_list(field.form))
        elif isinstance(field, FieldList):
            for entry in field.entries:
                found[entry.name] = entry
                if isinstance(entry, FormField):
                    found.update(field_list(entry.form))
    return found
