"""The demo verksamhetsplaner: every seed section present, own words, seed adoption dates, idempotent."""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from apps.demo.loader import load_demo
from apps.demo.plans import load_demo_plans, read_plan_files
from apps.plans import datasections
from apps.plans.models import Plan, PlanSection, PlanVersion, SectionKind, VersionStatus
from apps.plans.rendering import render_version_html
from apps.tenancy.models import Forbund
from apps.tenancy.scope import tenant_scope

# The seeds live outside the repository, in the workplace's shared/ folder beside it (as in
# CI); SAMORDNING_SEEDS_DIR points elsewhere. Without them the copy check cannot run.
SEEDS = Path(os.environ.get("SAMORDNING_SEEDS_DIR") or Path(settings.BASE_DIR).parent / "shared" / "seeds")
SEED_FILES = {
    "samo": "ostra-ostergotland-samo-2023.txt",
    "vastra": "vastra-ostergotland-2026.txt",
    "solleftea": "solleftea-2024.txt",
}
EXPECTED = {
    "samo": (
        2023,
        [
            "Vad är ett samordningsförbund?",
            "Målgrupp för finansiell samordning",
            "Samordningsförbundens uppdrag",
            "Samordningsförbundet Östra Östergötland",
            "Långsiktig inriktning",
            "Tillbakablick på 2022 års verksamhetsplan",
            "Mål för Samordningsförbundet Östra Östergötland",
            "Organisering, ledning och styrning",
            "Styrelse och organ",
            "Uppföljning och utvärdering",
            "Förbundets finansierade insatser 2023",
            "Insatser 2023 med budget och årsarbetare",
            "Styrelsens årsplanering",
            "Budgetplan 2023",
            "Budget 2023",
            "Långtidsbudget 2023–2025",
        ],
    ),
    "vastra": (
        2026,
        [
            "Bakgrund",
            "Organisation",
            "Styrelse och chefsgrupp",
            "Verksamhetsmål",
            "Målområden och delmål 2026",
            "Målgrupp",
            "Behovsområden",
            "Utformning av insatser",
            "Finansiella utgångspunkter",
            "Samordningsförbundets ändamål och uppgifter",
            "Budgetförutsättningar inför 2026",
            "Budget 2026",
            "Finansierade insatser 2026",
            "Insatser 2026 med budgeterad volym",
        ],
    ),
    "solleftea": (
        2024,
        [
            "Finsam och Samordningsförbundet i Sollefteå",
            "Samordningsförbundets organisation",
            "Förbundsstyrelse",
            "Fokusområden 2024",
            "Mål för verksamheten 2024",
            "Målområden och delmål 2024",
            "Insatser som medfinansieras 2024",
            "Insatser 2024 med finansiering",
            "Övriga aktiviteter i Förbundet 2024",
            "Övrigt",
            "Budget 2024-2025",
            "Underskrifter",
        ],
    ),
}
# The seeds' real board members (Sollefteå lines 50-66) never appear in the demo.
REAL_NAMES = ["Häggkvist", "Lockner", "Sjölund", "Hedenström", "Lindahl", "Berglund", "Formgren", "Kempe"]


def _stub(forbund, year):
    return {"stub": year}


@pytest.fixture
def all_keys_registered():
    """Register a stand-in for every data key the demo plans use that no app has registered yet."""
    used = {key for spec in read_plan_files() for _, key, *_ in spec.sections if key}
    added = [key for key in sorted(used) if datasections.get(key) is None]
    for key in added:
        datasections.register(key, key, _stub)
    yield
    for key in added:
        datasections.unregister(key)


@pytest.fixture
def demo(demo_loaded, db, all_keys_registered):
    """The demo, loaded once for the module (tests/demo/conftest.py, with the same stand-ins)."""
    return demo_loaded


def _version(forbund, year):
    with tenant_scope(forbund):
        plan = Plan.objects.get(forbund=forbund, year=year)
        version = PlanVersion.objects.get(plan=plan, number=1)
        sections = list(PlanSection.objects.filter(version=version).order_by("position"))
    return version, sections


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@pytest.mark.parametrize("slug", list(EXPECTED))
def test_demo_plan_has_every_section_in_seed_order(demo, slug):
    year, titles = EXPECTED[slug]
    version, sections = _version(demo[slug], year)
    assert [s.title for s in sections] == titles
    assert len(sections) == len(titles)
    narrative = [s for s in sections if s.kind == SectionKind.NARRATIVE]
    assert all(s.body_markdown.strip() and s.body_html for s in narrative)


def test_demo_plans_show_the_data_sections_where_the_seed_has_them(demo):
    keys = {}
    for slug, (year, _) in EXPECTED.items():
        _, sections = _version(demo[slug], year)
        keys[slug] = [s.data_key for s in sections if s.kind == SectionKind.DATA]
    assert keys == {
        "samo": ["mal", "organisation", "insatser", "arsplanering", "budget", "langtidsbudget"],
        "vastra": ["organisation", "mal", "budget", "insatser"],
        # Sollefteå prints its budget for 2024 and the two years after it in one table.
        "solleftea": ["organisation", "mal", "insatser", "langtidsbudget"],
    }


def test_demo_plan_solleftea_adopted_on_seed_date(demo):
    version, _ = _version(demo["solleftea"], 2024)
    assert version.status == VersionStatus.FASTSTALLD
    # Seed line 401: "Antagen av styrelsen ... 2023-11-30"; no paragraph is given.
    assert version.adopted_on == datetime.date(2023, 11, 30)
    assert version.decision_paragraph == ""
    assert version.frozen_data is not None and "mal" in version.frozen_data


@pytest.mark.parametrize(("slug", "year"), [("samo", 2023), ("vastra", 2026)])
def test_demo_plan_without_seed_date_stays_pa_remiss(demo, slug, year):
    version, _ = _version(demo[slug], year)
    assert version.status == VersionStatus.PA_REMISS
    assert version.adopted_on is None


def test_demo_plan_not_adopted_while_a_data_key_is_unregistered(db, monkeypatch):
    real_get = datasections.get
    monkeypatch.setattr(datasections, "get", lambda key: None if key == "langtidsbudget" else real_get(key))
    load_demo()
    version, _ = _version(Forbund.objects.get(slug="solleftea"), 2024)
    assert version.status == VersionStatus.PA_REMISS


@pytest.mark.parametrize("slug", list(EXPECTED))
def test_demo_plan_copies_no_seed_sentence_of_twelve_words(slug):
    (spec,) = [s for s in read_plan_files() if s.slug == slug]
    ours = " ".join(_words(" ".join(markdown for _, _, markdown, _ in spec.sections)))
    if not (SEEDS / SEED_FILES[slug]).exists():
        pytest.skip(f"the seed plans are not at {SEEDS} (set SAMORDNING_SEEDS_DIR)")
    seed = " ".join((SEEDS / SEED_FILES[slug]).read_text(encoding="utf-8").split())
    copied = []
    for sentence in re.split(r"(?<=[.!?:;])\s+|\s+[•]\s*", seed):
        words = _words(sentence)
        for start in range(0, max(len(words) - 11, 0)):
            window = " ".join(words[start : start + 12])
            if window in ours:
                copied.append(window)
    assert copied == []


@pytest.mark.parametrize("slug", list(EXPECTED))
def test_demo_plan_has_no_real_person_names(slug):
    (spec,) = [s for s in read_plan_files() if s.slug == slug]
    text = " ".join(markdown for _, _, markdown, _ in spec.sections)
    assert [name for name in REAL_NAMES if name in text] == []


def test_demo_plans_second_load_writes_nothing(demo):
    def snapshot():
        rows = {}
        for slug, forbund in demo.items():
            with tenant_scope(forbund):
                rows[slug] = (
                    list(Plan.objects.order_by("pk").values_list("pk", "updated_at")),
                    list(PlanVersion.objects.order_by("pk").values_list("pk", "status", "updated_at")),
                    list(PlanSection.objects.order_by("pk").values_list("pk", "updated_at")),
                )
        return rows

    before = snapshot()
    admin = get_user_model().objects.get(username="admin")
    assert load_demo_plans(actor=admin) == 0
    assert load_demo().changed == 0
    assert snapshot() == before


def test_demo_plans_skip_forbund_that_do_not_exist(db, all_keys_registered):
    assert load_demo_plans(actor=None) == 0
    assert not Forbund.objects.filter(slug__in=EXPECTED).exists()


def test_demo_plan_solleftea_was_signed_electronically_the_others_by_the_board(demo):
    modes = {slug: _version(demo[slug], year)[0].signature_mode for slug, (year, _) in EXPECTED.items()}
    assert modes == {"samo": "ledamoter", "vastra": "ledamoter", "solleftea": "elektronisk"}


def test_demo_plan_vastra_marks_its_three_bilagor_the_others_none(demo):
    appendices = {
        slug: [s.title for s in _version(demo[slug], year)[1] if s.is_appendix]
        for slug, (year, _) in EXPECTED.items()
    }
    assert appendices == {
        "samo": [],
        "vastra": [
            "Samordningsförbundets ändamål och uppgifter",
            "Budgetförutsättningar inför 2026",
            "Finansierade insatser 2026",
        ],
        "solleftea": [],
    }


def test_demo_plan_vastra_prints_bilagor_after_the_signatures_with_contents_entries(demo):
    version, _ = _version(demo["vastra"], 2026)
    with tenant_scope(demo["vastra"]):
        html = render_version_html(version=version)
    contents, _, body = html.partition("</nav>")
    entries = [
        "Bilaga 1 Samordningsförbundets ändamål och uppgifter",
        "Bilaga 2 Budgetförutsättningar inför 2026",
        "Bilaga 3 Finansierade insatser 2026",
    ]
    toc = _text(contents)
    assert [toc.index(entry) for entry in entries] == sorted(toc.index(entry) for entry in entries)
    assert toc.index("Underskrifter") < toc.index(entries[0])
    text = _text(body)
    order = ["9 Finansiella utgångspunkter", "Underskrifter", *entries]
    positions = [text.index(heading) for heading in order]
    assert positions == sorted(positions)


def test_demo_plan_vastra_bilaga_2_holds_its_tables(demo):
    _, sections = _version(demo["vastra"], 2026)
    bilaga = next(s for s in sections if s.title == "Budgetförutsättningar inför 2026")
    assert bilaga.body_html.count("<table>") == 3
    assert "<td>Försäkringskassan (staten)</td>" in bilaga.body_html
    assert "<strong>8 584 000</strong>" in bilaga.body_html


def _text(html: str) -> str:
    """The visible text of some HTML with whitespace collapsed, to compare headings in order."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
