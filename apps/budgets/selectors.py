"""Reads of budgets: the year's computed summary (a constant number of queries) and lists."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, QuerySet

from apps.insatser.models import Insats, InsatsYear
from apps.members.models import Medlem, MedlemKind
from apps.tenancy.models import Forbund

from . import allocation
from .models import (
    Budget,
    CostLine,
    IncomeKind,
    IncomeLine,
    KommunSplit,
    LongTermCost,
    LongTermYear,
    StateSplit,
)

EGET_KAPITAL_LIMIT_PERCENT = 20
LONG_TERM_YEARS = 2


def budget_list(*, forbund: Forbund) -> QuerySet[Budget]:
    """The förbund's budgets, newest year first."""
    return Budget.objects.filter(forbund=forbund).order_by("-year")


def budget_get(*, forbund: Forbund, year: int) -> Budget | None:
    """The förbund's budget for a year, or None."""
    return Budget.objects.filter(forbund=forbund, year=year).first()


def insats_choices(*, forbund: Forbund) -> list[Insats]:
    """The insatser a cost line may be tied to, in their printed order."""
    return list(Insats.objects.filter(forbund=forbund).order_by("kind", "position", "name"))


@dataclass
class CostRow:
    """A cost line with its computed amount and its computed sub-lines."""

    line: CostLine
    amount: int = 0
    depth: int = 0
    children: list[CostRow] = field(default_factory=list)
    insats_year_missing: bool = False

    @property
    def label(self) -> str:
        """The line as printed: "(101) Åtgärder individ och struktur"."""
        return str(self.line)

    @property
    def is_computed(self) -> bool:
        """True when the amount is not typed on the line (a sum of sub-lines or an insats' budget)."""
        return bool(self.children) or self.line.insats_id is not None


@dataclass
class LongTermColumn:
    """One year of the långtidsbudget table."""

    year: int
    state_change_percent: Decimal | None
    state: int
    driftsbidrag: int
    parts: list[allocation.MemberPart]
    eget_kapital_use: int
    other_income: int
    income_total: int
    costs: list[tuple[CostLine, int, bool]]
    cost_total: int
    result: int
    eget_kapital_closing: int
    settings: LongTermYear | None = None
    reserve: int = 0
    financing_specified: bool = True
    # Every line of the cost tree by pk; None where only the main line's total is known.
    line_amounts: dict[int, int | None] = field(default_factory=dict)

    @property
    def unallocated(self) -> int:
        """Ointecknade medel: reserve lines plus a surplus (the budget's own definition)."""
        return self.reserve + (max(self.result, 0) if self.financing_specified else 0)


@dataclass
class BudgetSummary:
    """Everything the budget page and the plan document show for a year, all computed."""

    budget: Budget
    driftsbidrag: int
    state: int
    parts: list[allocation.MemberPart]
    warnings: list[str]
    income_lines: list[IncomeLine]
    income_total: int
    cost_rows: list[CostRow]
    cost_total: int
    result: int
    reserve_total: int
    unallocated: int
    eget_kapital_opening: int
    eget_kapital_use: int
    eget_kapital_closing: int
    eget_kapital_ratio: Decimal | None
    eget_kapital_warning: bool
    long_term: list[LongTermColumn]
    financing_specified: bool = True

    @property
    def balanced(self) -> bool:
        """True when income equals costs (årets resultat 0); a costs-only budget is not unbalanced."""
        return self.result == 0 or not self.financing_specified

    @property
    def long_term_part_rows(self) -> list[tuple[str, list[int]]]:
        """Each member's part per långtidsbudget year: (name, [amount per year])."""
        return [
            (part.name, [col.parts[i].amount for col in self.long_term]) for i, part in enumerate(self.parts)
        ]

    @property
    def long_term_cost_rows(self) -> list[tuple[str, list[int]]]:
        """Each main cost line per långtidsbudget year: (label, [amount per year])."""
        return [
            (str(row.line), [col.costs[i][1] for col in self.long_term])
            for i, row in enumerate(self.cost_rows)
        ]

    @property
    def flat_cost_rows(self) -> list[CostRow]:
        """The cost tree in printed order, parents before their sub-lines."""
        out: list[CostRow] = []

        def walk(rows):
            for row in rows:
                out.append(row)
                walk(row.children)

        walk(self.cost_rows)
        return out


def _kommun_shares(budget: Budget, medlemmar: list[Medlem], warnings: list[str]) -> list[allocation.Share]:
    kommuner = [m for m in medlemmar if m.kind == MedlemKind.KOMMUN]
    if len(kommuner) == 1:
        # One kommun pays the whole kommun part: no population or share is needed to split it.
        return [allocation.Share(kommuner[0].name, 1, kommuner[0])]
    if budget.kommun_split == KommunSplit.FIXED_SHARE:
        shares = [allocation.Share(m.name, m.share_percent or 0, m) for m in kommuner]
        missing = [m.name for m in kommuner if m.share_percent is None]
        if missing:
            warnings.append("Fast andel saknas för " + ", ".join(missing) + ".")
        total = sum((Decimal(s.weight) for s in shares), Decimal(0))
        if kommuner and total != 100:
            warnings.append(
                f"Kommunernas fasta andelar summerar till {_percent(total)} %, inte 100 %. "
                "Beloppen fördelas i proportion till andelarna."
            )
    else:
        shares = [allocation.Share(m.name, m.population or 0, m) for m in kommuner]
        missing = [m.name for m in kommuner if not m.population]
        if missing:
            warnings.append("Folkmängd saknas för " + ", ".join(missing) + ".")
    if not kommuner:
        warnings.append("Förbundet har inga kommuner bland medlemmarna; kommunernas del visas på en rad.")
    return shares


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def _parts(budget: Budget, medlemmar: list[Medlem], shares, *, total: int) -> list[allocation.MemberPart]:
    first = {kind: next((m for m in medlemmar if m.kind == kind), None) for kind in MedlemKind.values}
    return allocation.member_parts(
        total=total,
        fk_af=budget.state_split == StateSplit.FK_AF,
        kommuner=shares,
        region_name=first["region"].name if first["region"] else "Regionen",
        fk_name=first["fk"].name if first["fk"] else "Försäkringskassan",
        af_name=first["af"].name if first["af"] else "Arbetsförmedlingen",
        region_ref=first["region"],
        fk_ref=first["fk"],
        af_ref=first["af"],
    )


def _cost_tree(lines: list[CostLine], insats_amounts: dict[int, int]) -> list[CostRow]:
    rows = {line.pk: CostRow(line=line) for line in lines}
    roots: list[CostRow] = []
    for line in lines:
        row = rows[line.pk]
        parent = rows.get(line.parent_id) if line.parent_id else None
        if parent is None:
            roots.append(row)
        else:
            parent.children.append(row)

    def compute(row: CostRow, depth: int) -> int:
        row.depth = depth
        if row.children:
            row.amount = sum(compute(child, depth + 1) for child in row.children)
        elif row.line.insats_id is not None:
            row.insats_year_missing = row.line.insats_id not in insats_amounts
            row.amount = insats_amounts.get(row.line.insats_id, 0)
        else:
            row.amount = row.line.amount or 0
        return row.amount

    for root in roots:
        compute(root, 0)
    return roots


def _ratio(closing: int, driftsbidrag: int) -> Decimal | None:
    if driftsbidrag <= 0:
        return None
    return (Decimal(closing) * 100 / Decimal(driftsbidrag)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def insats_budget_amounts(forbund, year: int) -> dict:
    """Each insats' budget amount for the year; a year row without an amount counts as missing."""
    return dict(
        InsatsYear.objects.filter(forbund=forbund, year=year, budget_amount__isnull=False).values_list(
            "insats_id", "budget_amount"
        )
    )


def budget_summary(*, forbund: Forbund, year: int) -> BudgetSummary | None:
    """The computed budget of a year (parts, tables, result, eget kapital, långtidsbudget), or None."""
    budget = (
        Budget.objects.filter(forbund=forbund, year=year)
        .prefetch_related(
            Prefetch(
                "income_lines", queryset=IncomeLine.objects.filter(forbund=forbund).order_by("position", "id")
            ),
            Prefetch(
                "cost_lines",
                queryset=CostLine.objects.filter(forbund=forbund)
                .select_related("insats")
                .order_by("position", "id"),
            ),
            Prefetch(
                "long_term_years",
                queryset=LongTermYear.objects.filter(forbund=forbund)
                .order_by("year")
                .prefetch_related(Prefetch("costs", queryset=LongTermCost.objects.filter(forbund=forbund))),
            ),
        )
        .first()
    )
    if budget is None:
        return None
    medlemmar = list(Medlem.objects.filter(forbund=forbund).order_by("position", "name"))
    insats_amounts = insats_budget_amounts(forbund, year)
    warnings: list[str] = []

    income_lines = list(budget.income_lines.all())
    has_driftsbidrag = budget.input_amount is not None
    financing_specified = has_driftsbidrag or bool(income_lines)
    if has_driftsbidrag:
        driftsbidrag = allocation.total_from_input(
            input_mode=budget.input_mode, input_amount=budget.input_amount or 0
        )
        shares = _kommun_shares(budget, medlemmar, warnings)
        parts = _parts(budget, medlemmar, shares, total=driftsbidrag)
    else:
        # Costs only: no driftsbidrag and no member split is invented.
        driftsbidrag, shares, parts = 0, [], []
    state = sum(p.amount for p in parts if p.kind in ("state", "fk", "af"))

    income_total = driftsbidrag + sum(line.amount for line in income_lines)
    eget_kapital_use = sum(line.amount for line in income_lines if line.kind == IncomeKind.EGET_KAPITAL)

    cost_lines = list(budget.cost_lines.all())
    cost_rows = _cost_tree(cost_lines, insats_amounts)
    cost_total = sum(row.amount for row in cost_rows)
    result = income_total - cost_total
    reserve_total = sum(row.amount for row in _flatten(cost_rows) if row.line.is_reserve and not row.children)
    unallocated = reserve_total + (max(result, 0) if financing_specified else 0)

    opening = budget.eget_kapital_opening
    closing = opening - eget_kapital_use + result
    ratio = _ratio(closing, driftsbidrag)
    if not financing_specified:
        warning = False
    elif driftsbidrag > 0:
        warning = closing * 100 > EGET_KAPITAL_LIMIT_PERCENT * driftsbidrag
    else:
        warning = closing > 0

    base = LongTermColumn(
        year=budget.year,
        state_change_percent=None,
        state=state,
        driftsbidrag=driftsbidrag,
        parts=parts,
        eget_kapital_use=eget_kapital_use,
        other_income=income_total - driftsbidrag - eget_kapital_use,
        income_total=income_total,
        costs=[(row.line, row.amount, False) for row in cost_rows],
        cost_total=cost_total,
        result=result,
        eget_kapital_closing=closing,
        reserve=reserve_total,
        financing_specified=financing_specified,
        line_amounts={row.line.pk: row.amount for row in _flatten(cost_rows)},
    )
    reserve_by_root = [
        sum(r.amount for r in _flatten([row]) if r.line.is_reserve and not r.children) for row in cost_rows
    ]
    long_term = [base]
    settings_by_year = {lty.year: lty for lty in budget.long_term_years.all()}
    previous = base
    for offset in range(1, LONG_TERM_YEARS + 1):
        lt_year = budget.year + offset
        settings = settings_by_year.get(lt_year)
        percent = settings.state_change_percent if settings else Decimal("-10")
        lt_state = allocation.next_state_allocation(previous.state, percent)
        lt_parts = _parts(budget, medlemmar, shares, total=2 * lt_state) if has_driftsbidrag else []
        stored = settings.costs.all() if settings else []
        overrides = {c.cost_line_id: c.amount for c in stored if c.amount is not None}
        costs = []
        lt_reserve = 0
        line_amounts: dict[int, int | None] = {}
        for row, root_reserve in zip(cost_rows, reserve_by_root, strict=True):
            override = overrides.get(row.line.pk)
            by_sub_lines = any(r.line.pk in overrides for r in _flatten(row.children))
            amount = _long_term_tree(row, overrides, line_amounts)
            costs.append((row.line, amount, by_sub_lines or override is not None))
            # A carried-forward line keeps its reserve; one set per sub-line counts its reserve
            # sub-lines; a main line given a new total is reserve only if it is one itself.
            if by_sub_lines:
                reserve_leaves = [r for r in _flatten([row]) if r.line.is_reserve and not r.children]
                lt_reserve += sum(line_amounts[r.line.pk] or 0 for r in reserve_leaves)
            elif override is None:
                lt_reserve += root_reserve
            elif row.line.is_reserve and not row.children:
                lt_reserve += override
        lt_cost_total = sum(amount for _, amount, _ in costs)
        use = settings.eget_kapital_use if settings else 0
        lt_income = 2 * lt_state + use
        lt_result = lt_income - lt_cost_total
        column = LongTermColumn(
            year=lt_year,
            state_change_percent=percent,
            state=lt_state,
            driftsbidrag=2 * lt_state,
            parts=lt_parts,
            eget_kapital_use=use,
            other_income=0,
            income_total=lt_income,
            costs=costs,
            cost_total=lt_cost_total,
            result=lt_result,
            eget_kapital_closing=previous.eget_kapital_closing - use + lt_result,
            settings=settings,
            reserve=lt_reserve,
            financing_specified=financing_specified,
            line_amounts=line_amounts,
        )
        long_term.append(column)
        previous = column

    return BudgetSummary(
        budget=budget,
        driftsbidrag=driftsbidrag,
        state=state,
        parts=parts,
        warnings=warnings,
        income_lines=income_lines,
        income_total=income_total,
        cost_rows=cost_rows,
        cost_total=cost_total,
        result=result,
        reserve_total=reserve_total,
        unallocated=unallocated,
        eget_kapital_opening=opening,
        eget_kapital_use=eget_kapital_use,
        eget_kapital_closing=closing,
        eget_kapital_ratio=ratio,
        eget_kapital_warning=warning,
        long_term=long_term,
        financing_specified=financing_specified,
    )


def _long_term_tree(row: CostRow, overrides: Mapping[int, int | None], out: dict[int, int | None]) -> int:
    """A line's amount in a later year: the sum of its set sub-lines, else its own, else carried.

    Writes every line's amount into ``out``: carried forward, a sub-line keeps its amount; under
    a main line set to 0 it is 0; under any other new total it is unknown (None, printed "–").
    """
    if row.children and any(r.line.pk in overrides for r in _flatten(row.children)):
        amount = sum(_long_term_tree(child, overrides, out) for child in row.children)
    else:
        set_amount = overrides.get(row.line.pk)
        amount = row.amount if set_amount is None else set_amount
        for r in _flatten(row.children):
            out[r.line.pk] = r.amount if set_amount is None else (0 if amount == 0 else None)
    out[row.line.pk] = amount
    return amount


def _flatten(rows: list[CostRow]) -> list[CostRow]:
    out: list[CostRow] = []
    for row in rows:
        out.append(row)
        out.extend(_flatten(row.children))
    return out
