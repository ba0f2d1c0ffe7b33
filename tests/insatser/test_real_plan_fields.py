"""Insatser as real plans describe them: optional figures, non-member owners, grants without §."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.insatser import services
from apps.insatser.models import Insats, InsatsStatus, InsatsYear
from apps.members.models import Medlem, MedlemKind
from apps.tenancy.scope import tenant_scope


@pytest.fixture
def owners(forbund_a, forbund_b):
    """A region in A and in the noise förbund B, each with an insats of its own."""
    rows = {}
    for forbund in (forbund_a, forbund_b):
        with tenant_scope(forbund):
            region = Medlem.objects.create(
                forbund=forbund, name=f"Region {forbund.slug}", kind=MedlemKind.REGION
            )
            services.insats_create(forbund=forbund, actor=None, name="Granne", verksamhetsagare=region)
            rows[forbund.slug] = region
    return rows


def test_insats_year_row_without_budget_fte_or_volume_is_saved_empty(forbund_a, owners):
    with tenant_scope(forbund_a):
        insats = services.insats_create(
            forbund=forbund_a, actor=None, name="Nätverk", verksamhetsagare=owners["alfa"]
        )
        row = services.insats_year_create(forbund=forbund_a, actor=None, insats=insats, year=2024)
        row.refresh_from_db()
    assert (row.budget_amount, row.financed_fte, row.budgeted_volume) == (None, None, None)


def test_insats_with_non_member_owner_and_medparter_is_saved(forbund_a, owners):
    with tenant_scope(forbund_a):
        insats = services.insats_create(
            forbund=forbund_a,
            actor=None,
            name="Arbetsintegrerande kooperativ",
            verksamhetsagare_annan="Kooperativet Vägen ekonomisk förening",
            ovriga_medparter="Ideella föreningen Bryggan\nSamordningsförbundet Grannen",
        )
        insats.refresh_from_db()
    assert insats.verksamhetsagare is None
    assert insats.owner_name == "Kooperativet Vägen ekonomisk förening"
    assert insats.ovriga_medparter_list == ["Ideella föreningen Bryggan", "Samordningsförbundet Grannen"]


def test_insats_without_any_owner_is_refused_in_swedish(forbund_a, owners):
    with tenant_scope(forbund_a), pytest.raises(ValidationError) as error:
        services.insats_create(forbund=forbund_a, actor=None, name="Utan ägare")
    assert "Välj en medlem som verksamhetsägare eller skriv in en annan organisation." in str(error.value)


def test_insats_with_both_member_and_other_owner_is_refused(forbund_a, owners):
    with tenant_scope(forbund_a), pytest.raises(ValidationError) as error:
        services.insats_create(
            forbund=forbund_a,
            actor=None,
            name="Två ägare",
            verksamhetsagare=owners["alfa"],
            verksamhetsagare_annan="Företaget AB",
        )
    assert "inte båda" in str(error.value)


def _in_beredning(forbund, owner, name):
    return services.insats_create(
        forbund=forbund, actor=None, name=name, verksamhetsagare=owner, status=InsatsStatus.BEREDNING
    )


def test_insats_grant_without_protocol_paragraph_is_refused_by_default(forbund_a, owners):
    with tenant_scope(forbund_a):
        insats = _in_beredning(forbund_a, owners["alfa"], "Kräver paragraf")
        with pytest.raises(ValidationError) as error:
            services.insats_transition(
                forbund=forbund_a,
                actor=None,
                insats=insats,
                to=InsatsStatus.BEVILJAD,
                decision_date=datetime.date(2024, 2, 1),
            )
    assert error.value.message_dict["decision_paragraph"] == [
        "Ange paragrafen i protokollet, till exempel § 12."
    ]


def test_insats_refusal_without_protocol_paragraph_is_allowed_by_default(forbund_a, owners):
    with tenant_scope(forbund_a):
        insats = _in_beredning(forbund_a, owners["alfa"], "Avslås")
        services.insats_transition(
            forbund=forbund_a,
            actor=None,
            insats=insats,
            to=InsatsStatus.AVSLAG,
            decision_date=datetime.date(2024, 2, 1),
        )
    assert insats.status == InsatsStatus.AVSLAG


def test_insats_grant_without_protocol_paragraph_is_allowed_when_forbund_does_not_number(
    forbund_a, forbund_b, owners
):
    with tenant_scope(forbund_a):
        services.insats_settings_set(forbund=forbund_a, actor=None, numbers_paragraphs=False)
    with tenant_scope(forbund_b):
        # The noise förbund keeps the default and still needs its paragraph.
        other = _in_beredning(forbund_b, owners["beta"], "Grannens")
        with pytest.raises(ValidationError):
            services.insats_transition(
                forbund=forbund_b,
                actor=None,
                insats=other,
                to=InsatsStatus.BEVILJAD,
                decision_date=datetime.date(2024, 2, 1),
            )
    with tenant_scope(forbund_a):
        insats = services.insats_create(
            forbund=forbund_a,
            actor=None,
            name="Beviljas",
            verksamhetsagare=owners["alfa"],
            status=InsatsStatus.BEREDNING,
        )
        services.insats_transition(
            forbund=forbund_a,
            actor=None,
            insats=insats,
            to=InsatsStatus.BEVILJAD,
            decision_date=datetime.date(2024, 2, 1),
        )
        insats.refresh_from_db()
    assert insats.status == InsatsStatus.BEVILJAD
    assert insats.decision_paragraph == ""


def test_insats_grant_still_needs_the_decision_date(forbund_a, owners):
    with tenant_scope(forbund_a):
        insats = services.insats_create(
            forbund=forbund_a,
            actor=None,
            name="Utan datum",
            verksamhetsagare=owners["alfa"],
            status="beredning",
        )
        with pytest.raises(ValidationError) as error:
            services.insats_transition(forbund=forbund_a, actor=None, insats=insats, to=InsatsStatus.BEVILJAD)
    assert "Ange datum för styrelsens beslut." in str(error.value)


def test_insats_form_page_offers_other_owner_and_period_volume(client_for, alice, owners):
    page = client_for(alice).get("/f/alfa/insatser/ny/").content.decode()
    assert 'name="verksamhetsagare_annan"' in page
    assert 'name="ovriga_medparter"' in page
    assert 'name="period_volume"' in page


def test_insats_list_shows_dash_for_year_row_without_figures(client_for, alice, forbund_a, owners):
    with tenant_scope(forbund_a):
        insats = Insats.objects.create(
            forbund=forbund_a, name="Dialogserie", verksamhetsagare_annan="Föreningen Dialog"
        )
        InsatsYear.objects.create(forbund=forbund_a, insats=insats, year=2024)
        other = Insats.objects.create(forbund=forbund_a, name="Finansierad", verksamhetsagare=owners["alfa"])
        InsatsYear.objects.create(
            forbund=forbund_a, insats=other, year=2024, budget_amount=5, financed_fte=Decimal("1")
        )
    page = client_for(alice).get("/f/alfa/insatser/?ar=2024").content.decode()
    row = page[page.index("Dialogserie") : page.index("Dialogserie") + 600]
    assert "Föreningen Dialog" in row
    assert "None" not in row and "0 kr" not in row


def _import(forbund, actor, dataset, rows):
    """Preview and confirm an import of a semicolon CSV built from ``rows`` (headers first)."""
    from apps.dataio import services as dataio

    content = "\n".join(";".join(str(c) for c in row) for row in rows).encode("utf-8")
    job = dataio.import_job_create(
        forbund=forbund, actor=actor, dataset=dataset, filename="fil.csv", content=content
    )
    dataio.import_job_preview(forbund=job.forbund, actor=actor, import_job=job)
    return dataio.import_job_confirm(forbund=job.forbund, actor=actor, import_job=job)


def test_import_creates_insats_with_other_owner_and_empty_figures(forbund_a, alice, owners):
    rows = [
        [
            "Insats",
            "Verksamhetsägare",
            "Annan verksamhetsägare",
            "Volym för hela perioden",
            "År",
            "Budget (kr)",
        ],
        ["Kooperativ insats", "", "Kooperativet Vägen", "557", "2024", ""],
    ]
    with tenant_scope(forbund_a):
        result = _import(forbund_a, alice, "insatser", rows)
        insats = Insats.objects.get(forbund=forbund_a, name="Kooperativ insats")
        row = InsatsYear.objects.get(insats=insats, year=2024)
    assert result.bad_rows == []
    assert (insats.owner_name, insats.period_volume, row.budget_amount, row.financed_fte) == (
        "Kooperativet Vägen",
        557,
        None,
        None,
    )


def test_import_keeps_a_range_target_of_a_delmal(forbund_a, alice, owners):
    from apps.goals.models import Delmal

    rows = [
        ["År", "Målområde", "Målområdets rubrik", "Delmål", "Text", "Jämförelse", "Målvärde"]
        + ["Målvärde, övre gräns", "Enhet", "Enhet i fritext"],
        [2024, 1, "Samverkan", 1, "Nätverksträffar", "mellan (intervall)", "4", "5", "annat (ange i fritext)"]
        + ["gånger per år"],
    ]
    with tenant_scope(forbund_a):
        result = _import(forbund_a, alice, "delmal", rows)
        delmal = Delmal.objects.get(forbund=forbund_a, malomrade__year=2024, number=1)
    assert result.bad_rows == []
    assert delmal.target_display == "4–5 gånger per år"
