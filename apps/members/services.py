"""Writes of members, board, bodies and year plan: validated, in a transaction, audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError, RestrictedError

from apps.tenancy.audit import audited_by
from apps.tenancy.models import Forbund

from .models import ChairRole, Medlem, Organ, OrganMedlem, Styrelseledamot, Styrelsemote


def _assign(obj, fields: dict) -> None:
    for key, value in fields.items():
        setattr(obj, key, value)


def _delete_or_refuse(obj, message: str) -> None:
    """Delete ``obj``; a PROTECT/RESTRICT reference becomes a Swedish ValidationError."""
    try:
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise ValidationError(message) from exc


# --- Medlemmar ------------------------------------------------------------------------


def medlem_upsert(*, forbund: Forbund, actor, name: str, **fields) -> Medlem:
    """Create the member with this name in the förbund, or update its fields."""
    with transaction.atomic(), audited_by(actor):
        medlem = Medlem.objects.filter(forbund=forbund, name=name).first() or Medlem(
            forbund=forbund, name=name
        )
        _assign(medlem, fields)
        medlem.full_clean()
        medlem.save()
    return medlem


def medlem_create(*, forbund: Forbund, actor, **fields) -> Medlem:
    """Add a new member last in the förbund's order."""
    with transaction.atomic(), audited_by(actor):
        last = Medlem.objects.filter(forbund=forbund).aggregate(m=Max("position"))["m"]
        medlem = Medlem(forbund=forbund, position=0 if last is None else last + 1)
        _assign(medlem, fields)
        medlem.full_clean()
        medlem.save()
    return medlem


def medlem_update(*, medlem: Medlem, actor, **fields) -> Medlem:
    """Change a member's fields."""
    with transaction.atomic(), audited_by(actor):
        _assign(medlem, fields)
        medlem.full_clean()
        medlem.save()
    return medlem


def medlem_delete(*, medlem: Medlem, actor) -> None:
    """Delete a member, refusing when a board seat, body or insats still refers to it."""
    with transaction.atomic(), audited_by(actor):
        _delete_or_refuse(
            medlem,
            f"{medlem.name} kan inte tas bort eftersom medlemmen används på andra ställen "
            "(till exempel i styrelsen, ett organ eller en insats). Ta bort de kopplingarna först.",
        )


def medlem_move(*, medlem: Medlem, actor, up: bool) -> None:
    """Move a member one step up or down in the printed order."""
    with transaction.atomic(), audited_by(actor):
        ordered = list(
            Medlem.objects.filter(forbund_id=medlem.forbund_id)
            .select_for_update()
            .order_by("position", "name")
        )
        index = next(i for i, m in enumerate(ordered) if m.pk == medlem.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(ordered):
            ordered[index], ordered[other] = ordered[other], ordered[index]
        changed = []
        for position, m in enumerate(ordered):
            if m.position != position:
                m.position = position
                changed.append(m)
        Medlem.objects.bulk_update(changed, ["position"])


# --- Styrelse -------------------------------------------------------------------------


def _check_single_chair(seat: Styrelseledamot) -> None:
    """At most one ordförande and one vice ordförande with overlapping mandates."""
    # Without both dates the overlap is unknown (plans often give no mandate period): no check.
    if not seat.chair_role or not seat.mandate_start or not seat.mandate_end:
        return
    clash = (
        Styrelseledamot.objects.filter(
            forbund_id=seat.forbund_id,
            chair_role=seat.chair_role,
            mandate_start__lte=seat.mandate_end,
            mandate_end__gte=seat.mandate_start,
        )
        .exclude(pk=seat.pk)
        .first()
    )
    if clash is not None:
        title = ChairRole(seat.chair_role).label.lower()
        raise ValidationError(
            {
                "chair_role": f"{clash.person_name} är redan {title} under samma mandatperiod. "
                "Det kan bara finnas en."
            }
        )


def styrelseledamot_create(*, forbund: Forbund, actor, **fields) -> Styrelseledamot:
    """Add a board seat."""
    with transaction.atomic(), audited_by(actor):
        seat = Styrelseledamot(forbund=forbund)
        _assign(seat, fields)
        seat.full_clean()
        _check_single_chair(seat)
        seat.save()
    return seat


def styrelseledamot_update(*, seat: Styrelseledamot, actor, **fields) -> Styrelseledamot:
    """Change a board seat."""
    with transaction.atomic(), audited_by(actor):
        _assign(seat, fields)
        seat.full_clean()
        _check_single_chair(seat)
        seat.save()
    return seat


def styrelseledamot_delete(*, seat: Styrelseledamot, actor) -> None:
    """Remove a board seat."""
    with transaction.atomic(), audited_by(actor):
        seat.delete()


# --- Andra organ ----------------------------------------------------------------------


def organ_create(*, forbund: Forbund, actor, **fields) -> Organ:
    """Add a body."""
    with transaction.atomic(), audited_by(actor):
        fields.pop("position", None)
        organ = Organ(forbund=forbund)
        _assign(organ, fields)
        last = Organ.objects.filter(forbund=forbund).aggregate(last=Max("position"))["last"]
        organ.position = 0 if last is None else last + 1
        organ.full_clean()
        organ.save()
    return organ


def organ_update(*, organ: Organ, actor, **fields) -> Organ:
    """Change a body."""
    with transaction.atomic(), audited_by(actor):
        _assign(organ, fields)
        organ.full_clean()
        organ.save()
    return organ


def organ_move(*, organ: Organ, actor, up: bool) -> None:
    """Move a body one step up or down in the förbund's order (the plan prints this order)."""
    with transaction.atomic(), audited_by(actor):
        ordered = list(
            Organ.objects.filter(forbund_id=organ.forbund_id).select_for_update().order_by("position", "name")
        )
        index = next(i for i, o in enumerate(ordered) if o.pk == organ.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(ordered):
            ordered[index], ordered[other] = ordered[other], ordered[index]
        changed = []
        for position, o in enumerate(ordered):
            if o.position != position:
                o.position = position
                changed.append(o)
        Organ.objects.bulk_update(changed, ["position"])


def organ_delete(*, organ: Organ, actor) -> None:
    """Delete a body with its member list."""
    with transaction.atomic(), audited_by(actor):
        _delete_or_refuse(organ, f"{organ.name} kan inte tas bort eftersom organet används på andra ställen.")


def organ_medlem_add(*, organ: Organ, actor, **fields) -> OrganMedlem:
    """Add a person to a body."""
    with transaction.atomic(), audited_by(actor):
        row = OrganMedlem(forbund_id=organ.forbund_id, organ=organ)
        _assign(row, fields)
        if row.medlem is not None and row.medlem.forbund_id != organ.forbund_id:
            raise ValidationError({"medlem": "Välj en medlem i det här förbundet."})
        row.full_clean()
        row.save()
    return row


def organ_medlem_update(*, row: OrganMedlem, actor, **fields) -> OrganMedlem:
    """Change a person in a body: name, the member represented, role."""
    with transaction.atomic(), audited_by(actor):
        fields.pop("organ", None)
        _assign(row, fields)
        if row.medlem is not None and row.medlem.forbund_id != row.forbund_id:
            raise ValidationError({"medlem": "Välj en medlem i det här förbundet."})
        row.full_clean()
        row.save()
    return row


def organ_medlem_remove(*, row: OrganMedlem, actor) -> None:
    """Remove a person from a body."""
    with transaction.atomic(), audited_by(actor):
        row.delete()


# --- Styrelsens årsplanering ----------------------------------------------------------


def styrelsemote_create(*, forbund: Forbund, actor, **fields) -> Styrelsemote:
    """Add a board meeting to the year plan."""
    with transaction.atomic(), audited_by(actor):
        mote = Styrelsemote(forbund=forbund)
        _assign(mote, fields)
        mote.full_clean()
        mote.save()
    return mote


def styrelsemote_update(*, mote: Styrelsemote, actor, **fields) -> Styrelsemote:
    """Change a board meeting in the year plan."""
    with transaction.atomic(), audited_by(actor):
        _assign(mote, fields)
        mote.full_clean()
        mote.save()
    return mote


def styrelsemote_delete(*, mote: Styrelsemote, actor) -> None:
    """Remove a board meeting from the year plan."""
    with transaction.atomic(), audited_by(actor):
        mote.delete()
