"""Start year N+1 from year N: copy the plan's yearly content so the förbundschef can edit it.

Rules (decided here, tested in tests/plans/test_services.py):

* Målområden of ``from_year`` are copied to ``to_year = from_year + 1`` with the same numbers,
  titles and descriptions; each delmål is copied with the same number, text, indicator, target,
  follow-up and insats link. A delmål's baseline (basår and värde) is kept as is: it is a
  historical fact, and a target such as "öka jämfört med 2022" still means the same next year.
* "Running" insatser are those with status beviljad or pågående that are long-term, have no end
  date, or end on or after 1 January of ``to_year``. Their year row of ``from_year`` (budget,
  FTE, volume, samverkansavtal parties and amount) is copied to ``to_year``; the avtal dates are
  shifted one year where set, and the signed date is cleared because a new agreement must be
  signed. Insatser that are not running, and running ones without a row for ``from_year``, get
  no row.
* The board is continuous through its mandate period, so no seat is copied (copying would
  duplicate people). Seats whose mandate covers ``from_year`` but ends before ``to_year`` are
  not prolonged: they are listed in the summary as "mandat som löper ut" for the förbundschef.
* Styrelsemöten of ``from_year`` are copied to ``to_year``: a date is shifted one year (29
  February becomes 28 February), a month-only meeting keeps its month. In the planned items,
  every free-standing four-digit year from ``from_year - 1`` to ``from_year + 3`` is bumped by
  one ("Verksamhetsplan och budget 2027" becomes "... 2028", "årsredovisning 2025" becomes
  "... 2026"); other years (e.g. "lag (2003:1210)") are left alone. Meetings whose text changed
  are listed in the summary so the förbundschef can check them.
* The copy refuses (Swedish ValidationError naming what exists, nothing written) when
  ``to_year`` already has målområden, year rows of insatser or board meetings, and when
  ``from_year`` has nothing to copy.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.goals import services as goals_services
from apps.goals.models import Delmal, Malomrade
from apps.goals.services import DELMAL_FIELDS
from apps.insatser import services as insatser_services
from apps.members import services as members_services
from apps.members.models import Styrelseledamot, Styrelsemote
from apps.tenancy.audit import audited_by
from apps.tenancy.models import Forbund

from . import datasections, selectors
from .markdown import render_markdown
from .models import (
    CommentStatus,
    Plan,
    PlanSection,
    PlanVersion,
    SectionComment,
    SectionKind,
    VersionStatus,
)

YEAR_COPY_FIELDS = ("budget_amount", "financed_fte", "budgeted_volume", "avtal_parties", "avtal_amount")
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(\d{4})(?!\d)")


@dataclass
class YearCopySummary:
    """What year_start_next copied, and what the förbundschef should look at afterwards."""

    from_year: int
    to_year: int
    malomraden: int = 0
    delmal: int = 0
    insats_years: int = 0
    meetings: int = 0
    meetings_with_changed_years: list[Styrelsemote] = field(default_factory=list)
    expiring_seats: list[Styrelseledamot] = field(default_factory=list)

    @property
    def message(self) -> str:
        """A Swedish one-paragraph summary for the success message."""
        text = (
            f"År {self.to_year} är startat från {self.from_year}: {self.malomraden} målområden, "
            f"{self.delmal} delmål, {self.insats_years} insatsår och {self.meetings} styrelsemöten "
            "har kopierats."
        )
        if self.meetings_with_changed_years:
            text += (
                f" Årtalen i ärendena för {len(self.meetings_with_changed_years)} styrelsemöten "
                "har räknats upp ett år; kontrollera dem."
            )
        if self.expiring_seats:
            names = ", ".join(seat.person_name for seat in self.expiring_seats)
            text += f" Mandat som löper ut {self.from_year}: {names}."
        return text


def shift_date(value: datetime.date | None, years: int = 1) -> datetime.date | None:
    """The same day ``years`` later; 29 February becomes 28 February in a non-leap year."""
    if value is None:
        return None
    try:
        return value.replace(year=value.year + years)
    except ValueError:
        return value.replace(year=value.year + years, day=28)


def bump_years_in_text(text: str, *, from_year: int) -> str:
    """Add one to every free-standing year from ``from_year - 1`` to ``from_year + 3``."""

    def bump(match: re.Match) -> str:
        year = int(match.group(1))
        return str(year + 1) if from_year - 1 <= year <= from_year + 3 else match.group(1)

    return _YEAR_IN_TEXT.sub(bump, text)


def _refuse_if_taken(*, forbund: Forbund, to_year: int) -> None:
    existing = selectors.year_counts(forbund=forbund, year=to_year)
    found = []
    if existing.malomraden:
        found.append(f"{existing.malomraden} målområden")
    if existing.insats_years:
        found.append(f"{existing.insats_years} insatsår")
    if existing.meetings:
        found.append(f"{existing.meetings} styrelsemöten")
    if found:
        raise ValidationError(
            f"År {to_year} har redan {', '.join(found)}. Ingenting har kopierats; "
            f"ta bort det som finns för {to_year} eller ändra det direkt."
        )


def year_start_next(*, forbund: Forbund, actor, from_year: int) -> YearCopySummary:
    """Copy målområden, delmål, running insatser's year rows and board meetings to the next year."""
    to_year = from_year + 1
    summary = YearCopySummary(from_year=from_year, to_year=to_year)
    with transaction.atomic(), audited_by(actor):
        _refuse_if_taken(forbund=forbund, to_year=to_year)
        source = selectors.year_counts(forbund=forbund, year=from_year)
        if not (source.malomraden or source.insats_years or source.meetings):
            raise ValidationError(f"Det finns inget att kopiera från {from_year}.")

        delmal_by_malomrade: dict[int, list[Delmal]] = {}
        for delmal in Delmal.objects.filter(forbund=forbund, malomrade__year=from_year).order_by("number"):
            delmal_by_malomrade.setdefault(delmal.malomrade_id, []).append(delmal)
        for old in Malomrade.objects.filter(forbund=forbund, year=from_year).order_by("number"):
            new = goals_services.malomrade_create(
                forbund=forbund,
                actor=actor,
                year=to_year,
                number=old.number,
                title=old.title,
                description=old.description,
            )
            summary.malomraden += 1
            for delmal in delmal_by_malomrade.get(old.pk, []):
                fields = {name: getattr(delmal, name) for name in DELMAL_FIELDS - {"number", "text"}}
                goals_services.delmal_create(
                    malomrade=new, actor=actor, number=delmal.number, text=delmal.text, **fields
                )
                summary.delmal += 1

        for row in selectors.running_insats_years(forbund=forbund, from_year=from_year):
            insatser_services.insats_year_create(
                forbund=forbund,
                actor=actor,
                insats=row.insats,
                year=to_year,
                avtal_start=shift_date(row.avtal_start),
                avtal_end=shift_date(row.avtal_end),
                avtal_signed_date=None,
                **{name: getattr(row, name) for name in YEAR_COPY_FIELDS},
            )
            summary.insats_years += 1

        for mote in Styrelsemote.objects.filter(forbund=forbund, year=from_year).order_by("month", "date"):
            items = bump_years_in_text(mote.items, from_year=from_year)
            new_mote = members_services.styrelsemote_create(
                forbund=forbund,
                actor=actor,
                year=to_year,
                date=shift_date(mote.date),
                month=mote.month,
                items=items,
            )
            summary.meetings += 1
            if items != mote.items:
                summary.meetings_with_changed_years.append(new_mote)

        summary.expiring_seats = list(selectors.expiring_seats(forbund=forbund, year=from_year))
    return summary


# --- The plan document: sections, remiss, adoption and revision -----------------------------
#
# Rules (tested in tests/plans/test_document_services.py):
# * A version moves utkast -> på remiss -> fastställd. Adoption is allowed from på remiss only:
#   the lifecycle sends every plan to medlemssamrådet before the board adopts it.
# * Sections may be edited, added, moved and removed while the version is utkast or på remiss
#   (the kansli revises the text in answer to remiss comments); a fastställd version refuses.
# * Comments are taken only while the version is på remiss.
# * Revising makes version max + 1 as utkast from a fastställd version, copying every section
#   with its section_key; the old version is untouched. Only one open (not fastställd) version
#   per plan at a time.

FROZEN_MESSAGE = "Versionen är fastställd och kan inte ändras. Gör en revidering för att ändra planen."

# (title, data_key or "") of a new plan; the förbund renames, reorders, adds and removes.
TEMPLATE_SECTIONS: list[tuple[str, str]] = [
    ("Bakgrund och ändamål", ""),
    ("Organisation", "organisation"),
    ("Värdegrund och vision", ""),
    ("Målgrupp", ""),
    ("Prioriterade behovsgrupper", ""),
    ("Målområden och delmål", "mal"),
    ("Insatser", "insatser"),
    ("Uppföljning och utvärdering", ""),
    ("Risk och internkontroll", ""),
    ("Styrelsens årsplanering", "arsplanering"),
    ("Budget", "budget"),
    ("Långtidsbudget", "langtidsbudget"),
]


def _refuse_frozen(version: PlanVersion) -> None:
    if version.status == VersionStatus.FASTSTALLD:
        raise ValidationError(FROZEN_MESSAGE)


def plan_create(*, forbund: Forbund, actor, year: int) -> Plan:
    """Create the year's plan with version 1 as utkast, holding the template sections."""
    with transaction.atomic(), audited_by(actor):
        plan = Plan(forbund=forbund, year=year)
        plan.full_clean()
        plan.save()
        version = PlanVersion(forbund=forbund, plan=plan, number=1)
        version.full_clean()
        version.save()
        PlanSection.objects.bulk_create(
            [
                PlanSection(
                    forbund=forbund,
                    version=version,
                    position=position,
                    kind=SectionKind.DATA if key else SectionKind.NARRATIVE,
                    data_key=key,
                    title=title,
                )
                for position, (title, key) in enumerate(TEMPLATE_SECTIONS)
            ]
        )
    return plan


def section_create(
    *, version: PlanVersion, actor, title: str, data_key: str = "", body_markdown: str = ""
) -> PlanSection:
    """Add a narrative section (or a data section when ``data_key`` is given) last in the version."""
    with transaction.atomic(), audited_by(actor):
        _refuse_frozen(version)
        last = PlanSection.objects.filter(version=version).aggregate(m=Max("position"))["m"]
        section = PlanSection(
            forbund_id=version.forbund_id,
            version=version,
            position=0 if last is None else last + 1,
            kind=SectionKind.DATA if data_key else SectionKind.NARRATIVE,
            data_key=data_key,
            title=title,
            body_markdown="" if data_key else body_markdown,
            body_html="" if data_key else render_markdown(body_markdown),
        )
        section.full_clean()
        section.save()
    return section


def section_update(*, section: PlanSection, actor, title: str, body_markdown: str = "") -> PlanSection:
    """Rename a section and, for a narrative one, store its Markdown and sanitised HTML."""
    with transaction.atomic(), audited_by(actor):
        _refuse_frozen(section.version)
        section.title = title
        if section.kind == SectionKind.NARRATIVE:
            section.body_markdown = body_markdown
            section.body_html = render_markdown(body_markdown)
        section.full_clean()
        section.save()
    return section


def section_move(*, section: PlanSection, actor, up: bool) -> None:
    """Move a section one step up or down in its version."""
    with transaction.atomic(), audited_by(actor):
        _refuse_frozen(section.version)
        ordered = list(
            PlanSection.objects.filter(version_id=section.version_id)
            .select_for_update()
            .order_by("position", "id")
        )
        index = next(i for i, s in enumerate(ordered) if s.pk == section.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(ordered):
            ordered[index], ordered[other] = ordered[other], ordered[index]
        changed = []
        for position, s in enumerate(ordered):
            if s.position != position:
                s.position = position
                changed.append(s)
        PlanSection.objects.bulk_update(changed, ["position"])


def section_delete(*, section: PlanSection, actor) -> None:
    """Remove a section (and its comments) from a version that is not fastställd."""
    with transaction.atomic(), audited_by(actor):
        _refuse_frozen(section.version)
        section.delete()


def version_send_to_remiss(*, version: PlanVersion, actor) -> PlanVersion:
    """Send an utkast på remiss to the medlemssamråd: members may now comment per section."""
    with transaction.atomic(), audited_by(actor):
        if version.status != VersionStatus.UTKAST:
            raise ValidationError("Bara ett utkast kan skickas på remiss.")
        version.status = VersionStatus.PA_REMISS
        version.save(update_fields=["status", "updated_at"])
    return version


def freeze_data(*, version: PlanVersion) -> dict:
    """Every data section's live content keyed by data_key (None when the key is unregistered)."""
    keys = PlanSection.objects.filter(version=version, kind=SectionKind.DATA).values_list(
        "data_key", flat=True
    )
    forbund = version.plan.forbund
    return {key: datasections.render_data(key, forbund, version.plan.year) for key in dict.fromkeys(keys)}


def version_adopt(
    *, version: PlanVersion, actor, adopted_on, decision_paragraph: str, adopted_by: str = "styrelsen"
) -> PlanVersion:
    """Adopt a version på remiss: record the decision and freeze every data section as JSON."""
    with transaction.atomic(), audited_by(actor):
        _refuse_frozen(version)
        if version.status != VersionStatus.PA_REMISS:
            raise ValidationError("Planen måste ha varit på remiss innan den kan fastställas.")
        if adopted_on is None:
            raise ValidationError({"adopted_on": "Ange datum för styrelsens beslut."})
        version.status = VersionStatus.FASTSTALLD
        version.adopted_on = adopted_on
        version.decision_paragraph = decision_paragraph
        version.adopted_by = adopted_by
        version.frozen_at = timezone.now()
        version.frozen_data = freeze_data(version=version)
        version.full_clean()
        version.save()
    return version


def version_revise(*, version: PlanVersion, actor) -> PlanVersion:
    """Start a revision: a new utkast (number + 1) copying the sections of a fastställd version."""
    with transaction.atomic(), audited_by(actor):
        if version.status != VersionStatus.FASTSTALLD:
            raise ValidationError("Bara en fastställd version kan revideras.")
        siblings = PlanVersion.objects.filter(plan_id=version.plan_id).select_for_update()
        if siblings.exclude(status=VersionStatus.FASTSTALLD).exists():
            raise ValidationError("Det finns redan en version under arbete. Arbeta vidare i den.")
        number = siblings.aggregate(m=Max("number"))["m"] + 1
        new = PlanVersion(
            forbund_id=version.forbund_id, plan_id=version.plan_id, number=number, based_on=version
        )
        new.full_clean()
        new.save()
        PlanSection.objects.bulk_create(
            [
                PlanSection(
                    forbund_id=s.forbund_id,
                    version=new,
                    section_key=s.section_key,
                    position=s.position,
                    kind=s.kind,
                    data_key=s.data_key,
                    title=s.title,
                    body_markdown=s.body_markdown,
                    body_html=s.body_html,
                )
                for s in PlanSection.objects.filter(version=version).order_by("position", "id")
            ]
        )
    return new


def comment_create(*, section: PlanSection, actor, text: str) -> SectionComment:
    """A member's comment on a section of a version på remiss."""
    with transaction.atomic(), audited_by(actor):
        if section.version.status != VersionStatus.PA_REMISS:
            raise ValidationError("Synpunkter kan bara lämnas medan planen är på remiss.")
        comment = SectionComment(forbund_id=section.forbund_id, section=section, author=actor, text=text)
        comment.full_clean()
        comment.save()
    return comment


def comment_answer(*, comment: SectionComment, actor, answer: str, resolve: bool = False) -> SectionComment:
    """The kansli answers a comment, or marks it resolved (an answer is then optional)."""
    with transaction.atomic(), audited_by(actor):
        _refuse_frozen(comment.section.version)
        if not answer.strip() and not resolve:
            raise ValidationError({"answer": "Skriv ett svar eller markera synpunkten som åtgärdad."})
        comment.answer = answer
        comment.answered_by = actor
        comment.status = CommentStatus.RESOLVED if resolve else CommentStatus.ANSWERED
        comment.full_clean()
        comment.save()
    return comment
