"""Start year N+1 from year N: copy the plan's yearly content so the förbundschef can edit it.

Rules (decided here, tested in tests/plans/test_yearcopy.py):

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

from apps.goals import services as goals_services
from apps.goals.models import Delmal, Malomrade
from apps.goals.services import DELMAL_FIELDS
from apps.insatser import services as insatser_services
from apps.members import services as members_services
from apps.members.models import Styrelseledamot, Styrelsemote
from apps.tenancy.audit import audited_by
from apps.tenancy.models import Forbund

from . import selectors

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
                    forbund=forbund,
                    malomrade=new,
                    actor=actor,
                    number=delmal.number,
                    text=delmal.text,
                    **fields,
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
