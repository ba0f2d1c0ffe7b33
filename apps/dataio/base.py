"""The import engine the apps' resources share: the library parses and exports, services write.

A resource is built for one förbund and one actor; it never reads a förbund or id column
from the file. Each data row is cleaned by the fields' widgets and then written through the
owning app's services (``full_clean`` and the pghistory actor apply). Every row is tried so
every bad row is reported; the whole run is one transaction that is rolled back on a dry
run or when any row failed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from import_export import fields, resources, widgets

NEW, UPDATE, SKIP = "new", "update", "skip"
ACTION_LABELS = {NEW: "Ny", UPDATE: "Ändras", SKIP: "Oförändrad"}
# Cells starting with these are formulae to a spreadsheet (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """A string cell that a spreadsheet would run as a formula, prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unescape_formula(text: str) -> str:
    """Undo :func:`escape_formula`, so an exported file imports back unchanged."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


class RowInvalid(Exception):
    """A row the resource refuses: a list of (column, Swedish message)."""

    def __init__(self, *errors: tuple[str, str]):
        super().__init__(errors)
        self.errors = list(errors)


@dataclass
class RowOutcome:
    """What happened (or would happen) to one data row of the file."""

    row: int
    label: str = ""
    action: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, "")


@dataclass
class ImportResult:
    """Every row's outcome, and errors about the file as a whole."""

    rows: list[RowOutcome] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def bad_rows(self) -> list[RowOutcome]:
        return [row for row in self.rows if row.errors]

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors or self.bad_rows)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ACTION_LABELS, 0)
        for row in self.rows:
            if row.action:
                counts[row.action] += 1
        return counts


# --- Widgets: Swedish input, Swedish errors ---------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unescape_formula(str(value).strip())


class TextWidget(widgets.Widget):
    """Free text; an empty cell is an empty string."""

    def clean(self, value, row=None, **kwargs):
        return _text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class ChoiceWidget(widgets.Widget):
    """A choice field given by its Swedish label (or its code), exported as the label."""

    def __init__(self, choices):
        self.choices = [(code, str(label)) for code, label in choices if code != ""]
        self.lookup = {}
        for code, label in self.choices:
            self.lookup[code.casefold()] = code
            self.lookup[label.casefold()] = code

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return ""
        try:
            return self.lookup[text.casefold()]
        except KeyError:
            allowed = ", ".join(f"”{label}”" for _, label in self.choices)
            raise ValueError(f"”{text}” är inget tillåtet värde. Tillåtna värden: {allowed}.") from None

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(value, value or "")


def _number_text(value) -> str:
    return _text(value).replace("\u00a0", "").replace(" ", "").replace(",", ".")


class IntWidget(widgets.Widget):
    """A whole number; spaces as thousands separators are allowed ("18 861 000")."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            raise ValueError("Ange ett heltal.")
        if isinstance(value, int):
            return value
        text = _number_text(value)
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"”{_text(value)}” är inte ett heltal.") from None
        if number != number.to_integral_value():
            raise ValueError(f"”{_text(value)}” är inte ett heltal.")
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else int(value)


class DecimalWidget(widgets.Widget):
    """A decimal number with comma or point ("1,5" or "1.5")."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return Decimal(str(value))
        text = _number_text(value)
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"”{_text(value)}” är inte ett tal.") from None
        if not number.is_finite():
            raise ValueError(f"”{_text(value)}” är inte ett tal.")
        return number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else Decimal(value).normalize()


class DateWidget(widgets.Widget):
    """A date as ÅÅÅÅ-MM-DD (or a real date cell in XLSX)."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"”{text}” är inte ett datum. Skriv det som ÅÅÅÅ-MM-DD.") from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.isoformat()


def column(attribute: str, name: str, widget=None) -> fields.Field:
    """A resource field with a Swedish column name."""
    return fields.Field(attribute=attribute, column_name=name, widget=widget or TextWidget())


# --- The resource base ------------------------------------------------------------------


class TenantResource(resources.Resource):
    """A Resource bound to one förbund and actor; subclasses write rows through services."""

    #: columns a file must have
    required_columns: tuple[str, ...] = ()
    #: model field name -> column, for service errors on fields not imported directly
    error_columns: dict[str, str] = {}

    def __init__(self, *, forbund, actor=None):
        super().__init__()
        self.forbund = forbund
        self.actor = actor

    # Export ---------------------------------------------------------------------------

    def export_rows(self):
        """The objects (or dicts) to export, only the förbund's own."""
        raise NotImplementedError

    def export_dataset(self):
        """The förbund's rows as a tablib Dataset with Swedish headers."""
        return self.export(queryset=self.export_rows())

    def iter_queryset(self, queryset):
        # Plain lists (insats-year rows built in Python) as well as querysets.
        return iter(queryset)

    # Import ---------------------------------------------------------------------------

    def row_key(self, values: dict):
        """What identifies a row, to refuse the same thing twice in one file (None: no check)."""
        return None

    def row_label(self, values: dict) -> str:
        """A short label of the row for the preview."""
        return ""

    def apply_row(self, values: dict) -> str:
        """Write one cleaned row through the services; return NEW, UPDATE or SKIP."""
        raise NotImplementedError

    def column_for(self, field_name: str) -> str:
        for f in self.get_import_fields():
            if f.attribute == field_name or f.attribute.rsplit("__", 1)[-1] == field_name:
                return f.column_name
        return self.error_columns.get(field_name, "")

    def _errors_of(self, exc: ValidationError) -> list[tuple[str, str]]:
        if hasattr(exc, "error_dict"):
            return [
                ("" if name == "__all__" else self.column_for(name), message)
                for name, messages in exc.message_dict.items()
                for message in messages
            ]
        return [("", message) for message in exc.messages]

    def import_dataset(self, dataset, *, dry_run: bool) -> ImportResult:
        """Clean and write every row in one transaction; roll it back on dry run or any error."""
        result = ImportResult()
        headers = [_text(h) for h in (dataset.headers or [])]
        missing = [name for name in self.required_columns if name not in headers]
        if missing:
            names = ", ".join(f"”{name}”" for name in missing)
            result.file_errors.append(
                f"Filen saknar kolumnerna {names}. Den första raden ska vara rubrikerna."
            )
            return result
        present = [f for f in self.get_import_fields() if f.column_name in headers]
        seen: dict = {}
        with transaction.atomic():
            for number, values in enumerate(dataset, start=2):
                raw = dict(zip(headers, values, strict=False))
                if all(_text(v) == "" for v in raw.values()):
                    continue
                result.rows.append(self._import_row(number, raw, present, seen))
            if not result.rows:
                result.file_errors.append("Filen innehåller inga rader att importera.")
            if dry_run or result.has_errors:
                transaction.set_rollback(True)
        return result

    def _import_row(self, number: int, raw: dict, present, seen: dict) -> RowOutcome:
        outcome = RowOutcome(row=number)
        values = {}
        for f in present:
            try:
                values[f.attribute] = f.widget.clean(raw.get(f.column_name))
            except ValueError as exc:
                outcome.errors.append((f.column_name, str(exc)))
        outcome.label = self.row_label(values)
        if outcome.errors:
            return outcome
        key = self.row_key(values)
        if key is not None and key in seen:
            outcome.errors.append(("", f"Samma rad finns redan på rad {seen[key]} i filen."))
            return outcome
        if key is not None:
            seen[key] = number
        try:
            with transaction.atomic():
                outcome.action = self.apply_row(dict(values))
        except ValidationError as exc:
            outcome.errors = self._errors_of(exc)
        except RowInvalid as exc:
            outcome.errors = exc.errors
        except (IntegrityError, DataError):
            outcome.errors = [("", "Raden kunde inte sparas. Kontrollera värdena.")]
        return outcome


def changed(obj, values: dict) -> bool:
    """True when any of ``values`` differs from the object's current value."""
    return any(getattr(obj, name) != value for name, value in values.items())
