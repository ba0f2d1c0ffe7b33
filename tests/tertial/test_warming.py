"""The registered warmers (apps.tenancy.datacache, "Warming") fill what the pages read: once they
have run after a write, the start page, the statistics page, the plan version på remiss's live
sections and the draft report are served without computing their content again."""

from __future__ import annotations

import pytest
from django.utils import timezone

from apps.plans import services as plan_services
from apps.tenancy import datacache
from apps.tenancy.models import Forbund
from apps.tenancy.scope import tenant_scope

from .conftest import TODAY

pytestmark = pytest.mark.django_db


class Computed(AssertionError):
    """Raised by a computation that a warmed page must not run."""


@pytest.fixture
def today(monkeypatch):
    """The tertial fixtures' day (December of the plan year): the warmers' "this year"."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def pages(world, report_a, forbund_a, today):
    """The pages a förbundschef opens first: start page, statistics, the plan på remiss, the draft."""
    with tenant_scope(forbund_a):
        plan = plan_services.plan_create(forbund=forbund_a, actor=None, year=TODAY.year)
        version = plan.versions.get()
        plan_services.version_send_to_remiss(forbund=forbund_a, actor=None, version=version)
    _, draft = report_a
    return [
        "/f/alfa/",
        "/f/alfa/uppfoljning/",
        f"/f/alfa/plan/v/{version.public_id}/",
        f"/f/alfa/tertial/v/{draft.public_id}/",
    ]


def _refuse_computing(monkeypatch):
    def refuse(*args, **kwargs):
        raise Computed("computed again instead of read from the warmed cache")

    monkeypatch.setattr("apps.followup.selectors._figures", refuse)
    monkeypatch.setattr("apps.followup.views.render_to_string", refuse)
    monkeypatch.setattr("apps.plans.datasections.render_data", refuse)
    monkeypatch.setattr("apps.tertial.content.report_content", refuse)
    monkeypatch.setattr("apps.tertial.content.goals_content", refuse)  # report_progress's


def _write(forbund):
    from apps.members.models import Medlem

    with tenant_scope(forbund):
        Medlem.objects.create(forbund=forbund, name="Kommun efter uppvärmningen", kind="kommun")


def test_after_warming_the_first_pages_compute_nothing(pages, forbund_a, alice, client_for, monkeypatch):
    _write(forbund_a)  # whatever the fixtures left in the cache is now under an old version
    warmed = datacache.warm_if_changed(Forbund.objects.get(pk=forbund_a.pk))
    assert set(warmed) == {
        "goals-computed-delmal",
        "plans-live-sections",
        "tertial-drafts",
        "followup-statistics",
        "home-editor-overview",
    }
    _refuse_computing(monkeypatch)
    client = client_for(alice)
    for path in pages:
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("page", [0, 1, 2, 3])
def test_without_warming_the_first_reader_after_a_write_computes(
    pages, page, forbund_a, alice, client_for, monkeypatch
):
    """The control: the refusals above do catch a page that computes (so the test above can fail)."""
    datacache.warm_if_changed(Forbund.objects.get(pk=forbund_a.pk))
    _write(forbund_a)
    _refuse_computing(monkeypatch)
    with pytest.raises(Computed):
        client_for(alice).get(pages[page])


def test_the_statistics_of_a_draft_reports_year_are_warmed_in_the_next_year(
    world, report_a, forbund_a, alice, client_for, monkeypatch
):
    """In January the T3 report of last year is written: last year's statistics are warmed too."""
    january = TODAY.replace(year=TODAY.year + 1, month=1, day=10)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: january)
    _write(forbund_a)
    datacache.warm_if_changed(Forbund.objects.get(pk=forbund_a.pk))
    _refuse_computing(monkeypatch)
    client = client_for(alice)
    assert client.get(f"/f/alfa/uppfoljning/?ar={TODAY.year}").status_code == 200
    assert client.get(f"/f/alfa/uppfoljning/?ar={january.year}").status_code == 200
    with pytest.raises(Computed):  # a year nobody reports on is not warmed
        client.get(f"/f/alfa/uppfoljning/?ar={TODAY.year - 1}")
