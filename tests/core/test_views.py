"""The shared view plumbing: the guard, service errors on a form, the form status, confirm-delete."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from apps.core.views import apply_service_errors, confirm_delete, form_status, save_form, tenant_view
from apps.tenancy.abilities import abilities_for
from apps.tenancy.models import Role

IN_FORBUND = object()


def _request(method="get", *, role=Role.FORBUNDSCHEF, forbund=IN_FORBUND, htmx=False, data=None):
    request = getattr(RequestFactory(), method)("/f/alfa/x/", data or {})
    request.forbund = forbund
    request.abilities = abilities_for(role)
    request.htmx = htmx
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


@tenant_view("plan_view", methods=("GET", "POST"), write_ability="plan_edit")
def _page(request):
    return HttpResponse("ok")


def test_tenant_view_lets_reader_get():
    assert _page(_request(role=Role.REVISOR)).status_code == 200


def test_tenant_view_refuses_reader_post_with_403():
    with pytest.raises(PermissionDenied):
        _page(_request("post", role=Role.REVISOR))


def test_tenant_view_refuses_role_without_ability_with_403():
    with pytest.raises(PermissionDenied):
        _page(_request(role=Role.PLATTFORM))


def test_tenant_view_outside_forbund_is_404():
    with pytest.raises(Http404):
        _page(_request(forbund=None))


def test_tenant_view_other_method_is_405():
    assert _page(_request("delete")).status_code == 405


def test_tenant_view_any_of_several_abilities():
    view = tenant_view(("plan_view", "participants_log"))(lambda request: HttpResponse("ok"))
    assert view(_request(role=Role.PLATTFORM)).status_code == 200
    assert view.tenant_guard["abilities"] == ("plan_view", "participants_log")


class _Form(forms.Form):
    name = forms.CharField()


def test_apply_service_errors_puts_unknown_field_above_form():
    form = _Form({"name": "Alfa"})
    assert form.is_valid()
    apply_service_errors(form, ValidationError({"name": "Upptaget.", "year": "Fel år.", "__all__": "Nej."}))
    assert form.errors["name"] == ["Upptaget."]
    assert form.non_field_errors() == ["Fel år.", "Nej."]


def test_apply_service_errors_plain_message_above_form():
    form = _Form({"name": "Alfa"})
    form.is_valid()
    apply_service_errors(form, ValidationError(["Ett.", "Två."]))
    assert form.non_field_errors() == ["Ett.", "Två."]


def test_save_form_returns_result_or_none_with_errors():
    assert save_form(_Form({"name": "Alfa"}), lambda data: data["name"]) == "Alfa"
    refused = _Form({"name": "Alfa"})

    def refuse(data):
        raise ValidationError({"name": "Upptaget."})

    assert save_form(refused, refuse) is None
    assert refused.errors["name"] == ["Upptaget."]
    assert save_form(_Form({}), lambda data: pytest.fail("not called")) is None


def test_form_status_400_for_invalid_page_200_for_htmx_and_unbound():
    invalid = _Form({})
    assert form_status(_request("post"), invalid) == 400
    assert form_status(_request("post", htmx=True), invalid) == 200
    assert form_status(_request(), _Form()) == 200
    assert form_status(_request("post"), _Form({"name": "Alfa"})) == 200


def test_confirm_delete_get_asks():
    response = confirm_delete(
        _request(),
        title="Ta bort X?",
        back="/b/",
        delete=lambda: pytest.fail("deleted"),
        done="/d/",
        message=".",
    )
    assert response.status_code == 200
    assert "Ja, ta bort" in response.content.decode()


def test_confirm_delete_post_deletes_and_redirects():
    deleted = []
    response = confirm_delete(
        _request("post"),
        title="T",
        back="/b/",
        delete=lambda: deleted.append(1),
        done="/d/",
        message="Borta.",
    )
    assert (response.status_code, response["Location"], deleted) == (302, "/d/", [1])


def test_confirm_delete_refusal_is_400_with_swedish_message():
    def refuse():
        raise ValidationError("X kan inte tas bort eftersom den används.")

    response = confirm_delete(_request("post"), title="T", back="/b/", delete=refuse, done="/d/", message=".")
    assert response.status_code == 400
    assert "X kan inte tas bort eftersom den används." in response.content.decode()
