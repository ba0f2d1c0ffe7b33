"""Demo step for apps.budgets: ``budget``, one entry per year with income, costs and långtidsbudget.

Sub-lines tied to an insats take its year row's amount (the budget services do that).
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from apps.budgets.models import (
    Budget,
    CostLine,
    IncomeKind,
    IncomeLine,
    InputMode,
    KommunSplit,
    LongTermCost,
    LongTermYear,
    StateSplit,
)
from apps.budgets.models import Display as BudgetDisplay
from apps.budgets.services import (
    BUDGET_FIELDS,
    budget_create,
    budget_update,
    cost_line_create,
    cost_line_update,
    income_line_create,
    income_line_update,
    long_term_year_set,
)

from .base import DemoDataError, DemoRun, ForbundDemo, Step, check_choice, check_keys, check_known

BUDGET_KEYS = {"year", "source", *BUDGET_FIELDS, "income", "costs", "long_term"}
INCOME_KEYS = {"kind", "name", "amount"}
COST_KEYS = {"account_code", "name", "amount", "insats", "is_reserve", "children"}
# Separates a main line from its sub-line in a långtidsbudget key: "Styrelse och kansli / Kansli".
SUB_LINE = " / "
LONG_TERM_KEYS = {"year", "state_change_percent", "eget_kapital_use", "costs"}


def check(where: str, data: dict[str, Any]) -> None:
    """Check the budgets' shape, choices and that every insats and cost line they name exists."""
    insatser = {insats["name"] for insats in data.get("insatser", [])}
    years = set()
    for budget in data.get("budget", []):
        here = f"{where} budget {budget.get('year')}"
        check_keys(budget, BUDGET_KEYS, here)
        if budget["year"] in years:
            raise DemoDataError(f"{here}: året finns två gånger.")
        years.add(budget["year"])
        check_choice(budget.get("input_mode", InputMode.TOTAL), InputMode.values, "beloppstyp", here)
        check_choice(
            budget.get("state_split", StateSplit.FK_AF), StateSplit.values, "visning av statens del", here
        )
        check_choice(
            budget.get("kommun_split", KommunSplit.POPULATION), KommunSplit.values, "kommunfördelning", here
        )
        check_choice(budget.get("display", BudgetDisplay.KR), BudgetDisplay.values, "visning", here)
        for line in budget.get("income", []):
            check_keys(line, INCOME_KEYS, f"{here} intäkt {line.get('name')!r}")
            check_choice(line["kind"], IncomeKind.values, "intäktstyp", here)
        roots = set()
        lines = set()
        for line in budget.get("costs", []):
            there = f"{here} kostnad {line.get('name')!r}"
            check_keys(line, COST_KEYS, there)
            if line["name"] in roots:
                raise DemoDataError(f"{there}: namnet finns två gånger.")
            roots.add(line["name"])
            lines.add(line["name"])
            names = set()
            for child in [line, *line.get("children", [])]:
                if child is not line:
                    check_keys(child, COST_KEYS - {"children"}, f"{there} underrad {child.get('name')!r}")
                    if child["name"] in names:
                        raise DemoDataError(f"{there}: underraden {child['name']!r} finns två gånger.")
                    names.add(child["name"])
                    lines.add(f"{line['name']}{SUB_LINE}{child['name']}")
                if child.get("insats"):
                    check_known(child["insats"], insatser, "insatsen", there)
        for column in budget.get("long_term", []):
            there = f"{here} långtidsbudget {column.get('year')}"
            check_keys(column, LONG_TERM_KEYS, there)
            if column["year"] not in (budget["year"] + 1, budget["year"] + 2):
                raise DemoDataError(f"{there}: långtidsbudgeten gäller de två följande åren.")
            for name in column.get("costs", {}):
                check_known(name, lines, "raden", there)


def load(run: DemoRun, demo: ForbundDemo) -> None:
    """Bring each year's budget, its income lines, cost tree and långtidsbudget to the file."""
    for spec in demo.data.get("budget", []):
        _budget(run, demo, spec)


def _budget(run: DemoRun, demo: ForbundDemo, spec: dict[str, Any]) -> None:
    forbund = demo.forbund
    budget = run.sync(
        Budget.objects.filter(forbund=forbund, year=spec["year"]).first(),
        {
            "input_mode": spec.get("input_mode", InputMode.TOTAL),
            "input_amount": spec["input_amount"],
            "state_split": spec.get("state_split", StateSplit.FK_AF),
            "kommun_split": spec.get("kommun_split", KommunSplit.POPULATION),
            "eget_kapital_opening": spec.get("eget_kapital_opening", 0),
            "display": spec.get("display", BudgetDisplay.KR),
            "notes": spec.get("notes", ""),
        },
        create=partial(budget_create, forbund=forbund, actor=run.actor, year=spec["year"]),
        update=lambda found, **stale: budget_update(forbund=forbund, actor=run.actor, budget=found, **stale),
    )
    for line in spec.get("income", []):
        run.sync(
            IncomeLine.objects.filter(forbund=forbund, budget=budget, name=line["name"]).first(),
            {"kind": line["kind"], "amount": line["amount"]},
            create=partial(
                income_line_create, forbund=forbund, actor=run.actor, budget=budget, name=line["name"]
            ),
            update=lambda found, **stale: income_line_update(
                forbund=forbund, actor=run.actor, income_line=found, **stale
            ),
        )
    lines = {}
    for line in spec.get("costs", []):
        root = _cost_line(run, demo, budget, line, None)
        lines[line["name"]] = root
        for child in line.get("children", []):
            lines[f"{line['name']}{SUB_LINE}{child['name']}"] = _cost_line(run, demo, budget, child, root)
    for column in spec.get("long_term", []):
        _long_term_year(run, demo, budget, column, lines)


def _cost_line(
    run: DemoRun, demo: ForbundDemo, budget: Budget, spec: dict[str, Any], parent: CostLine | None
) -> CostLine:
    """A cost line is found by name under its parent (None for a main line)."""
    forbund = demo.forbund
    return run.sync(
        CostLine.objects.filter(forbund=forbund, budget=budget, parent=parent, name=spec["name"]).first(),
        {
            "account_code": spec.get("account_code", ""),
            "amount": spec.get("amount"),
            "insats": demo.insatser[spec["insats"]] if spec.get("insats") else None,
            "is_reserve": spec.get("is_reserve", False),
        },
        create=partial(
            cost_line_create,
            forbund=forbund,
            actor=run.actor,
            budget=budget,
            parent=parent,
            name=spec["name"],
        ),
        update=lambda found, **stale: cost_line_update(
            forbund=forbund, actor=run.actor, cost_line=found, **stale
        ),
    )


def _long_term_year(
    run: DemoRun, demo: ForbundDemo, budget: Budget, spec: dict[str, Any], lines: dict[str, CostLine]
) -> None:
    """A långtidsbudget year is set as a whole (scenario, eget kapital and per-line amounts).

    A key names a main line, or a sub-line as "main line / sub-line"."""
    forbund = demo.forbund
    overrides = {lines[name]: amount for name, amount in spec.get("costs", {}).items()}
    found = LongTermYear.objects.filter(forbund=forbund, budget=budget, year=spec["year"]).first()
    current = {}
    if found is not None:
        current = dict(
            LongTermCost.objects.filter(forbund=forbund, long_term_year=found).values_list(
                "cost_line_id", "amount"
            )
        )
    wanted = {
        "state_change_percent": Decimal(spec.get("state_change_percent", "-10")),
        "eget_kapital_use": spec.get("eget_kapital_use", 0),
    }
    set_year = partial(
        long_term_year_set,
        forbund=forbund,
        actor=run.actor,
        budget=budget,
        year=spec["year"],
        overrides=overrides,
    )
    run.sync(
        found,
        wanted,
        create=set_year,
        # The service sets the whole year, so it gets every value, not only the stale ones.
        update=lambda _row, **_stale: set_year(**wanted),
        differs=current != {line.pk: amount for line, amount in overrides.items()},
    )


STEP = Step("budgets", frozenset({"budget"}), check, load)
