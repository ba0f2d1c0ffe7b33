"""Import and export of participants and assessments: only the insats' own staff, all or nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.dataio.models import ImportJob
from apps.followup.models import Bedomning, Deltagare
from tests.dataio.conftest import csv_bytes, xlsx_bytes

from .conftest import add

URL = "/f/alfa/dataio/"
HEADERS = ["Insats", "Kod", "Kön", "Födelseår", "Startdatum", "Remitterande part", "Försörjning vid start"]


def _upload(client, rows, *, dataset="deltagare", name="deltagare.csv"):
    content = xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows)
    return client.post(URL, {"dataset": dataset, "file": SimpleUploadedFile(name, content)})


def _import(client, rows, **kwargs):
    """Upload, preview and confirm; the preview response and the confirmation's."""
    response = _upload(client, rows, **kwargs)
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = client.get(response["Location"])
    confirm = client.post(response["Location"] + "genomfor/")
    return preview, confirm


def _codes(forbund, in_scope):
    with in_scope(forbund):
        return sorted(Deltagare.objects.filter(forbund=forbund).values_list("code", flat=True))


def test_staff_imports_participants_of_their_insats(client_for, petra, setup, forbund_a, in_scope):
    rows = [
        HEADERS,
        ["SamCoach", "SC-101", "Kvinna", "1990", "2026-02-01", "Självremiss", "Försörjningsstöd"],
        ["samcoach", "SC-102", "Man", "", "2026-02-03", "Annan", ""],
    ]
    preview, confirm = _import(client_for(petra), rows)
    assert preview.status_code == 200 and "SC-101" in preview.content.decode()
    assert confirm.status_code == 302
    assert _codes(forbund_a, in_scope) == ["SC-101", "SC-102"]
    with in_scope(forbund_a):
        row = Deltagare.objects.select_related("forsorjning_start").get(forbund=forbund_a, code="SC-101")
    assert (row.insats_id, row.birth_year, row.forsorjning_start.label) == (
        setup["samcoach"].pk,
        1990,
        "Försörjningsstöd",
    )


def test_staff_import_from_xlsx(client_for, petra, setup, forbund_a, in_scope):
    rows = [HEADERS, ["SamCoach", "SC-201", "Kvinna", 1985, "2026-03-01", "Självremiss", ""]]
    _import(client_for(petra), rows, name="deltagare.xlsx")
    assert _codes(forbund_a, in_scope) == ["SC-201"]


def test_staff_import_refuses_personnummer_and_saves_nothing(client_for, petra, setup, forbund_a, in_scope):
    rows = [
        HEADERS,
        ["SamCoach", "SC-101", "Kvinna", "", "2026-02-01", "Självremiss", ""],
        ["SamCoach", "811228-9874", "Man", "", "2026-02-01", "Självremiss", ""],
    ]
    response = _upload(client_for(petra), rows)
    preview = client_for(petra).get(response["Location"])
    assert preview.status_code == 400
    body = preview.content.decode()
    assert "Rad 3" in body or "rad 3" in body
    assert "personnummer" in body
    client_for(petra).post(response["Location"] + "genomfor/")
    assert _codes(forbund_a, in_scope) == []


def test_staff_import_into_an_insats_not_granted_is_a_row_error(
    client_for, petra, setup, forbund_a, in_scope
):
    rows = [HEADERS, ["Steget", "ST-9", "Kvinna", "", "2026-02-01", "Självremiss", ""]]
    response = _upload(client_for(petra), rows)
    preview = client_for(petra).get(response["Location"])
    assert preview.status_code == 400
    assert "bland de insatser du har tilldelats" in preview.content.decode()
    assert _codes(forbund_a, in_scope) == []


def test_staff_import_ignores_a_forbund_column(client_for, petra, setup, forbund_a, forbund_b, in_scope):
    rows = [
        [*HEADERS, "Förbund"],
        ["SamCoach", "SC-301", "Kvinna", "", "2026-02-01", "Självremiss", "", "beta"],
    ]
    _import(client_for(petra), rows)
    assert _codes(forbund_a, in_scope) == ["SC-301"]
    assert _codes(forbund_b, in_scope) == ["BETA-1"]


def test_staff_import_updates_and_skips_known_codes(client_for, petra, setup, forbund_a, in_scope):
    with in_scope(forbund_a):
        add(forbund_a, setup["samcoach"], "SC-1")
        add(forbund_a, setup["samcoach"], "SC-2")
    rows = [
        HEADERS,
        ["SamCoach", "SC-1", "Kvinna", "", "2026-01-15", "Självremiss", ""],
        ["SamCoach", "SC-2", "Man", "", "2026-01-15", "Självremiss", ""],
    ]
    preview, _confirm = _import(client_for(petra), rows)
    body = preview.content.decode()
    assert "Oförändrad" in body and "Ändras" in body
    with in_scope(forbund_a):
        assert Deltagare.objects.get(forbund=forbund_a, code="SC-2").kon == "man"


def test_staff_imports_assessments(client_for, petra, setup, forbund_a, in_scope):
    with in_scope(forbund_a):
        add(forbund_a, setup["samcoach"], "SC-1")
    rows = [
        ["Insats", "Kod", "Datum", "Steg", "Vems bedömning"],
        ["SamCoach", "SC-1", "2026-02-01", "2", "Personalens bedömning"],
        ["SamCoach", "SC-1", "2026-03-01", "3", ""],
        ["SamCoach", "SC-1", "2026-03-01", "4", "Deltagarens egen skattning"],
    ]
    _import(client_for(petra), rows, dataset="bedomningar", name="steg.csv")
    with in_scope(forbund_a):
        found = list(
            Bedomning.objects.filter(forbund=forbund_a)
            .order_by("date", "rater")
            .values_list("date", "step__number", "rater")
        )
    assert found == [
        (datetime.date(2026, 2, 1), 2, "personal"),
        (datetime.date(2026, 3, 1), 4, "egen"),
        (datetime.date(2026, 3, 1), 3, "personal"),
    ]


def test_assessment_import_unknown_code_and_step(client_for, petra, setup, forbund_a, in_scope):
    with in_scope(forbund_a):
        add(forbund_a, setup["samcoach"], "SC-1")
    rows = [
        ["Insats", "Kod", "Datum", "Steg"],
        ["SamCoach", "SC-1", "2026-02-01", "9"],
        ["SamCoach", "SC-404", "2026-02-01", "2"],
    ]
    response = _upload(client_for(petra), rows, dataset="bedomningar", name="steg.csv")
    body = client_for(petra).get(response["Location"]).content.decode()
    assert "Insatsens stegskala har inget steg 9." in body
    assert "Insatsen har ingen deltagare med koden ”SC-404”" in body
    with in_scope(forbund_a):
        assert not Bedomning.objects.filter(forbund=forbund_a).exists()


@pytest.mark.parametrize("who", ["alice", "kim", "bob"])
def test_participant_import_refused_for_other_roles(request, client_for, setup, forbund_a, in_scope, who):
    user = request.getfixturevalue(who)
    rows = [HEADERS, ["SamCoach", "SC-101", "Kvinna", "", "2026-02-01", "Självremiss", ""]]
    response = _upload(client_for(user), rows)
    assert response.status_code in (400, 403)
    with in_scope(forbund_a):
        assert not ImportJob.objects.filter(forbund=forbund_a, dataset="deltagare").exists()


def test_participant_preview_of_another_uploader_is_404(client_for, petra, olle, setup):
    rows = [HEADERS, ["SamCoach", "SC-101", "Kvinna", "", "2026-02-01", "Självremiss", ""]]
    response = _upload(client_for(petra), rows)
    assert client_for(olle).get(response["Location"]).status_code == 404


def test_participant_export_has_only_own_insatser(client_for, petra, setup, forbund_a, in_scope):
    with in_scope(forbund_a):
        add(forbund_a, setup["samcoach"], "SC-7")
        add(forbund_a, setup["steget"], "ST-7")
    text = client_for(petra).get(URL + "export/deltagare.csv").content.decode("utf-8-sig")
    assert "SC-7" in text
    assert "ST-7" not in text and "BETA-1" not in text
    assert text.splitlines()[0].startswith("Insats;Kod;Kön")


@pytest.mark.parametrize("who", ["alice", "kim", "stina", "bob"])
def test_participant_export_not_offered_to_other_roles(request, client_for, setup, forbund_a, in_scope, who):
    with in_scope(forbund_a):
        add(forbund_a, setup["samcoach"], "SC-7")
    client = client_for(request.getfixturevalue(who))
    page = client.get(URL)
    assert (
        "Deltagare"
        not in page.content.decode().split("<caption>Exportera</caption>")[-1].split("</table>")[0]
    )
    assert client.get(URL + "export/deltagare.csv").status_code == 403
    assert client.get(URL + "export/bedomningar.xlsx").status_code == 403
