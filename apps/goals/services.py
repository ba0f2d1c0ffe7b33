"""Writes of målområden and delmål: validated, in a transaction, audited with the actor."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.core.services import assign_fields, check_same_forbund, move
from apps.tenancy.audit import audited_by
from apps.tenancy.models import Forbund

from .models import (
    BASELINE_COMPARATORS,
    VALUE_COMPARATORS,
    Comparator,
    Delmal,
    IndicatorKind,
    Malomrade,
    TargetUnit,
)
from .selectors import next_delmal_number, next_malomrade_number

MALOMRADE_FIELDS = frozenset({"year", "number", "title", "description"})
# What a delmål says, in the order forms and import files show it ("number" and the computed
# "indicator_kind" are the form's only; "insats" is chosen per förbund).
DELMAL_TEXT_FIELDS = (
    "text",
    "indicator",
    "target_comparator",
    "target_value",
    "target_value_max",
    "target_text",
    "target_unit",
    "target_unit_text",
    "baseline_year",
    "baseline_value",
    "utvarderingsmetod",
    "tidpunkt",
    "data_source",
    "responsible",
)
DELMAL_FIELDS = frozenset({"number", "indicator_kind", "insats", *DELMAL_TEXT_FIELDS})


def _check_malomrade(malomrade: Malomrade) -> None:
    """Refuse a number already used by another målområde of the same year."""
    if malomrade.number is None or malomrade.year is None:
        return
    taken = (
        Malomrade.objects.filter(forbund=malomrade.forbund, year=malomrade.year, number=malomrade.number)
        .exclude(pk=malomrade.pk)
        .exists()
    )
    if taken:
        raise ValidationError(
            {
                "number": f"Det finns redan ett målområde {malomrade.number} för {malomrade.year}. "
                "Välj ett annat nummer."
            }
        )


def _check_delmal(delmal: Delmal) -> None:
    """Refuse a target that cannot be followed up or a taken number."""
    errors: dict[str, str] = {}
    comparator = delmal.target_comparator
    if comparator in VALUE_COMPARATORS and delmal.target_value is None:
        errors["target_value"] = (
            f"Ange ett målvärde när jämförelsen är ”{delmal.get_target_comparator_display()}”."
        )
    if comparator in BASELINE_COMPARATORS and delmal.baseline_year is None:
        errors["baseline_year"] = (
            f"Ange ett basår när målet är att {delmal.get_target_comparator_display()} ett tidigare år."
        )
    if comparator == Comparator.INTERVALL:
        if delmal.target_value is None:
            errors["target_value"] = "Ange intervallets lägsta värde, till exempel 4 i ”4–5 gånger per år”."
        if delmal.target_value_max is None:
            errors["target_value_max"] = (
                "Ange intervallets högsta värde, till exempel 5 i ”4–5 gånger per år”."
            )
        elif delmal.target_value is not None and delmal.target_value_max < delmal.target_value:
            errors["target_value_max"] = "Det högsta värdet kan inte vara lägre än det lägsta."
    elif delmal.target_value_max is not None:
        errors["target_value_max"] = "Ett högsta värde anges bara när jämförelsen är ”mellan (intervall)”."
    if comparator == Comparator.TEXT:
        if not (delmal.target_text or "").strip():
            errors["target_text"] = "Skriv målet i fritext när jämförelsen är ”mål i fritext”."
        if delmal.target_value is not None:
            errors.setdefault("target_value", "Ett mål i fritext har inget målvärde; skriv det i texten.")
    elif (delmal.target_text or "").strip():
        errors["target_text"] = "Välj jämförelsen ”mål i fritext” för att använda texten som mål."
    if not comparator and delmal.target_value is not None:
        errors["target_comparator"] = "Välj en jämförelse för målvärdet, till exempel ”minst”."
    if delmal.target_value is not None and not delmal.target_unit:
        errors["target_unit"] = "Välj en enhet för målvärdet."
    if delmal.target_unit == TargetUnit.PERCENT:
        for field in ("target_value", "target_value_max", "baseline_value"):
            value = getattr(delmal, field)
            if value is not None and not 0 <= value <= 100:
                errors.setdefault(field, "En procentsats ska vara mellan 0 och 100.")
    if delmal.target_unit == TargetUnit.ANNAT and not delmal.target_unit_text.strip():
        errors["target_unit_text"] = "Skriv vilken enhet som avses när enheten är ”annat”."
    if delmal.indicator_kind == IndicatorKind.EGET_KAPITAL_ANDEL:
        _check_equity_target(delmal, errors)
    year = delmal.malomrade.year
    if delmal.baseline_year is not None and delmal.baseline_year >= year:
        errors.setdefault("baseline_year", f"Basåret ska vara ett tidigare år än {year}.")
    if delmal.number is not None:
        taken = (
            Delmal.objects.filter(malomrade=delmal.malomrade, number=delmal.number)
            .exclude(pk=delmal.pk)
            .exists()
        )
        if taken:
            errors["number"] = (
                f"Det finns redan ett delmål {delmal.number} i målområde {delmal.malomrade.number}. "
                "Välj ett annat nummer."
            )
    if errors:
        raise ValidationError(errors)


def _check_equity_target(delmal: Delmal, errors: dict[str, str]) -> None:
    """Eget kapital högst X %: the target must be "högst", a value, and the unit %."""
    if delmal.target_comparator != Comparator.HOGST:
        errors["target_comparator"] = (
            "När indikatorn är eget kapital som andel av driftsbidraget ska jämförelsen vara ”högst”."
        )
    if delmal.target_value is None:
        errors["target_value"] = "Ange hur många procent av driftsbidraget eget kapital högst får vara."
    if delmal.target_unit != TargetUnit.PERCENT:
        errors["target_unit"] = (
            "När indikatorn är eget kapital som andel av driftsbidraget ska enheten vara %."
        )


def _validate(obj, check) -> None:
    """Run the field validation and the business check, reporting all errors together."""
    errors: dict[str, list] = {}
    try:
        obj.full_clean(validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        check(obj)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    obj.validate_constraints()


def malomrade_create(
    *, forbund: Forbund, actor, year: int, title: str, number: int | None = None, **fields
) -> Malomrade:
    """Create a målområde for a year; without a number it goes last."""
    with transaction.atomic(), audited_by(actor):
        if number is None:
            number = next_malomrade_number(forbund=forbund, year=year)
        malomrade = Malomrade(forbund=forbund, year=year, number=number, title=title)
        assign_fields(malomrade, fields, allowed=MALOMRADE_FIELDS)
        _validate(malomrade, _check_malomrade)
        malomrade.save()
    return malomrade


def malomrade_update(*, forbund: Forbund, actor, malomrade: Malomrade, **fields) -> Malomrade:
    """Change a målområde's number, title or description."""
    check_same_forbund(forbund, malomrade=malomrade)
    with transaction.atomic(), audited_by(actor):
        assign_fields(malomrade, fields, allowed=MALOMRADE_FIELDS - {"year"})
        _validate(malomrade, _check_malomrade)
        malomrade.save()
    return malomrade


def malomrade_delete(*, forbund: Forbund, actor, malomrade: Malomrade) -> None:
    """Delete a målområde together with its delmål."""
    check_same_forbund(forbund, malomrade=malomrade)
    with transaction.atomic(), audited_by(actor):
        Delmal.objects.filter(forbund=forbund, malomrade=malomrade).delete()
        malomrade.delete()


def malomrade_move(*, forbund: Forbund, actor, malomrade: Malomrade, up: bool) -> bool:
    """Move a målområde one place up or down in its year by swapping numbers; False at an end."""
    check_same_forbund(forbund, malomrade=malomrade)
    with transaction.atomic(), audited_by(actor):
        siblings = Malomrade.objects.filter(forbund=forbund, year=malomrade.year).order_by("number")
        return move(siblings, malomrade, up=up, field="number")


def delmal_create(
    *, forbund: Forbund, actor, malomrade: Malomrade, text: str, number: int | None = None, **fields
) -> Delmal:
    """Add a delmål to a målområde; without a number it goes last."""
    check_same_forbund(forbund, malomrade=malomrade, insats=fields.get("insats"))
    with transaction.atomic(), audited_by(actor):
        if number is None:
            number = next_delmal_number(malomrade=malomrade)
        delmal = Delmal(forbund=forbund, malomrade=malomrade, number=number, text=text)
        assign_fields(delmal, fields, allowed=DELMAL_FIELDS)
        _validate(delmal, _check_delmal)
        delmal.save()
    return delmal


def delmal_update(*, forbund: Forbund, actor, delmal: Delmal, **fields) -> Delmal:
    """Change a delmål's text, indicator, target or follow-up."""
    check_same_forbund(forbund, delmal=delmal, insats=fields.get("insats"))
    with transaction.atomic(), audited_by(actor):
        assign_fields(delmal, fields, allowed=DELMAL_FIELDS)
        _validate(delmal, _check_delmal)
        delmal.save()
    return delmal


def delmal_delete(*, forbund: Forbund, actor, delmal: Delmal) -> None:
    """Delete a delmål."""
    check_same_forbund(forbund, delmal=delmal)
    with transaction.atomic(), audited_by(actor):
        delmal.delete()


def delmal_move(*, forbund: Forbund, actor, delmal: Delmal, up: bool) -> bool:
    """Move a delmål one place up or down in its målområde by swapping numbers; False at an end."""
    check_same_forbund(forbund, delmal=delmal)
    with transaction.atomic(), audited_by(actor):
        siblings = Delmal.objects.filter(forbund=forbund, malomrade=delmal.malomrade).order_by("number")
        return move(siblings, delmal, up=up, field="number")
