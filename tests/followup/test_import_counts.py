"""Import and export of monthly counts through the shared import pages: who may, all or nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.dataio.models import ImportJob
from apps.followup import services
from apps.followup.imports import COUNT_COLUMNS
from apps.followup.models import Kon, MonthlyCount
from tests.dataio.conftest import csv_bytes, xlsx_bytes

URL = "/f/alfa/dataio/"
PEOPLE = [
    "Nya, kvinnor",
    "Nya, män",
    "Aktiva, kvinnor",
    "Aktiva, män",
    "Avslutade, kvinnor",
    "Avslutade, män",
]
HEADERS = ["Insats", "År", "Månad", *PEOPLE, "Deltagare vid tillfällen, annat kön"]


def _upload(client, rows, *, name="antal.csv"):
    content = xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows)
    return client.post(URL, {"dataset": "antal", "file": SimpleUploadedFile(name, content)})


def _import(client, rows, **kwargs):
    """Upload, preview and confirm through the pages; the preview and the confirmation responses."""
    response = _upload(client, rows, **kwargs)
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = client.get(response["Location"])
    confirm = client.post(response["Location"] + "genomfor/")
    return preview, confirm


def _counts(forbund, in_scope, **filters):
    """{(insats name, year, month, kön): (new, active, ended, attendees)} of the förbund."""
    with in_scope(forbund):
        rows = MonthlyCount.objects.filter(forbund=forbund, **filters).select_related("insats")
        return {
            (r.insats.name, r.year, r.month, r.kon): (r.new, r.active, r.ended, r.attendees) for r in rows
        }


def test_the_columns_are_every_figure_by_gender():
    assert len(COUNT_COLUMNS) == 16
    assert COUNT_COLUMNS["new_kvinna"] == "Nya, kvinnor"
    assert COUNT_COLUMNS["attendees_ej_uppgivet"] == "Deltagare vid tillfällen, kön ej uppgivet"


def test_editor_imports_counts_through_preview_and_confirm(client_for, alice, setup, forbund_a, in_scope):
    rows = [
        HEADERS,
        ["SamCoach", "2026", "1", "3", "2", "5", "4", "1", "0", ""],
        ["samcoach", "2026", "februari", "1", "", "6", "4", "0", "2", ""],
        ["Steget", "2026", "Mar", "", "", "", "", "", "", "12"],
    ]
    preview, confirm = _import(client_for(alice), rows)
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "SamCoach januari 2026" in body and "Steget mars 2026" in body
    assert "Nya rader: 3." in body
    assert confirm.status_code == 302
    assert _counts(forbund_a, in_scope) == {
        ("SamCoach", 2026, 1, Kon.KVINNA): (3, 5, 1, 0),
        ("SamCoach", 2026, 1, Kon.MAN): (2, 4, 0, 0),
        ("SamCoach", 2026, 2, Kon.KVINNA): (1, 6, 0, 0),
        ("SamCoach", 2026, 2, Kon.MAN): (0, 4, 2, 0),
        ("Steget", 2026, 3, Kon.ANNAT): (0, 0, 0, 12),
    }
    with in_scope(forbund_a):
        assert ImportJob.objects.get(forbund=forbund_a, dataset="antal").status == "done"


def test_counts_import_from_xlsx(client_for, kim, setup, forbund_a, in_scope):
    rows = [HEADERS, ["SamCoach", 2026, 4, 2, 1, 2, 1, 0, 0, 7]]
    _import(client_for(kim), rows, name="antal.xlsx")
    assert _counts(forbund_a, in_scope, month=4) == {
        ("SamCoach", 2026, 4, Kon.KVINNA): (2, 2, 0, 0),
        ("SamCoach", 2026, 4, Kon.MAN): (1, 1, 0, 0),
        ("SamCoach", 2026, 4, Kon.ANNAT): (0, 0, 0, 7),
    }


@pytest.mark.parametrize(
    ("bad", "column", "message"),
    [
        (
            ["SamCoach", "2026", "1", "5", "0", "2", "0", "0", "0", ""],
            "",
            "Månad 1, kvinna: fler nya än aktiva.",
        ),
        (["SamCoach", "2026", "13", "", "", "", "", "", "", ""], "Månad", "”13” är ingen månad."),
        (["SamCoach", "1999", "1", "", "", "", "", "", "", ""], "År", "1999"),
        (
            ["SamCoach", "2026", "1", "-1", "", "", "", "", "", ""],
            "Nya, kvinnor",
            "”-1” är för litet: minst 0.",
        ),
        (
            ["SamCoach", "2026", "1", "många", "", "", "", "", "", ""],
            "Nya, kvinnor",
            "”många” är inte ett heltal.",
        ),
        (["Finns inte", "2026", "1", "1", "", "1", "", "", "", ""], "Insats", "Det finns ingen insats"),
        (["", "2026", "1", "1", "", "1", "", "", "", ""], "Insats", "Ange insatsen."),
        (["SamCoach", "", "1", "1", "", "1", "", "", "", ""], "År", "Ange år."),
    ],
)
def test_a_bad_row_is_a_swedish_row_error_and_nothing_is_saved(
    client_for, alice, setup, forbund_a, in_scope, bad, column, message
):
    rows = [HEADERS, ["Steget", "2026", "1", "1", "1", "1", "1", "0", "0", ""], bad]
    response = _upload(client_for(alice), rows)
    preview = client_for(alice).get(response["Location"])
    body = preview.content.decode()
    assert preview.status_code == 400
    assert "Ingenting har sparats" in body and "Rad 3" in body
    assert message in body
    if column:
        assert f"<td>{column}</td>" in body
    confirm = client_for(alice).post(response["Location"] + "genomfor/")
    assert confirm.status_code == 400
    assert _counts(forbund_a, in_scope) == {}


def test_the_same_month_twice_in_a_file_is_refused(client_for, alice, setup, forbund_a, in_scope):
    rows = [
        HEADERS,
        ["SamCoach", "2026", "1", "1", "", "1", "", "", "", ""],
        ["SamCoach", "2026", "januari", "2", "", "2", "", "", "", ""],
    ]
    response = _upload(client_for(alice), rows)
    body = client_for(alice).get(response["Location"]).content.decode()
    assert "Samma rad finns redan på rad 2 i filen." in body
    client_for(alice).post(response["Location"] + "genomfor/")
    assert _counts(forbund_a, in_scope) == {}


def test_reimport_updates_the_month_and_keeps_columns_left_out(client_for, alice, setup, forbund_a, in_scope):
    samcoach = setup["samcoach"]
    with in_scope(forbund_a):
        services.monthly_counts_save(
            forbund=forbund_a,
            actor=None,
            insats=samcoach,
            year=2026,
            counts={
                (1, Kon.KVINNA): {"new": 1, "active": 1, "ended": 0, "attendees": 9},
                (1, Kon.MAN): {"new": 2, "active": 3, "ended": 0, "attendees": 0},
                (2, Kon.KVINNA): {"new": 4, "active": 4, "ended": 0, "attendees": 0},
            },
        )
    # No attendee columns: January's attendees (9) stay; men's January figures become zero.
    rows = [
        ["Insats", "År", "Månad", "Nya, kvinnor", "Aktiva, kvinnor", "Nya, män", "Aktiva, män"],
        ["SamCoach", "2026", "1", "2", "3", "", ""],
        ["SamCoach", "2026", "2", "4", "4", "0", "0"],
    ]
    preview, confirm = _import(client_for(alice), rows)
    body = preview.content.decode()
    assert "Ändras: 1." in body and "Oförändrade: 1." in body
    assert confirm.status_code == 302
    assert _counts(forbund_a, in_scope) == {
        ("SamCoach", 2026, 1, Kon.KVINNA): (2, 3, 0, 9),
        ("SamCoach", 2026, 2, Kon.KVINNA): (4, 4, 0, 0),
    }
    with in_scope(forbund_a):
        assert MonthlyCount.objects.filter(forbund=forbund_a).count() == 2


def test_export_is_the_import_template_and_round_trips(client_for, alice, setup, forbund_a, in_scope):
    with in_scope(forbund_a):
        services.monthly_counts_save(
            forbund=forbund_a,
            actor=None,
            insats=setup["samcoach"],
            year=2026,
            counts={(5, Kon.MAN): {"new": 1, "active": 2, "ended": 1, "attendees": 0}},
        )
    client = client_for(alice)
    page = client.get(URL).content.decode()
    assert "Antal per månad" in page and "Så ser en fil med antal per månad ut" in page
    text = client.get(URL + "export/antal.csv").content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].split(";")[:4] == ["Insats", "År", "Månad", "Nya, kvinnor"]
    assert len(lines) == 2 and lines[1].startswith("SamCoach;2026;5;0;1;0;0;0;2;")
    assert "Brus i Beta" not in text
    rows = [line.split(";") for line in lines]
    preview, confirm = _import(client, rows)
    assert "Oförändrade: 1." in preview.content.decode()
    assert confirm.status_code == 302


def test_an_insats_of_another_forbund_is_not_found(client_for, alice, setup, forbund_a, forbund_b, in_scope):
    rows = [HEADERS, ["Brus i Beta", "2026", "1", "1", "", "1", "", "", "", ""]]
    response = _upload(client_for(alice), rows)
    body = client_for(alice).get(response["Location"]).content.decode()
    assert "Det finns ingen insats som heter ”Brus i Beta” i förbundet." in body
    client_for(alice).post(response["Location"] + "genomfor/")
    assert _counts(forbund_a, in_scope) == {}
    assert _counts(forbund_b, in_scope) == {}


def test_staff_import_counts_of_their_insats_only(client_for, petra, setup, forbund_a, in_scope):
    rows = [HEADERS, ["SamCoach", "2026", "1", "1", "", "1", "", "", "", ""]]
    _preview, confirm = _import(client_for(petra), rows)
    assert confirm.status_code == 302
    assert _counts(forbund_a, in_scope) == {("SamCoach", 2026, 1, Kon.KVINNA): (1, 1, 0, 0)}
    rows = [HEADERS, ["Steget", "2026", "1", "1", "", "1", "", "", "", ""]]
    response = _upload(client_for(petra), rows)
    body = client_for(petra).get(response["Location"]).content.decode()
    assert "bland de insatser du har tilldelats" in body
    assert ("Steget", 2026, 1, Kon.KVINNA) not in _counts(forbund_a, in_scope)


def test_staff_export_holds_only_their_insatser(client_for, petra, setup, forbund_a, in_scope):
    with in_scope(forbund_a):
        for insats in (setup["samcoach"], setup["steget"]):
            services.monthly_counts_save(
                forbund=forbund_a,
                actor=None,
                insats=insats,
                year=2026,
                counts={(1, Kon.KVINNA): {"new": 1, "active": 1, "ended": 0, "attendees": 0}},
            )
    text = client_for(petra).get(URL + "export/antal.xlsx")
    assert text.status_code == 200
    csv = client_for(petra).get(URL + "export/antal.csv").content.decode("utf-8-sig")
    assert "SamCoach" in csv and "Steget" not in csv


@pytest.mark.parametrize("who", ["stina", "bob"])
def test_roles_without_the_grid_may_not_import_or_export_counts(
    request, client_for, alice, setup, forbund_a, in_scope, who
):
    rows = [HEADERS, ["SamCoach", "2026", "1", "1", "", "1", "", "", "", ""]]
    location = _upload(client_for(alice), rows)["Location"]
    client = client_for(request.getfixturevalue(who))
    assert _upload(client, rows).status_code == 403
    assert client.get(URL + "export/antal.csv").status_code == 403
    # A file an editor uploaded cannot be previewed or confirmed by them either.
    assert client.get(location).status_code == 403
    assert client.post(location + "genomfor/").status_code == 403
    assert _counts(forbund_a, in_scope) == {}
    with in_scope(forbund_a):
        assert ImportJob.objects.filter(forbund=forbund_a, dataset="antal").count() == 1


def _export_queries(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_export_queries_stay_flat_as_months_grow(client_for, alice, setup, forbund_a, in_scope):
    client = client_for(alice)

    def save(insats, months):
        with in_scope(forbund_a):
            services.monthly_counts_save(
                forbund=forbund_a,
                actor=None,
                insats=insats,
                year=2026,
                counts={
                    (month, kon): {"new": 1, "active": 2, "ended": 0, "attendees": 0}
                    for month in months
                    for kon in Kon.values
                },
            )

    save(setup["samcoach"], [1])
    one = _export_queries(client, URL + "export/antal.csv")
    save(setup["samcoach"], range(1, 13))
    save(setup["steget"], range(1, 13))
    many = client.get(URL + "export/antal.csv").content.decode("utf-8-sig")
    assert len(many.splitlines()) == 25
    assert _export_queries(client, URL + "export/antal.csv") == one
