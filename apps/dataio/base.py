"""The import engine the apps' resources share: the library parses and exports, services write.

The file is read by ``apps.core.tabular.read_table`` (caps, safe XLSX, Swedish messages)
into a Table; the widgets below clean its cells with the library's bounded parsers.
A resource is built for one förbund and one actor; it never reads a förbund or id column
from the file. Each data row is cleaned by the fields' widgets and then written through the
owning app's services (``full_clean`` and the pghistory actor apply). Every row is tried so
every bad row is reported; the whole run is one transaction that is rolled back on a dry
run or when any row failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from import_export import fields, resources, widgets

from apps.core.tabular import (
    BIGINT_MAX,
    BIGINT_MIN,
    Table,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
)

NEW, UPDATE, SKIP = "new", "update", "skip"
ACTION_LABELS = {NEW: "Ny", UPDATE: "Ändras", SKIP: "Oförändrad"}


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


# --- Widgets: the tabular library's bounded parsers, Swedish errors ------------------------
#
# django-import-export's own IntegerWidget and DecimalWidget run ``int(Decimal(value))`` on
# any text, so "1E+999999" took 30 s of CPU per cell and "1e30" reached the database. These
# widgets delegate to apps.core.tabular, which bounds length and range first; its CellError
# is a ValueError, which the import reports with the row and column.


class TextWidget(widgets.Widget):
    """Free text; an empty cell is an empty string."""

    def __init__(self, max_length: int | None = None):
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        if self.max_length is None:
            return parse_text(value)
        return parse_text(value, max_length=self.max_length)

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
        text = parse_text(value, max_length=200)
        if not text:
            return ""
        try:
            return self.lookup[text.casefold()]
        except KeyError:
            allowed = ", ".join(f"”{label}”" for _, label in self.choices)
            raise ValueError(f"”{text}” är inget tillåtet värde. Tillåtna värden: {allowed}.") from None

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(value, value or "")


class IntWidget(widgets.Widget):
    """A whole number within the column's range; spaces as thousands separators ("18 861 000")."""

    def __init__(self, min_value: int = BIGINT_MIN, max_value: int = BIGINT_MAX):
        self.min_value = min_value
        self.max_value = max_value

    def clean(self, value, row=None, **kwargs):
        return parse_int(value, min_value=self.min_value, max_value=self.max_value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else int(value)


class DecimalWidget(widgets.Widget):
    """A decimal number with comma or point ("1,5" or "1.5"), below 10^18 unless bounded closer."""

    def __init__(self, min_value: Decimal | int | None = None, max_value: Decimal | int | None = None):
        self.min_value = min_value
        self.max_value = max_value

    def clean(self, value, row=None, **kwargs):
        return parse_decimal(value, min_value=self.min_value, max_value=self.max_value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else Decimal(value).normalize()


class DateWidget(widgets.Widget):
    """A date as ÅÅÅÅ-MM-DD (or a real date cell in XLSX)."""

    def clean(self, value, row=None, **kwargs):
        return parse_date(value)

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
        self.current_row = 0

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
        """Write one cleaned row through the services; return NEW, UPDATE or SKIP.

        ``self.current_row`` is the row's number in the spreadsheet while this runs.
        """
        raise NotImplementedError

    def finish_import(self, result: ImportResult) -> None:
        """After every row, in the same transaction: write what several rows make together.

        A resource whose object spans rows (a survey with its questions) collects them in
        ``apply_row`` and writes each object here, adding errors to the rows' outcomes.
        """

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

    def import_dataset(self, table: Table, *, dry_run: bool) -> ImportResult:
        """Clean and write every row in one transaction; roll it back on dry run or any error."""
        result = ImportResult()
        missing = [name for name in self.required_columns if name not in table.headers]
        if missing:
            names = ", ".join(f"”{name}”" for name in missing)
            result.file_errors.append(
                f"Filen saknar kolumnerna {names}. Den första raden ska vara rubrikerna."
            )
            return result
        present = [f for f in self.get_import_fields() if f.column_name in table.headers]
        seen: dict = {}
        with transaction.atomic():
            for row in table.rows:
                result.rows.append(self._import_row(row.number, row.as_dict(), present, seen))
            self.finish_import(result)
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
        self.current_row = number
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
