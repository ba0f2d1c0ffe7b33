"""Demo steps for apps.members: ``medlemmar``, and the board, bodies and year plan."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from apps.members.models import (
    ChairRole,
    Medlem,
    MedlemKind,
    Organ,
    OrganKind,
    OrganMedlem,
    SeatKind,
    Styrelseledamot,
    Styrelsemote,
)
from apps.members.services import (
    medlem_upsert,
    organ_create,
    organ_medlem_add,
    organ_medlem_update,
    organ_update,
    styrelseledamot_create,
    styrelseledamot_update,
    styrelsemote_create,
    styrelsemote_update,
)

from .base import DemoDataError, DemoRun, ForbundDemo, Step, check_choice, check_keys, check_known, parse_date

MEDLEM_KEYS = {"name", "kind", "population", "population_date", "share_percent"}
STYRELSE_KEYS = {"mandate_start", "mandate_end", "seats"}
SEAT_KEYS = {"person_name", "medlem", "seat", "chair_role"}
ORGAN_KEYS = {"name", "kind", "purpose", "meetings_per_year", "members"}
ORGAN_MEMBER_KEYS = {"person_name", "medlem", "role"}
MOTE_KEYS = {"year", "date", "month", "items"}


def check_medlemmar(where: str, data: dict[str, Any]) -> None:
    """Check the members' keys and kinds, and that the kommuner's shares sum to 100 %."""
    shares = []
    for medlem in data["medlemmar"]:
        check_keys(medlem, MEDLEM_KEYS, f"{where} medlem {medlem.get('name')!r}")
        if medlem["kind"] not in MedlemKind.values:
            raise DemoDataError(f"{where}: okänd medlemstyp {medlem['kind']!r}.")
        if medlem.get("share_percent") is not None:
            shares.append(Decimal(medlem["share_percent"]))
    if shares and sum(shares) != 100:
        raise DemoDataError(f"{where}: kommunernas andelar summerar till {sum(shares)} %, inte 100 %.")


def load_medlemmar(run: DemoRun, demo: ForbundDemo) -> None:
    """Bring each member (by name) to the file's content, in the file's order."""
    for position, spec in enumerate(demo.data["medlemmar"], start=1):
        demo.medlemmar[spec["name"]] = _medlem(run, demo, position, spec)


def _medlem(run: DemoRun, demo: ForbundDemo, position: int, spec: dict[str, Any]) -> Medlem:
    share = spec.get("share_percent")
    upsert = partial(medlem_upsert, forbund=demo.forbund, actor=run.actor, name=spec["name"])
    return run.sync(
        Medlem.objects.filter(forbund=demo.forbund, name=spec["name"]).first(),
        {
            "kind": spec["kind"],
            "population": spec.get("population"),
            "population_date": parse_date(spec.get("population_date")),
            "share_percent": Decimal(share) if share is not None else None,
            "position": position,
        },
        create=upsert,
        update=lambda _medlem, **stale: upsert(**stale),
    )


def check_board(where: str, data: dict[str, Any]) -> None:
    """Check the board seats, bodies and meetings, and that every member they name exists."""
    medlemmar = {medlem["name"] for medlem in data["medlemmar"]}
    styrelse = data.get("styrelse")
    if styrelse is not None:
        check_keys(styrelse, STYRELSE_KEYS, f"{where} styrelse")
        chairs = []
        for seat in styrelse["seats"]:
            here = f"{where} styrelseplats {seat.get('person_name')!r}"
            check_keys(seat, SEAT_KEYS, here)
            check_known(seat["medlem"], medlemmar, "medlemmen", here)
            check_choice(seat["seat"], SeatKind.values, "uppdrag", here)
            check_choice(seat.get("chair_role", ""), ChairRole.values, "ordförandeskap", here)
            if seat.get("chair_role"):
                chairs.append(seat["chair_role"])
        if len(chairs) != len(set(chairs)):
            raise DemoDataError(f"{where}: styrelsen har mer än en ordförande eller vice ordförande.")
    for organ in data.get("organ", []):
        here = f"{where} organ {organ.get('name')!r}"
        check_keys(organ, ORGAN_KEYS, here)
        check_choice(organ["kind"], OrganKind.values, "organtyp", here)
        for member in organ.get("members", []):
            check_keys(member, ORGAN_MEMBER_KEYS, f"{here} ledamot {member.get('person_name')!r}")
            if member.get("medlem"):
                check_known(member["medlem"], medlemmar, "medlemmen", here)
    for mote in data.get("arsplanering", []):
        check_keys(mote, MOTE_KEYS, f"{where} styrelsemöte {mote.get('date') or mote.get('month')}")


def load_board(run: DemoRun, demo: ForbundDemo) -> None:
    """Bring the board seats, the bodies with their people and the board's year plan to the file."""
    styrelse = demo.data.get("styrelse")
    if styrelse is not None:
        for seat in styrelse["seats"]:
            _seat(run, demo, seat, styrelse)
    for organ in demo.data.get("organ", []):
        _organ(run, demo, organ)
    for mote in demo.data.get("arsplanering", []):
        _styrelsemote(run, demo, mote)


def _seat(run: DemoRun, demo: ForbundDemo, spec: dict[str, Any], period: dict[str, Any]) -> None:
    """A board seat is found by person, member and seat kind."""
    medlem = demo.medlemmar[spec["medlem"]]
    run.sync(
        Styrelseledamot.objects.filter(
            forbund=demo.forbund, person_name=spec["person_name"], medlem=medlem, seat=spec["seat"]
        ).first(),
        {
            "chair_role": spec.get("chair_role", ""),
            "mandate_start": parse_date(period["mandate_start"]),
            "mandate_end": parse_date(period["mandate_end"]),
        },
        create=partial(
            styrelseledamot_create,
            forbund=demo.forbund,
            actor=run.actor,
            person_name=spec["person_name"],
            medlem=medlem,
            seat=spec["seat"],
        ),
        update=lambda seat, **stale: styrelseledamot_update(
            forbund=demo.forbund, actor=run.actor, styrelseledamot=seat, **stale
        ),
    )


def _organ(run: DemoRun, demo: ForbundDemo, spec: dict[str, Any]) -> None:
    """A body is found by name, each of its people by name and member."""
    forbund = demo.forbund
    organ = run.sync(
        Organ.objects.filter(forbund=forbund, name=spec["name"]).first(),
        {
            "kind": spec["kind"],
            "purpose": spec.get("purpose", ""),
            "meetings_per_year": spec.get("meetings_per_year"),
        },
        create=partial(organ_create, forbund=forbund, actor=run.actor, name=spec["name"]),
        update=lambda found, **stale: organ_update(forbund=forbund, actor=run.actor, organ=found, **stale),
    )
    for member in spec.get("members", []):
        medlem = demo.medlemmar[member["medlem"]] if member.get("medlem") else None
        run.sync(
            OrganMedlem.objects.filter(
                forbund=forbund, organ=organ, person_name=member["person_name"], medlem=medlem
            ).first(),
            {"role": member.get("role", "")},
            create=partial(
                organ_medlem_add,
                forbund=forbund,
                organ=organ,
                actor=run.actor,
                person_name=member["person_name"],
                medlem=medlem,
            ),
            update=lambda row, **stale: organ_medlem_update(
                forbund=forbund, actor=run.actor, organ_medlem=row, **stale
            ),
        )


def _styrelsemote(run: DemoRun, demo: ForbundDemo, spec: dict[str, Any]) -> None:
    """A meeting is found by (year, date) or, without a date, by (year, month)."""
    date = parse_date(spec.get("date"))
    items = "\n".join(spec.get("items", []))
    meetings = Styrelsemote.objects.filter(forbund=demo.forbund, year=spec["year"])
    if date is not None:
        found = meetings.filter(date=date).first()
        wanted: dict[str, Any] = {"date": date, "items": items}
    else:
        found = meetings.filter(date__isnull=True, month=spec["month"]).first()
        wanted = {"month": spec["month"], "items": items}
    run.sync(
        found,
        wanted,
        create=partial(styrelsemote_create, forbund=demo.forbund, actor=run.actor, year=spec["year"]),
        update=lambda mote, **stale: styrelsemote_update(
            forbund=demo.forbund, actor=run.actor, styrelsemote=mote, **stale
        ),
    )


MEDLEMMAR = Step("medlemmar", frozenset({"medlemmar"}), check_medlemmar, load_medlemmar)
BOARD = Step("styrelse", frozenset({"styrelse", "organ", "arsplanering"}), check_board, load_board)
