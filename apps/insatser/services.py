"""Writes of insatser, their year rows, status and staff grants: validated, atomic, audited."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError

from apps.core.services import assign_fields, check_same_forbund, move
from apps.members.models import Medlem
from apps.tenancy.audit import audited_by
from apps.tenancy.models import Forbund, Membership, Role

from .models import (
    Insats,
    InsatsMedpart,
    InsatsSettings,
    InsatsStatus,
    InsatsUserObjectPermission,
    InsatsYear,
    Plattform,
)
from .selectors import insats_settings

S = InsatsStatus

# status -> the statuses it may move to
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.ASKANDE: (S.BEREDNING,),
    S.BEREDNING: (S.BEVILJAD, S.AVSLAG),
    S.BEVILJAD: (S.PAGAENDE,),
    S.PAGAENDE: (S.AVSLUTAD,),
}
# Transitions that record the board's decision (date and paragraph of the minutes).
DECISIONS = frozenset({S.BEVILJAD, S.AVSLAG})

STAFF_PERMISSION = "log_participants"


# What a user describes an insats with, in the order the form shows it (medparter are a
# separate argument: the M2M rows are written by the service).
INSATS_DESCRIPTION_FIELDS = (
    "name",
    "kind",
    "verksamhetsagare",
    "verksamhetsagare_annan",
    "ovriga_medparter",
    "plattform",
    "description",
    "malgrupp",
    "start_date",
    "end_date",
    "long_term",
    "period_volume",
    "external_financing",
    "external_financing_amount",
    "contact_name",
    "contact_email",
    "has_implementation_plan",
    "has_risk_analysis",
)
# Status and the board's decision change only through insats_transition (a new insats may start
# in a later status, as an import or the demo does).
INSATS_UPDATE_FIELDS = frozenset(INSATS_DESCRIPTION_FIELDS)
INSATS_FIELDS = INSATS_UPDATE_FIELDS | {"status", "decision_date", "decision_paragraph"}
# A year row of an insats, in the order the form shows it.
INSATS_YEAR_FIELDS = (
    "year",
    "budget_amount",
    "financed_fte",
    "budgeted_volume",
    "avtal_parties",
    "avtal_start",
    "avtal_end",
    "avtal_amount",
    "avtal_signed_date",
)
PLATTFORM_FIELDS = frozenset({"name", "description"})


def _set_medparter(*, forbund: Forbund, insats: Insats, medparter: Iterable[Medlem]) -> None:
    wanted = {m.pk: m for m in medparter}
    check_same_forbund(forbund, medparter=list(wanted.values()))
    InsatsMedpart.objects.filter(forbund=forbund, insats=insats).exclude(medlem_id__in=wanted).delete()
    existing = set(
        InsatsMedpart.objects.filter(forbund=forbund, insats=insats).values_list("medlem_id", flat=True)
    )
    for pk, medlem in wanted.items():
        if pk not in existing:
            row = InsatsMedpart(forbund=forbund, insats=insats, medlem=medlem)
            row.full_clean()
            row.save()


def plattform_upsert(*, forbund: Forbund, actor, name: str, **fields) -> Plattform:
    """Create the plattform with this name in the förbund, or update its fields."""
    with transaction.atomic(), audited_by(actor):
        plattform = Plattform.objects.filter(forbund=forbund, name=name).first() or Plattform(
            forbund=forbund, name=name
        )
        assign_fields(plattform, fields, allowed=PLATTFORM_FIELDS)
        plattform.full_clean()
        plattform.save()
    return plattform


def _check_plattform_name_free(*, forbund: Forbund, name: str, exclude_pk=None) -> None:
    taken = Plattform.objects.filter(forbund=forbund, name__iexact=(name or "").strip())
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if name and taken.exists():
        raise ValidationError({"name": f"Det finns redan en plattform som heter {name.strip()}."})


def plattform_create(*, forbund: Forbund, actor, name: str, description: str = "") -> Plattform:
    """Create a plattform in the förbund; the name must be free."""
    with transaction.atomic(), audited_by(actor):
        plattform = Plattform(forbund=forbund, name=(name or "").strip(), description=description)
        _check_plattform_name_free(forbund=forbund, name=plattform.name)
        plattform.full_clean()
        plattform.save()
    return plattform


def plattform_update(*, forbund: Forbund, actor, plattform: Plattform, **fields) -> Plattform:
    """Change a plattform's name or description; the name must stay free."""
    check_same_forbund(forbund, plattform=plattform)
    if fields.get("name"):
        fields["name"] = fields["name"].strip()
    with transaction.atomic(), audited_by(actor):
        assign_fields(plattform, fields, allowed=PLATTFORM_FIELDS)
        _check_plattform_name_free(forbund=forbund, name=plattform.name, exclude_pk=plattform.pk)
        plattform.full_clean()
        plattform.save()
    return plattform


def plattform_delete(*, forbund: Forbund, actor, plattform: Plattform) -> None:
    """Delete a plattform; its insatser stay but lose the grouping."""
    check_same_forbund(forbund, plattform=plattform)
    with transaction.atomic(), audited_by(actor):
        plattform.delete()


def forbund_set_grant_requirement(*, forbund: Forbund, actor, required: bool) -> Forbund:
    """Set whether an insats needs a genomförandeplan and riskanalys before it is granted."""
    with transaction.atomic(), audited_by(actor):
        forbund.require_plan_before_grant = bool(required)
        forbund.full_clean()
        forbund.save(update_fields=["require_plan_before_grant", "updated_at"])
    return forbund


def insats_settings_set(*, forbund: Forbund, actor, numbers_paragraphs: bool) -> InsatsSettings:
    """Set whether the förbund numbers the paragraphs of its minutes (then a grant needs one)."""
    with transaction.atomic(), audited_by(actor):
        row = InsatsSettings.objects.filter(forbund=forbund).first() or InsatsSettings(forbund=forbund)
        row.numbers_paragraphs = bool(numbers_paragraphs)
        row.full_clean()
        row.save()
    return row


def _next_position(*, forbund: Forbund, kind: str) -> int:
    """The position after the last insats of this kind in the förbund (0 when none)."""
    last = Insats.objects.filter(forbund=forbund, kind=kind).aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def insats_create(*, forbund: Forbund, actor, medparter: Iterable[Medlem] = (), **fields) -> Insats:
    """Create an insats (status äskande unless given) with its medparter, last in its kind."""
    # The order is the service's: a position given (an import column, a form) is ignored.
    fields.pop("position", None)
    check_same_forbund(
        forbund, verksamhetsagare=fields.get("verksamhetsagare"), plattform=fields.get("plattform")
    )
    with transaction.atomic(), audited_by(actor):
        insats = Insats(forbund=forbund)
        assign_fields(insats, fields, allowed=INSATS_FIELDS)
        insats.position = _next_position(forbund=forbund, kind=insats.kind)
        insats.full_clean()
        insats.save()
        _set_medparter(forbund=forbund, insats=insats, medparter=medparter)
    return insats


def insats_update(
    *, forbund: Forbund, actor, insats: Insats, medparter: Iterable[Medlem] | None = None, **fields
) -> Insats:
    """Change an insats's descriptive fields (status changes go through insats_transition)."""
    fields.pop("status", None)
    fields.pop("position", None)
    check_same_forbund(
        forbund,
        insats=insats,
        verksamhetsagare=fields.get("verksamhetsagare"),
        plattform=fields.get("plattform"),
    )
    with transaction.atomic(), audited_by(actor):
        # Read the stored kind: a ModelForm has already copied the new one onto the instance.
        old_kind = Insats.objects.filter(pk=insats.pk).values_list("kind", flat=True).first()
        assign_fields(insats, fields, allowed=INSATS_UPDATE_FIELDS)
        if insats.kind != old_kind:
            insats.position = _next_position(forbund=forbund, kind=insats.kind)
        insats.full_clean()
        insats.save()
        if medparter is not None:
            _set_medparter(forbund=forbund, insats=insats, medparter=medparter)
    return insats


def insats_move(*, forbund: Forbund, actor, insats: Insats, up: bool) -> bool:
    """Move an insats one step up or down among the förbund's insatser of the same kind."""
    check_same_forbund(forbund, insats=insats)
    with transaction.atomic(), audited_by(actor):
        siblings = Insats.objects.filter(forbund=forbund, kind=insats.kind).order_by("position", "name", "pk")
        return move(siblings, insats, up=up)


def insats_delete(*, forbund: Forbund, actor, insats: Insats) -> None:
    """Delete an insats with its year rows, medparter and staff grants; refused while a
    delmål (insatsspecifikt mål) still belongs to it."""
    check_same_forbund(forbund, insats=insats)
    try:
        with transaction.atomic(), audited_by(actor):
            insats.delete()
    except ProtectedError as exc:
        uses = Counter(str(obj._meta.verbose_name_plural) for obj in exc.protected_objects)
        detail = ", ".join(f"{kind} ({count})" for kind, count in sorted(uses.items()))
        raise ValidationError(
            f"Insatsen {insats.name} kan inte tas bort eftersom den används av: {detail}. "
            "Ta bort eller ändra dem först."
        ) from exc


def insats_allowed_transitions(*, insats: Insats) -> tuple[str, ...]:
    """The statuses this insats may move to next."""
    return TRANSITIONS.get(insats.status, ())


def insats_transition(
    *,
    forbund: Forbund,
    actor,
    insats: Insats,
    to: str,
    decision_date: datetime.date | None = None,
    decision_paragraph: str = "",
) -> Insats:
    """Move an insats to the next status; a grant or refusal needs the board's decision."""
    check_same_forbund(forbund, insats=insats)
    current = InsatsStatus(insats.status)
    if to not in InsatsStatus.values or to not in TRANSITIONS.get(current, ()):
        wanted = InsatsStatus(to).label if to in InsatsStatus.values else to
        raise ValidationError(
            {"to": f"En insats med status {current.label.lower()} kan inte få status {wanted.lower()}."}
        )
    errors: dict[str, list[str]] = {}
    if to in DECISIONS and decision_date is None:
        errors["decision_date"] = ["Ange datum för styrelsens beslut."]
    # Not every förbund numbers the paragraphs of its minutes; the one that does must give it.
    if (
        to == S.BEVILJAD
        and not (decision_paragraph or "").strip()
        and insats_settings(forbund=forbund).numbers_paragraphs
    ):
        errors["decision_paragraph"] = ["Ange paragrafen i protokollet, till exempel § 12."]
    if to == S.BEVILJAD and forbund.require_plan_before_grant:
        missing = []
        if not insats.has_implementation_plan:
            missing.append("Genomförandeplan saknas.")
        if not insats.has_risk_analysis:
            missing.append("Riskanalys saknas.")
        if missing:
            errors["to"] = [
                "Förbundet kräver genomförandeplan och riskanalys innan en insats beviljas.",
                *missing,
            ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), audited_by(actor):
        insats.status = to
        if to in DECISIONS:
            insats.decision_date = decision_date
            insats.decision_paragraph = (decision_paragraph or "").strip()
        insats.full_clean()
        insats.save()
    return insats


def _check_year_free(*, forbund: Forbund, insats: Insats, year, exclude_pk=None) -> None:
    taken = InsatsYear.objects.filter(forbund=forbund, insats=insats, year=year)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if year is not None and taken.exists():
        raise ValidationError({"year": f"Insatsen har redan en rad för år {year}."})


def insats_year_create(*, forbund: Forbund, actor, insats: Insats, **fields) -> InsatsYear:
    """Add a year row (budget, FTE, volume, samverkansavtal) to an insats."""
    check_same_forbund(forbund, insats=insats)
    with transaction.atomic(), audited_by(actor):
        insats_year = InsatsYear(forbund=forbund, insats=insats)
        assign_fields(insats_year, fields, allowed=INSATS_YEAR_FIELDS)
        _check_year_free(forbund=forbund, insats=insats, year=insats_year.year)
        insats_year.full_clean()
        insats_year.save()
    return insats_year


def insats_year_update(*, forbund: Forbund, actor, insats_year: InsatsYear, **fields) -> InsatsYear:
    """Change a year row of an insats."""
    check_same_forbund(forbund, insats_year=insats_year)
    with transaction.atomic(), audited_by(actor):
        assign_fields(insats_year, fields, allowed=INSATS_YEAR_FIELDS)
        _check_year_free(
            forbund=forbund, insats=insats_year.insats, year=insats_year.year, exclude_pk=insats_year.pk
        )
        insats_year.full_clean()
        insats_year.save()
    return insats_year


def insats_year_delete(*, forbund: Forbund, actor, insats_year: InsatsYear) -> None:
    """Delete a year row of an insats."""
    check_same_forbund(forbund, insats_year=insats_year)
    with transaction.atomic(), audited_by(actor):
        insats_year.delete()


def _staff_permission() -> Permission:
    return Permission.objects.get(
        codename=STAFF_PERMISSION, content_type=ContentType.objects.get_for_model(Insats)
    )


def insats_assign_staff(*, forbund: Forbund, actor, insats: Insats, user) -> InsatsUserObjectPermission:
    """Let a plattformspersonal user of the förbund log participants in this insats."""
    check_same_forbund(forbund, insats=insats)
    is_staff = Membership.objects.filter(forbund=forbund, user=user, role=Role.PLATTFORM).exists()
    if not is_staff:
        raise ValidationError({"user": "Användaren är inte plattformspersonal i förbundet."})
    with transaction.atomic(), audited_by(actor):
        grant, _ = InsatsUserObjectPermission.objects.get_or_create(
            forbund=forbund, user=user, permission=_staff_permission(), content_object=insats
        )
    return grant


def insats_unassign_staff(*, forbund: Forbund, actor, insats: Insats, user) -> None:
    """Take away a user's grant to log participants in this insats."""
    check_same_forbund(forbund, insats=insats)
    with transaction.atomic(), audited_by(actor):
        InsatsUserObjectPermission.objects.filter(
            forbund=forbund, user=user, content_object=insats, permission__codename=STAFF_PERMISSION
        ).delete()
