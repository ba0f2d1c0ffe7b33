"""The budget pages' row filters (apps.budgets.templatetags.budget_cells) write what the templates
they stand for render: every cell, label, link and form, with the same escaping.

The comparison ignores only how much white space there is between and inside tags, which a
browser does not show.
"""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse

from apps.budgets.models import CostLine, IncomeLine, PrognosisOverride
from apps.budgets.selectors import CostRow
from apps.budgets.templatetags.budget_cells import _kronor, period_cells, period_rows, so_far_rows
from apps.budgets.utfall.selectors import TERTIALS, Period, _line
from apps.core.formatting import format_kronor

FORBUND = SimpleNamespace(slug="alfa")
UTFALL = [120_000, -5_000, 0, 99_999, 1, 0, 0, 0, 0, 0, 0, 0]


def _norm(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace(" >", ">").strip()


@pytest.mark.parametrize(
    "value", [0, 1, -1, 999, 1000, -1000, 1_234_567, -250_001, 10**12, Decimal("1234.5"), None, ""]
)
def test_kronor_writes_what_the_kronor_filter_writes(value):
    assert _kronor(value) == format_kronor(value)


PERIODS = [Period(0, 0), Period(100, 250), Period(3_000_000, 2_999_999), Period(-12, 5), Period(7, 0)]


@pytest.mark.parametrize("period", PERIODS)
def test_period_cells_equal_the_period_row_template(period):
    expected = render_to_string("budgets/utfall/_period_row.html", {"period": period})
    assert period_cells(period) == expected


def _cost_line(name='Kansli <&> "A"', code="106"):
    return CostLine(name=name, account_code=code, public_id=uuid.uuid4())


def _lines(override=None):
    main = _cost_line()
    sub = _cost_line(name="Del 'B'", code="")
    income = IncomeLine(name="Ränta & <avgift>", public_id=uuid.uuid4())
    return [
        _line("cost", main, str(main), 0, 3_468_000, list(UTFALL), 5, override),
        _line("cost", sub, str(sub), 1, -13, [0] * 12, 5, None),
        _line("income", income, income.name, 0, 23_336, list(UTFALL), 0, override),
    ]


OVERRIDE = PrognosisOverride(amount=5, comment='Ny "bedömning" <b>&')


@pytest.mark.parametrize("override", [None, OVERRIDE])
@pytest.mark.parametrize("editor", [True, False])
def test_so_far_rows_equal_the_so_far_row_template(override, editor):
    rows = _lines(override)
    for row in rows:
        if editor:
            row.edit_url = reverse("budgets:prognosis_edit", args=[FORBUND.slug, row.line.public_id])
    context = {"forbund": FORBUND, "abilities": {"plan_edit": editor}}
    for row in rows:
        kind = row.kind
        expected = render_to_string(
            "budgets/utfall/_so_far_row.html", {**context, "row": row, "income": kind == "income"}
        )
        assert _norm(so_far_rows([row], kind)) == _norm(expected)
    assert ("Egen prognos: Ny &quot;bedömning&quot; &lt;b&gt;&amp;" in so_far_rows(rows)) == bool(override)
    assert ("Ändra prognos för (106) Kansli &lt;&amp;&gt;" in so_far_rows(rows)) == editor


# The tertial tables' loops as budgets/utfall/followup.html wrote them before the filter.
PERIOD_LOOP = Template(
    """{% for row, period in pairs %}
    <tr>
        <th scope="row">
            {% if row.depth %}<span aria-hidden="true">–</span>{% endif %}
            {{ row.label }}
        </th>
        {% include "budgets/utfall/_period_row.html" %}
    </tr>
{% endfor %}"""
)
INCOME_LOOP = Template(
    """{% for row, period in pairs %}
    <tr>
        <th scope="row">Intäkt: {{ row.label }}</th>
        {% include "budgets/utfall/_period_row.html" %}
    </tr>
{% endfor %}"""
)


@pytest.mark.parametrize("tertial", range(len(TERTIALS)))
def test_period_rows_equal_the_tertial_table_loops(tertial):
    rows = _lines()
    costs = [(row, row.tertials[tertial]) for row in rows if row.kind == "cost"]
    income = [(row, row.tertials[tertial]) for row in rows if row.kind == "income"]
    assert _norm(period_rows(costs)) == _norm(PERIOD_LOOP.render(Context({"pairs": costs})))
    assert _norm(period_rows(income, "income")) == _norm(INCOME_LOOP.render(Context({"pairs": income})))


def _cost_rows() -> list[CostRow]:
    """A main line summing its sub-lines, one of them an insats line without a budget for the
    year and one a reserve; a main line with a typed amount; one reading an insats, at position 0."""
    insats_line = CostRow(
        line=CostLine(name="Insats <x>", insats_id=7, public_id=uuid.uuid4(), position=1),
        amount=0,
        depth=1,
        insats_year_missing=True,
    )
    reserve = CostRow(
        line=CostLine(name="Reserv", amount=50_000, is_reserve=True, public_id=uuid.uuid4(), position=2),
        amount=50_000,
        depth=1,
    )
    main = CostRow(
        line=CostLine(name="Grupp & co", account_code="101", public_id=uuid.uuid4(), position=0),
        amount=50_000,
        children=[insats_line, reserve],
    )
    typed = CostRow(
        line=CostLine(
            name="Revision", account_code="110", amount=-250_001, public_id=uuid.uuid4(), position=3
        ),
        amount=-250_001,
    )
    empty_main = CostRow(
        line=CostLine(name="Ny huvudrad", public_id=uuid.uuid4(), position=4),
        amount=0,
    )
    read = CostRow(
        line=CostLine(name="Finspång", insats_id=3, public_id=uuid.uuid4(), position=5),
        amount=1_386_000,
    )
    rows = [main, insats_line, reserve, typed, empty_main, read]
    for row in rows:
        row.links = {
            "edit": f"/f/alfa/budget/kostnader/{row.line.public_id}/andra/",
            "delete": f"/f/alfa/budget/kostnader/{row.line.public_id}/ta-bort/",
            "move": f"/f/alfa/budget/kostnader/{row.line.public_id}/flytta/?x=1&y=2",
        }
    return rows


@pytest.mark.parametrize("visning", ["kr", "tkr"])
@pytest.mark.parametrize("edit", [True, False])
def test_cost_rows_equal_the_cost_row_template(visning, edit):
    rows = _cost_rows()
    context = {
        "summary": SimpleNamespace(budget=SimpleNamespace(year=2023)),
        "visning": visning,
        "edit": edit,
        "new_sub_line_url": "/f/alfa/budget/2023/kostnader/ny/",
        "csrf_token": "token&<",
    }
    expected = "".join(render_to_string("budgets/_cost_row.html", {**context, "row": row}) for row in rows)
    written = Template("{% load budget_cells %}{% cost_rows rows %}").render(
        Context({**context, "rows": rows})
    )
    assert _norm(written) == _norm(expected)
    assert written.count('<span aria-hidden="true">   </span>') == 2
    assert ("Ny underrad" in written) == edit
    assert written.count("Flytta upp") == (10 if edit else 0)  # aria-label and text, not at position 0


@pytest.mark.parametrize("edit", [True, False])
def test_cost_rows_without_lines_say_so(edit):
    written = Template("{% load budget_cells %}{% cost_rows rows %}").render(
        Context({"rows": [], "edit": edit})
    )
    colspan = 3 if edit else 2
    assert _norm(written) == f'<tr> <td colspan="{colspan}">Inga kostnadsrader ännu.</td> </tr>'
