"""The insats list costs the same number of queries for 2 insatser and for 12, and its row links work."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.tenancy.scope import tenant_scope

from .conftest import make_insats

YEAR = 2026


def _add(forbund, prefix, count):
    with tenant_scope(forbund):
        return [
            make_insats(
                forbund,
                f"{prefix} {i}",
                years=[YEAR],
                medparter=2,
                ovriga_medparter="Arbetsgivarring\nFöreningen Väg",
            )
            for i in range(count)
        ]


def test_insats_list_queries_are_flat_and_rows_link_to_their_insats(
    client_for, alice, forbund_a, forbund_b, insats_b, django_assert_num_queries
):
    client = client_for(alice)
    path = f"/f/alfa/insatser/?ar={YEAR}"
    _add(forbund_a, "Liten", 2)
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    few = len(ctx.captured_queries)
    many = _add(forbund_a, "Stor", 10)
    with django_assert_num_queries(few):
        response = client.get(path)
    html = response.content.decode()
    assert html.count('">Stor ') == 10
    insats = many[3]
    # The row's name links to the insats, and its order buttons post to its own move URL.
    assert f'<a href="/f/alfa/insatser/{insats.public_id}/">Stor 3</a>' in html
    assert f'action="/f/alfa/insatser/{insats.public_id}/flytta/"' in html
    assert f'hx-post="/f/alfa/insatser/{insats.public_id}/flytta/"' in html
    # Medparter: the members first, then the other organisations, comma separated.
    assert "<td>Medpart 0 Stor 3, Medpart 1 Stor 3, Arbetsgivarring, Föreningen Väg</td>" in html


def test_insats_list_shows_a_dash_without_medparter_and_no_order_buttons_for_revisor(
    client_for, bob, forbund_a, forbund_b
):
    with tenant_scope(forbund_a):
        insats = make_insats(forbund_a, "Ensam", years=[YEAR])
    html = client_for(bob).get(f"/f/alfa/insatser/?ar={YEAR}").content.decode()
    assert f'<a href="/f/alfa/insatser/{insats.public_id}/">Ensam</a>' in html
    assert "<td>–</td>" in html
    assert "/flytta/" not in html


def test_insats_list_cells_are_formatted_as_the_template_filters_format_them(client_for, alice, forbund_a):
    """The row texts are made in the view (issue 13): the same figures as ``{{ x }}`` and floatformat."""
    from decimal import Decimal

    from django.template import engines

    from apps.insatser import services

    with tenant_scope(forbund_a):
        insats = make_insats(forbund_a, "Figurer <&>")
        services.insats_year_create(
            forbund=forbund_a,
            actor=None,
            insats=insats,
            year=YEAR,
            budget_amount=1_234_567,
            financed_fte=Decimal("2.5"),
            budgeted_volume=1200,
        )
    expected = (
        engines["django"]
        .from_string("{{ b }} kr|{{ f|floatformat:2 }}|{{ v }}")
        .render({"b": 1_234_567, "f": Decimal("2.5"), "v": 1200})
        .split("|")
    )
    html = client_for(alice).get(f"/f/alfa/insatser/?ar={YEAR}").content.decode()
    row = html[html.index("Figurer &lt;&amp;&gt;") :]
    row = row[: row.index("</tr>")]
    assert "<td>Ägare Figurer &lt;&amp;&gt;</td>" in row
    assert "<td>–</td>" in row  # neither medparter nor a plattform
    assert "".join(f'<td class="num">{text}</td>' for text in expected) in re.sub(r">\s+<", "><", row)
    # Alone in its group: no order buttons, but the editor's cell is there.
    assert "Flytta" not in row
    assert row.rstrip().endswith("</td>")


def test_insats_list_queries_are_flat_for_the_revisor(
    client_for, bob, forbund_a, forbund_b, insats_b, django_assert_num_queries
):
    client = client_for(bob)
    path = f"/f/alfa/insatser/?ar={YEAR}"
    _add(forbund_a, "Liten", 2)
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    few = len(ctx.captured_queries)
    _add(forbund_a, "Stor", 10)
    with django_assert_num_queries(few):
        html = client.get(path).content.decode()
    assert html.count('">Stor ') == 10
    assert "Flytta" not in html
