"""Fixtures for the follow-up: an insats in each förbund, staff, defaults and participants."""

from __future__ import annotations

import datetime

import pytest

from apps.followup import services
from apps.followup.models import Category, CategoryList, Kon, Remittent, Step, StepScale
from apps.insatser import services as insats_services
from apps.tenancy.models import Role
from apps.tenancy.scope import tenant_scope
from tests.conftest import member
from tests.factories import MedlemFactory
from tests.insatser.conftest import make_insats


@pytest.fixture
def olle(forbund_a):
    """Olle is plattformspersonal in förbund A, granted only the other insats."""
    return member(forbund_a, "olle@alfa.se", Role.PLATTFORM)


@pytest.fixture
def setup(forbund_a, forbund_b, petra, olle):
    """SamCoach (Petra's) and Steget (Olle's) in A with defaults; noise rows in B."""
    with tenant_scope(forbund_b):
        services.followup_defaults_ensure(forbund=forbund_b, actor=None)
        noise = make_insats(forbund_b, "Brus i Beta", years=[2025, 2026])
        services.deltagare_create(
            forbund=forbund_b,
            actor=None,
            insats=noise,
            code="BETA-1",
            kon=Kon.KVINNA,
            start_date=datetime.date(2026, 1, 10),
            remittent=Remittent.SJALV,
        )
    with tenant_scope(forbund_a):
        services.followup_defaults_ensure(forbund=forbund_a, actor=None)
        samcoach = make_insats(forbund_a, "SamCoach", years=[2025, 2026])
        steget = make_insats(forbund_a, "Steget", years=[2026])
        insats_services.insats_assign_staff(forbund=forbund_a, actor=None, insats=samcoach, user=petra)
        insats_services.insats_assign_staff(forbund=forbund_a, actor=None, insats=steget, user=olle)
        scale = StepScale.objects.get(forbund=forbund_a)
        services.insats_set_scale(forbund=forbund_a, actor=None, insats=samcoach, scale=scale)
        services.insats_set_scale(forbund=forbund_a, actor=None, insats=steget, scale=scale)
        steps = {s.number: s for s in Step.objects.filter(forbund=forbund_a, scale=scale)}
        cats = {(c.kind, c.label): c for c in Category.objects.filter(forbund=forbund_a)}
        medlem = MedlemFactory(forbund=forbund_a, name="Försäkringskassan")
    return {
        "samcoach": samcoach,
        "steget": steget,
        "scale": scale,
        "steps": steps,
        "cats": cats,
        "medlem": medlem,
    }


def cat(setup, kind, label):
    return setup["cats"][(kind, label)]


def add(
    forbund, insats, code, *, kon=Kon.KVINNA, start=(2026, 1, 15), end=None, avslut=None, setup=None, **extra
):
    """A participant (call inside the förbund's scope); ``avslut`` is an avslutsorsak label."""
    fields = {"remittent": Remittent.SJALV, **extra}
    if end is not None:
        fields["end_date"] = datetime.date(*end)
        fields["avslutsorsak"] = cat(setup, CategoryList.AVSLUT, avslut or "Arbete")
    return services.deltagare_create(
        forbund=forbund,
        actor=None,
        insats=insats,
        code=code,
        kon=kon,
        start_date=datetime.date(*start),
        **fields,
    )
