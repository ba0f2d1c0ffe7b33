"""Demo step for apps.followup: ``uppfoljning`` with participants, counts, surveys and staff grants.

Participants are generated, not listed: a cohort in the file says how many people of each
gender an insats had, when they started and for how long, and a seeded random generator draws
the rest (birth years, remittent, försörjning, monthly steps, avslutsorsak), so every load draws
the same people. Codes only ("NKP-001"): no names, no personnummer.

A cohort is written with the follow-up's bulk services (a few hundred people with monthly
assessments would take minutes row by row) and compared with what is there in a few queries
per insats, so a second load writes nothing. The system writes them (``actor=None``): the
loader's administrator is nobody's staff, and the services refuse anyone else.
"""

from __future__ import annotations

import calendar
import datetime
import random
from collections import defaultdict
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model

from apps.followup import services
from apps.followup.models import (
    Bedomning,
    Category,
    CategoryList,
    Deltagare,
    FollowupSettings,
    InsatsFollowup,
    Kon,
    MonthlyCount,
    Period,
    Rater,
    Remittent,
    Step,
    StepScale,
    Survey,
    SurveyKind,
)
from apps.insatser.models import Insats, InsatsUserObjectPermission
from apps.insatser.services import insats_assign_staff

from .base import DemoDataError, DemoRun, ForbundDemo, check_choice, check_keys, check_known, parse_date
from .base import Step as DemoStep

FOLLOWUP_KEYS = {"retention_months", "staff", "participants", "counts", "surveys"}
STAFF_KEYS = {"user", "insats", "plattform"}
COHORT_KEYS = {
    "insats",
    "prefix",
    "seed",
    "kon",
    "first_start",
    "last_start",
    "last_end",
    "months",
    "assess_until",
}
COUNT_KEYS = {"insats", "year", "opening", "new", "ended", "attendees"}
SURVEY_KEYS = {
    "insats",
    "year",
    "period",
    "kind",
    "name",
    "respondent_group",
    "asked",
    "answered",
    "questions",
}

# Where people come from and how they live at the start, roughly as SUS reported it.
REMITTENT_WEIGHTS = (("Försäkringskassan", 22), ("Arbetsförmedlingen", 24), ("kommun", 30), ("region", 14))
FORSORJNING_WEIGHTS = (
    ("Försörjningsstöd", 30),
    ("Aktivitetsstöd", 18),
    ("Sjukpenning/rehabiliteringspenning", 16),
    ("Sjuk- och aktivitetsersättning", 8),
    ("Ingen ersättning", 12),
    ("A-kassa", 5),
    ("Lön", 3),
    ("Studiemedel", 2),
    ("Okänt", 6),
)
# Avslutsorsak -> (weight, sysselsättning at the end, försörjning at the end).
AVSLUT_WEIGHTS = (
    ("Arbete", 24, "Arbete", "Lön"),
    ("Studier", 11, "Studier", "Studiemedel"),
    ("Arbetssökande", 15, "Arbetssökande", "Aktivitetsstöd"),
    ("Annan insats eller åter till remittent", 19, "Annan insats", "Försörjningsstöd"),
    ("Sjukskrivning/vård", 10, "Sjukskriven", "Sjukpenning/rehabiliteringspenning"),
    ("Flytt", 4, "Okänt", "Okänt"),
    ("Avbrott", 13, "Ingen sysselsättning", "Försörjningsstöd"),
    ("Annat", 3, "Annat", "Okänt"),
)
START_STEP_WEIGHTS = (30, 30, 20, 12, 6, 2)


def _weighted(rng: random.Random, pairs) -> Any:
    return rng.choices([pair[0] for pair in pairs], weights=[pair[1] for pair in pairs])[0]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


# --- Checks -------------------------------------------------------------------------------


def check(where: str, data: dict[str, Any]) -> None:
    """Check the follow-up part: keys, the insatser and plattformar it names, genders and choices."""
    spec = data.get("uppfoljning")
    if spec is None:
        return
    here = f"{where} uppfoljning"
    check_keys(spec, FOLLOWUP_KEYS, here)
    insatser = {insats["name"] for insats in data.get("insatser", [])}
    plattformar = {plattform["name"] for plattform in data.get("plattformar", [])}
    for grant in spec.get("staff", []):
        check_keys(grant, STAFF_KEYS, f"{here} staff")
        if grant.get("insats"):
            check_known(grant["insats"], insatser, "insatsen", f"{here} staff")
        else:
            check_known(grant.get("plattform"), plattformar, "plattformen", f"{here} staff")
    prefixes = set()
    for cohort in spec.get("participants", []):
        there = f"{here} participants {cohort.get('prefix')!r}"
        check_keys(cohort, COHORT_KEYS, there)
        check_known(cohort["insats"], insatser, "insatsen", there)
        if (cohort["insats"], cohort["prefix"]) in prefixes:
            raise DemoDataError(f"{there}: prefixet finns två gånger för insatsen.")
        prefixes.add((cohort["insats"], cohort["prefix"]))
        for kon in cohort["kon"]:
            check_choice(kon, Kon.values, "kön", there)
        if parse_date(cohort["first_start"]) > parse_date(cohort["last_start"]):
            raise DemoDataError(f"{there}: first_start ligger efter last_start.")
    for counts in spec.get("counts", []):
        there = f"{here} counts {counts.get('insats')!r}"
        check_keys(counts, COUNT_KEYS, there)
        check_known(counts["insats"], insatser, "insatsen", there)
        for measure in ("opening", "new", "ended", "attendees"):
            for kon, values in counts.get(measure, {}).items():
                check_choice(kon, Kon.values, "kön", there)
                if measure != "opening" and len(values) != 12:
                    raise DemoDataError(f"{there}: {measure} ska ha tolv månader.")
    for survey in spec.get("surveys", []):
        there = f"{here} surveys {survey.get('respondent_group')!r}"
        check_keys(survey, SURVEY_KEYS, there)
        check_choice(survey["kind"], SurveyKind.values, "enkät", there)
        check_choice(survey.get("period", Period.AR), Period.values, "period", there)
        if survey.get("insats"):
            check_known(survey["insats"], insatser, "insatsen", there)


# --- Loading ------------------------------------------------------------------------------


def load(run: DemoRun, demo: ForbundDemo) -> None:
    """Bring the förbund's follow-up to the file: settings, grants, cohorts, counts and surveys."""
    spec = demo.data.get("uppfoljning")
    if spec is None:
        return
    forbund = demo.forbund
    if (
        not StepScale.objects.filter(forbund=forbund).exists()
        or not Category.objects.filter(forbund=forbund).exists()
    ):
        services.followup_defaults_ensure(forbund=forbund, actor=run.actor)
        run.changed += 1
    run.sync(
        FollowupSettings.objects.filter(forbund=forbund).first(),
        {"retention_months": spec.get("retention_months", 24)},
        create=partial(services.followup_settings_update, forbund=forbund, actor=run.actor),
        update=lambda _found, **stale: services.followup_settings_update(
            forbund=forbund, actor=run.actor, **stale
        ),
    )
    for grant in spec.get("staff", []):
        _grant(run, demo, grant)
    cohorts = defaultdict(list)
    for cohort in spec.get("participants", []):
        cohorts[cohort["insats"]].append(cohort)
    for name, insats_cohorts in cohorts.items():
        _participants(run, demo, demo.insatser[name], insats_cohorts)
    for counts in spec.get("counts", []):
        _counts(run, demo, counts)
    for survey in spec.get("surveys", []):
        _survey(run, demo, survey)


def _grant(run: DemoRun, demo: ForbundDemo, grant: dict[str, Any]) -> None:
    user = get_user_model().objects.get(username=grant["user"])
    if grant.get("insats"):
        insatser = [demo.insatser[grant["insats"]]]
    else:
        plattform = demo.plattformar[grant["plattform"]]
        insatser = [insats for insats in demo.insatser.values() if insats.plattform_id == plattform.pk]
    granted = set(
        InsatsUserObjectPermission.objects.filter(forbund=demo.forbund, user=user).values_list(
            "content_object_id", flat=True
        )
    )
    for insats in insatser:
        if insats.pk not in granted:
            insats_assign_staff(forbund=demo.forbund, actor=run.actor, insats=insats, user=user)
            run.changed += 1


class _Lookups:
    """The förbund's categories, steps and members, read once per insats."""

    def __init__(self, demo: ForbundDemo, insats: Insats):
        forbund = demo.forbund
        self.categories = {(c.kind, c.label): c for c in Category.objects.filter(forbund=forbund)}
        found = InsatsFollowup.objects.filter(forbund=forbund, insats=insats).first()
        scale = found.step_scale if found and found.step_scale_id else None
        self.scale = scale or StepScale.objects.filter(forbund=forbund).order_by("pk").first()
        self.steps = {s.number: s for s in Step.objects.filter(forbund=forbund, scale=self.scale)}
        self.medlemmar = list(demo.medlemmar.values())
        self.found_scale = found

    def category(self, kind: str, label: str) -> Category:
        return self.categories[(kind, label)]

    def medlem(self, wanted: str):
        """The member a referral comes from: by name, or the first of a kind (kommun, region)."""
        for medlem in self.medlemmar:
            if medlem.name == wanted or medlem.kind == wanted:
                return medlem
        return None


def _draw(cohort: dict[str, Any], lookups: _Lookups) -> list[tuple[dict[str, Any], list]]:
    """The cohort's people and their assessments, drawn from the cohort's own seed."""
    rng = random.Random(f"{cohort['insats']}/{cohort['prefix']}/{cohort.get('seed', 0)}")
    genders = [kon for kon, n in cohort["kon"].items() for _ in range(n)]
    rng.shuffle(genders)
    first, last = parse_date(cohort["first_start"]), parse_date(cohort["last_start"])
    last_end = parse_date(cohort.get("last_end"))
    assess_until = parse_date(cohort.get("assess_until")) or last_end
    shortest, longest = cohort.get("months", [3, 12])
    span_days = (last - first).days
    starts = sorted(first + datetime.timedelta(days=rng.randint(0, span_days)) for _ in genders)
    people = []
    for number, (kon, start) in enumerate(zip(genders, starts, strict=True), 1):
        origin = _weighted(rng, REMITTENT_WEIGHTS)
        medlem = lookups.medlem(origin) if rng.random() < 0.88 else None
        remittent = Remittent.MEDLEM if medlem else rng.choice([Remittent.SJALV, Remittent.ANNAN])
        fields: dict[str, Any] = {
            "code": f"{cohort['prefix']}-{number:03d}",
            "kon": kon,
            "birth_year": None if rng.random() < 0.08 else start.year - rng.randint(18, 63),
            "start_date": start,
            "remittent": remittent,
            "remittent_medlem": medlem,
            "forsorjning_start": lookups.category(
                CategoryList.FORSORJNING, _weighted(rng, FORSORJNING_WEIGHTS)
            ),
            "end_date": None,
            "avslutsorsak": None,
            "sysselsattning_slut": None,
            "forsorjning_slut": None,
        }
        step = rng.choices(range(1, 7), weights=START_STEP_WEIGHTS)[0]
        end = None
        reason = None
        if last_end is not None:
            months = rng.randint(shortest, longest)
            end = min(add_months(start, months), last_end)
            end = max(end, start + datetime.timedelta(days=28))
            reason = rng.choices(AVSLUT_WEIGHTS, weights=[r[1] for r in AVSLUT_WEIGHTS])[0]
            fields.update(
                end_date=end,
                avslutsorsak=lookups.category(CategoryList.AVSLUT, reason[0]),
                sysselsattning_slut=lookups.category(CategoryList.SYSSELSATTNING, reason[2]),
                forsorjning_slut=lookups.category(CategoryList.FORSORJNING, reason[3]),
            )
        stop = end or assess_until
        assessments = [(start, step)]
        day = add_months(start, 1)
        while stop is not None and day < stop:
            roll = rng.random()
            if roll < 0.32:
                step = min(6, step + 1)
            elif roll < 0.38:
                step = max(1, step - 1)
            assessments.append((day, step))
            day = add_months(day, 1)
        if end is not None and end > assessments[-1][0]:
            going_on = reason is not None and reason[0] in ("Arbete", "Studier")
            assessments.append((end, 6 if going_on else step))
        people.append((fields, assessments))
    return people


def _plain(value: Any) -> Any:
    return value.pk if hasattr(value, "pk") else value


def _current(row: Deltagare, key: str) -> Any:
    # Relations by id: reading the related objects would cost a query per row and key.
    return getattr(row, f"{key}_id") if key in RELATIONS else getattr(row, key)


RELATIONS = frozenset(
    {"remittent_medlem", "forsorjning_start", "avslutsorsak", "sysselsattning_slut", "forsorjning_slut"}
)


def _participants(run: DemoRun, demo: ForbundDemo, insats: Insats, cohorts: list[dict[str, Any]]) -> None:
    forbund = demo.forbund
    lookups = _Lookups(demo, insats)
    if lookups.found_scale is None:
        services.insats_set_scale(forbund=forbund, actor=run.actor, insats=insats, scale=lookups.scale)
        run.changed += 1
    drawn = [person for cohort in cohorts for person in _draw(cohort, lookups)]
    existing = {row.code: row for row in Deltagare.objects.filter(forbund=forbund, insats=insats)}
    missing = []
    for fields, _assessments in drawn:
        found = existing.get(fields["code"])
        if found is None:
            missing.append(fields)
            continue
        stale = {key: value for key, value in fields.items() if _current(found, key) != _plain(value)}
        if stale:
            services.deltagare_update(forbund=forbund, actor=None, deltagare=found, **stale)
            run.changed += 1
    if missing:
        for row in services.deltagare_bulk_create(forbund=forbund, actor=None, insats=insats, rows=missing):
            existing[row.code] = row
        run.changed += len(missing)
    recorded = {
        (deltagare_id, date): step_id
        for deltagare_id, date, step_id in Bedomning.objects.filter(
            forbund=forbund, deltagare__insats=insats, rater=Rater.PERSONAL
        ).values_list("deltagare_id", "date", "step_id")
    }
    new = []
    for fields, assessments in drawn:
        deltagare = existing[fields["code"]]
        for date, number in assessments:
            step = lookups.steps[number]
            found = recorded.get((deltagare.pk, date))
            if found is None:
                new.append((deltagare, date, step, Rater.PERSONAL))
            elif found != step.pk:
                services.bedomning_record(
                    forbund=forbund, actor=None, deltagare=deltagare, date=date, step=step
                )
                run.changed += 1
    if new:
        services.bedomningar_bulk_create(forbund=forbund, actor=None, insats=insats, rows=new)
        run.changed += len(new)


def _wanted_counts(spec: dict[str, Any]) -> dict[tuple[int, str], dict[str, int]]:
    """Per (month, kön): new, active (those carried over plus the month's new), ended, attendees."""
    wanted: dict[tuple[int, str], dict[str, int]] = {}
    genders = set(spec.get("new", {})) | set(spec.get("attendees", {})) | set(spec.get("opening", {}))
    for kon in genders:
        carried = spec.get("opening", {}).get(kon, 0)
        for month in range(1, 13):
            new = spec.get("new", {}).get(kon, [0] * 12)[month - 1]
            ended = spec.get("ended", {}).get(kon, [0] * 12)[month - 1]
            attendees = spec.get("attendees", {}).get(kon, [0] * 12)[month - 1]
            active = carried + new if "new" in spec else 0
            if new or active or ended or attendees:
                wanted[(month, kon)] = {"new": new, "active": active, "ended": ended, "attendees": attendees}
            carried = active - ended if "new" in spec else 0
    return wanted


def _counts(run: DemoRun, demo: ForbundDemo, spec: dict[str, Any]) -> None:
    forbund, insats = demo.forbund, demo.insatser[spec["insats"]]
    wanted = _wanted_counts(spec)
    existing = {
        (row.month, row.kon): {field: getattr(row, field) for field in services.COUNT_FIELDS}
        for row in MonthlyCount.objects.filter(forbund=forbund, insats=insats, year=spec["year"])
    }
    if existing == wanted:
        return
    # Rows no longer wanted are sent as zeros, which the service removes.
    counts = {key: {} for key in existing} | wanted
    services.monthly_counts_save(
        forbund=forbund, actor=run.actor, insats=insats, year=spec["year"], counts=counts
    )
    run.changed += 1


def _survey(run: DemoRun, demo: ForbundDemo, spec: dict[str, Any]) -> None:
    forbund = demo.forbund
    insats = demo.insatser[spec["insats"]] if spec.get("insats") else None
    fields = {
        "insats": insats,
        "year": spec["year"],
        "period": spec.get("period", Period.AR),
        "kind": spec["kind"],
        "name": spec.get("name", ""),
        "respondent_group": spec["respondent_group"],
        "asked": spec["asked"],
        "answered": spec["answered"],
    }
    questions = [
        (question["text"], [(label, count, positive) for label, count, positive in question["options"]])
        for question in spec.get("questions", [])
    ]
    found = (
        Survey.objects.filter(
            forbund=forbund,
            insats=insats,
            year=fields["year"],
            period=fields["period"],
            kind=fields["kind"],
            respondent_group=fields["respondent_group"],
        )
        .prefetch_related("questions__options")
        .first()
    )
    if found is not None:
        current = [
            (q.text, [(o.label, o.count, o.positive) for o in q.options.all()]) for q in found.questions.all()
        ]
        same = all(getattr(found, key) == value for key, value in fields.items())
        if same and current == questions:
            return
    services.survey_save(forbund=forbund, actor=run.actor, survey=found, questions=questions, **fields)
    run.changed += 1


STEP = DemoStep("followup", frozenset({"uppfoljning"}), check, load)
