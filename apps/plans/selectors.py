"""Reads for starting a new plan year: what a year holds and what would be copied from it."""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from apps.goals.models import Delmal, Malomrade
from apps.insatser.models import InsatsStatus, InsatsYear
from apps.members.models import Styrelseledamot, Styrelsemote
from apps.tenancy import datacache
from apps.tenancy.models import Forbund

from . import datasections
from .models import Plan, PlanSection, PlanVersion, SectionComment, SectionKind, SignatureMode, VersionStatus

RUNNING_STATUSES = (InsatsStatus.BEVILJAD, InsatsStatus.PAGAENDE)


@dataclass
class YearCounts:
    """How many rows of each copied kind a year has."""

    malomraden: int = 0
    delmal: int = 0
    insats_years: int = 0
    meetings: int = 0

    @property
    def is_empty(self) -> bool:
        """True when the year has none of the copied kinds."""
        return not (self.malomraden or self.delmal or self.insats_years or self.meetings)


@dataclass
class YearPreview:
    """What year_start_next would copy from ``from_year``, and whether ``to_year`` is free."""

    from_year: int
    to_year: int
    source: YearCounts
    running_insats_years: int
    target: YearCounts
    continuing_seats: int
    expiring_seats: list[Styrelseledamot] = field(default_factory=list)


def data_years(*, forbund: Forbund) -> list[int]:
    """Every year with målområden, insats year rows or board meetings, newest first."""
    years: set[int] = set()
    years.update(Malomrade.objects.filter(forbund=forbund).values_list("year", flat=True).distinct())
    years.update(InsatsYear.objects.filter(forbund=forbund).values_list("year", flat=True).distinct())
    years.update(Styrelsemote.objects.filter(forbund=forbund).values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


def year_counts(*, forbund: Forbund, year: int) -> YearCounts:
    """The number of målområden, delmål, insats year rows and board meetings of a year."""
    return YearCounts(
        malomraden=Malomrade.objects.filter(forbund=forbund, year=year).count(),
        delmal=Delmal.objects.filter(forbund=forbund, malomrade__year=year).count(),
        insats_years=InsatsYear.objects.filter(forbund=forbund, year=year).count(),
        meetings=Styrelsemote.objects.filter(forbund=forbund, year=year).count(),
    )


def running_insats_years(*, forbund: Forbund, from_year: int) -> QuerySet[InsatsYear]:
    """Year rows of ``from_year`` of insatser still running on 1 January the year after."""
    next_start = datetime.date(from_year + 1, 1, 1)
    return (
        InsatsYear.objects.filter(
            forbund=forbund,
            year=from_year,
            insats__status__in=RUNNING_STATUSES,
        )
        .filter(
            Q(insats__long_term=True) | Q(insats__end_date__isnull=True) | Q(insats__end_date__gte=next_start)
        )
        .select_related("insats")
        .order_by("insats__name")
    )


def expiring_seats(*, forbund: Forbund, year: int) -> QuerySet[Styrelseledamot]:
    """Board seats whose mandate covers part of ``year`` and ends within it."""
    return (
        Styrelseledamot.objects.filter(
            forbund=forbund,
            mandate_start__lte=datetime.date(year, 12, 31),
            mandate_end__gte=datetime.date(year, 1, 1),
            mandate_end__lte=datetime.date(year, 12, 31),
        )
        .select_related("medlem")
        .order_by("mandate_end", "medlem__position", "medlem__name", "person_name")
    )


def continuing_seat_count(*, forbund: Forbund, year: int) -> int:
    """Board seats whose mandate covers ``year`` and goes on into the next year."""
    return Styrelseledamot.objects.filter(
        Q(mandate_start__isnull=True) | Q(mandate_start__lte=datetime.date(year, 12, 31)),
        Q(mandate_end__isnull=True) | Q(mandate_end__gte=datetime.date(year + 1, 1, 1)),
        forbund=forbund,
    ).count()


def year_preview(*, forbund: Forbund, from_year: int) -> YearPreview:
    """Everything the "start next year" page shows for ``from_year``, in a fixed number of queries."""
    return YearPreview(
        from_year=from_year,
        to_year=from_year + 1,
        source=year_counts(forbund=forbund, year=from_year),
        running_insats_years=running_insats_years(forbund=forbund, from_year=from_year).count(),
        target=year_counts(forbund=forbund, year=from_year + 1),
        continuing_seats=continuing_seat_count(forbund=forbund, year=from_year),
        expiring_seats=list(expiring_seats(forbund=forbund, year=from_year)),
    )


# --- The plan document ----------------------------------------------------------------------


@dataclass
class DocumentSection:
    """A section as the document template renders it: number, anchor and its data.

    Main sections are numbered 1, 2, ...; appendices (bilagor) on their own, "Bilaga 1", 2, ...
    """

    section: PlanSection
    number: int
    data: dict | None = None
    template_name: str = ""
    # The section's comments (prefetched), listed once so the template reads them as a list.
    comments: list[SectionComment] = field(default_factory=list)
    # Set by apps.plans.rendering.render_data_sections: the data section's HTML.
    html: str = ""
    # Set by the web page: the links of the section's tools (empty in the PDF).
    edit_url: str = ""
    comment_url: str = ""

    @property
    def is_appendix(self) -> bool:
        """True for a bilaga, printed after the signature page."""
        return self.section.is_appendix

    @property
    def label(self) -> str:
        """The printed number: "3", or "Bilaga 2" for an appendix."""
        return f"Bilaga {self.number}" if self.is_appendix else str(self.number)

    @property
    def anchor(self) -> str:
        """The id of the section's heading, for the table of contents."""
        return f"bilaga-{self.number}" if self.is_appendix else f"avsnitt-{self.number}"

    @property
    def is_data(self) -> bool:
        """True for a data section."""
        return self.section.kind == SectionKind.DATA


@dataclass
class SignatureLine:
    """One line to sign on the signature page: the name under it and what they sign as."""

    name: str
    detail: str = ""


@dataclass
class PlanDocument:
    """Everything plans/document.html needs to render one version (web page and PDF alike)."""

    forbund: Forbund
    plan: Plan
    version: PlanVersion
    sections: list[DocumentSection]
    appendices: list[DocumentSection] = field(default_factory=list)
    signature_lines: list[SignatureLine] = field(default_factory=list)

    @property
    def all_sections(self) -> list[DocumentSection]:
        """Main sections, then the appendices."""
        return [*self.sections, *self.appendices]


def _signers(organisation: dict | None) -> list[dict[str, str]]:
    """The ordinarie ledamöter from the organisation data (older frozen data has names only)."""
    if not organisation:
        return []
    if "signers" in organisation:
        return list(organisation["signers"])
    return [
        {"name": name, "medlem": row["medlem"], "chair": "", "role": ""}
        for row in organisation.get("styrelse", [])
        for name in row["ledamoter"]
    ]


def signature_lines(*, version: PlanVersion, organisation: dict | None) -> list[SignatureLine]:
    """Who signs, as the version's choice says: every ordinarie ledamot, or the chair and justerare.

    An electronically signed plan gets no lines (the page says it was signed electronically).
    """
    mode = version.signature_mode
    if mode == SignatureMode.ELEKTRONISK:
        return []
    signers = _signers(organisation)
    if mode == SignatureMode.JUSTERARE:
        chair = next((s for s in signers if s.get("chair") == "ordforande"), None)
        lines = [SignatureLine(chair["name"] if chair else "", "Ordförande")]
        lines += [SignatureLine(name, "Justerare") for name in version.justerare]
        return lines
    return [
        SignatureLine(s["name"], ", ".join(part for part in (s.get("role", ""), s["medlem"]) if part))
        for s in signers
    ]


def plan_list(*, forbund: Forbund, include_drafts: bool) -> list[Plan]:
    """The förbund's plans, newest year first, each with ``version_list`` (drafts only if allowed)."""
    versions = PlanVersion.objects.filter(forbund=forbund).order_by("-number")
    if not include_drafts:
        versions = versions.filter(status=VersionStatus.FASTSTALLD)
    return list(
        Plan.objects.filter(forbund=forbund)
        .order_by("-year")
        .prefetch_related(Prefetch("versions", queryset=versions, to_attr="version_list"))
    )


def version_queryset(*, forbund: Forbund) -> QuerySet[PlanVersion]:
    """Versions with their plan, for looking one up by public id.

    The version it revises comes along for its number and link; its frozen data sections (a few
    hundred kilobytes of JSON for a large plan) load only if read (the comparison)."""
    return (
        PlanVersion.objects.filter(forbund=forbund)
        .select_related("plan__forbund", "based_on")
        .defer("based_on__frozen_data")
    )


def section_queryset(*, forbund: Forbund) -> QuerySet[PlanSection]:
    """Sections with their version and plan, for looking one up by public id."""
    return PlanSection.objects.filter(forbund=forbund).select_related("version__plan")


def comment_queryset(*, forbund: Forbund) -> QuerySet[SectionComment]:
    """Comments with their section, version and plan, for looking one up by public id."""
    return SectionComment.objects.filter(forbund=forbund).select_related("section__version__plan")


def version_sections(*, version: PlanVersion, with_comments: bool = True) -> QuerySet[PlanSection]:
    """A version's sections in order, each with its comments and their authors (unless not wanted)."""
    sections = PlanSection.objects.filter(forbund_id=version.forbund_id, version=version).order_by(
        "position", "id"
    )
    if not with_comments:
        return sections
    comments = SectionComment.objects.filter(forbund_id=version.forbund_id).select_related(
        "author", "answered_by"
    )
    return sections.prefetch_related(Prefetch("comments", queryset=comments))


def section_data(*, version: PlanVersion, data_key: str, token: str | None = None) -> dict | None:
    """A data section's content: frozen JSON for a fastställd version, else live from the registry.

    Live content is cached under the förbund's data version (``apps.tenancy.datacache``): any
    write to the förbund's rows gives a new key. It is the same for every reader; it depends on
    the date (results so far), which is in the key.
    ``token`` is the förbund's data version when the caller has read it already.
    """
    if version.is_frozen:
        return (version.frozen_data or {}).get(data_key)
    forbund, year = version.plan.forbund, version.plan.year
    return datacache.remember(
        forbund,
        f"plan-data:{data_key}",
        (year, timezone.localdate().isoformat()),
        lambda: datasections.render_data(data_key, forbund, year),
        version=token,
    )


def version_document(*, version: PlanVersion, with_comments: bool | None = None) -> PlanDocument:
    """The whole version ready to render; a fastställd one reads no live data at all.

    Remiss comments are read for a version that can still have them shown (not fastställd), or
    as ``with_comments`` says (the PDF shows none). Data shown twice is read once, and the data
    sections share their reads (datasections.shared_reads).
    """
    if with_comments is None:
        with_comments = not version.is_frozen
    sections: list[DocumentSection] = []
    appendices: list[DocumentSection] = []
    live_cache: dict[str, dict | None] = {}
    token: str | None = None  # the förbund's data version, read once for all live sections
    with datasections.shared_reads():
        for section in version_sections(version=version, with_comments=with_comments):
            target = appendices if section.is_appendix else sections
            item = DocumentSection(
                section=section,
                number=len(target) + 1,
                comments=list(section.comments.all()) if with_comments else [],
            )
            if section.kind == SectionKind.DATA:
                if section.data_key not in live_cache:
                    if token is None and not version.is_frozen:
                        token = datacache.data_version(version.plan.forbund) or ""
                    live_cache[section.data_key] = section_data(
                        version=version, data_key=section.data_key, token=token or None
                    )
                item.data = live_cache[section.data_key]
                item.template_name = (
                    datasections.template_for(section.data_key)
                    if item.data is not None
                    else datasections.MISSING_TEMPLATE
                )
            target.append(item)
        if version.signature_mode == SignatureMode.ELEKTRONISK:
            organisation = None
        elif "organisation" in live_cache:
            organisation = live_cache["organisation"]
        else:
            # The signature page needs the board even when no section shows it.
            organisation = section_data(version=version, data_key="organisation")
    return PlanDocument(
        forbund=version.plan.forbund,
        plan=version.plan,
        version=version,
        sections=sections,
        appendices=appendices,
        signature_lines=signature_lines(version=version, organisation=organisation),
    )


def previous_version(*, version: PlanVersion) -> PlanVersion | None:
    """The version this one is compared with: the one it revises, else the number before."""
    if version.based_on_id:
        return version.based_on
    return (
        PlanVersion.objects.filter(
            forbund_id=version.forbund_id, plan_id=version.plan_id, number__lt=version.number
        )
        .select_related("plan")
        .order_by("-number")
        .first()
    )


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
# Readable names for the keys of the built-in data sections; containers that add nothing are skipped.
FIGURE_LABELS = {
    "budget_amount": "budget (kr)",
    "financed_fte": "heltidstjänster",
    "budgeted_volume": "budgeterad volym",
    "budget_total": "summa budget (kr)",
    "fte_total": "summa heltidstjänster",
    "meetings_per_year": "möten per år",
    "number": "nummer",
}
_SKIPPED_KEYS = {
    "groups",
    "rows",
    "malomraden",
    "delmal",
    "organ",
    "moten",
    "styrelse",
    "medlemmar",
    "signers",
}
# Keys whose numbers repeat others (the figure rows of insatser) or are not figures at all.
_IGNORED_KEYS = {"figure_rows", "not_shown", "year"}


def flatten_figures(value, path: str = "") -> dict[str, str]:
    """Every number in a data section's JSON keyed by a readable path (list items by their name)."""
    figures: dict[str, str] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("name", "title", "label") or key in _IGNORED_KEYS:
                continue
            label = FIGURE_LABELS.get(key) or key
            if key in _SKIPPED_KEYS:
                figures.update(flatten_figures(item, path))
            else:
                figures.update(flatten_figures(item, f"{path} › {label}" if path else label))
    elif isinstance(value, list):
        for index, item in enumerate(value, start=1):
            name = index
            if isinstance(item, dict):
                name = item.get("name") or item.get("label") or item.get("title") or index
            figures.update(flatten_figures(item, f"{path} › {name}" if path else str(name)))
    elif isinstance(value, bool) or value is None:
        pass
    elif isinstance(value, int) or (isinstance(value, str) and _NUMBER.match(value)):
        figures[path] = str(value)
    return figures


@dataclass
class SectionChange:
    """How one section differs between two versions."""

    status: str  # added, removed, renamed, changed, unchanged
    title: str
    old_title: str = ""
    diff: list[tuple[str, str]] = field(default_factory=list)
    figures: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        """The change in Swedish."""
        return {
            "added": "Nytt avsnitt",
            "removed": "Borttaget avsnitt",
            "renamed": "Ny rubrik",
            "changed": "Ändrat",
            "unchanged": "Oförändrat",
        }[self.status]


def _text_diff(old: str, new: str) -> list[tuple[str, str]]:
    lines = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        op, text = line[:2], line[2:]
        if op == "+ ":
            lines.append(("added", text))
        elif op == "- ":
            lines.append(("removed", text))
    return lines


def _figure_changes(old: dict | None, new: dict | None) -> list[tuple[str, str, str]]:
    before, after = flatten_figures(old or {}), flatten_figures(new or {})
    changes = []
    for path in list(dict.fromkeys([*before, *after])):
        if before.get(path) != after.get(path):
            changes.append((path, before.get(path, "–"), after.get(path, "–")))
    return changes


def version_compare(*, version: PlanVersion, previous: PlanVersion) -> list[SectionChange]:
    """Section by section what changed from ``previous`` to ``version``: titles, text and figures."""
    old_sections = {s.section_key: s for s in version_sections(version=previous)}
    changes: list[SectionChange] = []
    data_cache: dict[tuple[int, str], dict | None] = {}

    def data(v: PlanVersion, key: str):
        if (v.pk, key) not in data_cache:
            data_cache[(v.pk, key)] = section_data(version=v, data_key=key)
        return data_cache[(v.pk, key)]

    for section in version_sections(version=version):
        old = old_sections.pop(section.section_key, None)
        if old is None:
            changes.append(SectionChange(status="added", title=section.title))
            continue
        change = SectionChange(status="unchanged", title=section.title)
        if old.title != section.title:
            change.status, change.old_title = "renamed", old.title
        change.diff = _text_diff(old.body_markdown, section.body_markdown)
        if section.kind == SectionKind.DATA and section.data_key:
            change.figures = _figure_changes(data(previous, old.data_key), data(version, section.data_key))
        if change.status == "unchanged" and (change.diff or change.figures):
            change.status = "changed"
        changes.append(change)
    for old in old_sections.values():
        changes.append(SectionChange(status="removed", title=old.title))
    return changes
