"""The statistics' cache: a write by any path shows at once, no förbund reads another's entry,
and what a reader sees (suppression, staff's real numbers) is what the uncached page shows."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from apps.followup import selectors, services
from apps.followup.models import (
    Bedomning,
    Category,
    CategoryList,
    Deltagare,
    Kon,
    Rater,
    Remittent,
    SurveyKind,
)
from apps.followup.retention import retention_run
from apps.members.models import Medlem
from apps.tenancy import datacache as followup_cache
from apps.tenancy import walls
from apps.tenancy.models import DataVersion

from .conftest import add
from .test_delmal_kinds import _delmal, figures  # noqa: F401 (the fixture)

NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
URL = "/f/alfa/uppfoljning/?ar=2026&period=ar"


@pytest.fixture
def people(forbund_a, setup, in_scope):
    """SamCoach: 8 participants (one remitted by a medlem, one ended), assessed; Steget: one."""
    with in_scope(forbund_a):
        rows = [
            add(forbund_a, setup["samcoach"], f"SC-{n:03d}", kon=Kon.KVINNA if n % 3 else Kon.MAN)
            for n in range(6)
        ]
        rows.append(
            add(
                forbund_a,
                setup["samcoach"],
                "SC-M",
                remittent=Remittent.MEDLEM,
                remittent_medlem=setup["medlem"],
            )
        )
        add(forbund_a, setup["samcoach"], "SC-E", end=(2026, 3, 1), avslut="Arbete", setup=setup)
        for row in rows[:5]:
            for month, number in ((2, 2), (5, 4)):
                services.bedomning_record(
                    forbund=forbund_a,
                    actor=None,
                    deltagare=row,
                    date=datetime.date(2026, month, 1),
                    step=setup["steps"][number],
                )
        add(forbund_a, setup["steget"], "ST-001")
    return rows


def _page(forbund, setup, *, reveal=False):
    insatser = [setup["samcoach"], setup["steget"]]
    page = selectors.statistics_page(
        forbund=forbund, year=2026, period="ar", insatser=insatser, reveal=reveal
    )
    page["chart"] = {**page["chart"], "chart": page["chart"]["chart"].svg}
    return page


def _fresh(forbund, setup, *, reveal=False):
    with override_settings(CACHES=NO_CACHE):
        return _page(forbund, setup, reveal=reveal)


# --- Writes by every path show at once -------------------------------------------------------------


def _service_create(forbund, setup, rows):
    add(forbund, setup["samcoach"], "NY-1", kon=Kon.MAN)


def _bulk_create(forbund, setup, rows):
    services.deltagare_bulk_create(
        forbund=forbund,
        actor=None,
        insats=setup["steget"],
        rows=[
            {
                "code": f"BULK-{n}",
                "kon": Kon.MAN,
                "start_date": datetime.date(2026, 2, 1),
                "remittent": "sjalv",
            }
            for n in range(6)
        ],
    )


def _queryset_update(forbund, setup, rows):
    # As an import or an admin action may: one UPDATE, no save(), no signal.
    Deltagare.objects.filter(forbund=forbund, insats=setup["samcoach"]).update(kon=Kon.ANNAT)


def _queryset_delete(forbund, setup, rows):
    Deltagare.objects.filter(forbund=forbund, code__in=["SC-000", "SC-001"]).delete()


def _assessment(forbund, setup, rows):
    services.bedomning_record(
        forbund=forbund, actor=None, deltagare=rows[5], date=datetime.date(2026, 2, 1), step=setup["steps"][1]
    )
    services.bedomning_record(
        forbund=forbund, actor=None, deltagare=rows[5], date=datetime.date(2026, 6, 1), step=setup["steps"][5]
    )


def _assessment_bulk_delete(forbund, setup, rows):
    Bedomning.objects.filter(forbund=forbund, rater=Rater.PERSONAL, deltagare=rows[0]).delete()


def _monthly_counts(forbund, setup, rows):
    services.monthly_counts_save(
        forbund=forbund,
        actor=None,
        insats=setup["steget"],
        year=2026,
        counts={(m, Kon.KVINNA): {"new": 1, "active": 6, "attendees": 9} for m in range(1, 13)},
    )


def _survey(forbund, setup, rows):
    services.survey_save(
        forbund=forbund,
        actor=None,
        insats=setup["samcoach"],
        year=2026,
        period="ar",
        kind=SurveyKind.EGEN,
        name="Enkät",
        respondent_group="Deltagare",
        asked=20,
        answered=10,
        questions=[("Fråga", [("Ja", 6, True), ("Nej", 4, False)])],
    )


def _avslut_relabelled(forbund, setup, rows):
    Category.objects.filter(forbund=forbund, kind=CategoryList.AVSLUT, label="Arbete").update(label="Jobb")


def _medlem_renamed(forbund, setup, rows):
    Medlem.objects.filter(forbund=forbund, pk=setup["medlem"].pk).update(name="Arbetsförmedlingen")


@pytest.mark.parametrize(
    "write",
    [
        _service_create,
        _bulk_create,
        _queryset_update,
        _queryset_delete,
        _assessment,
        _assessment_bulk_delete,
        _monthly_counts,
        _survey,
        _avslut_relabelled,
        _medlem_renamed,
    ],
)
def test_statistics_after_a_write_are_the_uncached_figures(forbund_a, setup, people, in_scope, write):
    with in_scope(forbund_a):
        before = _page(forbund_a, setup)
        assert _page(forbund_a, setup) == before  # now served from the cache
        write(forbund_a, setup, people)
        after = _page(forbund_a, setup)
        assert after != before
        assert after == _fresh(forbund_a, setup)


def test_statistics_page_shows_a_new_participant_on_the_next_request(
    client_for, alice, forbund_a, setup, people, in_scope
):
    client = client_for(alice)
    first = client.get(URL).context["kon_tables"][1].total.text
    assert client.get(URL).context["kon_tables"][1].total.text == first
    with in_scope(forbund_a):
        for n in range(5):
            add(forbund_a, setup["steget"], f"ST-NY-{n}")
    shown = client.get(URL).context["kon_tables"][1]
    assert shown.total.text != first
    assert [cell.text for _, _, cell in shown.rows] == ["8", "6"]


def test_retention_run_changes_the_version(forbund_a, setup, people, in_scope):
    with in_scope(forbund_a):
        add(forbund_a, setup["samcoach"], "GAMMAL", start=(2022, 1, 1), end=(2022, 6, 1), setup=setup)
        version = followup_cache.data_version(forbund_a)
        assert retention_run(forbund=forbund_a, today=datetime.date(2026, 6, 1))["deltagare"] == 1
        assert followup_cache.data_version(forbund_a) != version


# --- Förbund and readers never share an entry --------------------------------------------------------


def test_cache_entry_of_one_forbund_is_never_read_by_another(forbund_a, forbund_b, setup, in_scope):
    with in_scope(forbund_a):
        assert followup_cache.remember(forbund_a, "prov", (1,), lambda: "alfa") == "alfa"
        assert followup_cache.remember(forbund_a, "prov", (1,), lambda: "ändrat") == "alfa"
    with in_scope(forbund_b):
        assert followup_cache.remember(forbund_b, "prov", (1,), lambda: "beta") == "beta"


def test_a_write_in_one_forbund_leaves_the_others_version(forbund_a, forbund_b, setup, people, in_scope):
    with in_scope(forbund_b):
        version_b = followup_cache.data_version(forbund_b)
    with in_scope(forbund_a):
        version_a = followup_cache.data_version(forbund_a)
        add(forbund_a, setup["samcoach"], "NY-A")
        assert followup_cache.data_version(forbund_a) != version_a
    with in_scope(forbund_b):
        assert version_b is not None
        assert followup_cache.data_version(forbund_b) == version_b


def test_statistics_of_beta_are_its_own_after_alfa_is_cached(
    client_for, alice, charlie, forbund_b, setup, people, in_scope
):
    client_for(alice).get(URL)
    shown = client_for(charlie).get("/f/beta/uppfoljning/?ar=2026&period=ar").context["kon_tables"][1]
    assert [insats.name for insats, _, _ in shown.rows] == ["Brus i Beta"]
    assert shown.total.text == "<5"


def test_staff_and_readers_of_the_same_insatser_get_their_own_figures(forbund_a, setup, people, in_scope):
    with in_scope(forbund_a):
        protected = _page(forbund_a, setup)
        revealed = _page(forbund_a, setup, reveal=True)
        assert _page(forbund_a, setup) == protected
    steget = 1
    assert protected["kon_tables"][1].rows[steget][2].text == "<5"
    assert revealed["kon_tables"][1].rows[steget][2].text == "1"
    assert revealed == _fresh_in(forbund_a, setup, in_scope, reveal=True)


def _fresh_in(forbund, setup, in_scope, *, reveal):
    with in_scope(forbund):
        return _fresh(forbund, setup, reveal=reveal)


def test_the_pages_figures_are_rendered_once_per_version_and_again_after_a_write(
    client_for, alice, forbund_a, setup, people, in_scope, monkeypatch
):
    from apps.followup import views

    rendered = []
    original = views.render_to_string

    def counting(name, context):
        rendered.append(name)
        return original(name, context)

    def shown(page):
        html = page.content.decode()
        return html[html.index("<h2>Deltagare per insats och kön</h2>") : html.index("</main>")]

    monkeypatch.setattr(views, "render_to_string", counting)
    client = client_for(alice)
    first = shown(client.get(URL))
    assert shown(client.get(URL)) == first
    assert rendered == ["followup/_statistics_figures.html"]
    with in_scope(forbund_a):
        for n in range(5):
            add(forbund_a, setup["samcoach"], f"HTML-NY-{n}")
    after = shown(client.get(URL))
    assert len(rendered) == 2
    assert after != first


def test_cached_page_suppresses_as_the_uncached_one(client_for, alice, setup, people):
    client = client_for(alice)
    client.get(URL)
    cached = client.get(URL).content.decode()
    with override_settings(CACHES=NO_CACHE):
        fresh = client.get(URL).content.decode()
    assert '<td class="num">&lt;5</td>' in cached
    assert cached.count("&lt;5") == fresh.count("&lt;5")
    assert cached.count("×") == fresh.count("×")


def test_statistics_computed_when_the_cache_is_down(forbund_a, setup, people, in_scope, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("Redis är nere")

    monkeypatch.setattr(followup_cache.cache, "get", broken)
    with in_scope(forbund_a):
        assert _page(forbund_a, setup) == _fresh(forbund_a, setup)


def test_statistics_without_a_version_row_are_computed_every_time(forbund_a, setup, people, in_scope):
    with in_scope(forbund_a):
        DataVersion.objects.filter(forbund=forbund_a).delete()
        calls = []
        for _ in range(2):
            followup_cache.remember(forbund_a, "prov", (1,), lambda: calls.append(1))
    assert len(calls) == 2


# --- Queries: warm and cold each flat --------------------------------------------------------------------


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_statistics_queries_cold_and_warm_flat(client_for, alice, forbund_a, setup, in_scope):
    client = client_for(alice)
    counts = []
    for size in (3, 40):
        with in_scope(forbund_a):
            for n in range(size):
                row = add(forbund_a, setup["samcoach"], f"Q-{size}-{n}")
                services.bedomning_record(
                    forbund=forbund_a,
                    actor=None,
                    deltagare=row,
                    date=datetime.date(2026, 3, 1),
                    step=setup["steps"][2],
                )
        counts.append((_queries(client), _queries(client)))
    (cold_small, warm_small), (cold_large, warm_large) = counts
    assert cold_small == cold_large
    assert warm_small == warm_large
    assert warm_small < cold_small


# --- Every counted table has the triggers -------------------------------------------------------------


def test_every_followup_table_bumps_the_forbund_data_version(db):
    """The figures read the follow-up's tables (and a medlem's name): every one of them has the
    förbund's version triggers (apps.tenancy.walls, on every tenant table)."""
    from django.apps import apps

    followup = {
        m._meta.db_table
        for m in apps.get_app_config("followup").get_models()
        if not m._meta.db_table.endswith("event")
    }
    assert followup | {Medlem._meta.db_table} <= set(walls.data_version_tables(connection))
    assert walls.data_version_problems(connection) == []


def test_rolled_back_write_keeps_the_version(forbund_a, setup, people, in_scope):
    from django.db import transaction

    with in_scope(forbund_a):
        version = followup_cache.data_version(forbund_a)
        with pytest.raises(RuntimeError), transaction.atomic():
            add(forbund_a, setup["samcoach"], "ÅNGRAD")
            assert followup_cache.data_version(forbund_a) != version
            raise RuntimeError
        assert followup_cache.data_version(forbund_a) == version


# --- The computed delmål (goals page) use the same cache ---------------------------------------------


def _results(forbund, rows):
    from apps.goals import selectors as goal_selectors

    results = goal_selectors.delmal_results(forbund=forbund, year=2026, delmal=rows, until_month=4)
    return {pk: (result.value, result.met, result.explanation) for pk, result in results.items()}


def test_computed_delmal_after_a_write_are_the_uncached_figures(
    figures,  # noqa: F811 (the fixture)
    forbund_a,
    setup,
    in_scope,
):
    from decimal import Decimal

    from apps.goals.models import IndicatorKind

    with in_scope(forbund_a):
        rows = [
            _delmal(
                forbund_a, IndicatorKind.STEG_MEDEL, number=1, target_comparator="minst", target_unit="steg"
            ),
            _delmal(forbund_a, IndicatorKind.DELTAGARE_JAMFORT, number=2, baseline_year=2025),
        ]
        before = _results(forbund_a, rows)
        assert _results(forbund_a, rows) == before  # from the cache
        assert before[rows[0].pk][0] == Decimal("0.8")
        row = Deltagare.objects.get(forbund=forbund_a, code="B-1")
        for date, step in ((datetime.date(2026, 2, 2), 2), (datetime.date(2026, 3, 20), 6)):
            services.bedomning_record(
                forbund=forbund_a, actor=None, deltagare=row, date=date, step=setup["steps"][step]
            )
        add(forbund_a, setup["samcoach"], "C-1", start=(2026, 2, 1))
        after = _results(forbund_a, rows)
        with override_settings(CACHES=NO_CACHE):
            assert after == _results(forbund_a, rows)
    assert after[rows[0].pk][0] == Decimal("1.1")  # 13 steps over 12 people
    assert after[rows[1].pk][0] == before[rows[1].pk][0] + 1


def test_statistics_lists_the_insatser_of_the_year_in_the_list_order(
    client_for, alice, olle, forbund_a, setup, in_scope
):
    from apps.insatser.selectors import insats_list
    from tests.insatser.conftest import make_insats

    with in_scope(forbund_a):
        make_insats(forbund_a, "Utan året", years=[2025])
        make_insats(forbund_a, "Ärendet", years=[2026])
        with_year = set(selectors.year_modes(forbund=forbund_a, year=2026))
        expected = [i.name for i in insats_list(forbund=forbund_a, year=2026) if i.pk in with_year]
    assert "Utan året" not in expected and len(expected) == 3
    assert [i.name for i in client_for(alice).get(URL).context["insatser"]] == expected
    assert [i.name for i in client_for(olle).get(URL).context["insatser"]] == ["Steget"]


def test_statistics_without_surveys_reads_no_surveys_and_the_same_figures(forbund_a, setup, people, in_scope):
    """The start page and the tertial report show no surveys: they leave them unread (three queries)."""
    insatser = [setup["samcoach"], setup["steget"]]
    with in_scope(forbund_a):
        full = selectors.statistics_page(
            forbund=forbund_a, year=2026, period="ar", insatser=insatser, reveal=False
        )
        with CaptureQueriesContext(connection) as with_surveys:
            selectors.statistics_page(
                forbund=forbund_a, year=2026, period="ar", insatser=insatser, reveal=False
            )
        with CaptureQueriesContext(connection) as without:
            lean = selectors.statistics_page(
                forbund=forbund_a, year=2026, period="ar", insatser=insatser, reveal=False, with_surveys=False
            )
    assert lean["surveys"] is None
    assert full["surveys"] is not None
    assert not any("followup_survey" in q["sql"] for q in without.captured_queries)
    assert len(without.captured_queries) < len(with_surveys.captured_queries)
    assert [t.total.text for t in lean["kon_tables"]] == [t.total.text for t in full["kon_tables"]]
