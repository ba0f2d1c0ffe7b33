"""The demo data: three real samordningsförbund, their members and one account per role.

The data lives in ``fixtures/demo/<slug>.json``, one file per förbund, with the top-level
keys ``source`` (which plan the figures come from), ``forbund``, ``medlemmar`` and
``users``, and the plan content: ``plattformar``, ``insatser`` (with their ``years``),
``malomraden`` (with their ``delmal``), ``styrelse``, ``organ`` and ``arsplanering``, and
``budget``: one entry per year with income lines, the cost tree (sub-lines tied to an insats
take its year row's amount) and the långtidsbudget, written through ``apps.budgets.services``.
Person names in the board and the bodies are invented; the seeds' real names never appear in the files.
:func:`load_demo` writes it through the services, so every row is validated and audited,
and it is idempotent: a second run finds everything in place and writes nothing.

Only for development and the browser tests: every account has the password ``demo``.
The ``load_demo`` management command refuses to run when DEBUG is off.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from apps.budgets.models import (
    Budget,
    CostLine,
    IncomeKind,
    IncomeLine,
    InputMode,
    KommunSplit,
    LongTermCost,
    LongTermYear,
    StateSplit,
)
from apps.budgets.models import Display as BudgetDisplay
from apps.budgets.services import (
    budget_create,
    budget_update,
    cost_line_create,
    cost_line_update,
    income_line_create,
    income_line_update,
    long_term_year_set,
)
from apps.goals.models import Comparator, DataSource, Delmal, Malomrade, TargetUnit, Tidpunkt
from apps.goals.services import delmal_create, delmal_update, malomrade_create, malomrade_update
from apps.insatser.models import Insats, InsatsKind, InsatsMedpart, InsatsStatus, InsatsYear, Plattform
from apps.insatser.services import (
    insats_create,
    insats_update,
    insats_year_create,
    insats_year_update,
    plattform_upsert,
)
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
    organ_update,
    styrelseledamot_create,
    styrelseledamot_update,
    styrelsemote_create,
    styrelsemote_update,
)

from .audit import audited_by
from .models import Forbund, Membership, Role
from .scope import tenant_scope
from .services import membership_set

User = get_user_model()

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
DEMO_PASSWORD = "demo"
EMAIL_DOMAIN = "example.se"

# The platform administrator belongs to no förbund, so it is not in a förbund's file.
ADMIN = {
    "username": "admin",
    "email": f"admin@samordning.{EMAIL_DOMAIN}",
    "first_name": "Olof",
    "last_name": "Svedberg",
}

FILE_KEYS = {
    "source",
    "forbund",
    "medlemmar",
    "users",
    "plattformar",
    "insatser",
    "malomraden",
    "styrelse",
    "organ",
    "arsplanering",
    "budget",
}
FORBUND_KEYS = {"name", "slug", "org_nr"}
MEDLEM_KEYS = {"name", "kind", "population", "population_date", "share_percent"}
USER_KEYS = {"role", "first_name", "last_name", "username", "email"}
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
MALOMRADE_KEYS = {"year", "number", "title", "description", "delmal"}
DELMAL_KEYS = {
    "number",
    "text",
    "indicator",
    "target_comparator",
    "target_value",
    "target_unit",
    "target_unit_text",
    "baseline_year",
    "baseline_value",
    "utvarderingsmetod",
    "tidpunkt",
    "data_source",
    "responsible",
    "insats",
}
STYRELSE_KEYS = {"mandate_start", "mandate_end", "seats"}
SEAT_KEYS = {"person_name", "medlem", "seat", "chair_role"}
ORGAN_KEYS = {"name", "kind", "purpose", "meetings_per_year", "members"}
ORGAN_MEMBER_KEYS = {"person_name", "medlem", "role"}
MOTE_KEYS = {"year", "date", "month", "items"}
BUDGET_KEYS = {
    "year",
    "source",
    "input_mode",
    "input_amount",
    "state_split",
    "kommun_split",
    "eget_kapital_opening",
    "display",
    "notes",
    "income",
    "costs",
    "long_term",
}
INCOME_KEYS = {"kind", "name", "amount"}
COST_KEYS = {"account_code", "name", "amount", "insats", "is_reserve", "children"}
LONG_TERM_KEYS = {"year", "state_change_percent", "eget_kapital_use", "costs"}


class DemoDataError(ValueError):
    """A demo data file is malformed or contradicts another one."""


@dataclass
class ForbundSummary:
    """What one förbund holds after loading."""

    name: str
    slug: str
    medlemmar: int
    konton: int
    insatser: int = 0
    malomraden: int = 0
    delmal: int = 0
    styrelseplatser: int = 0


@dataclass
class DemoSummary:
    """The result of :func:`load_demo`: the förbund, the accounts and how many rows changed."""

    forbund: list[ForbundSummary] = field(default_factory=list)
    konton: int = 0
    changed: int = 0


def read_demo_files(directory: Path | None = None) -> list[dict[str, Any]]:
    """Read and check every ``<slug>.json`` in the demo folder, in file-name order."""
    directory = directory or DEMO_DIR
    paths = sorted(directory.glob("*.json"))
    if not paths:
        raise DemoDataError(f"Inga demofiler i {directory}.")
    files = []
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle, parse_float=Decimal)
        _check_file(path, data)
        files.append(data)
    _check_users_agree(files)
    return files


def _unknown(keys: Iterable[str], allowed: set[str], where: str) -> None:
    extra = sorted(set(keys) - allowed)
    if extra:
        raise DemoDataError(f"{where}: okända nycklar {', '.join(extra)}.")


def _check_file(path: Path, data: dict[str, Any]) -> None:
    """Validate one file's shape; the services validate the values again on write."""
    where = path.name
    _unknown(data, FILE_KEYS, where)
    _unknown(data["forbund"], FORBUND_KEYS, f"{where} forbund")
    if data["forbund"]["slug"] != path.stem:
        raise DemoDataError(f"{where}: kortnamnet {data['forbund']['slug']!r} ska vara filens namn.")
    shares = []
    for medlem in data["medlemmar"]:
        _unknown(medlem, MEDLEM_KEYS, f"{where} medlem {medlem.get('name')!r}")
        if medlem["kind"] not in MedlemKind.values:
            raise DemoDataError(f"{where}: okänd medlemstyp {medlem['kind']!r}.")
        if medlem.get("share_percent") is not None:
            shares.append(Decimal(medlem["share_percent"]))
    if shares and sum(shares) != 100:
        raise DemoDataError(f"{where}: kommunernas andelar summerar till {sum(shares)} %, inte 100 %.")
    for user in data["users"]:
        _unknown(user, USER_KEYS, f"{where} konto")
        if user["role"] not in Role.values:
            raise DemoDataError(f"{where}: okänd roll {user['role']!r}.")
    _check_plan(where, data)


def _choice(value: Any, choices: Iterable[str], what: str, where: str) -> None:
    if value not in set(choices):
        raise DemoDataError(f"{where}: okänd {what} {value!r}.")


def _known(name: Any, names: set[str], what: str, where: str) -> None:
    if name not in names:
        raise DemoDataError(f"{where}: {what} {name!r} finns inte i filen.")


def _check_plan(where: str, data: dict[str, Any]) -> None:
    """Check the plan content's shape and that every name it refers to is in the file."""
    medlemmar = {medlem["name"] for medlem in data["medlemmar"]}
    plattformar = set()
    for plattform in data.get("plattformar", []):
        _unknown(plattform, PLATTFORM_KEYS, f"{where} plattform {plattform.get('name')!r}")
        plattformar.add(plattform["name"])
    insatser = set()
    for insats in data.get("insatser", []):
        here = f"{where} insats {insats.get('name')!r}"
        _unknown(insats, INSATS_KEYS, here)
        if insats["name"] in insatser:
            raise DemoDataError(f"{here}: namnet finns två gånger.")
        insatser.add(insats["name"])
        _choice(insats["kind"], InsatsKind.values, "insatstyp", here)
        _choice(insats.get("status", InsatsStatus.ASKANDE), InsatsStatus.values, "status", here)
        _known(insats["verksamhetsagare"], medlemmar, "verksamhetsägaren", here)
        for medpart in insats.get("medparter", []):
            _known(medpart, medlemmar, "medparten", here)
        if insats.get("plattform"):
            _known(insats["plattform"], plattformar, "plattformen", here)
        years = [row["year"] for row in insats.get("years", [])]
        if len(years) != len(set(years)):
            raise DemoDataError(f"{here}: samma år finns två gånger.")
        for row in insats.get("years", []):
            _unknown(row, INSATS_YEAR_KEYS, f"{here} år {row.get('year')}")
    numbers = set()
    for malomrade in data.get("malomraden", []):
        here = f"{where} målområde {malomrade.get('year')}:{malomrade.get('number')}"
        _unknown(malomrade, MALOMRADE_KEYS, here)
        key = (malomrade["year"], malomrade["number"])
        if key in numbers:
            raise DemoDataError(f"{here}: numret finns två gånger.")
        numbers.add(key)
        delmal_numbers = [delmal["number"] for delmal in malomrade.get("delmal", [])]
        if len(delmal_numbers) != len(set(delmal_numbers)):
            raise DemoDataError(f"{here}: ett delmålsnummer finns två gånger.")
        for delmal in malomrade.get("delmal", []):
            there = f"{here} delmål {delmal.get('number')}"
            _unknown(delmal, DELMAL_KEYS, there)
            _choice(delmal["tidpunkt"], Tidpunkt.values, "tidpunkt", there)
            _choice(delmal["data_source"], DataSource.values, "datakälla", there)
            _choice(delmal.get("target_comparator", ""), ["", *Comparator.values], "jämförelse", there)
            _choice(delmal.get("target_unit", ""), ["", *TargetUnit.values], "enhet", there)
            if delmal.get("insats"):
                _known(delmal["insats"], insatser, "insatsen", there)
    styrelse = data.get("styrelse")
    if styrelse is not None:
        _unknown(styrelse, STYRELSE_KEYS, f"{where} styrelse")
        chairs = []
        for seat in styrelse["seats"]:
            here = f"{where} styrelseplats {seat.get('person_name')!r}"
            _unknown(seat, SEAT_KEYS, here)
            _known(seat["medlem"], medlemmar, "medlemmen", here)
            _choice(seat["seat"], SeatKind.values, "uppdrag", here)
            _choice(seat.get("chair_role", ""), ChairRole.values, "ordförandeskap", here)
            if seat.get("chair_role"):
                chairs.append(seat["chair_role"])
        if len(chairs) != len(set(chairs)):
            raise DemoDataError(f"{where}: styrelsen har mer än en ordförande eller vice ordförande.")
    for organ in data.get("organ", []):
        here = f"{where} organ {organ.get('name')!r}"
        _unknown(organ, ORGAN_KEYS, here)
        _choice(organ["kind"], OrganKind.values, "organtyp", here)
        for member in organ.get("members", []):
            _unknown(member, ORGAN_MEMBER_KEYS, f"{here} ledamot {member.get('person_name')!r}")
            if member.get("medlem"):
                _known(member["medlem"], medlemmar, "medlemmen", here)
    for mote in data.get("arsplanering", []):
        _unknown(mote, MOTE_KEYS, f"{where} styrelsemöte {mote.get('date') or mote.get('month')}")
    _check_budgets(where, data, insatser)


def _check_budgets(where: str, data: dict[str, Any], insatser: set[str]) -> None:
    """Check the budgets' shape, choices and that every insats and cost line they name exists."""
    years = set()
    for budget in data.get("budget", []):
        here = f"{where} budget {budget.get('year')}"
        _unknown(budget, BUDGET_KEYS, here)
        if budget["year"] in years:
            raise DemoDataError(f"{here}: året finns två gånger.")
        years.add(budget["year"])
        _choice(budget.get("input_mode", InputMode.TOTAL), InputMode.values, "beloppstyp", here)
        _choice(
            budget.get("state_split", StateSplit.FK_AF), StateSplit.values, "visning av statens del", here
        )
        _choice(
            budget.get("kommun_split", KommunSplit.POPULATION), KommunSplit.values, "kommunfördelning", here
        )
        _choice(budget.get("display", BudgetDisplay.KR), BudgetDisplay.values, "visning", here)
        for line in budget.get("income", []):
            _unknown(line, INCOME_KEYS, f"{here} intäkt {line.get('name')!r}")
            _choice(line["kind"], IncomeKind.values, "intäktstyp", here)
        roots = set()
        for line in budget.get("costs", []):
            there = f"{here} kostnad {line.get('name')!r}"
            _unknown(line, COST_KEYS, there)
            if line["name"] in roots:
                raise DemoDataError(f"{there}: namnet finns två gånger.")
            roots.add(line["name"])
            names = set()
            for child in [line, *line.get("children", [])]:
                if child is not line:
                    _unknown(child, COST_KEYS - {"children"}, f"{there} underrad {child.get('name')!r}")
                    if child["name"] in names:
                        raise DemoDataError(f"{there}: underraden {child['name']!r} finns två gånger.")
                    names.add(child["name"])
                if child.get("insats"):
                    _known(child["insats"], insatser, "insatsen", there)
        for column in budget.get("long_term", []):
            there = f"{here} långtidsbudget {column.get('year')}"
            _unknown(column, LONG_TERM_KEYS, there)
            if column["year"] not in (budget["year"] + 1, budget["year"] + 2):
                raise DemoDataError(f"{there}: långtidsbudgeten gäller de två följande åren.")
            for name in column.get("costs", {}):
                _known(name, roots, "huvudraden", there)


def _user_spec(slug: str, user: dict[str, Any]) -> dict[str, str]:
    """Username, e-mail and names of a demo account; ``<role>@<slug>`` unless given."""
    username = user.get("username") or f"{user['role']}@{slug}"
    local, _, domain = username.partition("@")
    return {
        "username": username,
        "email": user.get("email") or f"{local}@{domain}.{EMAIL_DOMAIN}",
        "first_name": user["first_name"],
        "last_name": user["last_name"],
    }


def _check_users_agree(files: list[dict[str, Any]]) -> None:
    """An account listed in several förbund must be described the same way in each."""
    seen: dict[str, dict[str, str]] = {ADMIN["username"]: ADMIN}
    for data in files:
        for user in data["users"]:
            spec = _user_spec(data["forbund"]["slug"], user)
            if seen.setdefault(spec["username"], spec) != spec:
                raise DemoDataError(f"Kontot {spec['username']} beskrivs olika i olika demofiler.")


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


class _Loader:
    """One run of the loader: writes only what is missing or different, and counts it."""

    def __init__(self) -> None:
        self.changed = 0
        self.actor: Any = None

    def user(self, spec: dict[str, str], *, superuser: bool = False):
        """get_or_create the account; set the password only if it is not already ``demo``."""
        fields: dict[str, Any] = {
            "email": spec["email"],
            "first_name": spec["first_name"],
            "last_name": spec["last_name"],
            "is_staff": superuser,
            "is_superuser": superuser,
            "is_active": True,
        }
        user, created = User.objects.get_or_create(username=spec["username"], defaults=fields)
        dirty = created
        for key, value in fields.items():
            if getattr(user, key) != value:
                setattr(user, key, value)
                dirty = True
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            dirty = True
        if dirty:
            user.save()
            self.changed += 1
        return user

    def forbund(self, spec: dict[str, Any]) -> Forbund:
        """get_or_create the förbund by slug (it is not tenant-owned)."""
        values = {"name": spec["name"], "org_nr": spec.get("org_nr", "")}
        with audited_by(self.actor):
            forbund, created = Forbund.objects.get_or_create(slug=spec["slug"], defaults=values)
            stale = {key: value for key, value in values.items() if getattr(forbund, key) != value}
            if stale:
                for key, value in stale.items():
                    setattr(forbund, key, value)
                forbund.full_clean()
                forbund.save()
        self.changed += created or bool(stale)
        return forbund

    def medlem(self, forbund: Forbund, position: int, spec: dict[str, Any]) -> None:
        """Create or update one member through the service; needs the förbund's scope."""
        date = spec.get("population_date")
        share = spec.get("share_percent")
        wanted = {
            "kind": spec["kind"],
            "population": spec.get("population"),
            "population_date": datetime.date.fromisoformat(date) if date else None,
            "share_percent": Decimal(share) if share is not None else None,
            "position": position,
        }
        existing = Medlem.objects.filter(forbund=forbund, name=spec["name"]).first()
        if existing and all(getattr(existing, key) == value for key, value in wanted.items()):
            return
        medlem_upsert(forbund=forbund, actor=self.actor, name=spec["name"], **wanted)
        self.changed += 1

    def _record(self, obj, wanted: dict[str, Any]) -> dict[str, Any]:
        """The fields of ``wanted`` whose value differs from the row's."""
        return {key: value for key, value in wanted.items() if getattr(obj, key) != value}

    def plattform(self, forbund: Forbund, spec: dict[str, Any]) -> None:
        """Create or update a plattform by name."""
        existing = Plattform.objects.filter(forbund=forbund, name=spec["name"]).first()
        wanted = {"description": spec.get("description", "")}
        if existing and not self._record(existing, wanted):
            return
        plattform_upsert(forbund=forbund, actor=self.actor, name=spec["name"], **wanted)
        self.changed += 1

    def insats(self, forbund: Forbund, spec: dict[str, Any], medlemmar: dict[str, Medlem]) -> Insats:
        """Create or update an insats by name, with its medparter and year rows."""
        plattform = None
        if spec.get("plattform"):
            plattform = Plattform.objects.get(forbund=forbund, name=spec["plattform"])
        wanted: dict[str, Any] = {
            "kind": spec["kind"],
            "verksamhetsagare": medlemmar[spec["verksamhetsagare"]],
            "plattform": plattform,
            "description": spec.get("description", ""),
            "malgrupp": spec.get("malgrupp", ""),
            "start_date": _date(spec.get("start_date")),
            "end_date": _date(spec.get("end_date")),
            "long_term": spec.get("long_term", False),
            "external_financing": spec.get("external_financing", ""),
            "external_financing_amount": spec.get("external_financing_amount"),
        }
        medparter = [medlemmar[name] for name in spec.get("medparter", [])]
        insats = Insats.objects.filter(forbund=forbund, name=spec["name"]).first()
        if insats is None:
            insats = insats_create(
                forbund=forbund,
                actor=self.actor,
                medparter=medparter,
                name=spec["name"],
                status=spec.get("status", InsatsStatus.ASKANDE),
                **wanted,
            )
            self.changed += 1
        else:
            current = set(
                InsatsMedpart.objects.filter(forbund=forbund, insats=insats).values_list(
                    "medlem_id", flat=True
                )
            )
            stale = self._record(insats, wanted)
            if stale or current != {medlem.pk for medlem in medparter}:
                insats_update(forbund=forbund, actor=self.actor, insats=insats, medparter=medparter, **stale)
                self.changed += 1
        for row in spec.get("years", []):
            self.insats_year(forbund, insats, row)
        return insats

    def insats_year(self, forbund: Forbund, insats: Insats, spec: dict[str, Any]) -> None:
        """Create or update one year row of an insats."""
        wanted = {
            "budget_amount": spec.get("budget_amount", 0),
            "financed_fte": Decimal(spec.get("financed_fte", 0)),
            "budgeted_volume": spec.get("budgeted_volume"),
        }
        row = InsatsYear.objects.filter(forbund=forbund, insats=insats, year=spec["year"]).first()
        if row is None:
            insats_year_create(forbund=forbund, actor=self.actor, insats=insats, year=spec["year"], **wanted)
            self.changed += 1
            return
        stale = self._record(row, wanted)
        if stale:
            insats_year_update(forbund=forbund, actor=self.actor, row=row, **stale)
            self.changed += 1

    def malomrade(self, forbund: Forbund, spec: dict[str, Any], insatser: dict[str, Insats]) -> None:
        """Create or update a målområde by (year, number), with its delmål by number."""
        wanted = {"title": spec["title"], "description": spec.get("description", "")}
        malomrade = Malomrade.objects.filter(
            forbund=forbund, year=spec["year"], number=spec["number"]
        ).first()
        if malomrade is None:
            malomrade = malomrade_create(
                forbund=forbund, actor=self.actor, year=spec["year"], number=spec["number"], **wanted
            )
            self.changed += 1
        else:
            stale = self._record(malomrade, wanted)
            if stale:
                malomrade_update(malomrade=malomrade, actor=self.actor, **stale)
                self.changed += 1
        for delmal in spec.get("delmal", []):
            self.delmal(malomrade, delmal, insatser)

    def delmal(self, malomrade: Malomrade, spec: dict[str, Any], insatser: dict[str, Insats]) -> None:
        """Create or update a delmål by its number in the målområde."""
        value = spec.get("target_value")
        baseline = spec.get("baseline_value")
        wanted = {
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
            "insats": insatser[spec["insats"]] if spec.get("insats") else None,
        }
        delmal = Delmal.objects.filter(malomrade=malomrade, number=spec["number"]).first()
        if delmal is None:
            delmal_create(malomrade=malomrade, actor=self.actor, number=spec["number"], **wanted)
            self.changed += 1
            return
        stale = self._record(delmal, wanted)
        if stale:
            delmal_update(delmal=delmal, actor=self.actor, **stale)
            self.changed += 1

    def seat(self, forbund: Forbund, spec: dict[str, Any], period: dict[str, Any], medlem: Medlem) -> None:
        """Create or update a board seat found by person, member and seat kind."""
        wanted = {
            "chair_role": spec.get("chair_role", ""),
            "mandate_start": _date(period["mandate_start"]),
            "mandate_end": _date(period["mandate_end"]),
        }
        seat = Styrelseledamot.objects.filter(
            forbund=forbund, person_name=spec["person_name"], medlem=medlem, seat=spec["seat"]
        ).first()
        if seat is None:
            styrelseledamot_create(
                forbund=forbund,
                actor=self.actor,
                person_name=spec["person_name"],
                medlem=medlem,
                seat=spec["seat"],
                **wanted,
            )
            self.changed += 1
            return
        stale = self._record(seat, wanted)
        if stale:
            styrelseledamot_update(seat=seat, actor=self.actor, **stale)
            self.changed += 1

    def organ(self, forbund: Forbund, spec: dict[str, Any], medlemmar: dict[str, Medlem]) -> None:
        """Create or update a body by name and add the people it lacks."""
        wanted = {
            "kind": spec["kind"],
            "purpose": spec.get("purpose", ""),
            "meetings_per_year": spec.get("meetings_per_year"),
        }
        organ = Organ.objects.filter(forbund=forbund, name=spec["name"]).first()
        if organ is None:
            organ = organ_create(forbund=forbund, actor=self.actor, name=spec["name"], **wanted)
            self.changed += 1
        else:
            stale = self._record(organ, wanted)
            if stale:
                organ_update(organ=organ, actor=self.actor, **stale)
                self.changed += 1
        for member in spec.get("members", []):
            medlem = medlemmar[member["medlem"]] if member.get("medlem") else None
            role = member.get("role", "")
            row = OrganMedlem.objects.filter(
                forbund=forbund, organ=organ, person_name=member["person_name"], medlem=medlem
            ).first()
            if row is None:
                organ_medlem_add(
                    organ=organ, actor=self.actor, person_name=member["person_name"], medlem=medlem, role=role
                )
                self.changed += 1
            elif row.role != role:
                with audited_by(self.actor):
                    row.role = role
                    row.full_clean()
                    row.save()
                self.changed += 1

    def styrelsemote(self, forbund: Forbund, spec: dict[str, Any]) -> None:
        """Create or update a board meeting found by (year, date) or, without a date, (year, month)."""
        date = _date(spec.get("date"))
        items = "\n".join(spec.get("items", []))
        meetings = Styrelsemote.objects.filter(forbund=forbund, year=spec["year"])
        if date is not None:
            mote = meetings.filter(date=date).first()
            wanted: dict[str, Any] = {"date": date, "items": items}
        else:
            mote = meetings.filter(date__isnull=True, month=spec["month"]).first()
            wanted = {"month": spec["month"], "items": items}
        if mote is None:
            styrelsemote_create(forbund=forbund, actor=self.actor, year=spec["year"], **wanted)
            self.changed += 1
            return
        stale = self._record(mote, wanted)
        if stale:
            styrelsemote_update(mote=mote, actor=self.actor, **stale)
            self.changed += 1

    def plan(self, forbund: Forbund, data: dict[str, Any]) -> None:
        """Load the plan content of one förbund; needs the förbund's scope."""
        medlemmar = {medlem.name: medlem for medlem in Medlem.objects.filter(forbund=forbund)}
        for plattform in data.get("plattformar", []):
            self.plattform(forbund, plattform)
        insatser = {spec["name"]: self.insats(forbund, spec, medlemmar) for spec in data.get("insatser", [])}
        for malomrade in data.get("malomraden", []):
            self.malomrade(forbund, malomrade, insatser)
        styrelse = data.get("styrelse")
        if styrelse is not None:
            for seat in styrelse["seats"]:
                self.seat(forbund, seat, styrelse, medlemmar[seat["medlem"]])
        for organ in data.get("organ", []):
            self.organ(forbund, organ, medlemmar)
        for mote in data.get("arsplanering", []):
            self.styrelsemote(forbund, mote)
        for budget in data.get("budget", []):
            self.budget(forbund, budget, insatser)

    def budget(self, forbund: Forbund, spec: dict[str, Any], insatser: dict[str, Insats]) -> None:
        """Create or update a year's budget with its income lines, cost tree and långtidsbudget."""
        wanted = {
            "input_mode": spec.get("input_mode", InputMode.TOTAL),
            "input_amount": spec["input_amount"],
            "state_split": spec.get("state_split", StateSplit.FK_AF),
            "kommun_split": spec.get("kommun_split", KommunSplit.POPULATION),
            "eget_kapital_opening": spec.get("eget_kapital_opening", 0),
            "display": spec.get("display", BudgetDisplay.KR),
            "notes": spec.get("notes", ""),
        }
        budget = Budget.objects.filter(forbund=forbund, year=spec["year"]).first()
        if budget is None:
            budget = budget_create(forbund=forbund, actor=self.actor, year=spec["year"], **wanted)
            self.changed += 1
        else:
            stale = self._record(budget, wanted)
            if stale:
                budget_update(forbund=forbund, actor=self.actor, budget=budget, **stale)
                self.changed += 1
        for line in spec.get("income", []):
            self.income_line(forbund, budget, line)
        roots = {}
        for line in spec.get("costs", []):
            root = self.cost_line(forbund, budget, line, None, insatser)
            roots[line["name"]] = root
            for child in line.get("children", []):
                self.cost_line(forbund, budget, child, root, insatser)
        for column in spec.get("long_term", []):
            self.long_term_year(forbund, budget, column, roots)

    def income_line(self, forbund: Forbund, budget: Budget, spec: dict[str, Any]) -> None:
        """Create or update an income line found by name."""
        wanted = {"kind": spec["kind"], "amount": spec["amount"]}
        line = IncomeLine.objects.filter(forbund=forbund, budget=budget, name=spec["name"]).first()
        if line is None:
            income_line_create(forbund=forbund, actor=self.actor, budget=budget, name=spec["name"], **wanted)
            self.changed += 1
            return
        stale = self._record(line, wanted)
        if stale:
            income_line_update(forbund=forbund, actor=self.actor, line=line, **stale)
            self.changed += 1

    def cost_line(
        self,
        forbund: Forbund,
        budget: Budget,
        spec: dict[str, Any],
        parent: CostLine | None,
        insatser: dict[str, Insats],
    ) -> CostLine:
        """Create or update a cost line found by name under its parent (None for a main line)."""
        wanted = {
            "account_code": spec.get("account_code", ""),
            "amount": spec.get("amount"),
            "insats": insatser[spec["insats"]] if spec.get("insats") else None,
            "is_reserve": spec.get("is_reserve", False),
        }
        line = CostLine.objects.filter(
            forbund=forbund, budget=budget, parent=parent, name=spec["name"]
        ).first()
        if line is None:
            line = cost_line_create(
                forbund=forbund, actor=self.actor, budget=budget, parent=parent, name=spec["name"], **wanted
            )
            self.changed += 1
            return line
        stale = self._record(line, wanted)
        if stale:
            cost_line_update(forbund=forbund, actor=self.actor, line=line, **stale)
            self.changed += 1
        return line

    def long_term_year(
        self, forbund: Forbund, budget: Budget, spec: dict[str, Any], roots: dict[str, CostLine]
    ) -> None:
        """Set a långtidsbudget year (scenario, eget kapital, per-line amounts) unless already so."""
        percent = Decimal(spec.get("state_change_percent", "-10"))
        use = spec.get("eget_kapital_use", 0)
        overrides = {roots[name]: amount for name, amount in spec.get("costs", {}).items()}
        row = LongTermYear.objects.filter(forbund=forbund, budget=budget, year=spec["year"]).first()
        if row is not None:
            current = dict(
                LongTermCost.objects.filter(forbund=forbund, long_term_year=row).values_list(
                    "cost_line_id", "amount"
                )
            )
            if (
                row.state_change_percent == percent
                and row.eget_kapital_use == use
                and current == {line.pk: amount for line, amount in overrides.items()}
            ):
                return
        long_term_year_set(
            forbund=forbund,
            actor=self.actor,
            budget=budget,
            year=spec["year"],
            state_change_percent=percent,
            eget_kapital_use=use,
            overrides=overrides,
        )
        self.changed += 1

    def membership(self, forbund: Forbund, user, role: str) -> None:
        """Give the user the role unless they have it already."""
        current = Membership.objects.filter(forbund=forbund, user=user).values_list("role", flat=True).first()
        if current == role:
            return
        membership_set(forbund=forbund, actor=self.actor, user=user, role=role)
        self.changed += 1


def load_demo(
    stdout: TextIO | None = None, directory: Path | None = None, *, plan: bool = True
) -> DemoSummary:
    """Load the demo förbund, members, accounts and (unless ``plan`` is off) the plan content.

    Idempotent, and all or nothing: one transaction. Optionally prints a summary.
    Does not check DEBUG; the command does. ``plan=False`` is for tests that only need accounts.
    """
    files = read_demo_files(directory)
    loader = _Loader()
    summary = DemoSummary()
    usernames = {ADMIN["username"]}
    with transaction.atomic():
        loader.actor = loader.user(ADMIN, superuser=True)
        for data in files:
            slug = data["forbund"]["slug"]
            forbund = loader.forbund(data["forbund"])
            with tenant_scope(forbund):
                for position, medlem in enumerate(data["medlemmar"], start=1):
                    loader.medlem(forbund, position, medlem)
                for user in data["users"]:
                    spec = _user_spec(slug, user)
                    usernames.add(spec["username"])
                    loader.membership(forbund, loader.user(spec), user["role"])
                if plan:
                    loader.plan(forbund, data)
                summary.forbund.append(
                    ForbundSummary(
                        name=forbund.name,
                        slug=forbund.slug,
                        medlemmar=Medlem.objects.filter(forbund=forbund).count(),
                        konton=Membership.objects.filter(forbund=forbund).count(),
                        insatser=Insats.objects.filter(forbund=forbund).count(),
                        malomraden=Malomrade.objects.filter(forbund=forbund).count(),
                        delmal=Delmal.objects.filter(forbund=forbund).count(),
                        styrelseplatser=Styrelseledamot.objects.filter(forbund=forbund).count(),
                    )
                )
        if plan:
            from apps.plans.demo import load_demo_plans  # the plan documents, after their data

            loader.changed += load_demo_plans(actor=loader.actor, stdout=stdout)
    summary.konton = len(usernames)
    summary.changed = loader.changed
    if stdout is not None:
        _print_summary(stdout, summary)
    return summary


def _print_summary(stdout: TextIO, summary: DemoSummary) -> None:
    stdout.write("Demodata inläst:\n")
    for item in summary.forbund:
        stdout.write(
            f"  {item.name} ({item.slug}): {item.medlemmar} medlemmar, {item.konton} konton, "
            f"{item.insatser} insatser, {item.malomraden} målområden med {item.delmal} delmål, "
            f"{item.styrelseplatser} platser i styrelsen\n"
        )
    medlemmar = sum(item.medlemmar for item in summary.forbund)
    stdout.write(
        f"Totalt {len(summary.forbund)} förbund, {medlemmar} medlemmar och {summary.konton} konton "
        f"(inklusive plattformsadministratören {ADMIN['username']}).\n"
    )
    if summary.changed:
        stdout.write(f"{summary.changed} rader skapades eller ändrades.\n")
    else:
        stdout.write("Allt fanns redan; inget ändrades.\n")
    stdout.write(
        f"Lösenord för alla demokonton: {DEMO_PASSWORD}. Användarnamn: <roll>@<förbund>, "
        "t.ex. forbundschef@samo, samt multi@demo och admin.\n"
    )
