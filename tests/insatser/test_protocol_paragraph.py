"""The förbund's setting "Vi numrerar paragrafer i protokollen": on, a grant needs its §; off, no field."""

from __future__ import annotations

import re

from apps.insatser import selectors, services
from apps.insatser.models import Insats, InsatsStatus
from apps.tenancy.scope import tenant_scope

SETTINGS = "/f/alfa/insatser/installningar/"
GRANT = {"to": "beviljad", "decision_date": "2026-11-30"}


def _input(body, name):
    """The whole <input> tag of the named field."""
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', body).group(0)


def _status_url(insats):
    return f"/f/alfa/insatser/{insats.public_id}/status/"


def _to_beredning(forbund, insats):
    with tenant_scope(forbund):
        Insats.objects.filter(pk=insats.pk).update(status=InsatsStatus.BEREDNING)


def _numbers_paragraphs(forbund):
    with tenant_scope(forbund):
        return selectors.insats_settings(forbund=forbund).numbers_paragraphs


def test_settings_page_offers_paragraph_setting_checked_by_default(client_for, alice, forbund_a):
    body = client_for(alice).get(SETTINGS).content.decode()
    assert "Vi numrerar paragrafer i protokollen" in body
    assert " checked" in _input(body, "numbers_paragraphs")


def test_settings_unchecked_turns_paragraphs_off_for_this_forbund_only(
    client_for, alice, forbund_a, forbund_b
):
    assert client_for(alice).post(SETTINGS, {}).status_code == 302
    assert _numbers_paragraphs(forbund_a) is False
    assert _numbers_paragraphs(forbund_b) is True


def test_settings_revisor_reads_paragraph_setting(client_for, bob, forbund_a):
    with tenant_scope(forbund_a):
        services.insats_settings_set(forbund=forbund_a, actor=None, numbers_paragraphs=False)
    body = client_for(bob).get(SETTINGS).content.decode()
    # The answer is the description next to the term, however the template is indented.
    assert "<dt>Vi numrerar paragrafer i protokollen</dt> <dd>Nej</dd>" in " ".join(body.split())


def test_transition_grant_without_paragraph_is_refused_on_the_field(client_for, alice, insats_a, forbund_a):
    _to_beredning(forbund_a, insats_a)
    response = client_for(alice).post(_status_url(insats_a), GRANT)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Ange paragrafen i protokollet, till exempel § 12." in body
    assert 'aria-invalid="true"' in _input(body, "decision_paragraph")
    with tenant_scope(forbund_a):
        insats_a.refresh_from_db()
    assert insats_a.status == InsatsStatus.BEREDNING


def test_transition_hides_paragraph_field_when_forbund_does_not_number(
    client_for, alice, insats_a, forbund_a
):
    with tenant_scope(forbund_a):
        services.insats_settings_set(forbund=forbund_a, actor=None, numbers_paragraphs=False)
    _to_beredning(forbund_a, insats_a)
    assert 'name="decision_paragraph"' not in client_for(alice).get(_status_url(insats_a)).content.decode()
    response = client_for(alice).post(_status_url(insats_a), GRANT)
    assert response.status_code == 302
    with tenant_scope(forbund_a):
        insats_a.refresh_from_db()
    assert (insats_a.status, insats_a.decision_paragraph) == (InsatsStatus.BEVILJAD, "")


def test_transition_shows_paragraph_field_by_default(client_for, alice, insats_a, forbund_a):
    _to_beredning(forbund_a, insats_a)
    assert 'name="decision_paragraph"' in client_for(alice).get(_status_url(insats_a)).content.decode()
