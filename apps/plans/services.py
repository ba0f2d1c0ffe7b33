"""The plan document: sections, remiss, adoption and revision.

Rules (tested in tests/plans/test_document_services.py):
* A version moves utkast -> på remiss -> fastställd. Adoption is allowed from på remiss only:
  the issue's lifecycle sends every plan to medlemssamrådet before the board adopts it.
* Sections may be edited, added, moved and removed while the version is utkast or på remiss
  (the kansli revises the text in answer to remiss comments); a fastställd version refuses.
* Comments are taken only while the version is på remiss.
* Revising makes version max + 1 as utkast from a fastställd version, copying every section
  with its section_key; the old version is untouched. Only one open (not fastställd) version
  per plan at a time.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.core.services import check_same_forbund, move, move_to
from apps.tenancy.audit import audited_by
from apps.tenancy.models import Forbund

from . import datasections
from .markdown import render_markdown
from .models import (
    CommentStatus,
    Plan,
    PlanSection,
    PlanVersion,
    SectionComment,
    SectionKind,
    SignatureMode,
    VersionStatus,
)

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


def plan_create(
    *, forbund: Forbund, actor, year: int, period_start: int | None = None, period_end: int | None = None
) -> Plan:
    """Create the year's plan with version 1 as utkast, holding the template sections.

    A multi-year plan gives its period (2018–2020); ``year`` is then the year it is updated for.
    """
    with transaction.atomic(), audited_by(actor):
        plan = Plan(forbund=forbund, year=year, period_start=period_start, period_end=period_end)
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


def plan_set_period(
    *, forbund: Forbund, actor, plan: Plan, period_start: int | None, period_end: int | None
) -> Plan:
    """Set (or clear) the years a plan covers; the cover then reads "Verksamhetsplan 2018–2020"."""
    check_same_forbund(forbund, plan=plan)
    before = (plan.period_start, plan.period_end)
    with transaction.atomic(), audited_by(actor):
        plan.period_start, plan.period_end = period_start, period_end
        try:
            plan.full_clean()
        except ValidationError:
            # A refused period must not show as the plan's title on the page that reports it.
            plan.period_start, plan.period_end = before
            raise
        plan.save(update_fields=["period_start", "period_end", "updated_at"])
    return plan


def version_set_signatures(
    *,
    forbund: Forbund,
    actor,
    version: PlanVersion,
    signature_mode: str,
    justerare_1: str = "",
    justerare_2: str = "",
) -> PlanVersion:
    """Choose who signs the version: all ordinarie ledamöter, the chair with justerare, or e-signing."""
    check_same_forbund(forbund, version=version)
    with transaction.atomic(), audited_by(actor):
        _refuse_frozen(version)
        version.signature_mode = signature_mode
        version.justerare_1 = (justerare_1 or "").strip()
        version.justerare_2 = (justerare_2 or "").strip()
        if version.signature_mode != SignatureMode.JUSTERARE:
            version.justerare_1 = version.justerare_2 = ""
        version.full_clean()
        version.save(update_fields=["signature_mode", "justerare_1", "justerare_2", "updated_at"])
    return version


def section_create(
    *,
    forbund: Forbund,
    actor,
    version: PlanVersion,
    title: str,
    data_key: str = "",
    body_markdown: str = "",
    is_appendix: bool = False,
) -> PlanSection:
    """Add a narrative section (or a data section when ``data_key`` is given) last in the version."""
    check_same_forbund(forbund, version=version)
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
            is_appendix=is_appendix,
            body_markdown="" if data_key else body_markdown,
            body_html="" if data_key else render_markdown(body_markdown),
        )
        section.full_clean()
        section.save()
    return section


def section_update(
    *,
    forbund: Forbund,
    actor,
    section: PlanSection,
    title: str,
    body_markdown: str = "",
    is_appendix: bool | None = None,
) -> PlanSection:
    """Rename a section and, for a narrative one, store its Markdown and sanitised HTML."""
    check_same_forbund(forbund, section=section)
    with transaction.atomic(), audited_by(actor):
        _refuse_frozen(section.version)
        section.title = title
        if is_appendix is not None:
            section.is_appendix = is_appendix
        if section.kind == SectionKind.NARRATIVE:
            section.body_markdown = body_markdown
            section.body_html = render_markdown(body_markdown)
        section.full_clean()
        section.save()
    return section


def section_move(*, forbund: Forbund, actor, section: PlanSection, up: bool) -> bool:
    """Move a section one step up or down in its version; False at either end."""
    check_same_forbund(forbund, section=section)
    with transaction.atomic(), audited_by(actor):
        _refuse_frozen(section.version)
        siblings = PlanSection.objects.filter(forbund=forbund, version_id=section.version_id)
        return move(siblings.order_by("position", "id"), section, up=up)


def section_move_to(*, forbund: Forbund, actor, section: PlanSection, position: int) -> None:
    """Move a section to place ``position`` (1 = first) in its version in one step."""
    check_same_forbund(forbund, section=section)
    with transaction.atomic(), audited_by(actor):
        _refuse_frozen(section.version)
        siblings = PlanSection.objects.filter(forbund=forbund, version_id=section.version_id)
        move_to(siblings.order_by("position", "id"), section, position=position)


def section_delete(*, forbund: Forbund, actor, section: PlanSection) -> None:
    """Remove a section (and its comments) from a version that is not fastställd."""
    check_same_forbund(forbund, section=section)
    with transaction.atomic(), audited_by(actor):
        _refuse_frozen(section.version)
        section.delete()


def version_send_to_remiss(*, forbund: Forbund, actor, version: PlanVersion) -> PlanVersion:
    """Send an utkast på remiss to the medlemssamråd: members may now comment per section."""
    check_same_forbund(forbund, version=version)
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
    # The board is frozen too even when no section shows it: the signature page names it.
    wanted = dict.fromkeys([*keys, "organisation"])
    return {key: datasections.render_data(key, forbund, version.plan.year) for key in wanted}


def version_adopt(
    *,
    forbund: Forbund,
    actor,
    version: PlanVersion,
    adopted_on,
    decision_paragraph: str,
    adopted_by: str = "styrelsen",
) -> PlanVersion:
    """Adopt a version på remiss: record the decision and freeze every data section as JSON."""
    check_same_forbund(forbund, version=version)
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


def version_revise(*, forbund: Forbund, actor, version: PlanVersion) -> PlanVersion:
    """Start a revision: a new utkast (number + 1) copying the sections of a fastställd version."""
    check_same_forbund(forbund, version=version)
    with transaction.atomic(), audited_by(actor):
        if version.status != VersionStatus.FASTSTALLD:
            raise ValidationError("Bara en fastställd version kan revideras.")
        siblings = PlanVersion.objects.filter(plan_id=version.plan_id).select_for_update()
        if siblings.exclude(status=VersionStatus.FASTSTALLD).exists():
            raise ValidationError("Det finns redan en version under arbete. Arbeta vidare i den.")
        number = siblings.aggregate(m=Max("number"))["m"] + 1
        new = PlanVersion(
            forbund_id=version.forbund_id,
            plan_id=version.plan_id,
            number=number,
            based_on=version,
            signature_mode=version.signature_mode,
            justerare_1=version.justerare_1,
            justerare_2=version.justerare_2,
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
                    is_appendix=s.is_appendix,
                    body_markdown=s.body_markdown,
                    body_html=s.body_html,
                )
                for s in PlanSection.objects.filter(version=version).order_by("position", "id")
            ]
        )
    return new


def comment_create(*, forbund: Forbund, actor, section: PlanSection, text: str) -> SectionComment:
    """A member's comment on a section of a version på remiss."""
    check_same_forbund(forbund, section=section)
    with transaction.atomic(), audited_by(actor):
        if section.version.status != VersionStatus.PA_REMISS:
            raise ValidationError("Synpunkter kan bara lämnas medan planen är på remiss.")
        comment = SectionComment(forbund_id=section.forbund_id, section=section, author=actor, text=text)
        comment.full_clean()
        comment.save()
    return comment


def comment_answer(
    *, forbund: Forbund, actor, comment: SectionComment, answer: str, resolve: bool = False
) -> SectionComment:
    """The kansli answers a comment, or marks it resolved (an answer is then optional)."""
    check_same_forbund(forbund, comment=comment)
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
