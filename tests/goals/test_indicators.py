"""Computed delmål: costs within the budget and eget kapital as a share of the driftsbidrag."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.budgets import services as budget_services
from apps.budgets.utfall import services as utfall_services
from apps.goals import selectors, services
from apps.goals.forms import DelmalForm
from apps.goals.models import Delmal, IndicatorKind, Malomrade

from .factories import DelmalFactory, MalomradeFactory

YEAR_URL = "/f/alfa/mal/2023/"
COSTS = IndicatorKind.KOSTNADER_INOM_BUDGET
EQUITY = IndicatorKind.EGET_KAPITAL_ANDEL


def _budget_with_utfall(forbund, *, months: dict[int, int], opening: int = 300_000):
    """A 2023 budget: driftsbidrag 1 200 000, one cost line Kansli 1 200 000, utfall per month."""
    budget = budget_services.budget_create(
        forbund=forbund, actor=None, year=2023, input_amount=1_200_000, eget_kapital_opening=opening
    )
    kansli = budget_services.cost_line_create(
        forbund=forbund, actor=None, budget=budget, name="Kansli", amount=1_200_000
    )
    utfall_services.account_mapping_create(
        forbund=forbund, actor=None, accounts="5000-5999", cost_line=kansli
    )
    if months:
        rows = "".join(f"5010;2023;{month};{amount}\n" for month, amount in months.items())
        job = utfall_services.utfall_import_create(
            forbund=forbund,
            actor=None,
            year=2023,
            filename="utfall.csv",
            content=f"Konto;År;Månad;Belopp\n{rows}".encode(),
        )
        utfall_services.utfall_import_confirm(forbund=job.forbund, actor=None, utfall_import=job)
    return budget


@pytest.fixture
def economy(forbund_a, forbund_b, in_scope):
    """A: 90 000 in January and 120 000 in February. B (noise): far over budget in every month."""
    with in_scope(forbund_b):
        _budget_with_utfall(forbund_b, months=dict.fromkeys(range(1, 13), 900_000), opening=5_000_000)
    with in_scope(forbund_a):
        _budget_with_utfall(forbund_a, months={1: 90_000, 2: 120_000})


def _computed(forbund, kind, *, number=1, malomrade=None, **fields):
    """A computed delmål (equity: högst 20 %), in a new målområde 1 unless one is given."""
    malomrade = malomrade or MalomradeFactory(forbund=forbund, year=2023, number=1)
    if kind == EQUITY:
        fields = {
            "target_comparator": "hogst",
            "target_value": Decimal("20"),
            "target_unit": "procent",
        } | fields
    return DelmalFactory(
        malomrade=malomrade, number=number, indicator_kind=kind, data_source="budget", **fields
    )


@pytest.fixture
def computed_goals(forbund_a, forbund_b, in_scope, economy):
    """Målområde 1 of 2023 in A and B, each with one costs, one equity and one manual delmål."""
    rows = {}
    for forbund in (forbund_b, forbund_a):
        with in_scope(forbund):
            malomrade = MalomradeFactory(forbund=forbund, year=2023, number=1)
            rows[forbund.slug] = [
                _computed(forbund, COSTS, malomrade=malomrade, number=1),
                _computed(forbund, EQUITY, malomrade=malomrade, number=2),
                DelmalFactory(malomrade=malomrade, number=3),
            ]
    return rows


def _results(forbund, until_month):
    delmal = list(Delmal.objects.filter(forbund=forbund).order_by("malomrade__number", "number"))
    results = selectors.delmal_results(forbund=forbund, year=2023, delmal=delmal, until_month=until_month)
    return [results.get(d.pk) for d in delmal]


# --- Computation --------------------------------------------------------------------------


def test_costs_within_budget_over_budget_so_far_not_met(computed_goals, forbund_a, in_scope):
    with in_scope(forbund_a):
        until = selectors.period_until_month(forbund=forbund_a, year=2023, period="hittills")
        result = _results(forbund_a, until)[0]
    assert until == 2
    assert result.met is False
    assert result.value == 10_000  # 210 000 against 200 000 for January–February
    assert "210\u00a0000\u00a0kr" in result.explanation


def test_costs_within_budget_t1_met(computed_goals, forbund_a, in_scope):
    with in_scope(forbund_a):
        until = selectors.period_until_month(forbund=forbund_a, year=2023, period="t1")
        result = _results(forbund_a, until)[0]
    assert until == 4
    assert result.met is True
    assert result.value == -190_000  # 210 000 against 400 000


def test_costs_within_budget_without_utfall_lacks_data(forbund_a, forbund_b, in_scope):
    with in_scope(forbund_a):
        _budget_with_utfall(forbund_a, months={})
        _computed(forbund_a, COSTS)
        until = selectors.period_until_month(forbund=forbund_a, year=2023, period="hittills")
        result = _results(forbund_a, until)[0]
    assert until == 0
    assert result.met is None
    assert "inget utfall" in result.explanation


def test_costs_within_budget_without_budget_lacks_data(forbund_a, in_scope):
    with in_scope(forbund_a):
        _computed(forbund_a, COSTS)
        result = _results(forbund_a, 12)[0]
    assert result.met is None
    assert "ingen budget" in result.explanation


def test_equity_ratio_at_limit_met(computed_goals, forbund_a, in_scope):
    # Prognosis 1 260 000 of costs: result −60 000, closing 240 000 = 20,0 % of 1 200 000.
    with in_scope(forbund_a):
        result = _results(forbund_a, 2)[1]
    assert result.met is True
    assert result.value == Decimal("20.0")


def test_equity_ratio_above_limit_not_met(computed_goals, forbund_a, in_scope):
    with in_scope(forbund_a):
        Delmal.objects.filter(forbund=forbund_a, indicator_kind=EQUITY).update(target_value=Decimal("15"))
        result = _results(forbund_a, 2)[1]
    assert result.met is False
    assert "mer än 15" in result.explanation


def test_manual_delmal_has_no_computed_result(computed_goals, forbund_a, in_scope):
    with in_scope(forbund_a):
        assert _results(forbund_a, 2)[2] is None


def test_delmal_results_compute_each_kind_and_params_once(computed_goals, forbund_a, in_scope, monkeypatch):
    from apps.budgets import indicators

    calls = []
    original = indicators.INDICATORS["costs_within_budget"]

    def counting(**kwargs):
        calls.append(kwargs)
        return original[1](**kwargs)

    monkeypatch.setitem(indicators.INDICATORS, "costs_within_budget", (original[0], counting))
    with in_scope(forbund_a):
        malomrade = computed_goals["alfa"][0].malomrade
        _computed(forbund_a, COSTS, malomrade=malomrade, number=4)
        _computed(forbund_a, COSTS, malomrade=malomrade, number=5)
        results = _results(forbund_a, 2)
    assert len(calls) == 1
    assert results[0] is results[3] is results[4]


# --- Validation ---------------------------------------------------------------------------


def test_equity_kind_requires_hogst_and_percent(forbund_a, in_scope):
    with in_scope(forbund_a):
        malomrade = MalomradeFactory(forbund=forbund_a, year=2023, number=1)
        with pytest.raises(ValidationError) as exc:
            services.delmal_create(
                forbund=malomrade.forbund,
                malomrade=malomrade,
                actor=None,
                text="Eget kapital hålls nere",
                indicator_kind=EQUITY,
                target_comparator="minst",
                target_value=Decimal("20"),
                target_unit="antal",
                tidpunkt="ar",
                data_source="budget",
            )
    errors = exc.value.message_dict
    assert "ska jämförelsen vara ”högst”" in errors["target_comparator"][0]
    assert "ska enheten vara %" in errors["target_unit"][0]


def test_equity_kind_requires_target_value(forbund_a, in_scope):
    with in_scope(forbund_a):
        malomrade = MalomradeFactory(forbund=forbund_a, year=2023, number=1)
        with pytest.raises(ValidationError) as exc:
            services.delmal_create(
                forbund=malomrade.forbund,
                malomrade=malomrade,
                actor=None,
                text="Eget kapital hålls nere",
                indicator_kind=EQUITY,
                target_comparator="hogst",
                target_unit="procent",
                tidpunkt="ar",
                data_source="budget",
            )
    assert "procent av driftsbidraget" in exc.value.message_dict["target_value"][0]


def test_equity_kind_valid_target_saves(forbund_a, in_scope):
    with in_scope(forbund_a):
        malomrade = MalomradeFactory(forbund=forbund_a, year=2023, number=1)
        delmal = services.delmal_create(
            forbund=malomrade.forbund,
            malomrade=malomrade,
            actor=None,
            text="Eget kapital högst 20 %",
            indicator_kind=EQUITY,
            target_comparator="hogst",
            target_value=Decimal("20"),
            target_unit="procent",
            tidpunkt="ar",
            data_source="budget",
        )
    assert delmal.target_display == "högst 20 %"
    assert delmal.is_computed


def test_costs_kind_needs_no_target(forbund_a, in_scope):
    with in_scope(forbund_a):
        malomrade = MalomradeFactory(forbund=forbund_a, year=2023, number=1)
        delmal = services.delmal_create(
            forbund=malomrade.forbund,
            malomrade=malomrade,
            actor=None,
            text="Kostnaderna håller sig inom budget",
            indicator_kind=COSTS,
            tidpunkt="tertial",
            data_source="budget",
        )
    assert delmal.indicator_kind == COSTS


def test_form_offers_computed_kinds(forbund_a, in_scope):
    with in_scope(forbund_a):
        form = DelmalForm(forbund=forbund_a)
        choices = dict(form.fields["indicator_kind"].choices)
    assert choices[COSTS] == "Kostnaderna överstiger inte budgetramen (beräknas från budget och utfall)"
    assert choices[EQUITY] == "Eget kapital högst X % av driftsbidraget (beräknas)"


def test_delmal_create_view_equity_wrong_unit_shows_swedish_error(client_for, alice, forbund_a, in_scope):
    with in_scope(forbund_a):
        malomrade = MalomradeFactory(forbund=forbund_a, year=2023, number=1)
    response = client_for(alice).post(
        f"/f/alfa/mal/malomrade/{malomrade.public_id}/nytt-delmal/",
        {
            f"ny-{malomrade.public_id.hex[:8]}-{key}": value
            for key, value in {
                "text": "Eget kapital hålls nere",
                "indicator_kind": EQUITY,
                "target_comparator": "hogst",
                "target_value": "20",
                "target_unit": "kr",
                "tidpunkt": "ar",
                "data_source": "budget",
            }.items()
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "ska enheten vara %" in body
    assert "Eget kapital hålls nere" in body
    with in_scope(forbund_a):
        assert not Delmal.objects.filter(forbund=forbund_a).exists()


def test_delmal_create_view_saves_costs_kind(client_for, alice, forbund_a, in_scope):
    with in_scope(forbund_a):
        malomrade = MalomradeFactory(forbund=forbund_a, year=2023, number=1)
    response = client_for(alice).post(
        f"/f/alfa/mal/malomrade/{malomrade.public_id}/nytt-delmal/",
        {
            f"ny-{malomrade.public_id.hex[:8]}-{key}": value
            for key, value in {
                "text": "Kostnaderna inom budget",
                "indicator_kind": COSTS,
                "tidpunkt": "tertial",
                "data_source": "budget",
            }.items()
        },
    )
    assert response.status_code == 302
    with in_scope(forbund_a):
        assert Delmal.objects.get(forbund=forbund_a).indicator_kind == COSTS


# --- The year page ------------------------------------------------------------------------


def test_year_page_shows_computed_results_so_far(client_for, alice, computed_goals):
    body = client_for(alice).get(YEAR_URL).content.decode()
    assert "Inte uppfyllt" in body  # costs January–February: 210 000 against 200 000
    assert "Uppfyllt" in body  # equity 20,0 % against högst 20 %
    assert "210\u00a0000\u00a0kr" in body
    assert "Kostnaderna jämförs för januari–februari" in body
    assert '<option value="hittills" selected>' in body


def test_year_page_period_t1_changes_result(client_for, bob, computed_goals):
    body = client_for(bob).get(YEAR_URL + "?period=t1").content.decode()
    assert "Inte uppfyllt" not in body
    assert "januari–april" in body
    assert '<option value="t1" selected>' in body


def test_year_page_unknown_period_falls_back_to_so_far(client_for, alice, computed_goals):
    body = client_for(alice).get(YEAR_URL + "?period=xyz").content.decode()
    assert '<option value="hittills" selected>' in body


def test_year_page_never_shows_other_forbund_figures(client_for, alice, computed_goals):
    body = client_for(alice).get(YEAR_URL + "?period=helar").content.decode()
    assert "900\u00a0000" not in body
    assert "5\u00a0000\u00a0000" not in body


def test_year_page_without_computed_delmal_has_no_period_picker(client_for, alice, forbund_a, in_scope):
    with in_scope(forbund_a):
        DelmalFactory(malomrade=MalomradeFactory(forbund=forbund_a, year=2023, number=1))
    body = client_for(alice).get(YEAR_URL).content.decode()
    assert 'name="period"' not in body


def test_year_page_outsider_not_found_with_period(client_for, charlie, computed_goals):
    assert client_for(charlie).get(YEAR_URL + "?period=t1").status_code == 404


def _fill_computed(forbund, count):
    for number in range(1, count + 1):
        malomrade = MalomradeFactory(forbund=forbund, year=2023, number=number)
        _computed(forbund, COSTS, malomrade=malomrade, number=1)
        _computed(forbund, EQUITY, malomrade=malomrade, number=2)
        DelmalFactory(malomrade=malomrade, number=3)


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("user_fixture", ["alice", "bob"])
@pytest.mark.parametrize("period", ["hittills", "t2"])
def test_year_page_query_count_flat_with_computed(
    user_fixture, period, request, client_for, forbund_a, forbund_b, in_scope, economy
):
    client = client_for(request.getfixturevalue(user_fixture))
    url = f"{YEAR_URL}?period={period}"
    with in_scope(forbund_b):
        _fill_computed(forbund_b, 3)
    with in_scope(forbund_a):
        _fill_computed(forbund_a, 2)
    small = _count_queries(client, url)
    with in_scope(forbund_a):
        Delmal.objects.filter(forbund=forbund_a).delete()
        Malomrade.objects.filter(forbund=forbund_a).delete()
        _fill_computed(forbund_a, 12)
    large = _count_queries(client, url)
    body = client.get(url).content.decode()
    assert body.count('<tr id="delmal-') == 36
    assert body.count("Inte uppfyllt") == (12 if period == "hittills" else 0)
    assert small == large


def _fill_distinct_computed(forbund, count):
    """Målområden whose equity delmål each have their own target, so no two share a computation."""
    for number in range(1, count + 1):
        malomrade = MalomradeFactory(forbund=forbund, year=2023, number=number)
        _computed(forbund, COSTS, malomrade=malomrade, number=1)
        _computed(forbund, EQUITY, malomrade=malomrade, number=2, target_value=Decimal(10 + number))


@pytest.mark.parametrize("period", ["hittills", "t2"])
def test_year_page_query_count_flat_with_distinct_computed_targets(
    period, client_for, alice, forbund_a, forbund_b, in_scope, economy
):
    client = client_for(alice)
    url = f"{YEAR_URL}?period={period}"
    with in_scope(forbund_b):
        _fill_distinct_computed(forbund_b, 3)
    with in_scope(forbund_a):
        _fill_distinct_computed(forbund_a, 2)
    small = _count_queries(client, url)
    with in_scope(forbund_a):
        Delmal.objects.filter(forbund=forbund_a).delete()
        Malomrade.objects.filter(forbund=forbund_a).delete()
        _fill_distinct_computed(forbund_a, 12)
    large = _count_queries(client, url)
    assert client.get(url).content.decode().count('<tr id="delmal-') == 24
    assert small == large


def test_delmal_results_read_the_followup_once_for_every_kind_and_target(
    computed_goals, forbund_a, in_scope, monkeypatch
):
    from apps.budgets.utfall import selectors as utfall_selectors

    calls = []
    original = utfall_selectors.followup

    def counting(**kwargs):
        calls.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(utfall_selectors, "followup", counting)
    with in_scope(forbund_a):
        malomrade = computed_goals["alfa"][0].malomrade
        for number, target in ((4, 30), (5, 40), (6, 50)):
            _computed(forbund_a, EQUITY, malomrade=malomrade, number=number, target_value=Decimal(target))
        results = _results(forbund_a, 2)
    assert len(calls) == 1
    equity = [results[i] for i in (1, 3, 4, 5)]
    assert len({r.explanation for r in equity}) == 4
