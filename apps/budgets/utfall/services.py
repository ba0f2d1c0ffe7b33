"""Writes of utfall: account mappings, upload → preview → confirm (all or nothing), undo, prognoses."""

from __future__ import annotations

import hashlib
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.core.services import check_same_forbund
from apps.core.tabular import MAX_UPLOAD_BYTES, TabularError, detect_format, read_table
from apps.core.tabular.sie import read_sie
from apps.tenancy.audit import audited_by
from apps.tenancy.models import Forbund

from ..models import (
    AccountMapping,
    CostLine,
    IncomeLine,
    PrognosisOverride,
    UtfallImport,
    UtfallRow,
    UtfallSource,
    UtfallStatus,
)
from .mapping import COST, Mapped, map_entries
from .parsing import MAX_TABLE_ROWS, ParseResult, parse_sie4, parse_table

SIE_SUFFIXES = (".se", ".si", ".sie")
ACCOUNT_RANGE = re.compile(r"^\s*(\d{3,6})\s*(?:[-–]\s*(\d{3,6}))?\s*$")


def _check_line(forbund: Forbund, cost_line, income_line) -> None:
    if (cost_line is None) == (income_line is None):
        raise ValidationError({"cost_line": "Välj antingen en kostnadsrad eller en intäktsrad."})
    check_same_forbund(forbund, cost_line=cost_line, income_line=income_line)


# --- Kontokopplingar ------------------------------------------------------------------------


def parse_accounts(text: str) -> tuple[int, int]:
    """ "4010" or "4000-4099" as (from, to); a Swedish ValidationError otherwise."""
    match = ACCOUNT_RANGE.match(text or "")
    if not match:
        raise ValidationError({"accounts": "Skriv ett kontonummer (4010) eller ett intervall (4000-4099)."})
    low = int(match[1])
    high = int(match[2] or match[1])
    if low > high:
        raise ValidationError({"accounts": "Det första kontot i intervallet måste vara lägre än det sista."})
    return low, high


def account_mapping_create(
    *,
    forbund: Forbund,
    actor,
    accounts: str,
    cost_line: CostLine | None = None,
    income_line: IncomeLine | None = None,
) -> AccountMapping:
    """Map an account or range to a budget line; an overlapping range of the same width is refused."""
    low, high = parse_accounts(accounts)
    _check_line(forbund, cost_line, income_line)
    with transaction.atomic(), audited_by(actor):
        same = AccountMapping.objects.filter(forbund=forbund, account_from=low, account_to=high)
        if same.exists():
            raise ValidationError({"accounts": f"Kontot {accounts.strip()} är redan kopplat."})
        mapping = AccountMapping(
            forbund=forbund, account_from=low, account_to=high, cost_line=cost_line, income_line=income_line
        )
        mapping.full_clean()
        mapping.save()
    return mapping


def account_mapping_delete(*, forbund: Forbund, actor, account_mapping: AccountMapping) -> None:
    """Remove an account mapping (imported utfall stays)."""
    check_same_forbund(forbund, account_mapping=account_mapping)
    with transaction.atomic(), audited_by(actor):
        account_mapping.delete()


# --- Import ---------------------------------------------------------------------------------


def detect_source(filename: str, content: bytes) -> str:
    """SIE4 from .se/.si/.sie, else CSV or XLSX as apps.core.tabular detects it."""
    if filename.lower().endswith(SIE_SUFFIXES):
        return UtfallSource.SIE4
    try:
        return detect_format(filename, content)
    except TabularError as exc:
        raise ValidationError(
            {"file": "Okänd filtyp. Ladda upp en SIE-fil (.se), en CSV-fil eller en Excel-fil (.xlsx)."}
        ) from exc


def utfall_import_create(
    *, forbund: Forbund, actor, year: int, filename: str, content: bytes
) -> UtfallImport:
    """Keep an uploaded utfall file for preview; refuse a too large, empty or unknown file."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": "Filen är för stor. Den får vara högst 5 MB."})
    if not content:
        raise ValidationError({"file": "Filen är tom."})
    source = detect_source(filename, content)
    try:  # a file that cannot be read at all is refused here; its rows are checked at preview
        if source == UtfallSource.SIE4:
            read_sie(content)
        else:
            read_table(content, file_format=source, max_rows=MAX_TABLE_ROWS)
    except TabularError as exc:
        raise ValidationError({"file": exc.message}) from exc
    with transaction.atomic(), audited_by(actor):
        job = UtfallImport(
            forbund=forbund,
            source=source,
            filename=filename[:255],
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            year=year,
            created_by=actor,
        )
        job.full_clean()
        job.save()
    return job


def utfall_import_preview(*, forbund: Forbund, actor, utfall_import: UtfallImport) -> Mapped:
    """Parse and map the file without saving: lines per month, or every error with its number."""
    check_same_forbund(forbund, utfall_import=utfall_import)
    content = bytes(utfall_import.content)
    if utfall_import.status != UtfallStatus.PREVIEW:
        return Mapped(
            parse=ParseResult(
                file_errors=["Den här filen är redan hanterad. Ladda upp den igen för en ny import."]
            )
        )
    if hashlib.sha256(content).hexdigest() != utfall_import.sha256:
        return Mapped(
            parse=ParseResult(file_errors=["Den uppladdade filen har ändrats. Ladda upp den igen."])
        )
    if utfall_import.source == UtfallSource.SIE4:
        parsed = parse_sie4(content, year=utfall_import.year)
    else:
        parsed = parse_table(content, utfall_import.source, year=utfall_import.year)
    return map_entries(
        forbund=forbund,
        year=utfall_import.year,
        parsed=parsed,
        credit_is_income=utfall_import.source == UtfallSource.SIE4,
    )


def utfall_import_confirm(*, forbund: Forbund, actor, utfall_import: UtfallImport) -> Mapped:
    """Save every row of the file in one transaction, or nothing if anything is wrong."""
    mapped = utfall_import_preview(forbund=forbund, actor=actor, utfall_import=utfall_import)
    with transaction.atomic(), audited_by(actor):
        utfall_import = UtfallImport.objects.select_for_update().get(pk=utfall_import.pk)
        if utfall_import.status != UtfallStatus.PREVIEW:
            mapped.file_errors.append("Den här filen är redan hanterad.")
            return mapped
        if mapped.has_errors:
            utfall_import.status = UtfallStatus.FAILED
            utfall_import.save(update_fields=["status", "updated_at"])
            return mapped
        UtfallRow.objects.bulk_create(
            [
                UtfallRow(
                    forbund=forbund,
                    utfall_import=utfall_import,
                    year=utfall_import.year,
                    month=month,
                    cost_line_id=pk if kind == COST else None,
                    income_line_id=None if kind == COST else pk,
                    amount=amount,
                    account=account,
                )
                for kind, pk, month, amount, account in mapped.rows
            ]
        )
        utfall_import.status = UtfallStatus.DONE
        utfall_import.imported_at = timezone.now()
        utfall_import.content = b""
        utfall_import.save(update_fields=["status", "imported_at", "content", "updated_at"])
    return mapped


def utfall_import_undo(*, forbund: Forbund, actor, utfall_import: UtfallImport) -> UtfallImport:
    """Delete an import's rows in one transaction; the import stays, marked "ångrad"."""
    check_same_forbund(forbund, utfall_import=utfall_import)
    with transaction.atomic(), audited_by(actor):
        utfall_import = UtfallImport.objects.select_for_update().get(pk=utfall_import.pk)
        if utfall_import.status != UtfallStatus.DONE:
            raise ValidationError("Bara en genomförd import kan ångras.")
        UtfallRow.objects.filter(forbund=forbund, utfall_import=utfall_import).delete()
        utfall_import.status = UtfallStatus.UNDONE
        utfall_import.undone_at = timezone.now()
        utfall_import.save(update_fields=["status", "undone_at", "updated_at"])
    return utfall_import


# --- Prognos --------------------------------------------------------------------------------


def prognosis_override_set(
    *,
    forbund: Forbund,
    actor,
    year: int,
    amount: int,
    comment: str,
    cost_line: CostLine | None = None,
    income_line: IncomeLine | None = None,
) -> PrognosisOverride:
    """Type the full-year prognosis of a line instead of the projection; a comment is required."""
    _check_line(forbund, cost_line, income_line)
    if not (comment or "").strip():
        raise ValidationError({"comment": "Skriv en kommentar som förklarar prognosen."})
    with transaction.atomic(), audited_by(actor):
        override = PrognosisOverride.objects.filter(
            forbund=forbund, year=year, cost_line=cost_line, income_line=income_line
        ).first() or PrognosisOverride(
            forbund=forbund, year=year, cost_line=cost_line, income_line=income_line
        )
        override.amount = amount
        override.comment = comment.strip()
        override.created_by = actor
        override.full_clean(validate_constraints=False)
        override.save()
    return override


def prognosis_override_clear(*, forbund: Forbund, actor, prognosis_override: PrognosisOverride) -> None:
    """Go back to the projected prognosis for the line."""
    check_same_forbund(forbund, prognosis_override=prognosis_override)
    with transaction.atomic(), audited_by(actor):
        prognosis_override.delete()
