"""Demo step for apps.goals: ``malomraden`` with their ``delmal``."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from apps.goals.models import (
    Comparator,
    DataSource,
    Delmal,
    IndicatorKind,
    Malomrade,
    TargetUnit,
    Tidpunkt,
)
from apps.goals.services import (
    DELMAL_FIELDS,
    delmal_create,
    delmal_update,
    malomrade_create,
    malomrade_update,
)

from .base import DemoDataError, DemoRun, ForbundDemo, Step, check_choice, check_keys, check_known

MALOMRADE_KEYS = {"year", "number", "title", "description", "delmal"}
# The demo files write neither a range nor a text target.
DELMAL_KEYS = DELMAL_FIELDS - {"target_value_max", "target_text"}


def check(where: str, data: dict[str, Any]) -> None:
    """Check the målområden and delmål, their numbers, choices and the insatser they name."""
    insatser = {insats["name"] for insats in data.get("insatser", [])}
    numbers = set()
    for malomrade in data.get("malomraden", []):
        here = f"{where} målområde {malomrade.get('year')}:{malomrade.get('number')}"
        check_keys(malomrade, MALOMRADE_KEYS, here)
        key = (malomrade["year"], malomrade["number"])
        if key in numbers:
            raise DemoDataError(f"{here}: numret finns två gånger.")
        numbers.add(key)
        delmal_numbers = [delmal["number"] for delmal in malomrade.get("delmal", [])]
        if len(delmal_numbers) != len(set(delmal_numbers)):
            raise DemoDataError(f"{here}: ett delmålsnummer finns två gånger.")
        for delmal in malomrade.get("delmal", []):
            there = f"{here} delmål {delmal.get('number')}"
            check_keys(delmal, DELMAL_KEYS, there)
            check_choice(delmal["tidpunkt"], Tidpunkt.values, "tidpunkt", there)
            check_choice(delmal["data_source"], DataSource.values, "datakälla", there)
            check_choice(
                delmal.get("indicator_kind", IndicatorKind.MANUAL), IndicatorKind.values, "indikator", there
            )
            check_choice(delmal.get("target_comparator", ""), ["", *Comparator.values], "jämförelse", there)
            check_choice(delmal.get("target_unit", ""), ["", *TargetUnit.values], "enhet", there)
            if delmal.get("insats"):
                check_known(delmal["insats"], insatser, "insatsen", there)


def load(run: DemoRun, demo: ForbundDemo) -> None:
    """Bring each målområde (by year and number) and its delmål (by number) to the file's content."""
    forbund = demo.forbund
    for spec in demo.data.get("malomraden", []):
        malomrade = run.sync(
            Malomrade.objects.filter(forbund=forbund, year=spec["year"], number=spec["number"]).first(),
            {"title": spec["title"], "description": spec.get("description", "")},
            create=partial(
                malomrade_create, forbund=forbund, actor=run.actor, year=spec["year"], number=spec["number"]
            ),
            update=lambda found, **stale: malomrade_update(
                forbund=forbund, malomrade=found, actor=run.actor, **stale
            ),
        )
        for delmal in spec.get("delmal", []):
            _delmal(run, demo, malomrade, delmal)


def _delmal(run: DemoRun, demo: ForbundDemo, malomrade: Malomrade, spec: dict[str, Any]) -> None:
    value = spec.get("target_value")
    baseline = spec.get("baseline_value")
    run.sync(
        Delmal.objects.filter(malomrade=malomrade, number=spec["number"]).first(),
        {
            "text": spec["text"],
            "indicator": spec.get("indicator", ""),
            "target_comparator": spec.get("target_comparator", ""),
            "target_value": Decimal(value) if value is not None else None,
            "target_unit": spec.get("target_unit", ""),
            "target_unit_text": spec.get("target_unit_text", ""),
            "baseline_year": spec.get("baseline_year"),
            "baseline_value": Decimal(baseline) if baseline is not None else None,
            "utvarderingsmetod": spec.get("utvarderingsmetod", ""),
            "tidpunkt": spec["tidpunkt"],
            "data_source": spec["data_source"],
            "responsible": spec.get("responsible", ""),
            "insats": demo.insatser[spec["insats"]] if spec.get("insats") else None,
            "indicator_kind": spec.get("indicator_kind", IndicatorKind.MANUAL),
        },
        create=partial(
            delmal_create, forbund=demo.forbund, malomrade=malomrade, actor=run.actor, number=spec["number"]
        ),
        update=lambda found, **stale: delmal_update(
            forbund=demo.forbund, delmal=found, actor=run.actor, **stale
        ),
    )


STEP = Step("goals", frozenset({"malomraden"}), check, load)
