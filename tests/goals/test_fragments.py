"""The year page's row fragments rendered once and filled in: the same HTML as rendered per row."""

import re
import uuid
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string

from apps.goals.fragments import delmal_row, rendered_once
from apps.goals.models import Comparator, IndicatorKind
from tests.insatser.conftest import make_insats

from .factories import DelmalFactory, MalomradeFactory

YEAR_URL = "/f/alfa/mal/2023/"
TOKEN = "t" * 64
FRAGMENTS = [
    ("goals/_delmal_actions.html", "delmal"),
    ("goals/_malomrade_actions.html", "malomrade"),
    ("goals/_delmal_add.html", "malomrade"),
]


def _spaces(html: str) -> str:
    """Whitespace collapsed, as the browser shows it (the template indents, delmal_row does not)."""
    return re.sub(r"\s+", " ", html).strip()


def _same_token(html: str) -> str:
    return re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]+"', f'name="csrfmiddlewaretoken" value="{TOKEN}"', html
    )


@pytest.mark.parametrize(("template", "name"), FRAGMENTS)
def test_fragment_filled_in_equals_rendering_for_the_row(template, name, forbund_a, forbund_b, in_scope):
    with in_scope(forbund_a):
        malomrade = MalomradeFactory(forbund=forbund_a, year=2023, number=12)
        delmal = DelmalFactory(malomrade=malomrade, number=3)
        row = delmal if name == "delmal" else malomrade
        context = {"forbund": forbund_a, "csrf_token": TOKEN}
        fill = rendered_once(template, name, context)
        expected = render_to_string(template, {**context, name: row})
        label = delmal.label if name == "delmal" else malomrade.number
        assert fill(row.public_id, label) == expected
    assert str(row.public_id) in expected and ("12.3" if name == "delmal" else "12") in expected


@pytest.mark.parametrize(("template", "name"), FRAGMENTS)
def test_fragment_label_escaped_as_the_template_escapes(template, name, forbund_a, in_scope):
    row = SimpleNamespace(public_id=uuid.uuid4(), number='<1 & "2">', label='<1 & "2">')
    context = {"forbund": forbund_a, "csrf_token": TOKEN}
    with in_scope(forbund_a):
        filled = rendered_once(template, name, context)(row.public_id, row.label)
        expected = render_to_string(template, {**context, name: row})
    assert filled == expected
    assert "&lt;1 &amp; &quot;2&quot;&gt;" in filled and '<1 & "2">' not in filled


def test_year_page_rows_have_their_own_actions(client_for, alice, forbund_a, forbund_b, in_scope):
    with in_scope(forbund_a):
        malomraden = [MalomradeFactory(forbund=forbund_a, year=2023, number=n) for n in (1, 2)]
        delmal = [DelmalFactory(malomrade=m, number=n) for m in malomraden for n in (1, 2, 3)]
    response = client_for(alice).get(YEAR_URL)
    body = _same_token(response.content.decode())
    context = {"forbund": forbund_a, "csrf_token": TOKEN}
    with in_scope(forbund_a):
        for row in delmal:
            assert render_to_string("goals/_delmal_actions.html", {**context, "delmal": row}) in body
        for row in malomraden:
            assert render_to_string("goals/_malomrade_actions.html", {**context, "malomrade": row}) in body
            add = {**context, "malomrade": row, "form": None, "open": False}
            assert render_to_string("goals/_delmal_add.html", add) in body
    # Rendered once for the page, not once per row.
    names = [t.name for t in response.templates]
    assert names.count("goals/_delmal_actions.html") == 1
    assert names.count("goals/_malomrade_actions.html") == 1
    assert names.count("goals/_delmal_add.html") == 1
    assert "goals/_delmal_row.html" not in names  # rows written by delmal_row
    assert body.count('<tr id="delmal-') == 6


def test_year_page_revisor_gets_no_row_actions(client_for, bob, forbund_a, in_scope):
    with in_scope(forbund_a):
        DelmalFactory(malomrade=MalomradeFactory(forbund=forbund_a, year=2023, number=1), number=1)
    response = client_for(bob).get(YEAR_URL)
    body = response.content.decode()
    assert "Flytta upp" not in body and "Ändra" not in body and "Lägg till delmål" not in body
    assert "goals/_delmal_actions.html" not in [t.name for t in response.templates]


def test_delmal_created_in_place_has_its_actions(client_for, alice, forbund_a, in_scope):
    with in_scope(forbund_a):
        malomrade = MalomradeFactory(forbund=forbund_a, year=2023, number=4)
    prefix = f"ny-{malomrade.public_id.hex[:8]}"
    data = {"text": "Fler når arbete", "tidpunkt": "ar", "data_source": "enkat_nns"}
    response = client_for(alice).post(
        f"/f/alfa/mal/malomrade/{malomrade.public_id}/nytt-delmal/",
        {f"{prefix}-{key}": value for key, value in data.items()},
        headers={"HX-Request": "true"},
    )
    body = _same_token(response.content.decode())
    with in_scope(forbund_a):
        delmal = malomrade.delmal.get()
        expected = render_to_string(
            "goals/_delmal_actions.html", {"forbund": forbund_a, "csrf_token": TOKEN, "delmal": delmal}
        )
    assert expected in body
    assert f'action="/f/alfa/mal/delmal/{delmal.public_id}/flytta/"' in body
    assert 'aria-label="Flytta ned: delmål 4.1"' in body


RESULTS = {
    "met": SimpleNamespace(met=True, explanation="9 185 deltagare, fler än 2022. Målet är uppfyllt."),
    "not met": SimpleNamespace(met=False, explanation="1,8 steg <i genomsnitt> & mindre än 4."),
    "no data": SimpleNamespace(met=None, explanation="Färre än 5 personer: värdet visas inte."),
    "not computed yet": None,
}


@pytest.mark.parametrize("edit", [True, False])
@pytest.mark.parametrize("result", list(RESULTS))
def test_delmal_row_equals_the_row_template(edit, result, forbund_a, forbund_b, in_scope):
    with in_scope(forbund_a):
        insats = make_insats(forbund_a, "Steg & <framåt>")
        malomrade = MalomradeFactory(forbund=forbund_a, year=2023, number=2)
        rows = [
            DelmalFactory(malomrade=malomrade, number=1),
            DelmalFactory(
                malomrade=malomrade,
                number=2,
                text="Fler <b>deltagare</b>\nnår arbete & studier",
                indicator="Andel\r\nsom\rsvarar",
                utvarderingsmetod="Följs i SUS & NNS",
                insats=insats,
                indicator_kind=IndicatorKind.DELTAGARE_JAMFORT,
                target_comparator=Comparator.OKA,
                baseline_year=2022,
            ),
            DelmalFactory(
                malomrade=malomrade, number=3, indicator="", tidpunkt="", data_source="", responsible=""
            ),
            DelmalFactory(
                malomrade=malomrade,
                number=4,
                indicator_kind=IndicatorKind.STEG_MEDEL,
                target_comparator=Comparator.MINST,
                target_value=4,
            ),
        ]
        for row in rows:
            if RESULTS[result] is not None:
                row.result = RESULTS[result]
            row.actions = render_to_string(
                "goals/_delmal_actions.html", {"forbund": forbund_a, "csrf_token": TOKEN, "delmal": row}
            )
            expected = render_to_string(
                "goals/_delmal_row.html", {"delmal": row, "abilities": {"plan_edit": edit}}
            )
            assert _spaces(delmal_row(row, edit=edit)) == _spaces(expected)
    assert ("Flytta upp: delmål 2.4" in expected) is edit


def test_year_page_rows_equal_the_row_template(client_for, bob, forbund_a, forbund_b, in_scope):
    with in_scope(forbund_a):
        malomrade = MalomradeFactory(forbund=forbund_a, year=2023, number=1)
        rows = [DelmalFactory(malomrade=malomrade, number=n, utvarderingsmetod=f"Metod {n}") for n in (1, 2)]
    body = _spaces(client_for(bob).get(YEAR_URL).content.decode())
    with in_scope(forbund_a):
        for row in rows:
            expected = render_to_string(
                "goals/_delmal_row.html", {"delmal": row, "abilities": {"plan_edit": False}}
            )
            assert _spaces(expected) in body
