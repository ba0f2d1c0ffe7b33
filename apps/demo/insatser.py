"""Demo step for apps.insatser: ``plattformar`` and ``insatser`` with their year rows."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from apps.insatser.models import Insats, InsatsKind, InsatsMedpart, InsatsStatus, InsatsYear, Plattform
from apps.insatser.services import (
    insats_create,
    insats_update,
    insats_year_create,
    insats_year_update,
    plattform_upsert,
)

from .base import DemoDataError, DemoRun, ForbundDemo, Step, check_choice, check_keys, check_known, parse_date

PLATTFORM_KEYS = {"name", "description"}
INSATS_KEYS = {
    "name",
    "kind",
    "verksamhetsagare",
    "medparter",
    "plattform",
    "description",
    "malgrupp",
    "status",
    "start_date",
    "end_date",
    "long_term",
    "external_financing",
    "external_financing_amount",
    "years",
}
INSATS_YEAR_KEYS = {"year", "budget_amount", "financed_fte", "budgeted_volume"}


def check(where: str, data: dict[str, Any]) -> None:
    """Check the plattformar and insatser, and that every member and plattform they name exists."""
    medlemmar = {medlem["name"] for medlem in data["medlemmar"]}
    plattformar = set()
    for plattform in data.get("plattformar", []):
        check_keys(plattform, PLATTFORM_KEYS, f"{where} plattform {plattform.get('name')!r}")
        plattformar.add(plattform["name"])
    insatser = set()
    for insats in data.get("insatser", []):
        here = f"{where} insats {insats.get('name')!r}"
        check_keys(insats, INSATS_KEYS, here)
        if insats["name"] in insatser:
            raise DemoDataError(f"{here}: namnet finns två gånger.")
        insatser.add(insats["name"])
        check_choice(insats["kind"], InsatsKind.values, "insatstyp", here)
        check_choice(insats.get("status", InsatsStatus.ASKANDE), InsatsStatus.values, "status", here)
        check_known(insats["verksamhetsagare"], medlemmar, "verksamhetsägaren", here)
        for medpart in insats.get("medparter", []):
            check_known(medpart, medlemmar, "medparten", here)
        if insats.get("plattform"):
            check_known(insats["plattform"], plattformar, "plattformen", here)
        years = [row["year"] for row in insats.get("years", [])]
        if len(years) != len(set(years)):
            raise DemoDataError(f"{here}: samma år finns två gånger.")
        for row in insats.get("years", []):
            check_keys(row, INSATS_YEAR_KEYS, f"{here} år {row.get('year')}")


def load(run: DemoRun, demo: ForbundDemo) -> None:
    """Bring the plattformar and insatser (with medparter and year rows) to the file's content."""
    forbund = demo.forbund
    for spec in demo.data.get("plattformar", []):
        demo.plattformar[spec["name"]] = _plattform(run, demo, spec)
    for spec in demo.data.get("insatser", []):
        insats = _insats(run, demo, spec)
        demo.insatser[spec["name"]] = insats
        for row in spec.get("years", []):
            run.sync(
                InsatsYear.objects.filter(forbund=forbund, insats=insats, year=row["year"]).first(),
                {
                    "budget_amount": row.get("budget_amount", 0),
                    "financed_fte": Decimal(row.get("financed_fte", 0)),
                    "budgeted_volume": row.get("budgeted_volume"),
                },
                create=partial(
                    insats_year_create, forbund=forbund, actor=run.actor, insats=insats, year=row["year"]
                ),
                update=lambda found, **stale: insats_year_update(
                    forbund=forbund, actor=run.actor, insats_year=found, **stale
                ),
            )


def _plattform(run: DemoRun, demo: ForbundDemo, spec: dict[str, Any]) -> Plattform:
    upsert = partial(plattform_upsert, forbund=demo.forbund, actor=run.actor, name=spec["name"])
    return run.sync(
        Plattform.objects.filter(forbund=demo.forbund, name=spec["name"]).first(),
        {"description": spec.get("description", "")},
        create=upsert,
        update=lambda _plattform, **stale: upsert(**stale),
    )


def _insats(run: DemoRun, demo: ForbundDemo, spec: dict[str, Any]) -> Insats:
    forbund = demo.forbund
    medparter = [demo.medlemmar[name] for name in spec.get("medparter", [])]
    found = Insats.objects.filter(forbund=forbund, name=spec["name"]).first()
    current = set()
    if found is not None:
        current = set(
            InsatsMedpart.objects.filter(forbund=forbund, insats=found).values_list("medlem_id", flat=True)
        )
    return run.sync(
        found,
        {
            "kind": spec["kind"],
            "verksamhetsagare": demo.medlemmar[spec["verksamhetsagare"]],
            "plattform": demo.plattformar[spec["plattform"]] if spec.get("plattform") else None,
            "description": spec.get("description", ""),
            "malgrupp": spec.get("malgrupp", ""),
            "start_date": parse_date(spec.get("start_date")),
            "end_date": parse_date(spec.get("end_date")),
            "long_term": spec.get("long_term", False),
            "external_financing": spec.get("external_financing", ""),
            "external_financing_amount": spec.get("external_financing_amount"),
        },
        # The status has its own flow (insats_transition); the demo only sets it on creation.
        create=partial(
            insats_create,
            forbund=forbund,
            actor=run.actor,
            medparter=medparter,
            name=spec["name"],
            status=spec.get("status", InsatsStatus.ASKANDE),
        ),
        update=lambda insats, **stale: insats_update(
            forbund=forbund, actor=run.actor, insats=insats, medparter=medparter, **stale
        ),
        differs=current != {medlem.pk for medlem in medparter},
    )


STEP = Step("insatser", frozenset({"plattformar", "insatser"}), check, load)
