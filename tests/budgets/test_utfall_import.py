"""CSV/XLSX utfall imports, account mappings, undo, and the noise förbund."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from apps.budgets.models import AccountMapping, UtfallImport, UtfallRow, UtfallStatus
from apps.budgets.utfall import services
from apps.tenancy.scope import tenant_scope

from .utfall_fixtures import SIE_GOOD, income, line, setup_mapped, sie_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapped(ostra, forbund_a, forbund_b, alice):
    """Östra 2023 in A with account mappings, and B's noise budget, mapping and import."""
    return setup_mapped(ostra, forbund_a, forbund_b, alice)


def _job(forbund, actor, content: bytes, filename="utfall.csv", year=2023):
    with tenant_scope(forbund):
        return services.utfall_import_create(
            forbund=forbund, actor=actor, year=year, filename=filename, content=content
        )


def _confirm(forbund, actor, job):
    with tenant_scope(forbund):
        return services.utfall_import_confirm(forbund=job.forbund, actor=actor, utfall_import=job)


def _rows(forbund):
    with tenant_scope(forbund):
        return sorted(
            UtfallRow.objects.filter(forbund=forbund).values_list("cost_line__name", "month", "amount"),
            key=str,
        )


def test_csv_import_by_budget_line_name(mapped, forbund_a, alice):
    content = "Budgetrad;År;Månad;Belopp\n(106) Kansli;2023;1;280 000\nRevision;2023;2;12500\n".encode()
    result = _confirm(forbund_a, alice, _job(forbund_a, alice, content))
    assert not result.has_errors
    assert _rows(forbund_a) == [("Kansli", 1, 280_000), ("Revision", 2, 12_500)]


def test_csv_import_by_account_sums_rows_of_the_same_month(mapped, forbund_a, alice):
    content = "Konto,År,Månad,Belopp\n5010,2023,1,100.4\n5020,2023,1,200.2\n".encode()
    _confirm(forbund_a, alice, _job(forbund_a, alice, content))
    assert _rows(forbund_a) == [("Kansli", 1, 301)]


def test_xlsx_import_by_account(mapped, forbund_a, alice):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Konto", "År", "Månad", "Belopp"])
    sheet.append([4020, 2023, 4, 650000])
    sheet.append([4010, 2023, 5, 115000])
    buffer = io.BytesIO()
    book.save(buffer)
    job = _job(forbund_a, alice, buffer.getvalue(), filename="utfall.xlsx")
    assert job.source == "xlsx"
    _confirm(forbund_a, alice, job)
    assert _rows(forbund_a) == [("Finspång", 5, 115_000), ("Norrköping", 4, 650_000)]


def test_csv_bad_rows_are_reported_by_row_number_and_nothing_saved(mapped, forbund_a, alice):
    content = (
        "Konto;År;Månad;Belopp\n5010;2023;1;100\n5010;2023;13;100\n9999;2023;2;5\n5010;2022;2;x\n"
    ).encode()
    job = _job(forbund_a, alice, content)
    result = _confirm(forbund_a, alice, job)
    assert result.all_errors == [
        (3, "Månad: ska vara 1–12, inte 13."),
        (4, "Kontot 9999 är inte kopplat till någon budgetrad. Lägg till en kontokoppling."),
        (5, "Belopp: ”x” är inte ett tal."),
        (5, "År: raden gäller 2022, importen gäller 2023."),
    ]
    assert _rows(forbund_a) == []


def test_csv_without_required_columns_is_a_file_error(mapped, forbund_a, alice):
    result = _confirm(forbund_a, alice, _job(forbund_a, alice, b"Foo;Bar\n1;2\n"))
    assert "Filen saknar kolumnerna" in result.all_file_errors[0]


def test_unknown_budget_line_name_is_an_error(mapped, forbund_a, alice):
    content = "Budgetrad;År;Månad;Belopp\nFinns inte;2023;1;1\n".encode()
    result = _confirm(forbund_a, alice, _job(forbund_a, alice, content))
    assert result.all_errors == [(2, "Budgetrad: ”Finns inte” finns inte i budgeten.")]


def test_preview_saves_nothing(mapped, forbund_a, alice):
    job = _job(forbund_a, alice, sie_bytes(SIE_GOOD), filename="bok.se")
    with tenant_scope(forbund_a):
        preview = services.utfall_import_preview(forbund=job.forbund, actor=None, utfall_import=job)
    assert [(ml.label, ml.total) for ml in preview.lines][:1] == [("Finspång", 115_500)]
    assert _rows(forbund_a) == []


def test_confirm_twice_is_refused(mapped, forbund_a, alice):
    job = _job(forbund_a, alice, "Konto;År;Månad;Belopp\n5010;2023;1;1\n".encode())
    _confirm(forbund_a, alice, job)
    result = _confirm(forbund_a, alice, job)
    assert result.has_errors
    assert len(_rows(forbund_a)) == 1


def test_unknown_file_type_is_refused(mapped, forbund_a, alice):
    with pytest.raises(ValidationError) as exc, tenant_scope(forbund_a):
        services.utfall_import_create(
            forbund=forbund_a, actor=alice, year=2023, filename="a.pdf", content=b"x"
        )
    assert "Okänd filtyp" in exc.value.message_dict["file"][0]


def test_undo_deletes_rows_and_keeps_the_import(mapped, forbund_a, forbund_b, alice):
    job = _job(forbund_a, alice, "Konto;År;Månad;Belopp\n5010;2023;1;100\n".encode())
    _confirm(forbund_a, alice, job)
    with tenant_scope(forbund_a):
        services.utfall_import_undo(forbund=forbund_a, actor=alice, utfall_import=job)
        job.refresh_from_db()
        assert job.status == UtfallStatus.UNDONE
        assert job.get_status_display() == "Ångrad"
        assert job.undone_at is not None
    assert _rows(forbund_a) == []
    assert len(_rows(forbund_b)) == 1  # B's import is untouched


def test_undo_twice_is_refused(mapped, forbund_a, alice):
    job = _job(forbund_a, alice, "Konto;År;Månad;Belopp\n5010;2023;1;100\n".encode())
    _confirm(forbund_a, alice, job)
    with tenant_scope(forbund_a):
        services.utfall_import_undo(forbund=forbund_a, actor=alice, utfall_import=job)
        with pytest.raises(ValidationError):
            services.utfall_import_undo(forbund=forbund_a, actor=alice, utfall_import=job)


def test_mapping_refuses_bad_range_text(mapped, forbund_a, alice):
    with pytest.raises(ValidationError) as exc, tenant_scope(forbund_a):
        services.account_mapping_create(
            forbund=forbund_a, actor=alice, accounts="40x", cost_line=line(forbund_a, "Kansli")
        )
    assert "accounts" in exc.value.message_dict


def test_mapping_refuses_reversed_range(mapped, forbund_a, alice):
    with pytest.raises(ValidationError), tenant_scope(forbund_a):
        services.account_mapping_create(
            forbund=forbund_a, actor=alice, accounts="4099-4000", cost_line=line(forbund_a, "Kansli")
        )


def test_mapping_refuses_a_line_of_another_forbund(mapped, forbund_a, forbund_b, alice):
    beta_line = line(forbund_b, "Beta-kansli")
    with pytest.raises(ValidationError), tenant_scope(forbund_a):
        services.account_mapping_create(forbund=forbund_a, actor=alice, accounts="7000", cost_line=beta_line)


def test_mapping_refuses_both_or_no_line(mapped, forbund_a, alice):
    with pytest.raises(ValidationError), tenant_scope(forbund_a):
        services.account_mapping_create(forbund=forbund_a, actor=alice, accounts="7000")


def test_narrowest_mapping_wins(mapped, forbund_a, alice):
    with tenant_scope(forbund_a):
        services.account_mapping_create(
            forbund=forbund_a, actor=alice, accounts="5500", cost_line=line(forbund_a, "Information")
        )
    content = "Konto;År;Månad;Belopp\n5500;2023;1;7\n5010;2023;1;3\n".encode()
    _confirm(forbund_a, alice, _job(forbund_a, alice, content))
    assert _rows(forbund_a) == [("Information", 1, 7), ("Kansli", 1, 3)]


def test_mapping_is_reused_for_the_next_years_budget(mapped, forbund_a, alice):
    from apps.budgets import services as budget_services

    with tenant_scope(forbund_a):
        budget = budget_services.budget_create(forbund=forbund_a, actor=alice, year=2024, input_amount=1000)
        budget_services.cost_line_create(
            forbund=forbund_a, actor=alice, budget=budget, account_code="106", name="Kansli", amount=500
        )
    content = "Konto;År;Månad;Belopp\n5010;2024;1;42\n".encode()
    result = _confirm(forbund_a, alice, _job(forbund_a, alice, content, year=2024))
    assert not result.has_errors
    with tenant_scope(forbund_a):
        row = UtfallRow.objects.get(forbund=forbund_a, year=2024)
        assert row.cost_line == line(forbund_a, "Kansli", year=2024)


def test_noise_forbund_mappings_and_imports_are_invisible(mapped, forbund_a):
    with tenant_scope(forbund_a):
        assert AccountMapping.objects.filter(forbund=forbund_a).count() == 5
        assert not UtfallImport.objects.filter(forbund=forbund_a).exists()
        assert income(forbund_a, "Finansiella intäkter").name == "Finansiella intäkter"


# --- Hostile files through the utfall pages (issue 9 §2): a message, never a 500, nothing saved


UTFALL_URL = "/f/alfa/budget/utfall/"


def _post(client, content: bytes, filename: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(UTFALL_URL, {"year": "2023", "file": SimpleUploadedFile(filename, content)})


def _utfall_sheet(*rows: tuple[str, ...]) -> bytes:
    from tests.core.tabular import hostile

    body = [hostile.inline_row(1, "Konto", "År", "Månad", "Belopp")]
    body += [hostile.inline_row(i, *row) for i, row in enumerate(rows, start=2)]
    return hostile.xlsx(hostile.sheet("".join(body)))


def _hostile_xlsx():
    from tests.core.tabular import hostile

    return [
        ("billion_laughs", hostile.billion_laughs(), "kunde inte läsas"),
        ("external_entity", hostile.external_entity(), "kunde inte läsas"),
        ("undefined_entity", hostile.undefined_entity(), "kunde inte läsas"),
        ("malformed_xml", hostile.malformed_xml(), "kunde inte läsas"),
        ("deflate_bomb", hostile.deflate_bomb(), "för stor när den packas upp"),
        ("far_corner_cell", hostile.far_corner_cell(), "fler än 50 kolumner"),
    ]


@pytest.mark.parametrize(
    "case", range(6), ids=lambda i: ["laughs", "xxe", "entity", "malformed", "bomb", "corner"][i]
)
def test_hostile_xlsx_upload_is_400_and_keeps_nothing(mapped, forbund_a, alice, client_for, case):
    name, content, message = _hostile_xlsx()[case]
    response = _post(client_for(alice), content, "utfall.xlsx")
    assert response.status_code == 400, name
    assert message in response.content.decode()
    with tenant_scope(forbund_a):
        assert not UtfallImport.objects.filter(forbund=forbund_a).exists()


def test_dimension_bomb_upload_reads_one_cell_and_previews_missing_columns(
    mapped, forbund_a, alice, client_for
):
    from tests.core.tabular import hostile

    client = client_for(alice)
    response = _post(client, hostile.dimension_bomb(), "utfall.xlsx")
    preview = client.get(response["Location"])
    assert preview.status_code == 400
    assert "Filen saknar kolumnerna" in preview.content.decode()


ABSURD = [
    ("Belopp", ("5010", "2023", "1", "1E+999999"), "”1E+999999” är för stort"),
    ("Belopp", ("5010", "2023", "1", "1e30"), "”1e30” är för stort"),
    ("Belopp", ("5010", "2023", "1", "-9223372036854775809"), "är för litet"),
    ("Konto", ("9223372036854775808", "2023", "1", "1"), "är för stort"),
    ("År", ("5010", "1e30", "1", "1"), "”1e30” är för stort"),
    ("Månad", ("5010", "2023", "1E+999999", "1"), "är för stort"),
]


@pytest.mark.parametrize(
    ("column", "row", "message"), ABSURD, ids=[f"{c}-{r[0]}-{r[3]}" for c, r, _ in ABSURD]
)
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_absurd_numbers_are_row_errors_at_preview_and_confirm(
    mapped, forbund_a, alice, client_for, column, row, message, file_format
):
    import time

    client = client_for(alice)
    if file_format == "csv":
        content = ("Konto;År;Månad;Belopp\n" + ";".join(row) + "\n").encode()
    else:
        content = _utfall_sheet(row)
    start = time.process_time()
    response = _post(client, content, f"utfall.{file_format}")
    assert response.status_code == 302
    preview = client.get(response["Location"])
    body = preview.content.decode()
    assert preview.status_code == 400
    assert "Rad 2" in body
    assert f"{column}: " in body
    assert message in body
    confirm = client.post(response["Location"] + "genomfor/")
    assert confirm.status_code == 400
    assert time.process_time() - start < 5
    assert _rows(forbund_a) == []


SIE_GARBAGE = [
    ("#TRANS ²010 {} 100.00", "”²010” är inget kontonummer."),
    ("#TRANS " + "9" * 1500 + " {} 100.00", "är inget kontonummer."),
    ("#TRANS 5010 {} 1E+999999", "”1E+999999” är inget belopp."),
    ("#TRANS 5010 {} 99999999999999.00", "är inget rimligt belopp"),
    ("#PSALDO 0 2023²1 5010 {} 1.00", "”2023²1” är ingen period (ÅÅÅÅMM)."),
    ("#PSALDO 0 999999999999 5010 {} 1.00", "är ingen period (ÅÅÅÅMM)."),
    ("#TRANS 5010 {} 1.00 " + "x" * 3000, "Raden är för lång"),
]


@pytest.mark.parametrize(("line_text", "message"), SIE_GARBAGE, ids=range(len(SIE_GARBAGE)))
def test_sie_garbage_is_a_line_error_on_the_page_and_saves_nothing(
    mapped, forbund_a, alice, client_for, line_text, message
):
    from tests.core.tabular import hostile

    client = client_for(alice)
    response = _post(client, hostile.sie_ver(line_text), "bok.se")
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 400
    body = preview.content.decode()
    assert "Rad 6" in body
    assert message in body
    assert client.post(response["Location"] + "genomfor/").status_code == 400
    assert _rows(forbund_a) == []


def test_sie_without_flagga_is_refused_at_upload(mapped, forbund_a, alice, client_for):
    response = _post(client_for(alice), b"Konto;Belopp\n5010;1\n", "bok.se")
    assert response.status_code == 400
    assert "Filen är ingen SIE-fil: den ska börja med #FLAGGA." in response.content.decode()
    with tenant_scope(forbund_a):
        assert not UtfallImport.objects.filter(forbund=forbund_a).exists()
