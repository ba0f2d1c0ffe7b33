"""The PDF of a plan as real förbund write it (issue 12), read back with pypdf.

A three-year plan with costs only, an insats run without financing, a range target and two
bilagor comes out with every element in the right order; a table that breaks across pages
repeats its header but not its sum; a caption never stays alone at the foot of a page.
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from apps.budgets import services as budget_services
from apps.budgets.models import Budget
from apps.goals import services as goals_services
from apps.goals.models import Comparator, TargetUnit
from apps.insatser import services as insatser_services
from apps.insatser.models import InsatsStatus
from apps.members import services as members_services
from apps.members.models import MedlemKind, SeatKind
from apps.plans import services as plan_services
from apps.plans.models import PlanSection
from apps.reports import pdf

YEAR = 2020


def _pages(version) -> list[str]:
    """Each page's text with spaces made plain and runs of white space collapsed."""
    rendered = pdf.version_pdf(version=version)
    reader = PdfReader(io.BytesIO(rendered.content))
    return [re.sub(r"\s+", " ", (page.extract_text() or "").replace("\u00a0", " ")) for page in reader.pages]


def _find_in_order(text: str, needles: list[str]) -> None:
    position = 0
    for needle in needles:
        found = text.find(needle, position)
        assert found >= 0, f"{needle!r} saknas efter position {position}"
        position = found + len(needle)


def _noise(forbund_b, in_scope):
    with in_scope(forbund_b):
        owner = members_services.medlem_create(
            forbund=forbund_b, actor=None, name="Beta kommun", kind="kommun"
        )
        insatser_services.insats_create(
            forbund=forbund_b, actor=None, name="Beta-insats", verksamhetsagare=owner
        )
        plan_services.plan_create(forbund=forbund_b, actor=None, year=YEAR)


@pytest.fixture
def real_plan(forbund_a, forbund_b, alice, in_scope):
    """Verksamhetsplan 2018–2020, uppdatering 2020 in A: costs only, two bilagor, a range target."""
    _noise(forbund_b, in_scope)
    with in_scope(forbund_a):
        kommun = members_services.medlem_create(
            forbund=forbund_a, actor=None, name="Ånge kommun", kind=MedlemKind.KOMMUN
        )
        members_services.styrelseledamot_create(
            forbund=forbund_a, actor=None, person_name="Stina Styrelse", medlem=kommun, seat=SeatKind.LEDAMOT
        )
        network = insatser_services.insats_create(
            forbund=forbund_a,
            actor=None,
            name="Arbetsgivarnätverket",
            kind="struktur",
            verksamhetsagare_annan="Föreningen Näringsliv",
            description="Ett nätverk som förbundet samordnar utan egen finansiering.",
            status=InsatsStatus.PAGAENDE,
            long_term=True,
        )
        insatser_services.insats_year_create(forbund=forbund_a, actor=None, insats=network, year=YEAR)
        malomrade = goals_services.malomrade_create(
            forbund=forbund_a, actor=None, year=YEAR, title="Samverkan mellan parterna"
        )
        goals_services.delmal_create(
            forbund=malomrade.forbund,
            malomrade=malomrade,
            actor=None,
            text="Nätverket träffas regelbundet",
            target_comparator=Comparator.INTERVALL,
            target_value=4,
            target_value_max=5,
            target_unit=TargetUnit.ANNAT,
            target_unit_text="gånger per år",
        )
        budget = budget_services.budget_create(forbund=forbund_a, actor=None, year=YEAR, input_amount=None)
        budget_services.cost_line_create(
            forbund=forbund_a, actor=None, budget=budget, name="Kansli och styrelse", amount=1_250_000
        )
        plan = plan_services.plan_create(
            forbund=forbund_a, actor=alice, year=YEAR, period_start=2018, period_end=2020
        )
        version = plan.versions.get()
        plan_services.section_create(
            forbund=version.forbund,
            version=version,
            actor=alice,
            title="Styrdokument",
            body_markdown="Styrdokumentet beskriver rutinerna för internkontroll.",
            is_appendix=True,
        )
        plan_services.section_create(
            forbund=version.forbund,
            version=version,
            actor=alice,
            title="Riskanalys",
            body_markdown="Riskanalysen tar upp förbundets största risker.",
            is_appendix=True,
        )
    return version


def test_real_plan_pdf_has_every_element_in_order(real_plan, forbund_a, in_scope):
    with in_scope(forbund_a):
        pages = _pages(real_plan)
    text = " ".join(pages)
    assert "Verksamhetsplan 2018–2020, uppdatering 2020" in pages[0]
    toc = pages[1]
    _find_in_order(toc, ["Innehåll", "1 Bakgrund och ändamål", "12 Långtidsbudget", "Underskrifter"])
    _find_in_order(toc, ["Bilaga 1 Styrdokument", "Bilaga 2 Riskanalys"])
    body = " ".join(pages[2:])
    _find_in_order(
        body,
        [
            "Målområden och delmål",
            "Delmål i målområde 1 för 2020",
            "4–5 gånger per år",
            "Strukturinriktade insatser",
            "Arbetsgivarnätverket",
            "Föreningen Näringsliv",
            "Budget",
            "1 250 000 kr",
            "inte hur de finansieras",
            "Underskrifter",
            "Stina Styrelse",
            "Bilaga 1 Styrdokument",
            "Styrdokumentet beskriver rutinerna",
            "Bilaga 2 Riskanalys",
            "Riskanalysen tar upp",
        ],
    )
    assert "Årets resultat" not in text and "inte i balans" not in text
    network = body[
        body.index("Arbetsgivarnätverket") : body.index("Budget", body.index("Arbetsgivarnätverket"))
    ]
    assert " 0 kr" not in network and "heltidstjänster" not in network.lower()


def test_real_plan_bilagor_start_after_the_signature_page(real_plan, forbund_a, in_scope):
    with in_scope(forbund_a):
        pages = _pages(real_plan)
    signature_page = next(i for i, p in enumerate(pages) if "Underskrifter Verksamhetsplan" in p)
    first_appendix = next(i for i, p in enumerate(pages) if "Bilaga 1 Styrdokument Styrdokumentet" in p)
    assert first_appendix > signature_page


def _budget_only_plan(forbund, alice, in_scope, *, rows: int, filler: int = 0):
    """A plan whose only sections are ``filler`` one-line paragraphs and the budget of ``rows`` lines."""
    with in_scope(forbund):
        budget = budget_services.budget_create(forbund=forbund, actor=None, year=YEAR, input_amount=None)
        for number in range(1, rows + 1):
            budget_services.cost_line_create(
                forbund=forbund,
                actor=None,
                budget=budget,
                name=f"Kostnadsrad {number:02d}",
                amount=1000 + number,
            )
        version = plan_services.plan_create(forbund=forbund, actor=alice, year=YEAR).versions.get()
        for section in PlanSection.objects.filter(version=version).exclude(data_key="budget"):
            plan_services.section_delete(forbund=section.forbund, section=section, actor=alice)
        if filler:
            text = "\n\n".join(f"Fyllnadsrad {n:03d}." for n in range(1, filler + 1))
            intro = plan_services.section_create(
                forbund=version.forbund, version=version, actor=alice, title="Inledning", body_markdown=text
            )
            plan_services.section_move_to(forbund=intro.forbund, section=intro, actor=alice, position=1)
    return version


def test_table_across_pages_repeats_header_but_not_sum(forbund_a, forbund_b, alice, in_scope):
    _noise(forbund_b, in_scope)
    version = _budget_only_plan(forbund_a, alice, in_scope, rows=90)
    with in_scope(forbund_a):
        pages = _pages(version)
    table_pages = [p for p in pages if "Kostnadsrad" in p]
    assert len(table_pages) >= 2
    assert all("Kostnad Belopp" in p for p in table_pages)
    assert sum(p.count("Summa kostnader") for p in pages) == 1
    assert "Summa kostnader" in table_pages[-1] and "Kostnadsrad 90" in table_pages[-1]


def test_caption_never_stays_alone_at_the_foot_of_a_page(forbund_a, forbund_b, alice, in_scope):
    _noise(forbund_b, in_scope)
    # How many filler lines fit on the first text page decides where the caption would fall.
    probe = _budget_only_plan(forbund_a, alice, in_scope, rows=1, filler=120)
    with in_scope(forbund_a):
        probe_pages = _pages(probe)
        _drop(forbund_a, probe)
    first = next(p for p in probe_pages if "Fyllnadsrad 001" in p)
    last_on_page = max(int(n) for n in re.findall(r"Fyllnadsrad (\d{3})", first))
    for filler in range(last_on_page - 3, last_on_page + 1):
        version = _budget_only_plan(forbund_a, alice, in_scope, rows=3, filler=filler)
        with in_scope(forbund_a):
            page = next(p for p in _pages(version) if "Kostnader 2020" in p)
            _drop(forbund_a, version)
        assert "Kostnadsrad 01" in page, f"rubriken står ensam med {filler} rader före"


def _drop(forbund, version):
    """Remove a probe plan and its budget so the next one can use the same year."""
    version.plan.delete()
    Budget.objects.filter(forbund=forbund, year=YEAR).delete()
