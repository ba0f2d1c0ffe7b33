"""Hostile files through the real import pages: a Swedish message, never a 500, nothing saved."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.tabular.xlsx_reader import TOO_BIG, UNREADABLE
from apps.dataio.models import ImportJob
from apps.insatser.models import InsatsYear
from apps.members.models import Medlem
from tests.core.tabular import hostile

from .conftest import csv_bytes

URL = "/f/alfa/dataio/"

UNREADABLE_FILES = [
    ("billion_laughs", hostile.billion_laughs, UNREADABLE),
    ("external_entity", hostile.external_entity, UNREADABLE),
    ("external_entity_in_shared_strings", lambda: hostile.external_entity("shared"), UNREADABLE),
    ("external_dtd", hostile.external_dtd, UNREADABLE),
    ("undefined_entity", hostile.undefined_entity, UNREADABLE),
    ("malformed_xml", hostile.malformed_xml, UNREADABLE),
    ("mismatched_xml", hostile.mismatched_xml, UNREADABLE),
    ("deflate_bomb", hostile.deflate_bomb, TOO_BIG),
    ("many_rows", hostile.many_rows, "Filen har fler än 10\u00a0000 rader."),
    ("far_corner_cell", hostile.far_corner_cell, "Filen har fler än 50 kolumner."),
    ("deep_nesting", hostile.deep_nesting, UNREADABLE),
    ("central_directory_bomb", hostile.central_directory_bomb, TOO_BIG),
]


def upload(client, content, *, dataset="medlemmar", name="medlemmar.xlsx"):
    return client.post(URL, {"dataset": dataset, "file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize(("name", "make", "message"), UNREADABLE_FILES, ids=[c[0] for c in UNREADABLE_FILES])
def test_hostile_xlsx_upload_is_400_with_a_swedish_message(
    client_for, alice, plan, forbund_a, in_scope, name, make, message
):
    content = make()
    start = time.process_time()
    response = upload(client_for(alice), content)
    assert time.process_time() - start < 5
    assert response.status_code == 400
    assert message in response.text
    with in_scope(forbund_a):
        assert not ImportJob.objects.exists()


def test_dimension_bomb_upload_is_read_in_no_time_and_previewed_as_missing_columns(
    client_for, alice, plan, forbund_a, in_scope
):
    client = client_for(alice)
    start = time.process_time()
    response = upload(client, hostile.dimension_bomb())
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert time.process_time() - start < 2
    assert preview.status_code == 400
    assert "Filen saknar kolumnerna ”Typ”." in preview.text
    assert "Genomför importen" not in preview.text


NUMBERS = ["1E+999999", "1e30", "9223372036854775808", "-9223372036854775809"]


@pytest.mark.parametrize("number", NUMBERS)
def test_absurd_number_in_csv_is_a_row_error_at_preview_and_confirm(
    client_for, alice, plan, forbund_a, in_scope, number
):
    client = client_for(alice)
    content = csv_bytes([["Namn", "Typ", "Folkmängd"], ["Ny kommun", "Kommun", number]])
    start = time.process_time()
    response = upload(client, content, name="medlemmar.csv")
    preview = client.get(response["Location"])
    assert preview.status_code == 400
    assert "Rad 2" in preview.text
    assert "Folkmängd" in preview.text
    assert f"”{number}” är för " in preview.text
    confirm = client.post(response["Location"] + "genomfor/")
    assert time.process_time() - start < 5
    assert confirm.status_code == 400
    with in_scope(forbund_a):
        assert not Medlem.objects.filter(name="Ny kommun").exists()


def test_absurd_number_in_an_xlsx_number_cell_is_a_row_error(client_for, alice, plan, forbund_a, in_scope):
    client = client_for(alice)
    response = upload(client, hostile.number_cell("1E+999999"))
    preview = client.get(response["Location"])
    assert preview.status_code == 400
    assert "”1E+999999” är för stort" in preview.text
    with in_scope(forbund_a):
        assert not Medlem.objects.filter(name="Ort").exists()


@pytest.mark.parametrize("number", ["9223372036854775808", "1e30", "1E+999999"])
def test_absurd_budget_of_an_insats_is_a_row_error(client_for, alice, plan, forbund_a, in_scope, number):
    client = client_for(alice)
    rows = [["Insats", "Verksamhetsägare", "År", "Budget (kr)"], ["SamCoach", "Region", 2027, number]]
    response = upload(client, csv_bytes(rows), dataset="insatser", name="insatser.csv")
    preview = client.get(response["Location"])
    assert preview.status_code == 400
    assert "Budget (kr)" in preview.text
    assert "är för stort" in preview.text
    assert client.post(response["Location"] + "genomfor/").status_code == 400
    with in_scope(forbund_a):
        assert not InsatsYear.objects.filter(year=2027).exists()


@pytest.mark.parametrize(
    ("column", "value"), [("År", "1e30"), ("Målområde", "99999999999"), ("Basår", "1E+999999")]
)
def test_absurd_numbers_in_delmal_are_row_errors(client_for, alice, plan, forbund_a, in_scope, column, value):
    client = client_for(alice)
    row = {"År": "2026", "Målområde": "1", "Delmål": "9", "Text": "Nytt", "Basår": ""}
    row[column] = value
    response = upload(client, csv_bytes([list(row), list(row.values())]), dataset="delmal", name="delmal.csv")
    preview = client.get(response["Location"])
    assert preview.status_code == 400
    assert column in preview.text
    assert f"”{value}” är för stort" in preview.text
