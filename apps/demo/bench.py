"""make bench: a national-scale dataset built from the demo files, and the figures measured on it.

The data: the three demo förbund as they are (the 1× förbund is Östra Östergötland, ``samo``),
one large förbund (``stor``) that is Östra Östergötland with ``scale`` times its insatser,
plattformar, delmål and budget lines, a budget and twelve months of utfall for two years, and
``participants`` participants with monthly assessments (about ten each), and enough copies of
the smaller demo förbund to make ``forbund_count`` in all. Everything is loaded by the demo
loader's own steps (the apps' services: validated, participants and assessments through the
follow-up's bulk services), from demo files written to a temporary directory.

The measurements: each key page for the förbundschef and the revisor (where they see it) and
the participant list for a plattformspersonal with a grant, at 1× and at scale, with the
Django test client (logged in, second factor passed); the two aggregations against one
hand-written SQL query each (figures compared); PDFs in a subprocess each, for peak RSS.
Only :mod:`scripts.bench` creates and drops the bench database; this module works on whatever
database it is given.
"""

from __future__ import annotations

import copy
import datetime
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from .files import DEMO_DIR

ONE = "samo"  # the demo-sized förbund (1×)
LARGE = "stor"  # Östra Östergötland times ``scale``
YEAR = 2023
TARGETS = {
    "p95_ms": 150,
    "aggregation_ratio": 2.0,
    "pdf_20_pages_s": 3.0,
    "pdf_130_pages_s": 15.0,
    "pdf_peak_rss_mb": 300,
}


@dataclass
class Built:
    """What the builder made: the förbund count, rows at scale and the seconds it took."""

    forbund: int
    participants: int
    assessments: int
    insatser: int
    delmal: int
    cost_lines: int
    utfall_months: int
    seconds: float
    steps: dict[str, float] = field(default_factory=dict)


# --- Building -----------------------------------------------------------------------------


def _suffix(name: str, copy_number: int) -> str:
    return name if copy_number == 1 else f"{name} {copy_number}"


def scaled(data: dict[str, Any], *, slug: str, name: str, scale: int, participants: int) -> dict[str, Any]:
    """A demo file for ``slug``: ``data`` with insatser, plattformar, delmål, cost lines times ``scale``."""
    out = copy.deepcopy(data)
    out["forbund"] = {"name": name, "slug": slug}
    # Accounts with a fixed username (multi@demo) belong to the demo förbund only.
    out["users"] = [user for user in data["users"] if "username" not in user]
    out["plattformar"] = [
        dict(p, name=_suffix(p["name"], k)) for k in range(1, scale + 1) for p in data.get("plattformar", [])
    ]
    insatser = []
    for k in range(1, scale + 1):
        for insats in data.get("insatser", []):
            row = copy.deepcopy(insats)
            row["name"] = _suffix(insats["name"], k)
            if row.get("plattform"):
                row["plattform"] = _suffix(row["plattform"], k)
            insatser.append(row)
    out["insatser"] = insatser
    malomraden = []
    per_year: dict[int, int] = {}
    for k in range(1, scale + 1):
        for malomrade in data.get("malomraden", []):
            row = copy.deepcopy(malomrade)
            per_year[row["year"]] = per_year.get(row["year"], 0) + 1
            row["number"] = per_year[row["year"]]
            row["title"] = _suffix(row["title"], k)
            for delmal in row.get("delmal", []):
                if delmal.get("insats"):
                    delmal["insats"] = _suffix(delmal["insats"], k)
            malomraden.append(row)
    out["malomraden"] = malomraden
    budgets = []
    for budget in data.get("budget", []):
        row = copy.deepcopy(budget)
        costs = []
        for k in range(1, scale + 1):
            for line in budget.get("costs", []):
                cost = copy.deepcopy(line)
                cost["name"] = _suffix(cost["name"], k)
                if cost.get("account_code") and k > 1:
                    cost["account_code"] = f"{cost['account_code']}{k:02d}"
                for child in cost.get("children", []):
                    child["name"] = _suffix(child["name"], k)
                    if child.get("insats"):
                        child["insats"] = _suffix(child["insats"], k)
                if cost.get("insats"):
                    cost["insats"] = _suffix(cost["insats"], k)
                costs.append(cost)
        row["costs"] = costs
        budgets.append(row)
        # The following year too, so that two years (24 months) of utfall have a budget.
        following = copy.deepcopy(row)
        following["year"] = row["year"] + 1
        following.pop("long_term", None)
        budgets.append(following)
    out["budget"] = budgets
    followup = out.get("uppfoljning")
    if followup:
        cohorts = data["uppfoljning"].get("participants", [])
        demo_people = sum(sum(c["kon"].values()) for c in cohorts) or 1
        factor = participants / (demo_people * scale)
        rows = []
        for k in range(1, scale + 1):
            for cohort in cohorts:
                row = copy.deepcopy(cohort)
                row["insats"] = _suffix(cohort["insats"], k)
                row["prefix"] = f"{cohort['prefix']}K{k}"
                row["kon"] = {kon: max(1, round(n * factor)) for kon, n in cohort["kon"].items()}
                # A little longer than the demo's stays: about ten monthly assessments each.
                shortest, longest = cohort.get("months", [3, 12])
                row["months"] = [shortest + 1, longest + 3]
                rows.append(row)
        followup["participants"] = rows
        followup["staff"] = [
            dict(grant, user=grant["user"].split("@")[0] + "@" + slug) for grant in followup.get("staff", [])
        ]
        for key in ("counts", "surveys"):
            followup[key] = [
                dict(item, insats=_suffix(item["insats"], k)) if item.get("insats") else item
                for k in range(1, scale + 1)
                for item in data["uppfoljning"].get(key, [])
                if item.get("insats") or k == 1
            ]
    return out


def renamed(data: dict[str, Any], *, slug: str, name: str) -> dict[str, Any]:
    """A copy of a demo file as another förbund (noise: its own rows in every table)."""
    out = copy.deepcopy(data)
    out["forbund"] = {"name": name, "slug": slug}
    out["users"] = [user for user in data["users"] if "username" not in user]
    followup = out.get("uppfoljning")
    if followup:
        followup["staff"] = [
            dict(grant, user=grant["user"].split("@")[0] + "@" + slug) for grant in followup.get("staff", [])
        ]
    return out


def _long_plan(directory: Path, *, slug: str, repeat: int) -> None:
    """The 1× plan with its narrative repeated ``repeat`` times, as the large förbund's plan."""
    text = (DEMO_DIR / "plans" / f"{ONE}.md").read_text(encoding="utf-8")
    header, _, body = text.partition("\n---\n")
    sections = body.split("\n=== ")
    head, rest = sections[0], sections[1:]
    repeated = [head] + [f"{section}" for _ in range(repeat) for section in rest]
    (directory / f"{slug}.md").write_text(header + "\n---\n" + "\n=== ".join(repeated), encoding="utf-8")


def _tasks(
    directory: Path, wanted: dict[str, dict[str, Any]], demo_slugs: list[str], chunk: int
) -> list[tuple[str, Path]]:
    """The files written into one folder per task: the demo förbund, the large one, noise chunks.

    The large förbund comes first (it takes longest), then the demo förbund, then the copies in
    chunks of ``chunk``, so that parallel workers end at about the same time.
    """
    noise = [slug for slug in wanted if slug not in demo_slugs and slug != LARGE]
    tasks = [("large", [LARGE]), ("demo", demo_slugs)]
    tasks += [(f"noise-{n // chunk + 1:02d}", noise[n : n + chunk]) for n in range(0, len(noise), chunk)]
    out = []
    for name, slugs in tasks:
        folder = directory / name
        folder.mkdir()
        for slug in slugs:
            (folder / f"{slug}.json").write_text(
                json.dumps(wanted[slug], ensure_ascii=False), encoding="utf-8"
            )
        out.append((name, folder))
    return out


def _fast_session() -> None:
    """The build's own session: no wait for the disk, and no error in every history trigger.

    The data is throwaway, so commits need not wait for the disk. And pgtrigger's trigger
    functions read the setting ``pgtrigger.ignore`` in a block that catches the error when it
    is unset: each written row then rolls back a subtransaction, and PostgreSQL scans all the
    transaction's deferred foreign-key checks at each such rollback, which made a load of a
    hundred thousand rows quadratic (three quarters of the database's time). Set to an empty
    list it ignores no trigger (every row is still audited) and raises nothing. Only this
    session: the pages are measured on ordinary sessions, as in production.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
        cursor.execute("SET pgtrigger.ignore TO '{}'")


def _load_task(task: tuple[str, Path, int]) -> tuple[str, dict[str, float]]:
    """Load one task's folder through the demo loader's steps; the large förbund gets its extras."""
    from apps.demo.loader import load_demo

    name, folder, plan_repeat = task
    started = time.perf_counter()
    _fast_session()
    if name != "large":
        # The demo förbund get their plans, utfall and reports (the final steps); copies none.
        load_demo(directory=folder, final=name == "demo")
        return name, {name: time.perf_counter() - started}
    load_demo(directory=folder, final=False)
    loaded = time.perf_counter()
    _large_extras(folder, plan_repeat=plan_repeat)
    return name, {"large": loaded - started, "large_plan_utfall_reports": time.perf_counter() - loaded}


def _worker(task: tuple[str, Path, int]) -> tuple[str, dict[str, float]]:
    """A forked worker: its own database connection, closed again when the task is done."""
    from django.db import connections

    try:
        return _load_task(task)
    finally:
        connections.close_all()


def _large_extras(folder: Path, *, plan_repeat: int) -> None:
    """The large förbund's long plan, two years of utfall and the 1× förbund's tertial reports."""
    from django.db import transaction

    from apps.demo import plans, tertial
    from apps.demo.base import DemoRun
    from apps.tenancy.models import Forbund
    from apps.tenancy.scope import tenant_scope

    plan_dir = folder / "plans"
    plan_dir.mkdir()
    _long_plan(plan_dir, slug=LARGE, repeat=plan_repeat)
    run = DemoRun(actor=None)
    with transaction.atomic():
        plans.load_step(run, plan_dir)
        large = Forbund.objects.get(slug=LARGE)
        with tenant_scope(large):
            for year in (YEAR, YEAR + 1):
                tertial.load_utfall(run, large, tertial.DemoYear(LARGE, year, 12, ()))
            reports = next(spec for spec in tertial.DEMO_YEARS if spec.slug == ONE).reports
            spec = tertial.DemoYear(LARGE, YEAR, 12, reports)
            for report in reports:
                tertial.load_report(run, large, spec, report)


def build(
    *,
    forbund_count: int = 80,
    scale: int = 10,
    participants: int = 10_000,
    plan_repeat: int = 2,
    jobs: int = 1,
    chunk: int = 6,
    stdout: Any = None,
) -> Built:
    """Load the demo förbund, the large one and the noise copies into the current database.

    Every förbund goes through the demo loader's steps (the apps' services, validated and
    audited). With ``jobs`` above 1 the tasks (the large förbund, the demo förbund, chunks of
    ``chunk`` copies) run in that many forked processes, each in its own transactions: the
    förbund share nothing but the platform administrator, which is made first. ``jobs=1`` runs
    them here, in the caller's transaction (the tests).
    """
    from apps.demo import accounts
    from apps.demo.base import DemoRun
    from apps.followup.models import Bedomning, Deltagare
    from apps.goals.models import Delmal
    from apps.insatser.models import Insats
    from apps.tenancy.models import Forbund
    from apps.tenancy.scope import tenant_scope

    out = stdout or io.StringIO()
    started = time.perf_counter()
    steps: dict[str, float] = {}
    # The files as written (read_demo_files would turn numbers into Decimals); load_demo checks them.
    raw = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(DEMO_DIR.glob("*.json"))]
    files = {data["forbund"]["slug"]: data for data in raw}
    small = [files[slug] for slug in sorted(files) if slug != ONE] or [files[ONE]]
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        wanted = dict(files)
        wanted[LARGE] = scaled(
            files[ONE], slug=LARGE, name="Benchförbundet Stor", scale=scale, participants=participants
        )
        for n in range(1, max(0, forbund_count - len(wanted)) + 1):
            source = small[n % len(small)]
            wanted[f"bench-{n:02d}"] = renamed(source, slug=f"bench-{n:02d}", name=f"Benchförbundet {n:02d}")
        tasks = [
            (name, folder, plan_repeat) for name, folder in _tasks(directory, wanted, sorted(files), chunk)
        ]
        steps["files"] = time.perf_counter() - started
        t0 = time.perf_counter()
        _fast_session()
        # The one row every task shares, committed before the workers start.
        accounts.account(DemoRun(stdout=out), accounts.ADMIN, superuser=True)
        if jobs > 1:
            import multiprocessing

            from django.db import connections

            connections.close_all()  # each worker opens its own
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                done = pool.map(_worker, tasks, chunksize=1)
        else:
            done = [_load_task(task) for task in tasks]
        steps["load_wall"] = time.perf_counter() - t0
        # Seconds each task took in its worker (they overlap when jobs > 1); noise chunks summed.
        for _name, seconds in done:
            for key, value in seconds.items():
                key = "noise" if key.startswith("noise-") else key
                steps[key] = steps.get(key, 0.0) + value
    large = Forbund.objects.get(slug=LARGE)
    with tenant_scope(large):
        built = Built(
            forbund=Forbund.objects.count(),
            participants=Deltagare.objects.filter(forbund=large).count(),
            assessments=Bedomning.objects.filter(forbund=large).count(),
            insatser=Insats.objects.filter(forbund=large).count(),
            delmal=Delmal.objects.filter(forbund=large).count(),
            cost_lines=_cost_lines(large),
            utfall_months=_utfall_months(large),
            seconds=time.perf_counter() - started,
            steps={key: round(value, 1) for key, value in steps.items()},
        )
    return built


def _cost_lines(forbund) -> int:
    from apps.budgets.models import CostLine

    return CostLine.objects.filter(forbund=forbund).count()


def _utfall_months(forbund) -> int:
    from apps.budgets.models import UtfallRow

    return UtfallRow.objects.filter(forbund=forbund).values("year", "month").distinct().count()


# --- Pages --------------------------------------------------------------------------------


@dataclass
class Page:
    """A key page: its name, how to find its path for a förbund, and who reads it."""

    key: str
    label: str
    roles: tuple[str, ...]


PAGES = (
    Page("overview", "Översikt", ("forbundschef", "revisor")),
    Page("insatser", "Insatser", ("forbundschef", "revisor")),
    Page("goals", "Mål med beräknade delmål", ("forbundschef", "revisor")),
    Page("budget", "Budget", ("forbundschef", "revisor")),
    Page("budget_followup", "Budgetuppföljning", ("forbundschef", "revisor")),
    Page("plan_version", "Planversion", ("forbundschef", "revisor")),
    Page("followup_statistics", "Uppföljningsstatistik", ("forbundschef", "revisor")),
    Page("participant_list", "Deltagarlista", ("plattform",)),
    Page("tertial_report", "Tertialrapport", ("forbundschef", "revisor")),
    Page("tertial_draft", "Tertialrapport under arbete", ("forbundschef",)),
)


def _paths(forbund) -> dict[str, str]:
    """The path of each key page for the förbund (the plan year, its plan, its T1 report)."""
    from apps.followup.models import Deltagare
    from apps.insatser.models import InsatsUserObjectPermission
    from apps.plans.models import PlanVersion
    from apps.tenancy.models import Membership, Role
    from apps.tenancy.scope import tenant_scope
    from apps.tertial.models import TertialReport

    base = f"/f/{forbund.slug}"
    with tenant_scope(forbund):
        adopted = _adopted_version(forbund)
        version = (
            PlanVersion.objects.filter(forbund=forbund, plan__year=YEAR).order_by("-number").first()
            or PlanVersion.objects.filter(forbund=forbund).order_by("-pk").first()
        )
        report = TertialReport.objects.filter(forbund=forbund, year=YEAR).order_by("tertial").first()
        report_version = report.versions.order_by("-number").first() if report else None
        draft = _draft_version(forbund)
        plattform = Membership.objects.filter(forbund=forbund, role=Role.PLATTFORM).first()
        granted = list(
            InsatsUserObjectPermission.objects.filter(
                forbund=forbund, user_id=plattform.user_id if plattform else None
            ).values_list("content_object_id", flat=True)
        )
        busiest = None
        if granted:
            from django.db.models import Count

            top = (
                Deltagare.objects.filter(forbund=forbund, insats_id__in=granted)
                .values("insats__public_id")
                .annotate(n=Count("pk"))
                .order_by("-n")
                .first()
            )
            busiest = top["insats__public_id"] if top else None
    paths = {
        "overview": f"{base}/",
        "insatser": f"{base}/insatser/?ar={YEAR}",
        "goals": f"{base}/mal/{YEAR}/?period=helar",
        "budget": f"{base}/budget/{YEAR}/",
        "budget_followup": f"{base}/budget/{YEAR}/uppfoljning/",
        "followup_statistics": f"{base}/uppfoljning/?ar={YEAR}",
    }
    if version is not None:
        paths["plan_version"] = f"{base}/plan/v/{version.public_id}/"
    if adopted is not None:
        # The revisor reads adopted versions only: the förbundschef's is the revision on remiss.
        paths["plan_version/revisor"] = f"{base}/plan/v/{adopted.public_id}/"
    if busiest is not None:
        paths["participant_list"] = f"{base}/uppfoljning/deltagare/{busiest}/"
    if report_version is not None:
        paths["tertial_report"] = f"{base}/tertial/v/{report_version.public_id}/"
    if draft is not None:
        paths["tertial_draft"] = f"{base}/tertial/v/{draft.public_id}/"
    return paths


def _adopted_version(forbund):
    """The year's plan as adopted, for the revisor, who reads adopted versions only.

    The bench's plans are på remiss as built. The first call adopts that version and starts a
    revision of it, sent på remiss, as a förbund revising its adopted plan has it: the förbundschef
    still measures a version på remiss with the same sections, the revisor the adopted one. Later
    calls find the adopted version (idempotent, like ``report_ensure_draft``). None without a
    plan for the year.
    """
    from apps.plans import services as plan_services
    from apps.plans.models import PlanVersion, VersionStatus

    versions = PlanVersion.objects.filter(forbund=forbund, plan__year=YEAR).select_related("plan")
    adopted = versions.filter(status=VersionStatus.FASTSTALLD).order_by("-number").first()
    if adopted is not None:
        return adopted
    latest = versions.order_by("-number").first()
    if latest is None or latest.status != VersionStatus.PA_REMISS:
        return None
    adopted = plan_services.version_adopt(
        forbund=forbund,
        actor=None,
        version=latest,
        adopted_on=datetime.date(YEAR - 1, 12, 12),
        decision_paragraph="§ 41",
    )
    revision = plan_services.version_revise(forbund=forbund, actor=None, version=adopted)
    plan_services.version_send_to_remiss(forbund=forbund, actor=None, version=revision)
    return adopted


def _draft_version(forbund):
    """The year's last tertial report as a draft (utkast), as the beat creates it when the tertial
    begins (``report_ensure_draft``, idempotent); None when that report has been sent already."""
    from apps.tertial import services as tertial_services
    from apps.tertial.models import VersionStatus

    report, _ = tertial_services.report_ensure_draft(
        forbund=forbund, year=YEAR, tertial=3, today=datetime.date(YEAR, 12, 31)
    )
    version = report.versions.order_by("-number").first()
    return version if version is not None and version.status == VersionStatus.UTKAST else None


def _client(username: str):
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    # The second factor marked verified, as django_otp.login does after a code.
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="Bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


class PageTimeout(Exception):
    """A page took longer than the bench waits for one request."""


def _timed_get(client, path: str, limit: int):
    import signal

    def expired(signum, frame):
        raise PageTimeout(path)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(limit)
    try:
        return client.get(path)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def time_page(client, path: str, runs: int, *, limit: int = 60) -> dict[str, Any] | None:
    """Median and p95 milliseconds over ``runs`` requests (after one warm-up) and the query count.

    A page whose first request takes more than ``limit`` seconds, or fails, is reported as such
    and not repeated (the bench must finish); None when the role may not see the page.
    """
    start = time.perf_counter()
    try:
        response = _timed_get(client, path, limit)
    except PageTimeout:
        return {"timeout_s": limit, "median_ms": None, "p95_ms": None, "queries": None}
    except Exception as exc:  # noqa: BLE001 (one broken page is reported; the bench goes on)
        return {"error": f"{type(exc).__name__}: {exc}", "median_ms": None, "p95_ms": None, "queries": None}
    first_ms = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        return None
    # Queries are counted on a second, warm request: the first after a write (or a new process)
    # also fills the caches keyed by data version (follow-up figures, rendered plan sections), so
    # its count depends on what ran before, not on the page.
    # The capture counts by the length of Django's query log, which stops growing once full
    # (9 000 entries, reached while building): empty it so the count is the page's own.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    queries = len(ctx.captured_queries)
    # A page slower than a second is timed fewer times, so the bench ends in minutes.
    repeat = runs if first_ms < 1000 else max(1, min(runs, 5))
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(_percentile(times, 0.95), 1),
        "queries": queries,
        "runs": repeat,
    }


def measure_pages(*, runs: int = 30, only: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Every key page (or those in ``only``) for each role that sees it, at 1× and at scale."""
    from apps.tenancy.models import Forbund

    sizes = {"1x": Forbund.objects.get(slug=ONE), "scale": Forbund.objects.get(slug=LARGE)}
    paths = {size: _paths(forbund) for size, forbund in sizes.items()}
    result: dict[str, Any] = {}
    for page in PAGES:
        if only and page.key not in only:
            continue
        for role in page.roles:
            entry: dict[str, Any] = {}
            for size, forbund in sizes.items():
                path = paths[size].get(f"{page.key}/{role}") or paths[size].get(page.key)
                measured = time_page(_client(f"{role}@{forbund.slug}"), path, runs) if path else None
                print(f"  {page.key}/{role} {size}: {measured}", file=sys.stderr, flush=True)
                if measured is None:
                    break
                entry[size] = measured
            else:
                entry["queries_equal"] = (
                    entry["1x"]["queries"] is not None and entry["1x"]["queries"] == entry["scale"]["queries"]
                )
                result[f"{page.key}/{role}"] = entry
    return result


# The pages that read content cached under the förbund's data version, as a first visit opens
# them (the goals page on its default period, the statistics of the report year so far).
AFTER_WRITE_PAGES = ("overview", "goals", "plan_version", "followup_statistics", "tertial_draft")


def _new_data_version(forbund) -> None:
    """What any write does to the förbund's caches: a new data version (no row of data changes)."""
    import uuid

    from apps.tenancy.models import DataVersion
    from apps.tenancy.scope import tenant_scope

    with tenant_scope(forbund):
        DataVersion.objects.filter(forbund=forbund).update(token=uuid.uuid4())


def measure_after_write(*, runs: int = 5) -> dict[str, Any]:
    """The first förbundschef request at scale after a write, for the pages that read cached content:
    ``cold_ms`` when the reader computes it, ``warmed_ms`` after the warmers ran as the beat task
    runs them (``datacache.warm_if_changed``), whose own time is ``warming_ms``. Medians of ``runs``."""
    from apps.tenancy import datacache
    from apps.tenancy.models import Forbund

    forbund = Forbund.objects.get(slug=LARGE)
    paths = _paths(forbund)
    paths["goals"] = paths["goals"].split("?")[0]
    paths["followup_statistics"] = f"/f/{forbund.slug}/uppfoljning/?ar={YEAR}"
    client = _client(f"forbundschef@{forbund.slug}")
    result: dict[str, Any] = {}
    warming: list[float] = []
    for key in AFTER_WRITE_PAGES:
        path = paths.get(key)
        if path is None or client.get(path).status_code != 200:
            continue
        cold, warmed = [], []
        for _ in range(runs):
            _new_data_version(forbund)
            start = time.perf_counter()
            client.get(path)
            cold.append((time.perf_counter() - start) * 1000)
            _new_data_version(forbund)
            start = time.perf_counter()
            datacache.warm_if_changed(Forbund.objects.get(pk=forbund.pk))
            warming.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            client.get(path)
            warmed.append((time.perf_counter() - start) * 1000)
        result[key] = {
            "cold_ms": round(statistics.median(cold), 1),
            "warmed_ms": round(statistics.median(warmed), 1),
        }
    if warming:
        result["warming_ms"] = round(statistics.median(warming), 1)
    return result


# --- Aggregations against hand-written SQL ----------------------------------------------


def _best_of_each(first, second, runs: int) -> tuple[float, float]:
    """The best time of each of two functions over ``runs`` rounds, the two run in turns."""
    best = [float("inf"), float("inf")]
    for _ in range(runs):
        for i, function in enumerate((first, second)):
            start = time.perf_counter()
            function()
            best[i] = min(best[i], time.perf_counter() - start)
    return best[0], best[1]


def _followup_product(forbund) -> dict[int, tuple]:
    """The follow-up as its page reads it; compared on each leaf line's budget and utfall per tertial
    (the page's period tables)."""
    from apps.budgets.utfall import selectors as utfall_selectors

    follow = utfall_selectors.followup(forbund=forbund, year=YEAR)
    lines = follow.cost_lines  # every row has its line (the total is apart)
    parents = {row.line.parent_id for row in lines}
    figures = {}
    for row in lines:
        if row.line.id not in parents:
            t1, t2, t3 = row.tertials
            figures[row.line.id] = ((t1.budget, t1.utfall), (t2.budget, t2.utfall), (t3.budget, t3.utfall))
    return figures


def _followup_sql(forbund) -> dict[int, tuple]:
    """One query for the same figures: each leaf line's amount (its insats' budget for the year when
    it has an insats) split over the months as the follow-up splits it (the floor of amount / 12,
    the kronor left over to the earliest months), and its utfall, per tertial."""
    from apps.budgets.models import Budget, CostLine, UtfallRow
    from apps.insatser.models import InsatsYear

    line, budget, utfall, year_row = (
        CostLine._meta.db_table,
        Budget._meta.db_table,
        UtfallRow._meta.db_table,
        InsatsYear._meta.db_table,
    )
    # Table names come from the models, never from input; the values are parameters.
    sql = f"""
        WITH lines AS (
            SELECT l.id,
                   CASE WHEN l.insats_id IS NOT NULL THEN COALESCE(iy.budget_amount, 0)
                        ELSE COALESCE(l.amount, 0) END AS amount
            FROM {line} l
            JOIN {budget} b ON b.id = l.budget_id
            LEFT JOIN {year_row} iy ON iy.insats_id = l.insats_id AND iy.year = b.year
            WHERE l.forbund_id = %(f)s AND b.year = %(year)s
              AND NOT EXISTS (SELECT 1 FROM {line} c WHERE c.parent_id = l.id)
        ), spent AS (
            SELECT cost_line_id,
                   SUM(amount) FILTER (WHERE month BETWEEN 1 AND 4) AS t1,
                   SUM(amount) FILTER (WHERE month BETWEEN 5 AND 8) AS t2,
                   SUM(amount) FILTER (WHERE month BETWEEN 9 AND 12) AS t3
            FROM {utfall}
            WHERE forbund_id = %(f)s AND year = %(year)s AND cost_line_id IS NOT NULL
            GROUP BY cost_line_id
        )
        SELECT lines.id,
               sign(amount) * (4 * (abs(amount) / 12) + LEAST(GREATEST(abs(amount) %% 12, 0), 4)),
               COALESCE(t1, 0),
               sign(amount) * (4 * (abs(amount) / 12) + LEAST(GREATEST(abs(amount) %% 12 - 4, 0), 4)),
               COALESCE(t2, 0),
               sign(amount) * (4 * (abs(amount) / 12) + LEAST(GREATEST(abs(amount) %% 12 - 8, 0), 4)),
               COALESCE(t3, 0)
        FROM lines LEFT JOIN spent ON spent.cost_line_id = lines.id"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, {"f": forbund.pk, "year": YEAR})
        return {row[0]: tuple((int(row[i]), int(row[i + 1])) for i in (1, 3, 5)) for row in cursor.fetchall()}


def _statistics_insatser(forbund):
    """The insatser the statistics page counts for the förbundschef: the year's, with a year row."""
    from apps.followup import selectors as followup_selectors
    from apps.insatser.selectors import insats_list

    with_year = set(followup_selectors.year_modes(forbund=forbund, year=YEAR))
    return [i for i in insats_list(forbund=forbund, year=YEAR) if i.pk in with_year]


def _statistics_figures(kon, steg, months) -> dict[str, Any]:
    """The compared figures without the empty ones (both sides leave out what is zero)."""
    return {
        "kon": {key: values for key, values in kon.items() if any(values)},
        "steg": {key: n for key, n in steg.items() if n},
        "months": {key: values for key, values in months.items() if any(values)},
    }


def _statistics_product(forbund) -> dict[str, Any]:
    """The counting the statistics page does for its default period (the year, all insatser):
    every count table of the period (new, active, ended by gender, the categories and the step
    table), last year's active participants and the months; compared on the gender counts, the
    step table and the months."""
    from apps.followup import statistics as st

    ids = [i.pk for i in _statistics_insatser(forbund)]
    span = st.span(YEAR, "hittills")
    tables = st.participant_tables(forbund=forbund, insats_ids=ids, s=span)
    st.active_counts(forbund=forbund, insats_ids=ids, s=st.span(YEAR - 1, "ar"))
    months = st.monthly_active(forbund=forbund, insats_ids=ids, year=YEAR)
    return _statistics_figures(
        {(i, kon): tuple(values) for i, t in tables.items() for kon, values in t["kon"].items()},
        {(i, key): n for i, t in tables.items() for key, n in t["steg"].items()},
        months,
    )


def _statistics_sql(forbund) -> dict[str, Any]:
    """One query for the same figures: gender counts per insats (records and antal), the start ×
    latest step table per insats, active per month by gender."""
    from apps.followup import statistics as st
    from apps.followup.models import Bedomning, Category, Deltagare, MonthlyCount, Rater, Step

    ids = [i.pk for i in _statistics_insatser(forbund)]
    span = st.span(YEAR, "hittills")
    d, c, b, m, step = (
        Deltagare._meta.db_table,
        Category._meta.db_table,
        Bedomning._meta.db_table,
        MonthlyCount._meta.db_table,
        Step._meta.db_table,
    )
    sql = f"""
        WITH counted AS (
            SELECT d.id, d.insats_id, d.kon, d.start_date, d.end_date
            FROM {d} d LEFT JOIN {c} c ON c.id = d.avslutsorsak_id
            WHERE d.forbund_id = %(f)s AND d.insats_id = ANY(%(ids)s)
              AND d.start_date <= %(end)s AND (d.end_date IS NULL OR d.end_date >= %(start)s)
              AND (c.id IS NULL OR NOT c.excluded)
        ), counts AS (
            SELECT insats_id, kon,
                   SUM(new) AS n_new,
                   SUM(active) FILTER (WHERE month = %(m1)s) AS first_active,
                   SUM(new) FILTER (WHERE month > %(m1)s) AS later_new,
                   SUM(ended) AS n_ended
            FROM {m}
            WHERE forbund_id = %(f)s AND insats_id = ANY(%(ids)s) AND year = %(year)s
              AND month BETWEEN %(m1)s AND %(m2)s
            GROUP BY insats_id, kon
        ), kon AS (
            SELECT insats_id, kon, SUM(n_new) AS n_new, SUM(n_active) AS n_active, SUM(n_ended) AS n_ended
            FROM (
                SELECT insats_id, kon,
                       COUNT(*) FILTER (WHERE start_date >= %(start)s) AS n_new,
                       COUNT(*) AS n_active,
                       COUNT(*) FILTER (WHERE end_date <= %(end)s) AS n_ended
                FROM counted GROUP BY insats_id, kon
                UNION ALL
                SELECT insats_id, kon, COALESCE(n_new, 0),
                       COALESCE(first_active, 0) + COALESCE(later_new, 0), COALESCE(n_ended, 0)
                FROM counts
            ) k GROUP BY insats_id, kon
        ), ends AS (
            SELECT b.deltagare_id,
                   (array_agg(b.step_id ORDER BY b.date))[1] AS first_id,
                   (array_agg(b.step_id ORDER BY b.date DESC))[1] AS latest_id
            FROM {b} b JOIN counted ON counted.id = b.deltagare_id
            WHERE b.rater = %(rater)s AND b.date <= %(end)s
            GROUP BY b.deltagare_id HAVING MAX(b.date) > MIN(b.date)
        ), months AS (
            SELECT kon, month, SUM(n) AS n FROM (
                SELECT counted.kon, g.month, COUNT(*) AS n
                FROM counted CROSS JOIN generate_series(1, 12) AS g(month)
                WHERE counted.start_date
                      <= (make_date(%(year)s, g.month, 1) + interval '1 month - 1 day')::date
                  AND (counted.end_date IS NULL OR counted.end_date >= make_date(%(year)s, g.month, 1))
                GROUP BY counted.kon, g.month
                UNION ALL
                SELECT kon, month, SUM(active) FROM {m}
                WHERE forbund_id = %(f)s AND insats_id = ANY(%(ids)s) AND year = %(year)s
                GROUP BY kon, month
            ) x GROUP BY kon, month
        )
        SELECT 'kon', insats_id, kon, n_new, n_active, n_ended FROM kon
        UNION ALL
        SELECT 'steg', counted.insats_id, sf.number || '-' || sl.number, COUNT(*), NULL, NULL
        FROM ends JOIN counted ON counted.id = ends.deltagare_id
        JOIN {step} sf ON sf.id = ends.first_id JOIN {step} sl ON sl.id = ends.latest_id
        GROUP BY counted.insats_id, sf.number, sl.number
        UNION ALL
        SELECT 'month', month, kon, n, NULL, NULL FROM months"""  # noqa: S608
    params = {
        "f": forbund.pk,
        "ids": ids,
        "start": span.start,
        "end": span.end,
        "m1": span.first_month,
        "m2": span.last_month,
        "year": YEAR,
        "rater": Rater.PERSONAL,
    }
    kon: dict = {}
    steg: dict = {}
    months: dict[str, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for part, key, label, first, second, third in cursor.fetchall():
            if part == "kon":
                kon[(key, label)] = (int(first), int(second), int(third))
            elif part == "steg":
                steg[(key, label)] = int(first)
            else:
                months.setdefault(label, [0] * 12)[key - 1] += int(first)
    return _statistics_figures(kon, steg, months)


def measure_aggregations(*, runs: int = 30) -> dict[str, Any]:
    """The follow-up selectors' time over one hand-written SQL query with the same figures."""
    from apps.tenancy.models import Forbund
    from apps.tenancy.scope import tenant_scope

    large = Forbund.objects.get(slug=LARGE)
    pairs = {
        "budget_followup": (_followup_product, _followup_sql),
        "followup_statistics": (_statistics_product, _statistics_sql),
    }
    result = {}
    with tenant_scope(large):
        for key, (product, hand) in pairs.items():
            figures = product(large)
            if figures != hand(large):
                raise AssertionError(f"{key}: produktens siffror skiljer sig från SQL-frågans")
            # Taken in turns, so that a busy moment on the machine falls on both sides alike.
            product_s, sql_s = _best_of_each(lambda p=product: p(large), lambda h=hand: h(large), runs)
            result[key] = {
                "product_ms": round(product_s * 1000, 2),
                "sql_ms": round(sql_s * 1000, 2),
                "ratio": round(product_s / sql_s, 2),
                "figures": len(figures),
            }
    return result


# --- PDF ----------------------------------------------------------------------------------


def pdf_documents() -> dict[str, tuple[str, str, int]]:
    """The documents to render: (kind, förbund slug, pk) for the 1× plan, the long plan and a report."""
    from apps.plans.models import PlanVersion
    from apps.tenancy.models import Forbund
    from apps.tenancy.scope import tenant_scope
    from apps.tertial.models import ReportVersion

    docs = {}
    for key, slug in (("plan_demo", ONE), ("plan_long", LARGE)):
        forbund = Forbund.objects.get(slug=slug)
        with tenant_scope(forbund):
            version = PlanVersion.objects.filter(forbund=forbund, plan__year=YEAR).order_by("-number").first()
            if version is not None:
                docs[key] = ("plan", slug, version.pk)
    forbund = Forbund.objects.get(slug=ONE)
    with tenant_scope(forbund):
        report = ReportVersion.objects.filter(forbund=forbund).order_by("pk").first()
        if report is not None:
            docs["tertial_report"] = ("tertial", ONE, report.pk)
    return docs


def render_pdf(kind: str, slug: str, pk: int) -> dict[str, Any]:
    """Render one document in this process: seconds and pages."""
    from apps.plans.models import PlanVersion
    from apps.reports import pdf
    from apps.tenancy.models import Forbund
    from apps.tenancy.scope import tenant_scope
    from apps.tertial.models import ReportVersion
    from apps.tertial.rendering import render_version_html

    forbund = Forbund.objects.get(slug=slug)
    with tenant_scope(forbund):
        start = time.perf_counter()
        if kind == "plan":
            rendered = pdf.version_pdf(version=PlanVersion.objects.select_related("plan").get(pk=pk))
        else:
            rendered = pdf.html_to_pdf(render_version_html(version=ReportVersion.objects.get(pk=pk)))
        seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 2), "pages": rendered.pages}


def measure_pdf(*, in_subprocess: bool = True, only: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Each document rendered once (a process of its own when ``in_subprocess``, for peak RSS)."""
    import resource

    result = {}
    for key, (kind, slug, pk) in pdf_documents().items():
        if only is not None and key not in only:
            continue
        if not in_subprocess:
            result[key] = render_pdf(kind, slug, pk) | {"peak_rss_mb": None}
            continue
        script = Path(__file__).resolve().parents[2] / "scripts" / "bench.py"
        done = subprocess.run(  # noqa: S603 (this interpreter, our script, ids from the database)
            [sys.executable, str(script), "--pdf-one", kind, slug, str(pk)],
            capture_output=True,
            text=True,
            check=True,
        )
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        # ru_maxrss of the children is the largest of them so far, so each child reports its own.
        figures["peak_rss_mb"] = figures.pop("own_rss_mb", None) or round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        )
        result[key] = figures
    return result


def run_all(
    *,
    runs: int = 30,
    pdf: bool = True,
    pdf_in_subprocess: bool = True,
    pdf_only: tuple[str, ...] | None = None,
    pages_only: tuple[str, ...] | None = None,
    aggregation: bool = True,
    built: Built | None = None,
) -> dict[str, Any]:
    """Every measurement as one JSON-ready dict."""
    from django.conf import settings

    out: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {"cores": _cores(), "python": sys.version.split()[0]},
        "database": settings.DATABASES["default"]["NAME"],
        "targets": TARGETS,
    }
    if built is not None:
        out["dataset"] = built.__dict__
    out["pages"] = measure_pages(runs=runs, only=pages_only)
    out["after_write"] = measure_after_write(runs=min(runs, 5)) if pages_only is None else {}
    out["aggregation"] = measure_aggregations() if aggregation else {}
    out["pdf"] = measure_pdf(in_subprocess=pdf_in_subprocess, only=pdf_only) if pdf else {}
    return out


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 0)


def _cell(value: Any) -> str:
    return "–" if value is None else str(value)


def table(figures: dict[str, Any]) -> str:
    """The figures as a plain-text table with the targets beside them."""
    lines = []
    if "dataset" in figures:
        d = figures["dataset"]
        lines.append(
            f"Data: {d['forbund']} förbund; störst: {d['insatser']} insatser, {d['delmal']} delmål, "
            f"{d['cost_lines']} budgetrader, {d['utfall_months']} månader utfall, "
            f"{d['participants']} deltagare, {d['assessments']} bedömningar; byggt på {d['seconds']:.0f} s"
        )
    header = f"{'1× med':>8} {'1× p95':>8} {'skala med':>10} {'skala p95':>10} {'frågor':>9}"
    lines.append(f"{'Sida/roll':38} {header}")
    for key, entry in figures["pages"].items():
        one, big = entry["1x"], entry["scale"]
        met = big["p95_ms"] is not None and big["p95_ms"] <= TARGETS["p95_ms"] and entry["queries_equal"]
        flag = "" if met else "  ← över mål"
        if "timeout_s" in big:
            flag = f"  ← avbruten efter {big['timeout_s']} s"
        if "error" in one or "error" in big:
            flag = f"  ← fel: {one.get('error') or big.get('error')}"
        cells = [_cell(one["median_ms"]), _cell(one["p95_ms"]), _cell(big["median_ms"]), _cell(big["p95_ms"])]
        lines.append(
            f"{key:38} {cells[0]:>8} {cells[1]:>8} {cells[2]:>10} {cells[3]:>10} "
            f"{_cell(one['queries']):>4}/{_cell(big['queries']):<4}{flag}"
        )
    lines.append(f"Mål: p95 ≤ {TARGETS['p95_ms']} ms i skala, lika många frågor vid 1× och i skala")
    after = dict(figures.get("after_write", {}))
    warming = after.pop("warming_ms", None)
    for key, entry in after.items():
        lines.append(
            f"Första begäran efter en skrivning, {key}: {entry['cold_ms']} ms, "
            f"efter uppvärmningen {entry['warmed_ms']} ms"
        )
    if warming is not None:
        lines.append(f"Uppvärmningen av det stora förbundet: {warming} ms")
    for key, entry in figures["aggregation"].items():
        lines.append(
            f"Aggregering {key}: {entry['product_ms']} ms mot SQL {entry['sql_ms']} ms, "
            f"kvot {entry['ratio']} (mål ≤ {TARGETS['aggregation_ratio']})"
        )
    for key, entry in figures.get("pdf", {}).items():
        lines.append(
            f"PDF {key}: {entry['seconds']} s, {entry['pages']} sidor, topp {entry['peak_rss_mb']} MB RSS"
        )
    if figures.get("pdf"):
        lines.append(
            f"Mål PDF: 20 sidor ≤ {TARGETS['pdf_20_pages_s']} s, 130 sidor ≤ {TARGETS['pdf_130_pages_s']} s, "
            f"topp ≤ {TARGETS['pdf_peak_rss_mb']} MB"
        )
    return "\n".join(lines)
