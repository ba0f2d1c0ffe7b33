"""Services of insatser: status transitions and their refusals, year rows, medparter."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from apps.insatser import services
from apps.insatser.models import InsatsMedpart, InsatsStatus, InsatsYear

from .conftest import make_insats

S = InsatsStatus
DAY = datetime.date(2026, 11, 30)


def _move(forbund, insats, *path):
    for to in path:
        kwargs = {"decision_date": DAY, "decision_paragraph": "§ 12"} if to in (S.BEVILJAD, S.AVSLAG) else {}
        services.insats_transition(forbund=forbund, actor=None, insats=insats, to=to, **kwargs)


def test_insats_create_starts_as_askande(forbund_a, insats_a, in_scope):
    with in_scope(forbund_a):
        assert insats_a.status == S.ASKANDE
        assert InsatsMedpart.objects.filter(forbund=forbund_a, insats=insats_a).count() == 1


def test_insats_transition_full_path_reaches_avslutad(forbund_a, insats_a, in_scope):
    with in_scope(forbund_a):
        _move(forbund_a, insats_a, S.BEREDNING, S.BEVILJAD, S.PAGAENDE, S.AVSLUTAD)
        insats_a.refresh_from_db()
        assert insats_a.status == S.AVSLUTAD
        assert insats_a.decision_date == DAY
        assert insats_a.decision_paragraph == "§ 12"


def test_insats_transition_beredning_to_avslag_is_allowed(forbund_a, insats_a, in_scope):
    with in_scope(forbund_a):
        _move(forbund_a, insats_a, S.BEREDNING, S.AVSLAG)
        insats_a.refresh_from_db()
        assert insats_a.status == S.AVSLAG


def test_insats_transition_skipping_a_step_is_refused_naming_both(forbund_a, insats_a, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        services.insats_transition(
            forbund=forbund_a,
            actor=None,
            insats=insats_a,
            to=S.BEVILJAD,
            decision_date=DAY,
            decision_paragraph="§ 1",
        )
    assert exc.value.message_dict["to"] == ["En insats med status äskande kan inte få status beviljad."]


def test_insats_transition_from_avslag_is_refused(forbund_a, insats_a, in_scope):
    with in_scope(forbund_a):
        _move(forbund_a, insats_a, S.BEREDNING, S.AVSLAG)
        with pytest.raises(ValidationError, match="avslag kan inte få status pågående"):
            services.insats_transition(forbund=forbund_a, actor=None, insats=insats_a, to=S.PAGAENDE)


def test_insats_transition_grant_without_decision_is_refused(forbund_a, insats_a, in_scope):
    with in_scope(forbund_a):
        _move(forbund_a, insats_a, S.BEREDNING)
        with pytest.raises(ValidationError) as exc:
            services.insats_transition(forbund=forbund_a, actor=None, insats=insats_a, to=S.BEVILJAD)
        insats_a.refresh_from_db()
    # By default the förbund numbers its minutes, so both the date and the § are asked for.
    assert set(exc.value.message_dict) == {"decision_date", "decision_paragraph"}
    assert insats_a.status == S.BEREDNING


def test_insats_transition_grant_names_missing_plan_and_risk(forbund_a, insats_a, in_scope):
    forbund_a.require_plan_before_grant = True
    forbund_a.save()
    with in_scope(forbund_a):
        _move(forbund_a, insats_a, S.BEREDNING)
        with pytest.raises(ValidationError) as exc:
            _move(forbund_a, insats_a, S.BEVILJAD)
    messages = exc.value.message_dict["to"]
    assert "Genomförandeplan saknas." in messages
    assert "Riskanalys saknas." in messages


def test_insats_transition_grant_names_only_missing_risk(forbund_a, insats_a, in_scope):
    forbund_a.require_plan_before_grant = True
    forbund_a.save()
    with in_scope(forbund_a):
        services.insats_update(forbund=forbund_a, actor=None, insats=insats_a, has_implementation_plan=True)
        _move(forbund_a, insats_a, S.BEREDNING)
        with pytest.raises(ValidationError) as exc:
            _move(forbund_a, insats_a, S.BEVILJAD)
    messages = exc.value.message_dict["to"]
    assert "Riskanalys saknas." in messages
    assert "Genomförandeplan saknas." not in messages


def test_insats_transition_grant_with_plan_and_risk_is_allowed(forbund_a, insats_a, in_scope):
    forbund_a.require_plan_before_grant = True
    forbund_a.save()
    with in_scope(forbund_a):
        services.insats_update(
            forbund=forbund_a,
            actor=None,
            insats=insats_a,
            has_implementation_plan=True,
            has_risk_analysis=True,
        )
        _move(forbund_a, insats_a, S.BEREDNING, S.BEVILJAD)
        insats_a.refresh_from_db()
        assert insats_a.status == S.BEVILJAD


def test_insats_update_ignores_status(forbund_a, insats_a, in_scope):
    with in_scope(forbund_a):
        services.insats_update(
            forbund=forbund_a, actor=None, insats=insats_a, status=S.AVSLUTAD, name="Nytt namn"
        )
        insats_a.refresh_from_db()
    assert insats_a.status == S.ASKANDE
    assert insats_a.name == "Nytt namn"


def test_insats_year_create_refuses_duplicate_year_in_swedish(forbund_a, insats_a, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        services.insats_year_create(
            forbund=forbund_a, actor=None, insats=insats_a, year=2026, budget_amount=1
        )
    assert exc.value.message_dict["year"] == ["Insatsen har redan en rad för år 2026."]


def test_insats_year_same_year_in_other_insats_is_allowed(forbund_a, insats_a, in_scope):
    with in_scope(forbund_a):
        other = make_insats(forbund_a, "Annan insats")
        services.insats_year_create(forbund=forbund_a, actor=None, insats=other, year=2026, budget_amount=1)
        assert InsatsYear.objects.filter(forbund=forbund_a, year=2026).count() == 2


def test_insats_year_update_refuses_taken_year(forbund_a, insats_a, in_scope):
    with in_scope(forbund_a):
        row = services.insats_year_create(
            forbund=forbund_a, actor=None, insats=insats_a, year=2027, budget_amount=1
        )
        with pytest.raises(ValidationError, match="redan en rad för år 2026"):
            services.insats_year_update(forbund=forbund_a, actor=None, insats_year=row, year=2026)


def test_insats_year_negative_budget_is_refused(forbund_a, insats_a, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        services.insats_year_create(
            forbund=forbund_a, actor=None, insats=insats_a, year=2027, budget_amount=-5
        )
    assert "budget_amount" in exc.value.message_dict


def test_insats_create_refuses_owner_of_other_forbund(forbund_a, forbund_b, insats_b, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError):
        services.insats_create(
            forbund=forbund_a, actor=None, name="Fel", verksamhetsagare=insats_b.verksamhetsagare
        )


def test_medlem_delete_refused_while_medpart(insats_a, forbund_a):
    from apps.members.services import medlem_delete
    from apps.tenancy.scope import tenant_scope

    with tenant_scope(forbund_a):
        medpart = InsatsMedpart.objects.filter(insats=insats_a).select_related("medlem").get()
        with pytest.raises(ValidationError, match="kan inte tas bort"):
            medlem_delete(forbund=forbund_a, actor=None, medlem=medpart.medlem)
        assert InsatsMedpart.objects.filter(insats=insats_a).count() == 1


def test_insats_delete_refused_while_delmal_belongs_to_it(insats_a, forbund_a):
    from apps.goals.models import Delmal
    from apps.tenancy.scope import tenant_scope
    from tests.goals.factories import DelmalFactory, MalomradeFactory

    with tenant_scope(forbund_a):
        malomrade = MalomradeFactory(forbund=forbund_a, number=1)
        DelmalFactory(malomrade=malomrade, forbund=forbund_a, number=1, insats=insats_a)
        with pytest.raises(ValidationError, match=r"används av: delmål \(1\)"):
            services.insats_delete(forbund=forbund_a, actor=None, insats=insats_a)
        assert Delmal.objects.filter(insats=insats_a).exists()
