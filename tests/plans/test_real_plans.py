"""Plans the way real förbund write them (issue 12): multi-year plans, bilagor, signatures, insatser
shown as a reader needs them, moving a section in one step, and Swedish that agrees in number."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from apps.goals import services as goals_services
from apps.insatser import services as insatser_services
from apps.insatser.models import InsatsKind, InsatsStatus
from apps.members import services as members_services
from apps.members.models import ChairRole, MedlemKind, OrganKind, SeatKind
from apps.plans import datasections, selectors, services
from apps.plans.models import Plan, PlanSection, SignatureMode
from apps.tenancy.scope import tenant_scope

from .test_document_views import adopt, create_doc


def _owner(forbund, name="Kommunen"):
    return members_services.medlem_create(forbund=forbund, actor=None, name=name, kind=MedlemKind.KOMMUN)


def _html(key, data, *, interactive=False):
    """A data section's HTML as the document renders it."""
    return render_to_string(datasections.template_for(key), {"data": data, "interactive": interactive})


@pytest.fixture
def noise(forbund_b):
    """The noise förbund B with an insats, a board and a plan of its own for 2020."""
    with tenant_scope(forbund_b):
        owner = _owner(forbund_b, "Beta kommun")
        insatser_services.insats_create(
            forbund=forbund_b, actor=None, name="Beta-insats", verksamhetsagare=owner
        )
        members_services.styrelseledamot_create(
            forbund=forbund_b, actor=None, person_name="Bertil Beta", medlem=owner, seat=SeatKind.LEDAMOT
        )
        services.plan_create(forbund=forbund_b, actor=None, year=2020)
    return forbund_b


# --- Multi-year plans ------------------------------------------------------------------------


def test_plan_title_for_a_three_year_plan_updated_in_its_last_year():
    plan = Plan(year=2020, period_start=2018, period_end=2020)
    assert plan.title == "Verksamhetsplan 2018–2020, uppdatering 2020"


def test_plan_title_in_the_first_year_of_the_period_has_no_update():
    assert Plan(year=2018, period_start=2018, period_end=2020).title == "Verksamhetsplan 2018–2020"


def test_plan_period_not_covering_its_year_is_refused(forbund_a, noise):
    with tenant_scope(forbund_a), pytest.raises(ValidationError) as error:
        services.plan_create(forbund=forbund_a, actor=None, year=2021, period_start=2018, period_end=2020)
    assert "Planens år 2021 måste ligga inom planperioden 2018–2020." in str(error.value)


def test_multi_year_plan_shows_goals_and_budget_of_its_update_year(forbund_a, alice, noise):
    with tenant_scope(forbund_a):
        for year in (2018, 2020):
            malomrade = goals_services.malomrade_create(
                forbund=forbund_a, actor=None, year=year, title=f"Mål för {year}"
            )
            goals_services.delmal_create(
                forbund=malomrade.forbund, malomrade=malomrade, actor=None, text=f"Delmål för {year}"
            )
        plan = services.plan_create(
            forbund=forbund_a, actor=alice, year=2020, period_start=2018, period_end=2020
        )
        document = selectors.version_document(version=plan.versions.get())
        html = render_to_string("plans/document.html", {"document": document, "interactive": False})
    assert "<h1>Verksamhetsplan 2018–2020, uppdatering 2020</h1>" in html
    assert "Delmål för 2020" in html and "Delmål för 2018" not in html
    assert "Delmål i målområde 1 för 2020" in html
    assert "Ingen budget är upplagd för 2020" in html


def test_plan_period_view_saves_and_shows_swedish_error(client_for, alice, forbund_a, noise):
    version = create_doc(forbund_a, alice, year=2020)
    client = client_for(alice)
    url = f"/f/alfa/plan/v/{version.public_id}/planperiod/"
    bad = client.post(url, {"period_start": "2021", "period_end": "2022"})
    assert bad.status_code == 400
    assert "måste ligga inom planperioden" in bad.content.decode()
    assert client.post(url, {"period_start": "2018", "period_end": "2020"}).status_code == 302
    with tenant_scope(forbund_a):
        assert Plan.objects.get(pk=version.plan_id).title == "Verksamhetsplan 2018–2020, uppdatering 2020"


# --- Bilagor -----------------------------------------------------------------------------------


def test_appendices_are_numbered_on_their_own_after_the_sections(forbund_a, alice, noise):
    version = create_doc(forbund_a, alice, year=2020)
    with tenant_scope(forbund_a):
        first = services.section_create(
            forbund=version.forbund, version=version, actor=alice, title="Styrdokument", is_appendix=True
        )
        services.section_create(
            forbund=version.forbund, version=version, actor=alice, title="Riskanalys", is_appendix=True
        )
        services.section_move_to(forbund=first.forbund, section=first, actor=alice, position=1)
        document = selectors.version_document(version=version)
    assert [a.label for a in document.appendices] == ["Bilaga 1", "Bilaga 2"]
    assert [a.section.title for a in document.appendices] == ["Styrdokument", "Riskanalys"]
    assert [s.number for s in document.sections] == list(range(1, 13))
    assert document.appendices[0].anchor == "bilaga-1"


def test_appendix_flag_is_kept_by_a_revision(forbund_a, alice, noise):
    version = create_doc(forbund_a, alice, year=2020)
    with tenant_scope(forbund_a):
        services.section_create(
            forbund=version.forbund, version=version, actor=alice, title="Styrdokument", is_appendix=True
        )
        adopt(version, alice)
        revision = services.version_revise(forbund=version.forbund, version=version, actor=alice)
        assert PlanSection.objects.get(version=revision, title="Styrdokument").is_appendix


def test_section_edit_view_marks_a_section_as_appendix(client_for, alice, forbund_a, noise):
    version = create_doc(forbund_a, alice, year=2020)
    with tenant_scope(forbund_a):
        section = PlanSection.objects.get(version=version, title="Risk och internkontroll")
    client_for(alice).post(
        f"/f/alfa/plan/avsnitt/{section.public_id}/",
        {"title": "Risk och internkontroll", "body_markdown": "Text", "is_appendix": "on"},
    )
    with tenant_scope(forbund_a):
        section.refresh_from_db()
    assert section.is_appendix


# --- Moving a section --------------------------------------------------------------------------


def test_section_move_to_position_moves_in_one_step(forbund_a, alice, noise):
    version = create_doc(forbund_a, alice, year=2020)
    with tenant_scope(forbund_a):
        last = PlanSection.objects.get(version=version, title="Långtidsbudget")
        services.section_move_to(forbund=last.forbund, section=last, actor=alice, position=2)
        titles = list(PlanSection.objects.filter(version=version).values_list("title", flat=True))
    assert titles[:3] == ["Bakgrund och ändamål", "Långtidsbudget", "Organisation"]
    assert len(titles) == 12


def test_section_move_to_position_out_of_range_is_refused(forbund_a, alice, noise):
    version = create_doc(forbund_a, alice, year=2020)
    with tenant_scope(forbund_a):
        section = PlanSection.objects.get(version=version, title="Organisation")
        with pytest.raises(ValidationError) as error:
            services.section_move_to(forbund=section.forbund, section=section, actor=alice, position=13)
    assert "Välj en plats mellan 1 och 12." in str(error.value)


def test_section_move_view_takes_a_place_from_the_select(client_for, alice, forbund_a, noise):
    version = create_doc(forbund_a, alice, year=2020)
    with tenant_scope(forbund_a):
        section = PlanSection.objects.get(version=version, title="Budget")
    client = client_for(alice)
    page = client.get(f"/f/alfa/plan/v/{version.public_id}/avsnitt/").content.decode()
    assert "Flytta till plats" in page
    response = client.post(
        f"/f/alfa/plan/avsnitt/{section.public_id}/flytta/", {f"s{section.public_id.hex}-position": "1"}
    )
    assert response.status_code == 302
    with tenant_scope(forbund_a):
        assert PlanSection.objects.filter(version=version).order_by("position").first().title == "Budget"


def test_section_move_view_is_403_for_revisor_and_404_for_outsider(
    client_for, bob, charlie, forbund_a, alice
):
    version = create_doc(forbund_a, alice, year=2020)
    adopt(version, alice)
    with tenant_scope(forbund_a):
        section = PlanSection.objects.get(version=version, title="Budget")
    url = f"/f/alfa/plan/avsnitt/{section.public_id}/flytta/"
    assert client_for(bob).post(url, {f"s{section.public_id.hex}-position": "1"}).status_code == 403
    assert client_for(charlie).post(url, {}).status_code == 404


# --- Signatures --------------------------------------------------------------------------------


@pytest.fixture
def board(forbund_a, noise):
    """Three ordinarie ledamöter (ordförande, vice, one more) and an ersättare in A."""
    with tenant_scope(forbund_a):
        kommun, region = _owner(forbund_a), _owner(forbund_a, "Regionen")
        for name, medlem, seat, chair in (
            ("Olga Ordf", kommun, SeatKind.LEDAMOT, ChairRole.ORDFORANDE),
            ("Vera Vice", region, SeatKind.LEDAMOT, ChairRole.VICE),
            ("Lars Ledamot", region, SeatKind.LEDAMOT, ChairRole.NONE),
            ("Erik Ersättare", kommun, SeatKind.ERSATTARE, ChairRole.NONE),
        ):
            members_services.styrelseledamot_create(
                forbund=forbund_a, actor=None, person_name=name, medlem=medlem, seat=seat, chair_role=chair
            )


def _lines(version):
    with tenant_scope(version.forbund):
        return [
            (line.name, line.detail) for line in selectors.version_document(version=version).signature_lines
        ]


def test_signatures_default_to_every_ordinarie_ledamot_chair_first(forbund_a, alice, board):
    version = create_doc(forbund_a, alice, year=2020)
    assert _lines(version) == [
        ("Olga Ordf", "Ordförande, Kommunen"),
        ("Vera Vice", "Vice ordförande, Regionen"),
        ("Lars Ledamot", "Regionen"),
    ]


def test_signatures_by_ordforande_and_two_justerare(forbund_a, alice, board):
    version = create_doc(forbund_a, alice, year=2020)
    with tenant_scope(forbund_a):
        services.version_set_signatures(
            forbund=version.forbund,
            version=version,
            actor=alice,
            signature_mode=SignatureMode.JUSTERARE,
            justerare_1="Lars Ledamot",
            justerare_2="Vera Vice",
        )
    assert _lines(version) == [
        ("Olga Ordf", "Ordförande"),
        ("Lars Ledamot", "Justerare"),
        ("Vera Vice", "Justerare"),
    ]


def test_signatures_by_justerare_need_at_least_one_name(forbund_a, alice, board):
    version = create_doc(forbund_a, alice, year=2020)
    with tenant_scope(forbund_a), pytest.raises(ValidationError) as error:
        services.version_set_signatures(
            forbund=version.forbund, version=version, actor=alice, signature_mode=SignatureMode.JUSTERARE
        )
    assert "Ange minst en justerare." in str(error.value)


def test_signatures_electronic_print_one_line_and_no_names(forbund_a, alice, board):
    version = create_doc(forbund_a, alice, year=2020)
    with tenant_scope(forbund_a):
        services.version_set_signatures(
            forbund=version.forbund, version=version, actor=alice, signature_mode=SignatureMode.ELEKTRONISK
        )
        document = selectors.version_document(version=version)
        html = render_to_string("plans/_signatures.html", {"document": document})
    assert "Verksamhetsplanen är signerad elektroniskt." in html
    assert "Olga Ordf" not in html


def test_signatures_of_adopted_version_cannot_change(forbund_a, alice, board):
    version = create_doc(forbund_a, alice, year=2020)
    adopt(version, alice)
    with tenant_scope(forbund_a), pytest.raises(ValidationError):
        services.version_set_signatures(
            forbund=version.forbund, version=version, actor=alice, signature_mode=SignatureMode.ELEKTRONISK
        )


def test_signatures_view_saves_the_choice(client_for, alice, forbund_a, board):
    version = create_doc(forbund_a, alice, year=2020)
    response = client_for(alice).post(
        f"/f/alfa/plan/v/{version.public_id}/underskrifter/",
        {"signature_mode": "justerare", "justerare_1": "Lars Ledamot", "justerare_2": ""},
    )
    assert response.status_code == 302
    with tenant_scope(forbund_a):
        version.refresh_from_db()
    assert (version.signature_mode, version.justerare) == ("justerare", ["Lars Ledamot"])


# --- Insatser in the plan ----------------------------------------------------------------------


@pytest.fixture
def insatser(forbund_a, noise):
    """A financed ESF project over 2016–2019, a network run without financing, and two not shown."""
    with tenant_scope(forbund_a):
        owner = _owner(forbund_a, "Kommunen")
        region = _owner(forbund_a, "Regionen")
        esf = insatser_services.insats_create(
            forbund=forbund_a,
            actor=None,
            name="Unga in",
            kind=InsatsKind.INDIVID,
            verksamhetsagare=owner,
            medparter=[region],
            ovriga_medparter="Föreningen Bryggan",
            description="Ett ESF-projekt för unga som står långt från arbete.",
            start_date=datetime.date(2016, 1, 1),
            end_date=datetime.date(2019, 12, 31),
            period_volume=557,
            external_financing="ESF",
            external_financing_amount=4_500_000,
            status=InsatsStatus.PAGAENDE,
        )
        insatser_services.insats_year_create(
            forbund=forbund_a,
            actor=None,
            insats=esf,
            year=2018,
            budget_amount=1_200_000,
            financed_fte=Decimal("2.5"),
            budgeted_volume=140,
        )
        insatser_services.insats_create(
            forbund=forbund_a,
            actor=None,
            name="Nätverk för arbetsgivare",
            kind=InsatsKind.STRUKTUR,
            verksamhetsagare_annan="Kooperativet Vägen",
            description="Ett nätverk som förbundet samordnar utan att finansiera.",
            status=InsatsStatus.PAGAENDE,
            long_term=True,
        )
        insatser_services.insats_create(
            forbund=forbund_a,
            actor=None,
            name="Äskad idé",
            verksamhetsagare=owner,
            status=InsatsStatus.ASKANDE,
        )
        insatser_services.insats_create(
            forbund=forbund_a,
            actor=None,
            name="Gammalt projekt",
            verksamhetsagare=owner,
            status=InsatsStatus.AVSLUTAD,
            start_date=datetime.date(2012, 1, 1),
            end_date=datetime.date(2014, 12, 31),
        )
    return forbund_a


def _insatser_html(forbund, year=2018, *, interactive=False):
    with tenant_scope(forbund):
        return _html("insatser", datasections.insatser(forbund, year), interactive=interactive)


def test_plan_insats_shows_what_a_reader_needs(insatser):
    html = _insatser_html(insatser)
    for text in (
        "Ett ESF-projekt för unga som står långt från arbete.",
        "2016–2019",
        "Individinriktad",
        "Kommunen",
        "Regionen, Föreningen Bryggan",
        "ESF: 4\u00a0500\u00a0000\u00a0kr",
        "1\u00a0200\u00a0000\u00a0kr",
        "2,5",
        "140 deltagare",
    ):
        assert text in html, text


def test_plan_insats_period_volume_reads_557_deltagare_2016_2019(insatser):
    assert "557 deltagare 2016–2019" in _insatser_html(insatser)


def test_plan_insats_run_without_financing_is_listed_without_zero(insatser):
    html = _insatser_html(insatser)
    network = html[html.index("Nätverk för arbetsgivare") : html.index("Insatsernas budget")]
    assert "Kooperativet Vägen" in network and "långsiktig" in network
    assert (
        "0\u00a0kr" not in network and "Heltidstjänster" not in network and "Förbundets budget" not in network
    )


def test_plan_insatser_leave_out_applied_and_ended_ones_and_the_editor_says_why(insatser):
    printed = _insatser_html(insatser)
    editor = _insatser_html(insatser, interactive=True)
    assert "Äskad idé" not in printed and "Gammalt projekt" not in printed
    assert "Äskad idé (status äskande och ingen rad för 2018)" in editor
    assert "Gammalt projekt (slutade 2014)" in editor


def test_plan_insatser_budget_table_sums_only_set_figures(insatser):
    with tenant_scope(insatser):
        data = datasections.insatser(insatser, 2018)
    assert (data["budget_total"], data["fte_total"]) == (1_200_000, "2.50")


# --- Every data section with none, one and many items, in agreeing Swedish --------------------


def _fill(forbund, count):
    """``count`` insatser of each kind with budget, målområden, board seats, organs and meetings."""
    with tenant_scope(forbund):
        owner = _owner(forbund)
        for i in range(count):
            for kind in InsatsKind:
                insats = insatser_services.insats_create(
                    forbund=forbund, actor=None, name=f"{kind.label} {i}", kind=kind, verksamhetsagare=owner
                )
                insatser_services.insats_year_create(
                    forbund=forbund, actor=None, insats=insats, year=2020, budget_amount=100_000 + i
                )
            malomrade = goals_services.malomrade_create(
                forbund=forbund, actor=None, year=2020, title=f"Mål {i}"
            )
            goals_services.delmal_create(
                forbund=malomrade.forbund, malomrade=malomrade, actor=None, text=f"Delmål {i}"
            )
            members_services.styrelseledamot_create(
                forbund=forbund, actor=None, person_name=f"Person {i}", medlem=owner, seat=SeatKind.LEDAMOT
            )
            members_services.organ_create(
                forbund=forbund, actor=None, kind=OrganKind.LOKSAM, name=f"Organ {i}"
            )
            members_services.styrelsemote_create(forbund=forbund, actor=None, year=2020, month=i % 12 + 1)


PLAN_KEYS = ("organisation", "mal", "insatser", "arsplanering", "budget", "langtidsbudget")


@pytest.mark.parametrize("count", [0, 1, 3])
def test_every_data_section_renders_none_one_and_many_in_agreeing_swedish(forbund_a, noise, count):
    _fill(forbund_a, count)
    with tenant_scope(forbund_a):
        html = {key: _html(key, datasections.render_data(key, forbund_a, 2020)) for key in PLAN_KEYS}
    insatser_html = html["insatser"]
    assert "Individinriktade insatser" in insatser_html and "Strukturinriktade insatser" in insatser_html
    assert (
        "Individinriktad insatser" not in insatser_html and "Strukturinriktad insatser" not in insatser_html
    )
    if count == 0:
        assert "Inga individinriktade insatser har budget för året." in insatser_html
        assert "Inga strukturinriktade insatser har budget för året." in insatser_html
        assert "Inga målområden är registrerade för 2020." in html["mal"]
        assert "Ingen styrelse är registrerad för året." in html["organisation"]
        assert "Inga styrelsemöten är planerade för året." in html["arsplanering"]
        assert "Ingen budget är upplagd för 2020" in html["budget"]
    else:
        assert insatser_html.count('class="plan-insats"') == 2 * count
        assert html["mal"].count("<h3>") == count
        assert html["organisation"].count("<h3>") == count
        assert "Inga " not in insatser_html
    for text in html.values():
        assert "None" not in text
