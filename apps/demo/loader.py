"""load_demo: three real samordningsförbund, their members, one account per role and the plans.

The data lives in ``fixtures/demo/`` (see :mod:`apps.demo.files` and :mod:`apps.demo.plans`);
each part is loaded by a step of :mod:`apps.demo.steps` through the owning app's services, so
every row is validated and audited. It is idempotent: a second run finds everything in place
and writes nothing.

Only for development and the browser tests: every account has the password ``demo``.
The ``load_demo`` management command refuses to run when DEBUG is off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from django.db import transaction

from apps.goals.models import Delmal, Malomrade
from apps.insatser.models import Insats
from apps.members.models import Medlem, Styrelseledamot
from apps.tenancy.models import Forbund, Membership
from apps.tenancy.scope import tenant_scope

from . import accounts
from .accounts import ADMIN, DEMO_PASSWORD
from .base import DemoRun, ForbundDemo
from .files import read_demo_files
from .steps import BASE_STEPS, CONTENT_STEPS, FINAL_STEPS


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


def load_demo(
    stdout: TextIO | None = None, directory: Path | None = None, *, plan: bool = True, final: bool = True
) -> DemoSummary:
    """Load the demo förbund, members, accounts and (unless ``plan`` is off) the plan content.

    Idempotent, and all or nothing: one transaction. Optionally prints a summary.
    Does not check DEBUG; the command does. ``plan=False`` is for tests that only need accounts;
    ``final=False`` leaves out the final steps (the demo plans, utfall and tertial reports), for
    the bench's copies of the demo förbund, which have none.
    """
    files = read_demo_files(directory)
    run = DemoRun(stdout=stdout)
    summary = DemoSummary()
    steps = [*BASE_STEPS, *CONTENT_STEPS] if plan else BASE_STEPS
    with transaction.atomic():
        run.actor = accounts.account(run, ADMIN, superuser=True)
        for data in files:
            forbund = accounts.forbund(run, data["forbund"])
            with tenant_scope(forbund):
                demo = ForbundDemo(forbund=forbund, data=data)
                for step in steps:
                    step.load(run, demo)
                summary.forbund.append(_count(forbund))
        if plan and final:
            for final_step in FINAL_STEPS:
                final_step(run)
    summary.konton = len(accounts.usernames(files))
    summary.changed = run.changed
    if stdout is not None:
        _print_summary(stdout, summary)
    return summary


def _count(forbund: Forbund) -> ForbundSummary:
    """The förbund's rows after loading (inside its scope)."""
    return ForbundSummary(
        name=forbund.name,
        slug=forbund.slug,
        medlemmar=Medlem.objects.filter(forbund=forbund).count(),
        konton=Membership.objects.filter(forbund=forbund).count(),
        insatser=Insats.objects.filter(forbund=forbund).count(),
        malomraden=Malomrade.objects.filter(forbund=forbund).count(),
        delmal=Delmal.objects.filter(forbund=forbund).count(),
        styrelseplatser=Styrelseledamot.objects.filter(forbund=forbund).count(),
    )


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
