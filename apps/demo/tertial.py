"""Demo step for apps.tertial: utfall for the demo years and the tertial reports the board has seen.

Östra Östergötland (samo) 2023: utfall January–August, T1 approved by the board in May and T2
sent to the board. Sollefteå 2024: utfall January–April and T1 approved. The utfall is made up
from each cost line's monthly budget (a fixed pattern a little under or over it, so the economy
pages show deviations), through one account per line and an utfall import, as a förbund would
load it. Everything goes through the services; a report or an import that exists is left as it
is, so a second load writes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from apps.budgets.models import AccountMapping, CostLine, UtfallImport
from apps.budgets.utfall import selectors as utfall_selectors
from apps.budgets.utfall import services as utfall_services
from apps.tenancy.models import Forbund, Membership, Role
from apps.tenancy.scope import tenant_scope
from apps.tertial import content, services
from apps.tertial.models import GoalStatus, TertialReport

from .base import DemoRun

# Per mille of the monthly budget, by line and month in turn: some lines under, some over.
PATTERN = (930, 1010, 880, 1060, 970, 900, 1040, 990)
FIRST_ACCOUNT = 7001


@dataclass(frozen=True)
class DemoReport:
    tertial: int
    decided_on: datetime.date | None  # None: sent to the board, no decision yet
    decision_paragraph: str
    summary: str


@dataclass(frozen=True)
class DemoYear:
    slug: str
    year: int
    utfall_months: int
    reports: tuple[DemoReport, ...]


DEMO_YEARS = (
    DemoYear(
        "samo",
        2023,
        8,
        (
            DemoReport(
                1,
                datetime.date(2023, 5, 24),
                "§ 28",
                "Verksamheten har kommit igång enligt plan under januari–april. Insatserna i de fyra "
                "kommunerna har tagit emot deltagare och kostnaderna ligger något under budget, "
                "främst för att två tjänster tillsattes först i mars.\n\n"
                "Styrelsen föreslås godkänna rapporten.",
            ),
            DemoReport(
                2,
                None,
                "",
                "Under maj–augusti har insatserna fortsatt i samma takt som under våren. Sommaren "
                "innebar färre nya deltagare, vilket är väntat. Kostnaderna för året hittills "
                "ligger nära budget och prognosen visar ett resultat i balans.\n\n"
                "Rapporten ligger till grund för delårsrapporten.",
            ),
        ),
    ),
    DemoYear(
        "solleftea",
        2024,
        4,
        (
            DemoReport(
                1,
                datetime.date(2024, 5, 28),
                "§ 19",
                "Årets första tertial har präglats av uppstarten av de insatser som beviljades i "
                "höstas. Samverkan med parterna fungerar väl och kostnaderna följer budget.",
            ),
        ),
    ),
)

# Statuses the kansli gives the delmål that are not computed, in turn, with their comments.
MANUAL = (
    (GoalStatus.PA_VAG, "Följs upp vid nästa tertial; utvecklingen går åt rätt håll."),
    (GoalStatus.UPPNATT, "Målet är nått för perioden enligt insatsernas redovisning."),
    (GoalStatus.PA_VAG, "Arbetet pågår enligt plan."),
    (GoalStatus.KAN_INTE_BEDOMAS, "Mäts med enkät vid årets slut."),
)


def _member(forbund: Forbund, role: str):
    membership = Membership.objects.filter(forbund=forbund, role=role).select_related("user").first()
    return membership.user if membership else None


def load_utfall(run: DemoRun, forbund: Forbund, spec: DemoYear) -> None:
    """One account per leaf cost line and one import of the months' utfall (once)."""
    filename = f"demo-utfall-{spec.year}.csv"
    if UtfallImport.objects.filter(forbund=forbund, year=spec.year, filename=filename).exists():
        return
    follow = utfall_selectors.followup(forbund=forbund, year=spec.year)
    if follow is None:
        return
    parents = set(
        CostLine.objects.filter(forbund=forbund, budget__year=spec.year, parent__isnull=False).values_list(
            "parent_id", flat=True
        )
    )
    leaves = [row for row in follow.cost_lines if row.line is not None and row.line.pk not in parents]
    rows = []
    for n, row in enumerate(leaves):
        account = str(FIRST_ACCOUNT + n)
        if not AccountMapping.objects.filter(forbund=forbund, account_from=int(account)).exists():
            utfall_services.account_mapping_create(
                forbund=forbund, actor=run.actor, accounts=account, cost_line=row.line
            )
            run.changed += 1
        for month in range(1, spec.utfall_months + 1):
            amount = row.months_budget[month - 1] * PATTERN[(n + month) % len(PATTERN)] // 1000
            if amount:
                rows.append(f"{account};{spec.year};{month};{amount}")
    if not rows:
        return
    job = utfall_services.utfall_import_create(
        forbund=forbund,
        actor=run.actor,
        year=spec.year,
        filename=filename,
        content=("Konto;År;Månad;Belopp\n" + "\n".join(rows) + "\n").encode(),
    )
    utfall_services.utfall_import_confirm(forbund=job.forbund, actor=run.actor, utfall_import=job)
    run.changed += 1


def load_report(run: DemoRun, forbund: Forbund, spec: DemoYear, demo: DemoReport) -> None:
    """Draft, fill in, send and (when decided) approve one report, unless it exists."""
    if TertialReport.objects.filter(forbund=forbund, year=spec.year, tertial=demo.tertial).exists():
        return
    chef = _member(forbund, Role.FORBUNDSCHEF) or run.actor
    kansli = _member(forbund, Role.KANSLI) or chef
    board = _member(forbund, Role.STYRELSE) or run.actor
    report = services.report_create(
        forbund=forbund,
        actor=chef,
        year=spec.year,
        tertial=demo.tertial,
        today=content.tertial_end(spec.year, demo.tertial),
    )
    version = report.versions.get()
    services.summary_update(version=version, actor=chef, summary_markdown=demo.summary)
    items = []
    manual = 0
    for delmal in content.year_delmal(forbund=forbund, year=spec.year):
        if delmal.is_computed:
            items.append({"delmal": delmal, "comment": "Beräknat ur budget och utfall."})
            continue
        status, comment = MANUAL[manual % len(MANUAL)]
        manual += 1
        items.append({"delmal": delmal, "status": status, "comment": comment})
    services.assessments_save(version=version, actor=kansli, items=items)
    for insats in content.reported_insatser(forbund=forbund, year=spec.year):
        services.insats_report_save(
            version=version,
            actor=kansli,
            insats=insats,
            text=f"{insats.name} har bedrivits enligt samverkansavtalet under {report.months}.",
        )
    services.version_send(version=version, actor=chef, notify_board=False)
    if demo.decided_on is not None:
        services.version_approve(
            version=version,
            actor=board,
            decided_on=demo.decided_on,
            decision_paragraph=demo.decision_paragraph,
        )
    run.changed += 1
    if run.stdout is not None:
        state = version.get_status_display().lower()
        run.stdout.write(f"  Tertialrapport {report.name} {spec.year} för {forbund.name}: {state}.\n")


def load_step(run: DemoRun) -> None:
    """Load the demo utfall and tertial reports of every demo förbund that exists (idempotent)."""
    with transaction.atomic():
        for spec in DEMO_YEARS:
            forbund = Forbund.objects.filter(slug=spec.slug).first()
            if forbund is None:
                continue
            with tenant_scope(forbund):
                load_utfall(run, forbund, spec)
                for demo in spec.reports:
                    load_report(run, forbund, spec, demo)
