"""Writes of the follow-up: category lists, step scales, participants and their assessments,
monthly counts and surveys. Validated, atomic, audited.

Participants are reachable only by the staff granted their insats: every participant service
given an actor checks the grant (``_require_staff``), so a view that forgot would still fail.
``actor=None`` is the system (demo loader, retention).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from apps.insatser.models import Insats, InsatsKind, InsatsYear
from apps.insatser.selectors import insats_list_for_staff
from apps.tenancy.audit import audited_by
from apps.tenancy.models import Forbund

from .models import (
    Bedomning,
    Category,
    CategoryList,
    Deltagare,
    FollowupSettings,
    InsatsFollowup,
    InsatsYearMode,
    Kon,
    Mode,
    MonthlyCount,
    Outcome,
    Rater,
    Step,
    StepScale,
    Survey,
    SurveyOption,
    SurveyQuestion,
)

# Defaults drawn from SUS practice; the förbund may edit them.
DEFAULT_CATEGORIES: dict[str, list[tuple[str, str, bool]]] = {
    CategoryList.FORSORJNING: [
        (label, "", False)
        for label in (
            "Lön",
            "A-kassa",
            "Aktivitetsstöd",
            "Sjukpenning/rehabiliteringspenning",
            "Sjuk- och aktivitetsersättning",
            "Försörjningsstöd",
            "Studiemedel",
            "Ingen ersättning",
            "Annat",
            "Okänt",
        )
    ],
    CategoryList.AVSLUT: [
        ("Arbete", Outcome.ARBETE, False),
        ("Studier", Outcome.STUDIER, False),
        ("Arbetssökande", "", False),
        ("Annan insats eller åter till remittent", "", False),
        ("Sjukskrivning/vård", "", False),
        ("Flytt", "", False),
        ("Avbrott", "", False),
        ("Annat", "", False),
        ("Felregistrering", "", True),
    ],
    CategoryList.SYSSELSATTNING: [
        (label, "", False)
        for label in (
            "Arbete",
            "Arbete med stöd",
            "Studier",
            "Arbetssökande",
            "Annan insats",
            "Sjukskriven",
            "Ingen sysselsättning",
            "Annat",
            "Okänt",
        )
    ],
}

DEFAULT_SCALE_NAME = "Sexgradig stegskala"
DEFAULT_STEPS = (
    ("Långt från arbetsmarknaden", "Behöver stöd i vardagen innan arbete eller studier kan planeras."),
    ("Motiverad till förändring", "Har börjat planera för arbete eller studier."),
    ("Arbetsförberedande", "Deltar i arbetsförberedande aktiviteter."),
    ("Arbetsträning eller praktik", "Prövar arbete i praktik eller arbetsträning."),
    ("Nära arbetsmarknaden", "Söker arbete eller studier aktivt och står nära ett avslut."),
    ("I arbete eller studier", "Har arbete, anställning med stöd eller studerar."),
)


def _check_same_forbund(forbund: Forbund, **objects) -> None:
    for field, obj in objects.items():
        if obj is not None and obj.forbund_id != forbund.pk:
            raise ValidationError({field: "Hör inte till det här förbundet."})


def _require_staff(*, forbund: Forbund, actor, insats: Insats) -> None:
    """Only the staff granted ``insats`` may touch its participants (actor None is the system)."""
    if actor is None:
        return
    if not insats_list_for_staff(forbund=forbund, user=actor).filter(pk=insats.pk).exists():
        raise PermissionDenied("Du har inte behörighet till deltagarna i den här insatsen.")


# --- Defaults and settings -------------------------------------------------------------------


def followup_defaults_ensure(*, forbund: Forbund, actor) -> None:
    """Create the default category lists and six-step scale when the förbund has none yet."""
    with transaction.atomic(), audited_by(actor):
        for kind, entries in DEFAULT_CATEGORIES.items():
            if Category.objects.filter(forbund=forbund, kind=kind).exists():
                continue
            for position, (label, outcome, excluded) in enumerate(entries, 1):
                Category.objects.create(
                    forbund=forbund,
                    kind=kind,
                    label=label,
                    position=position,
                    outcome=outcome,
                    excluded=excluded,
                )
        if not StepScale.objects.filter(forbund=forbund).exists():
            scale = StepScale.objects.create(
                forbund=forbund,
                name=DEFAULT_SCALE_NAME,
                description="Från långt från arbetsmarknaden (1) till i arbete eller studier (6).",
            )
            for number, (label, description) in enumerate(DEFAULT_STEPS, 1):
                Step.objects.create(
                    forbund=forbund, scale=scale, number=number, label=label, description=description
                )


def followup_settings_update(*, forbund: Forbund, actor, retention_months: int) -> FollowupSettings:
    """Change how many months after their end date participants are deleted."""
    with transaction.atomic(), audited_by(actor):
        row = FollowupSettings.objects.filter(forbund=forbund).first() or FollowupSettings(forbund=forbund)
        row.retention_months = retention_months
        row.full_clean()
        row.save()
    return row


# --- Category lists ----------------------------------------------------------------------------


def category_create(*, forbund: Forbund, actor, kind: str, label: str, **fields) -> Category:
    """Add an entry last in one of the förbund's category lists."""
    with transaction.atomic(), audited_by(actor):
        highest = Category.objects.filter(forbund=forbund, kind=kind).aggregate(m=Max("position"))["m"] or 0
        row = Category(forbund=forbund, kind=kind, label=label.strip(), position=highest + 1, **fields)
        row.full_clean()
        row.save()
    return row


def category_update(*, forbund: Forbund, actor, category: Category, **fields) -> Category:
    """Rename an entry, change what it counts as, or take it out of use (kept for old rows)."""
    _check_same_forbund(forbund, category=category)
    with transaction.atomic(), audited_by(actor):
        for key, value in fields.items():
            setattr(category, key, value.strip() if isinstance(value, str) and key == "label" else value)
        category.full_clean()
        category.save()
    return category


def _category_in_use(category: Category) -> bool:
    return (
        Deltagare.objects.filter(forbund=category.forbund_id, forsorjning_start=category).exists()
        or Deltagare.objects.filter(forbund=category.forbund_id, forsorjning_slut=category).exists()
        or Deltagare.objects.filter(forbund=category.forbund_id, avslutsorsak=category).exists()
        or Deltagare.objects.filter(forbund=category.forbund_id, sysselsattning_slut=category).exists()
    )


def category_delete(*, forbund: Forbund, actor, category: Category) -> None:
    """Delete an unused entry; an entry that participants use can only be taken out of use."""
    _check_same_forbund(forbund, category=category)
    if _category_in_use(category):
        raise ValidationError(
            f"”{category.label}” används av deltagare och kan inte tas bort. "
            "Markera den som inte använd i stället."
        )
    with transaction.atomic(), audited_by(actor):
        category.delete()


# --- Step scales ---------------------------------------------------------------------------------


def scale_in_use(scale: StepScale) -> bool:
    """A scale is in use when an insats uses it or an assessment is on one of its steps."""
    return (
        InsatsFollowup.objects.filter(forbund=scale.forbund_id, step_scale=scale).exists()
        or Bedomning.objects.filter(forbund=scale.forbund_id, step__scale=scale).exists()
    )


def scale_create(
    *, forbund: Forbund, actor, name: str, description: str = "", steps: Iterable[tuple[str, str]] = ()
) -> StepScale:
    """Create a step scale with its steps in order (step 1 first)."""
    with transaction.atomic(), audited_by(actor):
        scale = StepScale(forbund=forbund, name=name.strip(), description=description)
        scale.full_clean()
        scale.save()
        for number, (label, step_description) in enumerate(steps, 1):
            step = Step(
                forbund=forbund, scale=scale, number=number, label=label, description=step_description
            )
            step.full_clean()
            step.save()
    return scale


def scale_update(*, forbund: Forbund, actor, scale: StepScale, name: str, description: str) -> StepScale:
    """Rename a scale or change its description (allowed while in use)."""
    _check_same_forbund(forbund, scale=scale)
    with transaction.atomic(), audited_by(actor):
        scale.name = name.strip()
        scale.description = description
        scale.full_clean()
        scale.save()
    return scale


def step_add(*, forbund: Forbund, actor, scale: StepScale, label: str, description: str = "") -> Step:
    """Add a step last on a scale (allowed in use: existing steps keep their numbers)."""
    _check_same_forbund(forbund, scale=scale)
    with transaction.atomic(), audited_by(actor):
        highest = Step.objects.filter(forbund=forbund, scale=scale).aggregate(m=Max("number"))["m"] or 0
        step = Step(
            forbund=forbund, scale=scale, number=highest + 1, label=label.strip(), description=description
        )
        step.full_clean()
        step.save()
    return step


def step_update(*, forbund: Forbund, actor, step: Step, label: str, description: str) -> Step:
    """Change a step's label or description (allowed in use; its number never changes here)."""
    _check_same_forbund(forbund, step=step)
    with transaction.atomic(), audited_by(actor):
        step.label = label.strip()
        step.description = description
        step.full_clean()
        step.save()
    return step


def step_delete(*, forbund: Forbund, actor, step: Step) -> None:
    """Remove the last step of a scale that is not in use (movement is a difference of numbers)."""
    _check_same_forbund(forbund, step=step)
    if scale_in_use(step.scale):
        raise ValidationError("Stegskalan används och kan inte förlora steg.")
    highest = Step.objects.filter(forbund=forbund, scale=step.scale_id).aggregate(m=Max("number"))["m"]
    if step.number != highest:
        raise ValidationError("Bara det sista steget kan tas bort, så att stegens nummer hänger ihop.")
    with transaction.atomic(), audited_by(actor):
        step.delete()


def step_move(*, forbund: Forbund, actor, step: Step, up: bool) -> None:
    """Swap a step with its neighbour on a scale that is not in use."""
    _check_same_forbund(forbund, step=step)
    if scale_in_use(step.scale):
        raise ValidationError("Stegskalan används och stegen kan inte byta ordning.")
    other_number = step.number - 1 if up else step.number + 1
    other = Step.objects.filter(forbund=forbund, scale=step.scale_id, number=other_number).first()
    if other is None:
        return
    with transaction.atomic(), audited_by(actor):
        # Swap labels and descriptions rather than numbers: the unique number stays put.
        step.label, other.label = other.label, step.label
        step.description, other.description = other.description, step.description
        step.save(update_fields=["label", "description", "updated_at"])
        other.save(update_fields=["label", "description", "updated_at"])


def scale_delete(*, forbund: Forbund, actor, scale: StepScale) -> None:
    """Delete a scale that no insats or assessment uses."""
    _check_same_forbund(forbund, scale=scale)
    if scale_in_use(scale):
        raise ValidationError("Stegskalan används och kan inte tas bort.")
    with transaction.atomic(), audited_by(actor):
        scale.delete()


# --- How an insats is followed up ------------------------------------------------------------------


def insats_set_scale(*, forbund: Forbund, actor, insats: Insats, scale: StepScale | None) -> InsatsFollowup:
    """Choose the step scale an insats uses; refused when its participants are assessed on another."""
    _check_same_forbund(forbund, insats=insats, scale=scale)
    row = InsatsFollowup.objects.filter(forbund=forbund, insats=insats).first()
    if row is not None and row.step_scale_id and row.step_scale_id != (scale.pk if scale else None):
        assessed = Bedomning.objects.filter(
            forbund=forbund, deltagare__insats=insats, step__scale_id=row.step_scale_id
        ).exists()
        if assessed:
            raise ValidationError(
                {
                    "step_scale": "Insatsens deltagare har bedömningar på den nuvarande skalan; "
                    "den kan inte bytas."
                }
            )
    with transaction.atomic(), audited_by(actor):
        row = row or InsatsFollowup(forbund=forbund, insats=insats)
        row.step_scale = scale
        row.full_clean()
        row.save()
    return row


def default_mode(insats: Insats) -> str:
    """Individinriktade insatser keep participant records by default; strukturinriktade count."""
    return Mode.DELTAGARE if insats.kind == InsatsKind.INDIVID else Mode.ANTAL


def insats_year_set_mode(*, forbund: Forbund, actor, insats_year: InsatsYear, mode: str) -> InsatsYearMode:
    """Say whether an insats is followed up with participant records or counts in one year."""
    _check_same_forbund(forbund, insats_year=insats_year)
    with transaction.atomic(), audited_by(actor):
        row = InsatsYearMode.objects.filter(forbund=forbund, insats_year=insats_year).first()
        row = row or InsatsYearMode(forbund=forbund, insats_year=insats_year)
        row.mode = mode
        row.full_clean()
        row.save()
    return row


def insats_followup_set(
    *, forbund: Forbund, actor, insats_year: InsatsYear, mode: str, scale: StepScale | None
) -> None:
    """Set an insats year's follow-up mode and the insats' step scale together (all or nothing)."""
    _check_same_forbund(forbund, insats_year=insats_year, scale=scale)
    with transaction.atomic():
        insats_year_set_mode(forbund=forbund, actor=actor, insats_year=insats_year, mode=mode)
        insats_set_scale(forbund=forbund, actor=actor, insats=insats_year.insats, scale=scale)


# --- Participants -----------------------------------------------------------------------------------

DELTAGARE_FIELDS = frozenset(
    {
        "code",
        "kon",
        "birth_year",
        "start_date",
        "remittent",
        "remittent_medlem",
        "forsorjning_start",
        "end_date",
        "avslutsorsak",
        "sysselsattning_slut",
        "forsorjning_slut",
    }
)


def _save_deltagare(row: Deltagare) -> Deltagare:
    for field in (
        "remittent_medlem",
        "forsorjning_start",
        "avslutsorsak",
        "sysselsattning_slut",
        "forsorjning_slut",
    ):
        _check_same_forbund(row.forbund, **{field: getattr(row, field)})
    row.code = (row.code or "").strip()
    taken = Deltagare.objects.filter(forbund=row.forbund, insats=row.insats_id, code=row.code).exclude(
        pk=row.pk
    )
    if row.code and taken.exists():
        raise ValidationError({"code": "Koden används redan i insatsen."})
    row.full_clean()
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:  # a concurrent insert with the same code
        raise ValidationError({"code": "Koden används redan i insatsen."}) from exc
    return row


def deltagare_create(*, forbund: Forbund, actor, insats: Insats, **fields) -> Deltagare:
    """Add a pseudonymous participant to an insats the actor is granted."""
    _check_same_forbund(forbund, insats=insats)
    _require_staff(forbund=forbund, actor=actor, insats=insats)
    unknown = set(fields) - DELTAGARE_FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    with transaction.atomic(), audited_by(actor):
        return _save_deltagare(Deltagare(forbund=forbund, insats=insats, **fields))


def deltagare_update(*, forbund: Forbund, actor, deltagare: Deltagare, **fields) -> Deltagare:
    """Change a participant's data, ending included (end date, avslutsorsak, situation at the end)."""
    _check_same_forbund(forbund, deltagare=deltagare)
    _require_staff(forbund=forbund, actor=actor, insats=deltagare.insats)
    unknown = set(fields) - DELTAGARE_FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    with transaction.atomic(), audited_by(actor):
        for key, value in fields.items():
            setattr(deltagare, key, value)
        return _save_deltagare(deltagare)


def deltagare_end(
    *,
    forbund: Forbund,
    actor,
    deltagare: Deltagare,
    end_date: datetime.date,
    avslutsorsak: Category,
    sysselsattning_slut: Category | None = None,
    forsorjning_slut: Category | None = None,
) -> Deltagare:
    """End a participation with its date, reason and situation at the end."""
    return deltagare_update(
        forbund=forbund,
        actor=actor,
        deltagare=deltagare,
        end_date=end_date,
        avslutsorsak=avslutsorsak,
        sysselsattning_slut=sysselsattning_slut,
        forsorjning_slut=forsorjning_slut,
    )


def deltagare_delete(*, forbund: Forbund, actor, deltagare: Deltagare) -> None:
    """Delete a participant registered by mistake, with the assessments."""
    _check_same_forbund(forbund, deltagare=deltagare)
    _require_staff(forbund=forbund, actor=actor, insats=deltagare.insats)
    with transaction.atomic(), audited_by(actor):
        deltagare.delete()


# Foreign keys the bulk services check themselves (same förbund, loaded instances), so full_clean
# need not look each one up again: a query per key and row would make a bulk write slow.
_DELTAGARE_RELATIONS = (
    "forbund",
    "insats",
    "remittent_medlem",
    "forsorjning_start",
    "avslutsorsak",
    "sysselsattning_slut",
    "forsorjning_slut",
)


def deltagare_bulk_create(
    *, forbund: Forbund, actor, insats: Insats, rows: Iterable[Mapping]
) -> list[Deltagare]:
    """Add many participants to one insats in one insert (demo data, large cohorts), all or nothing.

    Every row is validated as ``deltagare_create`` validates one (code rules, dates, categories
    from the right list, the same förbund); codes must be new in the insats and in the batch.
    """
    _check_same_forbund(forbund, insats=insats)
    _require_staff(forbund=forbund, actor=actor, insats=insats)
    built: list[Deltagare] = []
    errors: list[str] = []
    for fields in rows:
        unknown = set(fields) - DELTAGARE_FIELDS
        if unknown:
            raise TypeError(f"unknown fields: {sorted(unknown)}")
        row = Deltagare(forbund=forbund, insats=insats, **fields)
        row.code = (row.code or "").strip()
        for field in _DELTAGARE_RELATIONS[2:]:
            _check_same_forbund(forbund, **{field: getattr(row, field)})
        try:
            row.full_clean(exclude=_DELTAGARE_RELATIONS, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors.extend(f"{row.code}: {message}" for message in exc.messages)
        built.append(row)
    codes = Counter(row.code for row in built)
    taken = set(
        Deltagare.objects.filter(forbund=forbund, insats=insats, code__in=list(codes)).values_list(
            "code", flat=True
        )
    )
    repeated = {code for code, n in codes.items() if n > 1}
    errors.extend(f"{code}: Koden används redan i insatsen." for code in sorted(taken | repeated))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), audited_by(actor):
        return Deltagare.objects.bulk_create(built, batch_size=500)


def bedomningar_bulk_create(
    *, forbund: Forbund, actor, insats: Insats, rows: Iterable[tuple[Deltagare, datetime.date, Step, str]]
) -> list[Bedomning]:
    """Add many assessments of one insats' participants in one insert, all or nothing.

    Each (participant, date, step, rater) is checked as ``bedomning_record`` checks one: the
    participant is in the insats, the step on its scale, the date within the participation; a
    participant has at most one assessment per day and rater, in the batch and before it.
    """
    _check_same_forbund(forbund, insats=insats)
    _require_staff(forbund=forbund, actor=actor, insats=insats)
    scale_id = _scale_of(forbund=forbund, insats_id=insats.pk)
    built: list[Bedomning] = []
    errors: list[str] = []
    seen: set[tuple[int, datetime.date, str]] = set()
    for deltagare, date, step, rater in rows:
        _check_same_forbund(forbund, deltagare=deltagare, step=step)
        if deltagare.insats_id != insats.pk:
            raise PermissionDenied("Deltagaren hör inte till insatsen.")
        where = f"{deltagare.code} {date.isoformat()}"
        if scale_id is not None and step.scale_id != scale_id:
            errors.append(f"{where}: Steget hör inte till insatsens stegskala.")
        if date < deltagare.start_date or (deltagare.end_date and date > deltagare.end_date):
            errors.append(f"{where}: Datumet ligger utanför deltagarens tid i insatsen.")
        if (deltagare.pk, date, rater) in seen:
            errors.append(f"{where}: Deltagaren har redan en sådan bedömning det datumet.")
        seen.add((deltagare.pk, date, rater))
        row = Bedomning(forbund=forbund, deltagare=deltagare, date=date, step=step, rater=rater)
        try:
            row.full_clean(
                exclude=("forbund", "deltagare", "step"), validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            errors.extend(f"{where}: {message}" for message in exc.messages)
        built.append(row)
    existing = Bedomning.objects.filter(
        forbund=forbund, deltagare_id__in={pk for pk, _, _ in seen}
    ).values_list("deltagare_id", "date", "rater")
    clashes = seen.intersection(existing)
    if clashes:
        codes = {row.deltagare_id: row.deltagare.code for row in built}
        errors.extend(
            f"{codes[pk]} {date.isoformat()}: Deltagaren har redan en sådan bedömning det datumet."
            for pk, date, _rater in sorted(clashes)
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), audited_by(actor):
        return Bedomning.objects.bulk_create(built, batch_size=1000)


def _scale_of(*, forbund: Forbund, insats_id: int) -> int | None:
    return (
        InsatsFollowup.objects.filter(forbund=forbund, insats_id=insats_id)
        .values_list("step_scale_id", flat=True)
        .first()
    )


def bedomning_record(
    *,
    forbund: Forbund,
    actor,
    deltagare: Deltagare,
    date: datetime.date,
    step: Step,
    rater: str = Rater.PERSONAL,
) -> Bedomning:
    """Record (or correct) a participant's step on a date; one per day and rater."""
    _check_same_forbund(forbund, deltagare=deltagare, step=step)
    _require_staff(forbund=forbund, actor=actor, insats=deltagare.insats)
    scale_id = _scale_of(forbund=forbund, insats_id=deltagare.insats_id)
    if scale_id is not None and step.scale_id != scale_id:
        raise ValidationError({"step": "Steget hör inte till insatsens stegskala."})
    if date < deltagare.start_date or (deltagare.end_date and date > deltagare.end_date):
        raise ValidationError({"date": "Datumet ligger utanför deltagarens tid i insatsen."})
    with transaction.atomic(), audited_by(actor):
        row = Bedomning.objects.filter(forbund=forbund, deltagare=deltagare, date=date, rater=rater).first()
        row = row or Bedomning(forbund=forbund, deltagare=deltagare, date=date, rater=rater)
        row.step = step
        row.full_clean()
        row.save()
    return row


def bedomningar_record_many(
    *,
    forbund: Forbund,
    actor,
    insats: Insats,
    date: datetime.date,
    steps: Mapping[Deltagare, Step | None],
    rater: str = Rater.PERSONAL,
) -> int:
    """Record one day's steps for many participants of one insats at once (all or nothing)."""
    _check_same_forbund(forbund, insats=insats)
    _require_staff(forbund=forbund, actor=actor, insats=insats)
    errors: dict[str, list[str]] = {}
    saved = 0
    with transaction.atomic(), audited_by(actor):
        for deltagare, step in steps.items():
            if step is None:
                continue
            if deltagare.insats_id != insats.pk:
                raise PermissionDenied("Deltagaren hör inte till insatsen.")
            try:
                bedomning_record(
                    forbund=forbund, actor=None, deltagare=deltagare, date=date, step=step, rater=rater
                )
                saved += 1
            except ValidationError as exc:
                errors[deltagare.code] = exc.messages
        if errors:
            raise ValidationError(
                [f"{code}: {' '.join(messages)}" for code, messages in sorted(errors.items())]
            )
    return saved


def bedomning_delete(*, forbund: Forbund, actor, bedomning: Bedomning) -> None:
    """Delete an assessment recorded by mistake."""
    _check_same_forbund(forbund, bedomning=bedomning)
    _require_staff(forbund=forbund, actor=actor, insats=bedomning.deltagare.insats)
    with transaction.atomic(), audited_by(actor):
        bedomning.delete()


# --- Monthly counts -----------------------------------------------------------------------------------

COUNT_FIELDS = ("new", "active", "ended", "attendees")


def monthly_counts_save(
    *, forbund: Forbund, actor, insats: Insats, year: int, counts: Mapping[tuple[int, str], Mapping[str, int]]
) -> None:
    """Save an insats' counts for a year: ``counts[(month, kön)] = {"new": .., "active": .., ...}``.

    A month and gender with every count zero is removed, so the table holds only what was entered.
    """
    _check_same_forbund(forbund, insats=insats)
    errors = []
    with transaction.atomic(), audited_by(actor):
        existing = {
            (row.month, row.kon): row
            for row in MonthlyCount.objects.filter(forbund=forbund, insats=insats, year=year)
        }
        for (month, kon), values in counts.items():
            if kon not in Kon.values or not 1 <= month <= 12:
                raise ValueError("month 1–12 and a Kon value expected")
            row = existing.get((month, kon))
            if not any(values.get(field) for field in COUNT_FIELDS):
                if row is not None:
                    row.delete()
                continue
            row = row or MonthlyCount(forbund=forbund, insats=insats, year=year, month=month, kon=kon)
            for field in COUNT_FIELDS:
                setattr(row, field, values.get(field) or 0)
            if row.new > row.active:
                errors.append(f"Månad {month}, {Kon(kon).label.lower()}: fler nya än aktiva.")
                continue
            row.full_clean()
            row.save()
        if errors:
            raise ValidationError(errors)


# --- Surveys ---------------------------------------------------------------------------------------------


def survey_save(
    *,
    forbund: Forbund,
    actor,
    survey: Survey | None = None,
    questions: Iterable[tuple[str, Iterable[tuple[str, int, bool]]]] | None = None,
    **fields,
) -> Survey:
    """Create or change a survey; ``questions`` (text, [(option, count, positive)]) replaces its questions."""
    survey = survey or Survey(forbund=forbund)
    _check_same_forbund(forbund, survey=survey, insats=fields.get("insats"))
    with transaction.atomic(), audited_by(actor):
        for key, value in fields.items():
            setattr(survey, key, value)
        survey.full_clean(validate_constraints=False)
        duplicate = Survey.objects.filter(
            forbund=forbund,
            insats=survey.insats,
            year=survey.year,
            period=survey.period,
            kind=survey.kind,
            respondent_group=survey.respondent_group,
        ).exclude(pk=survey.pk)
        if duplicate.exists():
            raise ValidationError("Det finns redan den enkäten för perioden och svarsgruppen.")
        survey.save()
        if questions is not None:
            SurveyQuestion.objects.filter(forbund=forbund, survey=survey).delete()
            for q_pos, (text, options) in enumerate(questions, 1):
                question = SurveyQuestion.objects.create(
                    forbund=forbund, survey=survey, position=q_pos, text=text
                )
                total = 0
                for o_pos, (label, count, positive) in enumerate(options, 1):
                    option = SurveyOption(
                        forbund=forbund,
                        question=question,
                        position=o_pos,
                        label=label,
                        count=count,
                        positive=positive,
                    )
                    option.full_clean()
                    option.save()
                    total += count
                if total > survey.answered:
                    raise ValidationError(
                        f"Fråga {q_pos} har {total} svar men bara {survey.answered} svarade på enkäten."
                    )
    return survey


def survey_delete(*, forbund: Forbund, actor, survey: Survey) -> None:
    """Delete a survey with its questions and answers."""
    _check_same_forbund(forbund, survey=survey)
    with transaction.atomic(), audited_by(actor):
        survey.delete()
