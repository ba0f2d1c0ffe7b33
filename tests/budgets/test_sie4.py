"""SIE4: the parser, and imports of small files written here (CP437), good and bad."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.budgets.models import UtfallImport, UtfallRow, UtfallStatus
from apps.budgets.utfall import services
from apps.budgets.utfall.parsing import parse_sie4, sie_tokens
from apps.tenancy.scope import tenant_scope
from tests.core.tabular.hostile import sie, sie_ver

from .utfall_fixtures import SIE_GOOD, SIE_UNKNOWN_ACCOUNT, line, setup_mapped, sie_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapped(ostra, forbund_a, forbund_b, alice):
    """Östra 2023 in A with account mappings, and B's noise budget, mapping and import."""
    return setup_mapped(ostra, forbund_a, forbund_b, alice)


def _import(forbund, actor, text, filename="bok.se", year=2023):
    with tenant_scope(forbund):
        job = services.utfall_import_create(
            forbund=forbund, actor=actor, year=year, filename=filename, content=sie_bytes(text)
        )
        return job, services.utfall_import_confirm(forbund=job.forbund, actor=actor, utfall_import=job)


def test_sie_tokens_split_quotes_and_object_lists():
    assert sie_tokens('#TRANS 5010 {1 "100"} -12.50 20230131 "Lön \\"jan\\""') == [
        "#TRANS",
        "5010",
        '{1 "100"}',
        "-12.50",
        "20230131",
        'Lön "jan"',
    ]


def test_parse_sie4_reads_cp437_account_names():
    result = parse_sie4(sie_bytes(SIE_GOOD), year=2023)
    assert result.account_names[5010] == "Lönekostnad kansli"


def test_parse_sie4_sums_trans_per_month_and_skips_balance_accounts():
    result = parse_sie4(sie_bytes(SIE_GOOD), year=2023)
    assert not result.has_errors
    got = [(e.account, e.month, e.amount) for e in result.entries]
    assert (5010, 1, Decimal("250000.00")) in got
    assert (4010, 2, Decimal("115500.40")) in got  # the verifikation's date
    assert (5010, 2, Decimal("1000.20")) in got
    assert (5010, 3, Decimal("-500.00")) in got
    assert all(e.account != 1930 for e in result.entries)


def test_parse_sie4_prefers_psaldo_when_present():
    text = SIE_GOOD + '#PSALDO 0 202301 5010 {} 7000.00\n#PSALDO 0 202301 5010 {1 "10"} 5.00\n'
    result = parse_sie4(sie_bytes(text), year=2023)
    assert [(e.account, e.month, e.amount) for e in result.entries] == [(5010, 1, Decimal("7000.00"))]


def test_parse_sie4_refuses_a_file_without_flagga():
    result = parse_sie4(b"Konto;Belopp\n", year=2023)
    assert result.file_errors == ["Filen är ingen SIE-fil: den ska börja med #FLAGGA."]


def test_parse_sie4_refuses_another_fiscal_year():
    result = parse_sie4(sie_bytes(SIE_GOOD), year=2024)
    assert "importen gäller 2024" in result.file_errors[0]
    assert result.file_errors[0].startswith("Rad 7:")


def test_parse_sie4_reports_a_bad_amount_by_line_number():
    text = SIE_GOOD.replace("115500.40", "12x")
    result = parse_sie4(sie_bytes(text), year=2023)
    assert (19, "”12x” är inget belopp.") in result.errors


def test_sie4_import_saves_monthly_rows_on_mapped_lines(mapped, forbund_a, alice):
    job, result = _import(forbund_a, alice, SIE_GOOD)
    assert not result.has_errors
    with tenant_scope(forbund_a):
        job.refresh_from_db()
        assert job.status == UtfallStatus.DONE
        assert job.source == "sie4"
        rows = {
            (r.cost_line.name if r.cost_line else r.income_line.name, r.month): r.amount
            for r in UtfallRow.objects.filter(forbund=forbund_a).select_related("cost_line", "income_line")
        }
    assert rows == {
        ("Kansli", 1): 250_000,
        ("Kansli", 2): 1_000,
        ("Kansli", 3): -500,
        ("Finspång", 2): 115_500,
        ("Finansiella intäkter", 2): 350,  # a credit on an income line is positive income
    }


def test_sie4_import_keeps_the_account_on_the_rows(mapped, forbund_a, alice):
    _import(forbund_a, alice, SIE_GOOD)
    with tenant_scope(forbund_a):
        row = UtfallRow.objects.get(forbund=forbund_a, cost_line=line(forbund_a, "Finspång"))
    assert row.account == "4010"


def test_sie4_unknown_account_saves_nothing_and_names_account_and_line(mapped, forbund_a, alice):
    job, result = _import(forbund_a, alice, SIE_UNKNOWN_ACCOUNT)
    assert result.has_errors
    assert result.all_errors == [
        (
            8,
            "Kontot 6999 (Övriga kostnader) är inte kopplat till någon budgetrad. Lägg till en kontokoppling.",
        )
    ]
    with tenant_scope(forbund_a):
        assert not UtfallRow.objects.filter(forbund=forbund_a).exists()
        assert UtfallImport.objects.get(pk=job.pk).status == UtfallStatus.FAILED


def test_sie4_import_is_refused_for_a_year_without_budget(mapped, forbund_a, alice):
    _, result = _import(forbund_a, alice, SIE_GOOD.replace("2023", "2030"), year=2030)
    assert result.all_file_errors == ["Det finns ingen budget för 2030. Skapa budgeten först."]


# --- Garbage in a SIE file: a line error each, never an exception (issue 9 §2) --------------

GARBAGE_TRANS = [
    ("#TRANS ²010 {} 100.00", "”²010” är inget kontonummer."),
    ("#TRANS " + "9" * 1500 + " {} 100.00", "”" + "9" * 29 + "…” är inget kontonummer."),
    ("#TRANS 5010 {} 1E+999999", "”1E+999999” är inget belopp."),
    ("#TRANS 5010 {} 1e30", "”1e30” är inget belopp."),
    ("#TRANS 5010 {} NaN", "”NaN” är inget belopp."),
    (
        "#TRANS 5010 {} 99999999999999.00",
        "”99999999999999.00” är inget rimligt belopp: högst 1\u00a0000\u00a0000\u00a0000\u00a0000 kr.",
    ),
    ("#TRANS 5010 {} ²00.00", "”²00.00” är inget belopp."),
    ("#TRANS 5010 {} 100.00 2023²131", None),  # a garbage date falls back to the verifikation's
    ("#TRANS 5010", "#TRANS ska ha konto, objektlista och belopp."),
]


@pytest.mark.parametrize(("line", "message"), GARBAGE_TRANS, ids=range(len(GARBAGE_TRANS)))
def test_parse_sie4_garbage_trans_is_a_line_error(line, message):
    result = parse_sie4(sie_ver(line), year=2023)
    if message is None:
        assert not result.errors
        assert [(e.account, e.month) for e in result.entries] == [(5010, 1)]
    else:
        assert result.errors == [(6, message)]
        assert not result.entries


GARBAGE_PSALDO = [
    ("#PSALDO 0 2023²1 5010 {} 1.00", "”2023²1” är ingen period (ÅÅÅÅMM)."),
    ("#PSALDO 0 202313 5010 {} 1.00", "”202313” är ingen period (ÅÅÅÅMM)."),
    ("#PSALDO 0 " + "1" * 1500 + " 5010 {} 1.00", "”" + "1" * 29 + "…” är ingen period (ÅÅÅÅMM)."),
    ("#PSALDO 0 202301 5O10 {} 1.00", "”5O10” är inget kontonummer."),
    ("#PSALDO 0 202301 5010 {} 1E+999999", "”1E+999999” är inget belopp."),
]


@pytest.mark.parametrize(("line", "message"), GARBAGE_PSALDO, ids=range(len(GARBAGE_PSALDO)))
def test_parse_sie4_garbage_psaldo_is_a_line_error(line, message):
    result = parse_sie4(sie(line), year=2023)
    assert result.errors == [(4, message)]


def test_parse_sie4_garbage_verifikation_date_is_a_line_error():
    result = parse_sie4(sie('#VER A 1 ²0230101 "x"', "{", "#TRANS 5010 {} 1.00", "}"), year=2023)
    assert (4, "Verifikationen saknar ett giltigt datum (ÅÅÅÅMMDD).") in result.errors
    assert (6, "Transaktionen saknar datum.") in result.errors


def test_parse_sie4_garbage_fiscal_year_is_a_file_error_with_a_short_token():
    result = parse_sie4(b"#FLAGGA 0\n#RAR 0 " + "²".encode("cp437") * 1000 + b" 20231231\n", year=2023)
    assert result.file_errors == [
        "Rad 2: filen gäller räkenskapsåret från " + "²" * 20 + ", importen gäller 2023."
    ]


def test_parse_sie4_garbage_account_name_is_ignored():
    result = parse_sie4(
        sie("#KONTO ²²²² Konstigt", '#KONTO 5010 "Lön"', "#PSALDO 0 202301 5010 {} 1.00"), year=2023
    )
    assert result.account_names == {5010: "Lön"}
    assert not result.has_errors


def test_parse_sie4_overlong_line_is_a_line_error():
    result = parse_sie4(sie("#TRANS 5010 {} 1.00 " + '"' + "x" * 10_000 + '"'), year=2023)
    assert result.errors == [(4, "Raden är för lång: högst 2\u00a0000 tecken.")]


def test_parse_sie4_binary_garbage_after_flagga_is_a_message():
    result = parse_sie4(b"#FLAGGA 0\n" + bytes(range(256)) * 200, year=2023)
    assert result.has_errors


def test_parse_sie4_reports_at_most_200_errors_and_says_so():
    result = parse_sie4(sie(*["#PSALDO 0 209901 5010 {} 1.00"] * 1000), year=2023)
    assert len(result.errors) == 200
    assert result.file_errors == [
        "Filen har fler än 200 fel. De första visas; rätta dem och ladda upp filen igen."
    ]


def test_parse_sie4_a_whole_file_of_absurd_amounts_takes_little_time():
    import time

    start = time.process_time()
    parse_sie4(sie_ver(*["#TRANS 5010 {} 1E+999999"] * 20_000), year=2023)
    assert time.process_time() - start < 2.0


@pytest.mark.parametrize(
    "lines",
    [
        ("#TRANS ²010 {} 100.00",),
        ("#TRANS " + "9" * 5000 + " {} 100.00",),
        ("#TRANS 5010 {} 1E+999999",),
        ("#TRANS 5010 {} 99999999999999.00",),
    ],
    ids=["superscript", "long_account", "exponent", "absurd"],
)
def test_sie4_garbage_through_the_services_saves_nothing(mapped, forbund_a, alice, lines):
    job, result = _import(forbund_a, alice, SIE_GOOD + "\n".join(lines) + "\n")
    assert result.has_errors
    with tenant_scope(forbund_a):
        assert not UtfallRow.objects.filter(forbund=forbund_a).exists()
        assert UtfallImport.objects.get(pk=job.pk).status == UtfallStatus.FAILED
