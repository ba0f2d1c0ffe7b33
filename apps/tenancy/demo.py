"""The demo data: three real samordningsförbund, their members and one account per role.

The data lives in ``fixtures/demo/<slug>.json``, one file per förbund, with the top-level
keys ``source`` (which plan the figures come from), ``forbund``, ``medlemmar`` and
``users``; later data (insatser, goals, budget) gets keys of its own in the same files.
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

import pghistory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from apps.members.models import Medlem, MedlemKind
from apps.members.services import medlem_upsert

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

FILE_KEYS = {"source", "forbund", "medlemmar", "users"}
FORBUND_KEYS = {"name", "slug", "org_nr"}
MEDLEM_KEYS = {"name", "kind", "population", "population_date", "share_percent"}
USER_KEYS = {"role", "first_name", "last_name", "username", "email"}


class DemoDataError(ValueError):
    """A demo data file is malformed or contradicts another one."""


@dataclass
class ForbundSummary:
    """What one förbund holds after loading."""

    name: str
    slug: str
    medlemmar: int
    konton: int


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
        with pghistory.context(user=self.actor.pk):
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

    def membership(self, forbund: Forbund, user, role: str) -> None:
        """Give the user the role unless they have it already."""
        current = Membership.objects.filter(forbund=forbund, user=user).values_list("role", flat=True).first()
        if current == role:
            return
        membership_set(forbund=forbund, actor=self.actor, user=user, role=role)
        self.changed += 1


def load_demo(stdout: TextIO | None = None, directory: Path | None = None) -> DemoSummary:
    """Load the demo förbund, members and accounts (idempotent) and optionally print a summary.

    All or nothing: one transaction. Does not check DEBUG; the command does.
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
                summary.forbund.append(
                    ForbundSummary(
                        name=forbund.name,
                        slug=forbund.slug,
                        medlemmar=Medlem.objects.filter(forbund=forbund).count(),
                        konton=Membership.objects.filter(forbund=forbund).count(),
                    )
                )
    summary.konton = len(usernames)
    summary.changed = loader.changed
    if stdout is not None:
        _print_summary(stdout, summary)
    return summary


def _print_summary(stdout: TextIO, summary: DemoSummary) -> None:
    stdout.write("Demodata inläst:\n")
    for item in summary.forbund:
        stdout.write(f"  {item.name} ({item.slug}): {item.medlemmar} medlemmar, {item.konton} konton\n")
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
