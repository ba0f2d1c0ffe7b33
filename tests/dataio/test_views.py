"""Import and export pages: who may do what, preview, confirm, and query counts."""

from __future__ import annotations

import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.dataio.models import ImportJob
from apps.insatser import services as insats_services
from apps.members import services as member_services
from apps.members.models import Medlem

from .conftest import csv_bytes

URL = "/f/alfa/dataio/"


def upload(client, content, dataset="medlemmar", name="medlemmar.csv"):
    return client.post(URL, {"dataset": dataset, "file": SimpleUploadedFile(name, content)})


def test_dataio_index_lists_exports_and_upload_for_editor(client_for, alice, plan):
    response = client_for(alice).get(URL)
    assert response.status_code == 200
    assert "Exportera XLSX" in response.text
    assert "Förhandsgranska" in response.text
    assert "Import och export" in response.text


def test_dataio_index_revisor_sees_exports_but_no_upload(client_for, bob, plan):
    response = client_for(bob).get(URL)
    assert response.status_code == 200
    assert "Exportera CSV" in response.text
    assert "Förhandsgranska" not in response.text


def test_dataio_export_revisor_may_export(client_for, bob, plan):
    response = client_for(bob).get(URL + "export/insatser.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="alfa-insatser.xlsx"'


def test_dataio_export_csv_has_only_own_rows(client_for, alice, plan):
    response = client_for(alice).get(URL + "export/medlemmar.csv")
    text = response.content.decode("utf-8-sig")
    assert "Region" in text
    assert "Beta" not in text


def test_dataio_export_unknown_dataset_is_404(client_for, alice, plan):
    assert client_for(alice).get(URL + "export/hemligt.csv").status_code == 404


def test_dataio_import_by_revisor_is_403(client_for, bob, plan):
    response = upload(client_for(bob), csv_bytes([["Namn", "Typ"], ["X", "Kommun"]]))
    assert response.status_code == 403


def test_dataio_pages_plattform_sees_only_participant_datasets(client_for, petra, plan):
    client = client_for(petra)
    body = client.get(URL).content.decode()
    assert "Exportera CSV: Deltagare" in body
    assert "Exportera CSV: Delmål" not in body and "Exportera CSV: Medlemmar" not in body
    assert client.get(URL + "export/delmal.csv").status_code == 403


def test_dataio_pages_outsider_is_404(client_for, charlie, plan):
    client = client_for(charlie)
    assert client.get(URL).status_code == 404
    assert client.get(URL + "export/medlemmar.csv").status_code == 404
    assert client.post(f"{URL}import/{uuid.uuid4()}/genomfor/").status_code == 404


def test_dataio_upload_preview_then_confirm_imports(client_for, alice, plan, forbund_a, in_scope):
    client = client_for(alice)
    response = upload(client, csv_bytes([["Namn", "Typ"], ["Arbetsförmedlingen", "Arbetsförmedlingen"]]))
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert "Ny" in preview.text
    assert "Genomför importen" in preview.text
    with in_scope(forbund_a):
        assert not Medlem.objects.filter(name="Arbetsförmedlingen").exists()
    done = client.post(response["Location"] + "genomfor/")
    assert done.status_code == 302
    with in_scope(forbund_a):
        assert Medlem.objects.filter(name="Arbetsförmedlingen").exists()


def test_dataio_preview_lists_bad_rows_without_confirm_button(client_for, alice, plan):
    client = client_for(alice)
    rows = [["Namn", "Typ"], ["Ok", "Kommun"], ["Fel", "Landsting"], ["", "Kommun"]]
    response = upload(client, csv_bytes(rows))
    preview = client.get(response["Location"])
    assert preview.status_code == 400
    assert "Rad 3" in preview.text
    assert "Rad 4" in preview.text
    assert "”Landsting” är inget tillåtet värde" in preview.text
    assert "Genomför importen" not in preview.text


def test_dataio_preview_by_revisor_is_403(client_for, alice, bob, plan, forbund_a, in_scope):
    response = upload(client_for(alice), csv_bytes([["Namn", "Typ"], ["X", "Kommun"]]))
    assert client_for(bob).get(response["Location"]).status_code == 403


def test_dataio_upload_bad_file_shows_swedish_error(client_for, alice, plan, forbund_a, in_scope):
    response = upload(client_for(alice), b"%PDF-1.4", name="plan.pdf")
    assert response.status_code == 400
    assert "Okänd filtyp" in response.text
    with in_scope(forbund_a):
        assert not ImportJob.objects.exists()


def test_dataio_export_query_count_is_constant(client_for, alice, plan, forbund_a, in_scope):
    client = client_for(alice)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            for dataset in ("medlemmar", "insatser", "delmal"):
                assert client.get(f"{URL}export/{dataset}.csv").status_code == 200
        return len(ctx)

    small = count()
    with in_scope(forbund_a):
        for i in range(10):
            medlem = member_services.medlem_create(
                forbund=forbund_a, actor=alice, name=f"Kommun {i}", kind="kommun"
            )
            insats = insats_services.insats_create(
                forbund=forbund_a, actor=alice, name=f"Insats {i}", verksamhetsagare=medlem
            )
            insats_services.insats_year_create(forbund=forbund_a, actor=alice, insats=insats, year=2026)
    assert count() == small
