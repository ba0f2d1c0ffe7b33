"""Writes of tertial reports: drafts, their content, sending, comments, approval and återremiss.

Rules (tested in tests/tertial/test_services.py):
* One report per förbund, year and tertial; it starts as version 1, utkast. A period that has
  not begun cannot be reported on.
* While a version is utkast the kansli edits the summary and the delmål assessments, and the
  insats' staff or the kansli write insatsrapporter. Everything refuses a version that is sent.
* Sending (utkast -> skickad) needs a status on every delmål (proposed or set); it freezes the
  whole content as JSON and tells the board by e-mail.
* Board members comment per section only while the version is skickad; the kansli answers.
* The board approves a skickad version with the meeting's date and paragraph (the meeting
  chosen from its year plan, or the date entered), or returns it (återremiss) with a comment,
  which makes a new utkast (number + 1) with the same summary, assessments and insatsrapporter.
  Only one open version per report.
* Who may do each step is decided by the abilities (apps/tenancy/abilities.py) in the views;
  ``may_write_insats_report`` adds the per-insats grant of plattformspersonal.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from apps.goals.models import Delmal
from apps.insatser.models import Insats
from apps.insatser.selectors import insats_list_for_staff
from apps.plans.markdown import render_markdown
from apps.tenancy.audit import audited_by
from apps.tenancy.models import Forbund

from . import content, notify
from .models import (
    TERTIALS,
    CommentStatus,
    EventAction,
    GoalAssessment,
    GoalStatus,
    InsatsReport,
    ReportComment,
    ReportEvent,
    ReportVersion,
    Section,
    TertialReport,
    VersionStatus,
)

FROZEN_MESSAGE = "Rapporten är skickad till styrelsen och kan inte ändras."


def _refuse_frozen(version: ReportVersion) -> None:
    if version.status != VersionStatus.UTKAST:
        raise ValidationError(FROZEN_MESSAGE)


def _lock(version: ReportVersion) -> None:
    """Lock the version's row and reload it, so two concurrent steps cannot both pass the state check."""
    ReportVersion.objects.select_for_update().filter(pk=version.pk).values_list("pk").first()
    version.refresh_from_db()


def _event(version: ReportVersion, action: str, actor, note: str = "") -> None:
    ReportEvent.objects.create(
        forbund_id=version.forbund_id, version=version, action=action, actor=actor, note=note
    )


def tertial_start(year: int, tertial: int) -> datetime.date:
    """The first day of the tertial."""
    return datetime.date(year, TERTIALS[tertial][2] - 3, 1)


def report_create(
    *,
    forbund: Forbund,
    actor,
    year: int,
    tertial: int,
    today: datetime.date | None = None,
    auto: bool = False,
) -> TertialReport:
    """Create the period's report with version 1 as utkast (a period not yet begun is refused)."""
    today = today or timezone.localdate()
    if tertial not in TERTIALS:
        raise ValidationError({"tertial": "Välj T1, T2 eller T3."})
    if tertial_start(year, tertial) > today:
        name = TERTIALS[tertial][0]
        message = f"{name} {year} har inte börjat ännu. Skapa rapporten när perioden har börjat."
        raise ValidationError({"tertial": message})
    with transaction.atomic(), audited_by(actor):
        report = TertialReport(forbund=forbund, year=year, tertial=tertial)
        report.full_clean()
        report.save()
        version = ReportVersion(forbund=forbund, report=report, number=1)
        version.full_clean()
        version.save()
        _event(version, EventAction.CREATED_AUTO if auto else EventAction.CREATED, actor)
    return report


def report_ensure_draft(
    *, forbund: Forbund, year: int, tertial: int, today: datetime.date | None = None
) -> tuple[TertialReport, bool]:
    """The period's report, created as a draft when missing (idempotent: safe to run twice)."""
    existing = TertialReport.objects.filter(forbund=forbund, year=year, tertial=tertial).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return report_create(
                forbund=forbund, actor=None, year=year, tertial=tertial, today=today, auto=True
            ), True
    except (IntegrityError, ValidationError):
        # Created concurrently (a second beat or a person): that one is the report.
        existing = TertialReport.objects.filter(forbund=forbund, year=year, tertial=tertial).first()
        if existing is None:
            raise
        return existing, False


def summary_update(*, version: ReportVersion, actor, summary_markdown: str) -> ReportVersion:
    """Store the förbundschef's summary as Markdown and sanitised HTML (the plan's editor)."""
    with transaction.atomic(), audited_by(actor):
        _refuse_frozen(version)
        version.summary_markdown = summary_markdown
        version.summary_html = render_markdown(summary_markdown)
        version.full_clean()
        version.save(update_fields=["summary_markdown", "summary_html", "updated_at"])
    return version


def assessment_set(
    *, version: ReportVersion, actor, delmal: Delmal, status: str = "", value=None, comment: str = ""
) -> GoalAssessment:
    """The kansli's status (blank keeps the proposal), value and comment for a delmål of the report's year."""
    with transaction.atomic(), audited_by(actor):
        _refuse_frozen(version)
        if delmal.forbund_id != version.forbund_id or delmal.malomrade.year != version.report.year:
            raise ValidationError({"delmal": "Delmålet hör inte till rapportens år."})
        if status and status not in GoalStatus.values:
            raise ValidationError({"status": "Välj en status i listan."})
        if delmal.is_computed and value is not None:
            raise ValidationError({"value": "Värdet beräknas av systemet för det här delmålet."})
        assessment = GoalAssessment.objects.filter(version=version, delmal=delmal).first() or GoalAssessment(
            forbund_id=version.forbund_id, version=version, delmal=delmal
        )
        assessment.status = status
        assessment.value = value
        assessment.comment = comment.strip()
        assessment.full_clean()
        assessment.save()
    return assessment


def assessments_save(*, version: ReportVersion, actor, items: list[dict]) -> None:
    """Save the assessments of several delmål at once: all or none (each item as ``assessment_set``)."""
    with transaction.atomic():
        for item in items:
            assessment_set(version=version, actor=actor, **item)


def may_write_insats_report(*, forbund: Forbund, user, abilities: dict, insats: Insats) -> bool:
    """The kansli may write any insatsrapport; plattformspersonal only for insatser they are granted."""
    if abilities.get("report_edit", False):
        return True
    if abilities.get("participants_log", False):
        return insats_list_for_staff(forbund=forbund, user=user).filter(pk=insats.pk).exists()
    return False


def insats_report_save(*, version: ReportVersion, actor, insats: Insats, text: str) -> InsatsReport | None:
    """Write (or with empty text remove) the insatsrapport of an insats in a draft."""
    with transaction.atomic(), audited_by(actor):
        _refuse_frozen(version)
        if insats.forbund_id != version.forbund_id:
            raise ValidationError({"insats": "Insatsen hör inte till förbundet."})
        existing = InsatsReport.objects.filter(version=version, insats=insats).first()
        if not text.strip():
            if existing is not None:
                existing.delete()
            return None
        row = existing or InsatsReport(forbund_id=version.forbund_id, version=version, insats=insats)
        row.text = text.strip()
        row.written_by = actor
        row.full_clean()
        row.save()
    return row


def version_send(*, version: ReportVersion, actor, notify_board: bool = True) -> ReportVersion:
    """Send a draft to the board: freeze its content as JSON and e-mail the board members.

    ``notify_board=False`` is for history recorded afterwards (the demo), where no one is to be told.
    """
    with transaction.atomic(), audited_by(actor):
        _lock(version)
        if version.status != VersionStatus.UTKAST:
            raise ValidationError("Bara ett utkast kan skickas till styrelsen.")
        data = content.report_content(version=version)
        lacking = content.missing(data)["without_status"]
        if lacking:
            raise ValidationError(
                "Ange status för alla delmål innan rapporten skickas. "
                f"Status saknas för {', '.join(lacking)}."
            )
        version.frozen_data = data
        version.frozen_at = timezone.now()
        version.status = VersionStatus.SKICKAD
        version.full_clean()
        version.save()
        _event(version, EventAction.SENT, actor)
        if notify_board:
            transaction.on_commit(lambda: notify.report_sent(version=version))
    return version


def comment_create(*, version: ReportVersion, actor, section: str, text: str) -> ReportComment:
    """A board member's comment on a section of a version sent to the board."""
    with transaction.atomic(), audited_by(actor):
        if version.status != VersionStatus.SKICKAD:
            raise ValidationError("Synpunkter kan bara lämnas medan rapporten ligger hos styrelsen.")
        if section not in Section.values:
            raise ValidationError({"section": "Välj ett avsnitt i listan."})
        comment = ReportComment(
            forbund_id=version.forbund_id, version=version, section=section, author=actor, text=text.strip()
        )
        comment.full_clean()
        comment.save()
        _event(version, EventAction.COMMENTED, actor, Section(section).label)
    return comment


def comment_answer(*, comment: ReportComment, actor, answer: str) -> ReportComment:
    """The kansli answers a board member's comment while the version is with the board."""
    with transaction.atomic(), audited_by(actor):
        if comment.version.status != VersionStatus.SKICKAD:
            raise ValidationError("Synpunkter kan bara besvaras medan rapporten ligger hos styrelsen.")
        if not answer.strip():
            raise ValidationError({"answer": "Skriv ett svar."})
        comment.answer = answer.strip()
        comment.answered_by = actor
        comment.answered_at = timezone.now()
        comment.status = CommentStatus.ANSWERED
        comment.full_clean()
        comment.save()
        _event(comment.version, EventAction.ANSWERED, actor, comment.get_section_display())
    return comment


def _decision(version: ReportVersion, *, decided_on, decision_paragraph: str, meeting) -> None:
    if meeting is not None:
        if meeting.forbund_id != version.forbund_id:
            raise ValidationError({"meeting": "Välj ett möte i förbundets årsplanering."})
        decided_on = decided_on or meeting.date
    if decided_on is None:
        raise ValidationError({"decided_on": "Ange mötets datum eller välj ett möte med datum."})
    if not decision_paragraph.strip():
        raise ValidationError({"decision_paragraph": "Ange paragrafen i protokollet, till exempel § 12."})
    version.decided_on = decided_on
    version.decision_paragraph = decision_paragraph.strip()
    version.meeting = meeting


def version_approve(
    *, version: ReportVersion, actor, decided_on=None, decision_paragraph: str = "", meeting=None
) -> ReportVersion:
    """Record the board's approval of a sent version with the meeting's date and paragraph."""
    with transaction.atomic(), audited_by(actor):
        _lock(version)
        if version.status != VersionStatus.SKICKAD:
            raise ValidationError("Bara en rapport som ligger hos styrelsen kan godkännas.")
        _decision(version, decided_on=decided_on, decision_paragraph=decision_paragraph, meeting=meeting)
        version.status = VersionStatus.GODKAND
        version.full_clean()
        version.save()
        _event(
            version,
            EventAction.APPROVED,
            actor,
            f"{version.decided_on:%Y-%m-%d} {version.decision_paragraph}",
        )
    return version


def version_return(
    *,
    version: ReportVersion,
    actor,
    comment: str,
    decided_on=None,
    decision_paragraph: str = "",
    meeting=None,
) -> ReportVersion:
    """Record återremiss of a sent version with a comment; returns the new utkast (number + 1)."""
    with transaction.atomic(), audited_by(actor):
        _lock(version)
        if version.status != VersionStatus.SKICKAD:
            raise ValidationError("Bara en rapport som ligger hos styrelsen kan återremitteras.")
        if not comment.strip():
            raise ValidationError({"return_comment": "Skriv varför rapporten återremitteras."})
        if decided_on or decision_paragraph.strip() or meeting:
            _decision(version, decided_on=decided_on, decision_paragraph=decision_paragraph, meeting=meeting)
        version.status = VersionStatus.ATERREMITTERAD
        version.return_comment = comment.strip()
        version.full_clean()
        version.save()
        _event(version, EventAction.RETURNED, actor, version.return_comment)
        new = _redraft(version, actor)
    return new


def _redraft(version: ReportVersion, actor) -> ReportVersion:
    siblings = ReportVersion.objects.filter(report_id=version.report_id).select_for_update()
    if siblings.filter(status=VersionStatus.UTKAST).exists():
        raise ValidationError("Det finns redan ett utkast under arbete.")
    number = siblings.aggregate(m=Max("number"))["m"] + 1
    new = ReportVersion(
        forbund_id=version.forbund_id,
        report_id=version.report_id,
        number=number,
        based_on=version,
        summary_markdown=version.summary_markdown,
        summary_html=version.summary_html,
    )
    new.full_clean()
    new.save()
    GoalAssessment.objects.bulk_create(
        [
            GoalAssessment(
                forbund_id=a.forbund_id,
                version=new,
                delmal_id=a.delmal_id,
                status=a.status,
                value=a.value,
                comment=a.comment,
            )
            for a in GoalAssessment.objects.filter(version=version)
        ]
    )
    InsatsReport.objects.bulk_create(
        [
            InsatsReport(
                forbund_id=r.forbund_id,
                version=new,
                insats_id=r.insats_id,
                text=r.text,
                written_by_id=r.written_by_id,
            )
            for r in InsatsReport.objects.filter(version=version)
        ]
    )
    _event(new, EventAction.REDRAFTED, actor, f"Version {version.number} återremitterades.")
    return new
