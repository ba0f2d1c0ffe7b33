"""Utfall pages: upload → preview → confirm → undo, permissions, and flat query counts."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.budgets.models import AccountMapping, PrognosisOverride, UtfallImport, UtfallRow, UtfallStatus
from apps.budgets.utfall import services
from apps.tenancy.scope import tenant_scope

from .utfall_fixtures import SIE_GOOD, SIE_UNKNOWN_ACCOUNT, line, setup_mapped, sie_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapped(ostra, forbund_a, forbund_b, alice):
    """Östra 2023 in A with account mappings, and B's noise budget, mapping and import."""
    return setup_mapped(ostra, forbund_a, forbund_b, alice)


FOLLOWUP = "/f/alfa/budget/2023/uppfoljning/"
EDIT_PAGES = ["/f/alfa/budget/utfall/", "/f/alfa/budget/konton/"]


def _job(forbund, content=b"Konto;\xc3\x85r;M\xc3\xa5nad;Belopp\n5010;2023;1;100\n", filename="u.csv"):
    with tenant_scope(forbund):
        return services.utfall_import_create(
            forbund=forbund, actor=None, year=2023, filename=filename, content=content
        )


def _upload(client, text: str, filename="bok.se"):
    return client.post(
        "/f/alfa/budget/utfall/",
        {"year": "2023", "file": SimpleUploadedFile(filename, sie_bytes(text))},
    )


def test_followup_ok_for_forbundschef(client, alice, mapped):
    client.force_login(alice)
    response = client.get(FOLLOWUP)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<img src="data:image/svg+xml;base64,' in body
    assert 'alt="Stapeldiagram: budget och utfall för kostnaderna per tertial 2023.' in body
    assert "<caption>Kostnader per tertial (diagrammets siffror)</caption>" in body
    assert "Beta-kansli" not in body
    assert "Ändra prognos" in body


@pytest.mark.parametrize("who", ["bob", "stina"])
def test_followup_is_read_only_for_revisor_and_styrelse(client, request, who, mapped):
    client.force_login(request.getfixturevalue(who))
    response = client.get(FOLLOWUP)
    assert response.status_code == 200
    assert "Ändra prognos" not in response.content.decode()


def test_followup_is_403_for_plattform(client, petra, mapped):
    client.force_login(petra)
    assert client.get(FOLLOWUP).status_code == 403


def test_followup_is_404_for_outsider(client, charlie, mapped):
    client.force_login(charlie)
    assert client.get(FOLLOWUP).status_code == 404


def test_followup_is_404_for_year_without_budget(client, alice, mapped):
    client.force_login(alice)
    assert client.get("/f/alfa/budget/2030/uppfoljning/").status_code == 404


@pytest.mark.parametrize("url", EDIT_PAGES)
def test_edit_pages_ok_for_forbundschef(client, alice, mapped, url):
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 200
    assert "beta.csv" not in response.content.decode()


@pytest.mark.parametrize("url", EDIT_PAGES)
@pytest.mark.parametrize("who", ["bob", "stina", "petra"])
def test_edit_pages_are_403_for_readers_and_plattform(client, request, who, mapped, url):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


def test_revisor_cannot_confirm_or_undo(client, bob, mapped, forbund_a):
    job = _job(forbund_a)
    client.force_login(bob)
    assert client.get(f"/f/alfa/budget/utfall/{job.public_id}/").status_code == 403
    assert client.post(f"/f/alfa/budget/utfall/{job.public_id}/genomfor/").status_code == 403
    assert client.post(f"/f/alfa/budget/utfall/{job.public_id}/angra/").status_code == 403


def test_revisor_cannot_change_prognosis(client, bob, mapped, forbund_a):
    client.force_login(bob)
    kansli = line(forbund_a, "Kansli")
    response = client.post(f"/f/alfa/budget/prognos/{kansli.public_id}/", {"amount": "1", "comment": "x"})
    assert response.status_code == 403


def test_other_forbunds_import_is_404(client, alice, mapped, forbund_b):
    with tenant_scope(forbund_b):
        job = UtfallImport.objects.get(forbund=forbund_b)
    client.force_login(alice)
    assert client.get(f"/f/alfa/budget/utfall/{job.public_id}/").status_code == 404
    assert client.post(f"/f/alfa/budget/utfall/{job.public_id}/angra/").status_code == 404


def test_other_forbunds_line_prognosis_is_404(client, alice, mapped, forbund_b):
    client.force_login(alice)
    beta = line(forbund_b, "Beta-kansli")
    assert client.get(f"/f/alfa/budget/prognos/{beta.public_id}/").status_code == 404


def test_upload_preview_confirm_flow(client, alice, mapped, forbund_a):
    client.force_login(alice)
    response = _upload(client, SIE_GOOD)
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "Genomför importen" in body
    assert "(106) Kansli" in body
    with tenant_scope(forbund_a):
        job = UtfallImport.objects.get(forbund=forbund_a)
        assert not UtfallRow.objects.filter(forbund=forbund_a).exists()
    confirm = client.post(f"/f/alfa/budget/utfall/{job.public_id}/genomfor/")
    assert confirm.status_code == 302
    with tenant_scope(forbund_a):
        assert UtfallRow.objects.filter(forbund=forbund_a).count() == 5


def test_bad_sie_preview_lists_errors_and_offers_no_confirm(client, alice, mapped, forbund_a):
    client.force_login(alice)
    response = client.get(_upload(client, SIE_UNKNOWN_ACCOUNT)["Location"])
    assert response.status_code == 400
    body = response.content.decode()
    assert "Rad 8" in body
    assert "Kontot 6999" in body
    assert "Genomför importen" not in body


def test_upload_without_file_keeps_the_form(client, alice, mapped):
    client.force_login(alice)
    response = client.post("/f/alfa/budget/utfall/", {"year": "2023"})
    assert response.status_code == 400
    assert "Välj en fil att importera." in response.content.decode()


def test_undo_from_the_list(client, alice, mapped, forbund_a):
    job = _job(forbund_a)
    with tenant_scope(forbund_a):
        services.utfall_import_confirm(forbund=job.forbund, actor=None, utfall_import=job)
    client.force_login(alice)
    assert "Ångra importen av u.csv" in client.get("/f/alfa/budget/utfall/").content.decode()
    assert client.post(f"/f/alfa/budget/utfall/{job.public_id}/angra/").status_code == 302
    with tenant_scope(forbund_a):
        job.refresh_from_db()
        assert job.status == UtfallStatus.UNDONE
    assert "Ångrad" in client.get("/f/alfa/budget/utfall/").content.decode()


def test_account_mapping_create_and_delete_by_form(client, alice, mapped, forbund_a):
    client.force_login(alice)
    revision = line(forbund_a, "Revision")
    response = client.post(
        "/f/alfa/budget/konton/", {"accounts": "6400-6499", "line": f"cost:{revision.public_id}"}
    )
    assert response.status_code == 302
    with tenant_scope(forbund_a):
        mapping = AccountMapping.objects.get(forbund=forbund_a, account_from=6400)
    assert client.post(f"/f/alfa/budget/konton/{mapping.public_id}/ta-bort/").status_code == 302
    with tenant_scope(forbund_a):
        assert not AccountMapping.objects.filter(forbund=forbund_a, account_from=6400).exists()


def test_account_mapping_bad_range_shown_next_to_field(client, alice, mapped, forbund_a):
    client.force_login(alice)
    revision = line(forbund_a, "Revision")
    response = client.post(
        "/f/alfa/budget/konton/", {"accounts": "64x", "line": f"cost:{revision.public_id}"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Skriv ett kontonummer" in body
    assert 'value="64x"' in body


def test_prognosis_override_by_form(client, alice, mapped, forbund_a):
    client.force_login(alice)
    kansli = line(forbund_a, "Kansli")
    url = f"/f/alfa/budget/prognos/{kansli.public_id}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"amount": "3600000", "comment": "Ny tjänst"})
    assert response.status_code == 302
    assert "Egen prognos: Ny tjänst" in client.get(FOLLOWUP).content.decode()
    client.post(url, {"rensa": "1"})
    with tenant_scope(forbund_a):
        assert not PrognosisOverride.objects.filter(forbund=forbund_a).exists()


def test_prognosis_form_without_comment_keeps_amount(client, alice, mapped, forbund_a):
    client.force_login(alice)
    kansli = line(forbund_a, "Kansli")
    response = client.post(
        f"/f/alfa/budget/prognos/{kansli.public_id}/", {"amount": "3600000", "comment": ""}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Skriv en kommentar" in body
    assert 'value="3600000"' in body


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _more_utfall(forbund, months):
    content = "Konto;År;Månad;Belopp\n" + "".join(
        f"{account};2023;{m};{m * 10}\n" for m in months for account in (5010, 4010, 4020, 6420, 8310)
    )
    job = _job(forbund, content=content.encode())
    with tenant_scope(forbund):
        services.utfall_import_confirm(forbund=job.forbund, actor=None, utfall_import=job)


def test_followup_query_count_is_flat(client, alice, mapped, forbund_a):
    client.force_login(alice)
    _more_utfall(forbund_a, [1, 2])
    small = _count(client, FOLLOWUP)
    _more_utfall(forbund_a, range(3, 13))
    with tenant_scope(forbund_a):
        services.prognosis_override_set(
            forbund=forbund_a,
            actor=None,
            year=2023,
            cost_line=line(forbund_a, "Kansli"),
            amount=1,
            comment="x",
        )
    assert _count(client, FOLLOWUP) == small


def test_import_list_query_count_is_flat(client, alice, mapped, forbund_a):
    client.force_login(alice)
    _more_utfall(forbund_a, [1])
    small = _count(client, "/f/alfa/budget/utfall/")
    for _ in range(5):
        _more_utfall(forbund_a, [2])
    assert _count(client, "/f/alfa/budget/utfall/") == small


def test_mapping_list_query_count_is_flat(client, alice, mapped, forbund_a):
    client.force_login(alice)
    small = _count(client, "/f/alfa/budget/konton/")
    with tenant_scope(forbund_a):
        for account in range(7000, 7010):
            services.account_mapping_create(
                forbund=forbund_a, actor=None, accounts=str(account), cost_line=line(forbund_a, "Information")
            )
    assert _count(client, "/f/alfa/budget/konton/") == small
