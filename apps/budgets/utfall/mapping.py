"""From parsed entries to amounts per budget line and month, via the förbund's account mappings.

A mapping points at a line of one year's budget; for another year the line with the same
kind, account code and name in that year's budget is used, so a mapping is kept once and
reused every year. When ranges overlap the narrowest range wins. Amounts are summed per
line and month and then rounded half up to whole kronor.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from apps.tenancy.models import Forbund

from ..models import AccountMapping, Budget, CostLine, IncomeLine
from .parsing import ParseResult

COST, INCOME = "cost", "income"


@dataclass
class MappedLine:
    """A budget line with the outcome per month the file gives it."""

    kind: str
    line: CostLine | IncomeLine
    months: dict[int, int] = field(default_factory=dict)
    accounts: set[int] = field(default_factory=set)

    @property
    def total(self) -> int:
        return sum(self.months.values())

    @property
    def month_list(self) -> list[int | None]:
        return [self.months.get(m) for m in range(1, 13)]

    @property
    def label(self) -> str:
        return str(self.line)


@dataclass
class Mapped:
    """The import as it would be saved: lines with monthly amounts, or the errors."""

    parse: ParseResult
    lines: list[MappedLine] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    #: (kind, line pk, month, amount, account text)
    rows: list[tuple[str, int, int, int, str]] = field(default_factory=list)

    @property
    def all_errors(self) -> list[tuple[int, str]]:
        return sorted(self.parse.errors + self.errors, key=lambda e: e[0])

    @property
    def all_file_errors(self) -> list[str]:
        return self.parse.file_errors + self.file_errors

    @property
    def has_errors(self) -> bool:
        return bool(self.all_errors or self.all_file_errors)


def _key(line) -> tuple[str, str]:
    return (line.account_code if isinstance(line, CostLine) else "", line.name.casefold())


def map_entries(*, forbund: Forbund, year: int, parsed: ParseResult, credit_is_income: bool) -> Mapped:
    """Resolve every entry to a line of the year's budget; unmapped accounts are errors."""
    mapped = Mapped(parse=parsed)
    if parsed.file_errors:
        return mapped
    budget = Budget.objects.filter(forbund=forbund, year=year).first()
    if budget is None:
        mapped.file_errors.append(f"Det finns ingen budget för {year}. Skapa budgeten först.")
        return mapped
    cost_lines = list(CostLine.objects.filter(forbund=forbund, budget=budget).order_by("position", "id"))
    income_lines = list(IncomeLine.objects.filter(forbund=forbund, budget=budget).order_by("position", "id"))
    by_key = {COST: {_key(cl): cl for cl in cost_lines}, INCOME: {_key(il): il for il in income_lines}}
    mappings = sorted(
        AccountMapping.objects.filter(forbund=forbund).select_related("cost_line", "income_line"),
        key=lambda m: (m.account_to - m.account_from, m.account_from),
    )
    sums: dict[tuple[str, int], dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    accounts: dict[tuple[str, int], set[int]] = defaultdict(set)
    lines: dict[tuple[str, int], CostLine | IncomeLine] = {}

    def resolve_mapping(mapping):
        kind, line = (COST, mapping.cost_line) if mapping.cost_line_id else (INCOME, mapping.income_line)
        if line.budget_id == budget.pk:
            return kind, line
        return kind, by_key[kind].get(_key(line))

    for entry in parsed.entries:
        if entry.account is not None:
            mapping = next((m for m in mappings if m.account_from <= entry.account <= m.account_to), None)
            name = parsed.account_names.get(entry.account)
            shown = f"{entry.account} ({name})" if name else str(entry.account)
            if mapping is None:
                mapped.errors.append(
                    (
                        entry.number,
                        f"Kontot {shown} är inte kopplat till någon budgetrad. Lägg till en kontokoppling.",
                    )
                )
                continue
            kind, line = resolve_mapping(mapping)
            if line is None:
                target = mapping.cost_line or mapping.income_line
                mapped.errors.append(
                    (
                        entry.number,
                        f"Kontot {shown} är kopplat till ”{target}”, som saknas i budgeten för {year}.",
                    )
                )
                continue
        else:
            kind, line, error = _line_by_name(entry.line_ref, cost_lines, income_lines)
            if error:
                mapped.errors.append((entry.number, error))
                continue
        amount = entry.amount
        if kind == INCOME and credit_is_income:
            amount = -amount
        sums[(kind, line.pk)][entry.month] += amount
        lines[(kind, line.pk)] = line
        if entry.account is not None:
            accounts[(kind, line.pk)].add(entry.account)
    if mapped.errors:
        return mapped
    order = {(COST, cl.pk): i for i, cl in enumerate(cost_lines)}
    order.update({(INCOME, il.pk): len(cost_lines) + i for i, il in enumerate(income_lines)})
    for key in sorted(sums, key=order.__getitem__):
        kind, pk = key
        months = {
            m: int(v.quantize(Decimal(1), rounding=ROUND_HALF_UP)) for m, v in sorted(sums[key].items())
        }
        account_text = ", ".join(str(a) for a in sorted(accounts[key]))[:20]
        mapped.lines.append(MappedLine(kind=kind, line=lines[key], months=months, accounts=accounts[key]))
        mapped.rows.extend((kind, pk, month, amount, account_text) for month, amount in months.items())
    return mapped


def _line_by_name(ref: str, cost_lines, income_lines):
    wanted = ref.strip().casefold()
    candidates = [(COST, cl) for cl in cost_lines] + [(INCOME, il) for il in income_lines]
    hits = [(k, ln) for k, ln in candidates if wanted in (str(ln).casefold(), ln.name.casefold())]
    if not hits:
        hits = [
            (k, ln)
            for k, ln in candidates
            if k == COST and ln.account_code and ln.account_code == ref.strip()
        ]
    if len(hits) == 1:
        return hits[0][0], hits[0][1], ""
    if not hits:
        return None, None, f"Budgetrad: ”{ref}” finns inte i budgeten."
    return (
        None,
        None,
        f"Budgetrad: ”{ref}” passar flera rader i budgeten. Skriv den som den står, med kontokod.",
    )
