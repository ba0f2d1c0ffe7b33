"""Fixtures: a 2026 plan document in A (adopted or draft) and in the noise förbund B."""

from __future__ import annotations

import datetime

import pytest

from apps.plans import services as plan_services
from tests.plans.conftest import YEAR, make_plan  # noqa: F401

ADOPTED = datetime.date(YEAR - 1, 11, 30)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every stored PDF goes to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


def adopt(version, actor):
    plan_services.version_send_to_remiss(forbund=version.forbund, version=version, actor=actor)
    return plan_services.version_adopt(
        forbund=version.forbund,
        version=version,
        actor=actor,
        adopted_on=ADOPTED,
        decision_paragraph="§ 45",
        adopted_by="styrelsen",
    )


@pytest.fixture
def docs(forbund_a, forbund_b, alice, charlie, in_scope):
    """Version 1 (utkast) of a 2026 plan with data in A and in the noise förbund B."""
    result = {}
    for forbund, actor in ((forbund_a, alice), (forbund_b, charlie)):
        result[f"{forbund.slug}_data"] = make_plan(forbund)
        with in_scope(forbund):
            plan = plan_services.plan_create(forbund=forbund, actor=actor, year=YEAR)
            result[forbund.slug] = plan.versions.get()
    return result


@pytest.fixture
def adopted(docs, forbund_a, forbund_b, alice, charlie, in_scope):
    """The same versions, adopted on 2025-11-30 (§ 45)."""
    for forbund, actor in ((forbund_a, alice), (forbund_b, charlie)):
        with in_scope(forbund):
            adopt(docs[forbund.slug], actor)
    return docs
