"""Writes of members, board, bodies and year plan: validated, in a transaction, audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError, RestrictedError

from apps.core.services import assign_fields, check_same_forbund, move
from apps.tenancy.audit import audited_by
from apps.tenancy.models import Forbund

from .models import ChairRole, Medlem, Organ, OrganMedlem, Styrelseledamot, Styrelsemote

MEDLEM_FIELDS = frozenset({"name", "kind", "population", "population_date", "share_percent", "position"})
STYRELSELEDAMOT_FIELDS = frozenset(
    {"person_name", "medlem", "seat", "chair_role", "mandate_start", "mandate_end"}
)
ORGAN_FIELDS = frozenset({"kind", "name", "purpose", "meetings_per_year"})
ORGAN_MEDLEM_FIELDS = frozenset({"person_name", "medlem", "role"})
STYRELSEMOTE_FIELDS = frozenset({"year", "date", "month", "items"})


def _delete_or_refuse(obj, message: str) -> None:
    """Delete ``obj``; a PROTECT/RESTRICT reference becomes a Swedish ValidationError."""
    try:
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise ValidationError(message) from exc


def _next_position(queryset) -> int:
    last = queryset.aggregate(m=Max("position"))["m"]
    return 0 if last is None else last + 1


def _save(obj, fields: dict, allowed, *checks) -> None:
    """Assign the allowed fields, validate (model, then the service's own checks) and save."""
    assign_fields(obj, fields, allowed=allowed)
    obj.full_clean()
    for check in checks:
        check(obj)
    obj.save()


# --- Medlemmar ------------------------------------------------------------------------


def medlem_upsert(*, forbund: Forbund, actor, name: str, **fields) -> Medlem:
    """Create the member with this name in the förbund, or update its fields."""
    with transaction.atomic(), audited_by(actor):
        medlem = Medlem.objects.filter(forbund=forbund, name=name).first() or Medlem(
            forbund=forbund, name=name
        )
        _save(medlem, fields, MEDLEM_FIELDS)
    return medlem


def medlem_create(*, forbund: Forbund, actor, **fields) -> Medlem:
    """Add a new member last in the förbund's order."""
    with transaction.atomic(), audited_by(actor):
        medlem = Medlem(forbund=forbund, position=_next_position(Medlem.objects.filter(forbund=forbund)))
        _save(medlem, fields, MEDLEM_FIELDS - {"position"})
    return medlem


def medlem_update(*, forbund: Forbund, actor, medlem: Medlem, **fields) -> Medlem:
    """Change a member's fields."""
    check_same_forbund(forbund, medlem=medlem)
    with transaction.atomic(), audited_by(actor):
        _save(medlem, fields, MEDLEM_FIELDS)
    return medlem


def medlem_delete(*, forbund: Forbund, actor, medlem: Medlem) -> None:
    """Delete a member, refusing when a board seat, body or insats still refers to it."""
    check_same_forbund(forbund, medlem=medlem)
    with transaction.atomic(), audited_by(actor):
        _delete_or_refuse(
            medlem,
            f"{medlem.name} kan inte tas bort eftersom medlemmen används på andra ställen "
            "(till exempel i styrelsen, ett organ eller en insats). Ta bort de kopplingarna först.",
        )


def medlem_move(*, forbund: Forbund, actor, medlem: Medlem, up: bool) -> bool:
    """Move a member one step up or down in the printed order; False at either end."""
    check_same_forbund(forbund, medlem=medlem)
    with transaction.atomic(), audited_by(actor):
        return move(Medlem.objects.filter(forbund=forbund).order_by("position", "name"), medlem, up=up)


# --- Styrelse -------------------------------------------------------------------------


def _check_single_chair(styrelseledamot: Styrelseledamot) -> None:
    """At most one ordförande and one vice ordförande with overlapping mandates."""
    # Without both dates the overlap is unknown (plans often give no mandate period): no check.
    if not styrelseledamot.chair_role or not styrelseledamot.mandate_start or not styrelseledamot.mandate_end:
        return
    clash = (
        Styrelseledamot.objects.filter(
            forbund_id=styrelseledamot.forbund_id,
            chair_role=styrelseledamot.chair_role,
            mandate_start__lte=styrelseledamot.mandate_end,
            mandate_end__gte=styrelseledamot.mandate_start,
        )
        .exclude(pk=styrelseledamot.pk)
        .first()
    )
    if clash is not None:
        title = ChairRole(styrelseledamot.chair_role).label.lower()
        raise ValidationError(
            {
                "chair_role": f"{clash.person_name} är redan {title} under samma mandatperiod. "
                "Det kan bara finnas en."
            }
        )


def styrelseledamot_create(*, forbund: Forbund, actor, **fields) -> Styrelseledamot:
    """Add a board seat."""
    check_same_forbund(forbund, medlem=fields.get("medlem"))
    with transaction.atomic(), audited_by(actor):
        styrelseledamot = Styrelseledamot(forbund=forbund)
        _save(styrelseledamot, fields, STYRELSELEDAMOT_FIELDS, _check_single_chair)
    return styrelseledamot


def styrelseledamot_update(
    *, forbund: Forbund, actor, styrelseledamot: Styrelseledamot, **fields
) -> Styrelseledamot:
    """Change a board seat."""
    check_same_forbund(forbund, styrelseledamot=styrelseledamot, medlem=fields.get("medlem"))
    with transaction.atomic(), audited_by(actor):
        _save(styrelseledamot, fields, STYRELSELEDAMOT_FIELDS, _check_single_chair)
    return styrelseledamot


def styrelseledamot_delete(*, forbund: Forbund, actor, styrelseledamot: Styrelseledamot) -> None:
    """Remove a board seat."""
    check_same_forbund(forbund, styrelseledamot=styrelseledamot)
    with transaction.atomic(), audited_by(actor):
        styrelseledamot.delete()


# --- Andra organ ----------------------------------------------------------------------


def organ_create(*, forbund: Forbund, actor, **fields) -> Organ:
    """Add a body last in the förbund's order."""
    with transaction.atomic(), audited_by(actor):
        organ = Organ(forbund=forbund, position=_next_position(Organ.objects.filter(forbund=forbund)))
        _save(organ, fields, ORGAN_FIELDS)
    return organ


def organ_update(*, forbund: Forbund, actor, organ: Organ, **fields) -> Organ:
    """Change a body."""
    check_same_forbund(forbund, organ=organ)
    with transaction.atomic(), audited_by(actor):
        _save(organ, fields, ORGAN_FIELDS)
    return organ


def organ_move(*, forbund: Forbund, actor, organ: Organ, up: bool) -> bool:
    """Move a body one step up or down in the förbund's order (the plan prints this order)."""
    check_same_forbund(forbund, organ=organ)
    with transaction.atomic(), audited_by(actor):
        return move(Organ.objects.filter(forbund=forbund).order_by("position", "name"), organ, up=up)


def organ_delete(*, forbund: Forbund, actor, organ: Organ) -> None:
    """Delete a body with its member list."""
    check_same_forbund(forbund, organ=organ)
    with transaction.atomic(), audited_by(actor):
        _delete_or_refuse(organ, f"{organ.name} kan inte tas bort eftersom organet används på andra ställen.")


def organ_medlem_add(*, forbund: Forbund, actor, organ: Organ, **fields) -> OrganMedlem:
    """Add a person to a body."""
    check_same_forbund(forbund, organ=organ, medlem=fields.get("medlem"))
    with transaction.atomic(), audited_by(actor):
        organ_medlem = OrganMedlem(forbund=forbund, organ=organ)
        _save(organ_medlem, fields, ORGAN_MEDLEM_FIELDS)
    return organ_medlem


def organ_medlem_update(*, forbund: Forbund, actor, organ_medlem: OrganMedlem, **fields) -> OrganMedlem:
    """Change a person in a body: name, the member represented, role."""
    check_same_forbund(forbund, organ_medlem=organ_medlem, medlem=fields.get("medlem"))
    with transaction.atomic(), audited_by(actor):
        _save(organ_medlem, fields, ORGAN_MEDLEM_FIELDS)
    return organ_medlem


def organ_medlem_remove(*, forbund: Forbund, actor, organ_medlem: OrganMedlem) -> None:
    """Remove a person from a body."""
    check_same_forbund(forbund, organ_medlem=organ_medlem)
    with transaction.atomic(), audited_by(actor):
        organ_medlem.delete()


# --- Styrelsens årsplanering ----------------------------------------------------------


def styrelsemote_create(*, forbund: Forbund, actor, **fields) -> Styrelsemote:
    """Add a board meeting to the year plan."""
    with transaction.atomic(), audited_by(actor):
        styrelsemote = Styrelsemote(forbund=forbund)
        _save(styrelsemote, fields, STYRELSEMOTE_FIELDS)
    return styrelsemote


def styrelsemote_update(*, forbund: Forbund, actor, styrelsemote: Styrelsemote, **fields) -> Styrelsemote:
    """Change a board meeting in the year plan."""
    check_same_forbund(forbund, styrelsemote=styrelsemote)
    with transaction.atomic(), audited_by(actor):
        _save(styrelsemote, fields, STYRELSEMOTE_FIELDS)
    return styrelsemote


def styrelsemote_delete(*, forbund: Forbund, actor, styrelsemote: Styrelsemote) -> None:
    """Remove a board meeting from the year plan."""
    check_same_forbund(forbund, styrelsemote=styrelsemote)
    with transaction.atomic(), audited_by(actor):
        styrelsemote.delete()
