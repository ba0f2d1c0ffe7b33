"""Import and export of participants and their step assessments, only for the insats' own staff.

Both datasets are registered with the ability ``participants_log`` and marked for the uploader
only, so plattformspersonal import and export them through the shared import pages and nobody
else sees them. The förbund comes from the page; the insats is named in the file and looked up
among the insatser the importing user is granted (an insats they are not granted reads as one
that does not exist), and every row is written through the follow-up services with the user as
actor, which check the grant once more. Exports hold only the user's own insatser.
"""

from __future__ import annotations

from apps.core.tabular import SMALLINT_MAX
from apps.dataio.base import (
    NEW,
    SKIP,
    UPDATE,
    ChoiceWidget,
    DateWidget,
    IntWidget,
    RowInvalid,
    TenantResource,
    column,
)
from apps.members.models import Medlem

from . import selectors, services
from .models import Bedomning, Category, CategoryList, Deltagare, Kon, Rater, Remittent

CATEGORY_COLUMNS = {
    "forsorjning_start": ("Försörjning vid start", CategoryList.FORSORJNING),
    "avslutsorsak": ("Avslutsorsak", CategoryList.AVSLUT),
    "sysselsattning_slut": ("Sysselsättning vid avslut", CategoryList.SYSSELSATTNING),
    "forsorjning_slut": ("Försörjning vid avslut", CategoryList.FORSORJNING),
}
NOT_GRANTED = "Du har ingen insats med det namnet bland de insatser du har tilldelats."


class _StaffResource(TenantResource):
    """What both datasets share: the user's granted insatser, looked up by name once per import."""

    def _granted(self) -> dict[str, object]:
        if not hasattr(self, "_insatser"):
            if self.actor is None:
                self._insatser = {}
            else:
                found = selectors.staff_insatser(forbund=self.forbund, user=self.actor)
                self._insatser = {insats.name.casefold(): insats for insats in found}
        return self._insatser

    def _insats(self, name: str):
        insats = self._granted().get((name or "").casefold())
        if insats is None:
            raise RowInvalid(("Insats", NOT_GRANTED))
        return insats

    def _own_deltagare(self):
        """The participants the user may see; none without a user (an export never runs blind)."""
        if self.actor is None:
            return Deltagare.objects.none()
        return selectors.staff_deltagare(forbund=self.forbund, user=self.actor)


class DeltagareResource(_StaffResource):
    """One row per participant: code, kön, birth year, dates, remiss, försörjning and how it ended."""

    insats = column("insats__name", "Insats")
    code = column("code", "Kod")
    kon = column("kon", "Kön", ChoiceWidget(Kon.choices))
    birth_year = column("birth_year", "Födelseår", IntWidget(1900, 2100))
    start_date = column("start_date", "Startdatum", DateWidget())
    remittent = column("remittent", "Remitterande part", ChoiceWidget(Remittent.choices))
    remittent_medlem = column("remittent_medlem__name", "Remitterande medlem")
    forsorjning_start = column("forsorjning_start__label", "Försörjning vid start")
    end_date = column("end_date", "Slutdatum", DateWidget())
    avslutsorsak = column("avslutsorsak__label", "Avslutsorsak")
    sysselsattning_slut = column("sysselsattning_slut__label", "Sysselsättning vid avslut")
    forsorjning_slut = column("forsorjning_slut__label", "Försörjning vid avslut")

    required_columns = ("Insats", "Kod", "Kön", "Startdatum", "Remitterande part")
    error_columns = {
        "remittent_medlem": "Remitterande medlem",
        "insats": "Insats",
        **{field: heading for field, (heading, _kind) in CATEGORY_COLUMNS.items()},
    }

    def export_rows(self):
        return (
            self._own_deltagare()
            .select_related(
                "remittent_medlem",
                "forsorjning_start",
                "avslutsorsak",
                "sysselsattning_slut",
                "forsorjning_slut",
            )
            .order_by("insats__name", "code")
        )

    def row_key(self, values):
        code = values.get("code")
        return ((values.get("insats__name") or "").casefold(), code) if code else None

    def row_label(self, values):
        return values.get("code", "")

    def _categories(self) -> dict[tuple[str, str], Category]:
        if not hasattr(self, "_category_map"):
            self._category_map = {
                (row.kind, row.label.casefold()): row for row in Category.objects.filter(forbund=self.forbund)
            }
        return self._category_map

    def _fields(self, values) -> dict:
        fields = {
            name: values[name]
            for name in ("code", "kon", "birth_year", "start_date", "remittent", "end_date")
            if name in values
        }
        if "remittent_medlem__name" in values:
            name = values["remittent_medlem__name"]
            medlem = Medlem.objects.filter(forbund=self.forbund, name=name).first() if name else None
            if name and medlem is None:
                raise RowInvalid(
                    ("Remitterande medlem", f"Det finns ingen medlem som heter ”{name}” i förbundet.")
                )
            fields["remittent_medlem"] = medlem
        for field, (heading, kind) in CATEGORY_COLUMNS.items():
            if f"{field}__label" not in values:
                continue
            label = values[f"{field}__label"]
            category = self._categories().get((kind, label.casefold())) if label else None
            if label and category is None:
                raise RowInvalid((heading, f"”{label}” finns inte i förbundets lista {heading.lower()}."))
            fields[field] = category
        return fields

    def apply_row(self, values):
        insats = self._insats(values.get("insats__name", ""))
        fields = self._fields(values)
        found = Deltagare.objects.filter(forbund=self.forbund, insats=insats, code=fields["code"]).first()
        if found is None:
            services.deltagare_create(forbund=self.forbund, actor=self.actor, insats=insats, **fields)
            return NEW
        stale = {key: value for key, value in fields.items() if getattr(found, key) != value}
        if not stale:
            return SKIP
        services.deltagare_update(forbund=self.forbund, actor=self.actor, deltagare=found, **stale)
        return UPDATE


class BedomningResource(_StaffResource):
    """One row per assessment: the participant's code, the date, the step number and whose rating."""

    insats = column("deltagare__insats__name", "Insats")
    code = column("deltagare__code", "Kod")
    date = column("date", "Datum", DateWidget())
    step = column("step__number", "Steg", IntWidget(1, SMALLINT_MAX))
    rater = column("rater", "Vems bedömning", ChoiceWidget(Rater.choices))

    required_columns = ("Insats", "Kod", "Datum", "Steg")
    error_columns = {"date": "Datum", "step": "Steg", "deltagare": "Kod"}

    def export_rows(self):
        return (
            Bedomning.objects.filter(forbund=self.forbund, deltagare__in=self._own_deltagare())
            .select_related("deltagare__insats", "step")
            .order_by("deltagare__insats__name", "deltagare__code", "date", "rater")
        )

    def row_key(self, values):
        code, date = values.get("deltagare__code"), values.get("date")
        if not code or date is None:
            return None
        insats = (values.get("deltagare__insats__name") or "").casefold()
        return (insats, code, date, values.get("rater") or Rater.PERSONAL)

    def row_label(self, values):
        date = values.get("date")
        return f"{values.get('deltagare__code', '')} {date.isoformat() if date else ''}".strip()

    def _steps(self, insats) -> dict[int, object]:
        cache = self.__dict__.setdefault("_step_cache", {})
        if insats.pk not in cache:
            cache[insats.pk] = {
                step.number: step for step in selectors.insats_steps(forbund=self.forbund, insats=insats)
            }
        return cache[insats.pk]

    def apply_row(self, values):
        insats = self._insats(values.get("deltagare__insats__name", ""))
        code = values.get("deltagare__code") or ""
        deltagare = Deltagare.objects.filter(forbund=self.forbund, insats=insats, code=code).first()
        if deltagare is None:
            raise RowInvalid(
                ("Kod", f"Insatsen har ingen deltagare med koden ”{code}”. Importera deltagarna först.")
            )
        if values.get("date") is None:
            raise RowInvalid(("Datum", "Ange datum för bedömningen."))
        number = values.get("step__number")
        step = self._steps(insats).get(number)
        if step is None:
            raise RowInvalid(("Steg", f"Insatsens stegskala har inget steg {number}."))
        rater = values.get("rater") or Rater.PERSONAL
        found = Bedomning.objects.filter(
            forbund=self.forbund, deltagare=deltagare, date=values["date"], rater=rater
        ).first()
        if found is not None and found.step_id == step.pk:
            return SKIP
        services.bedomning_record(
            forbund=self.forbund,
            actor=self.actor,
            deltagare=deltagare,
            date=values["date"],
            step=step,
            rater=rater,
        )
        return NEW if found is None else UPDATE
