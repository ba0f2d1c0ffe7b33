"""The SIE reader: file checks, lines read lazily from the bytes, and fields of ASCII digits only."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from apps.core.tabular import CellError, TabularError
from apps.core.tabular.sie import read_sie, sie_account, sie_amount, sie_date, sie_period


def test_read_sie_yields_labels_and_fields_with_line_numbers():
    lines = list(read_sie(b'#FLAGGA 0\r\n\r\n#trans 5010 {1 "7"} -1.50 20230131 "L\x94n"\r\n'))
    assert [(line.number, line.label, line.fields) for line in lines] == [
        (1, "#FLAGGA", ["0"]),
        (3, "#TRANS", ["5010", '{1 "7"}', "-1.50", "20230131", "Lön"]),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Filen är tom."),
        (b" \r\n\t", "Filen är tom."),
        (b"Konto;Belopp\n", "Filen är ingen SIE-fil: den ska börja med #FLAGGA."),
        (b"\xef\xbb\xbf#FLAGGA 0\n", "Filen är ingen SIE-fil: den ska börja med #FLAGGA."),
        (b"#FLAGGA" + b" " * (5 * 1024 * 1024), "Filen är för stor. Den får vara högst 5 MB."),
    ],
)
def test_read_sie_refuses_what_is_no_sie_file(content, message):
    with pytest.raises(TabularError) as exc:
        read_sie(content)
    assert exc.value.message == message


def test_read_sie_long_line_is_not_split_but_reported():
    lines = list(read_sie(b"#FLAGGA 0\n#TRANS " + b"9" * 3000 + b"\n"))
    assert lines[1].label == "#TRANS"
    assert lines[1].fields == []
    assert lines[1].error == "Raden är för lång: högst 2\u00a0000 tecken."


@pytest.mark.parametrize("token", ["²010", "٣٠١٠", "5O10", "", "-5010", "1" * 11])
def test_sie_account_takes_ascii_digits_only(token):
    with pytest.raises(CellError):
        sie_account(token)


def test_sie_account_reads_a_bas_account():
    assert sie_account("5010") == 5010


@pytest.mark.parametrize(("token", "expected"), [("-1234.50", Decimal("-1234.50")), ("7", Decimal(7))])
def test_sie_amount_reads_point_decimals(token, expected):
    assert sie_amount(token) == expected


@pytest.mark.parametrize("token", ["1E+999999", "1e30", "NaN", "Infinity", "1,50", "²", "1" * 16])
def test_sie_amount_refuses_other_forms(token):
    with pytest.raises(CellError):
        sie_amount(token)


def test_sie_amount_refuses_absurd_amounts():
    with pytest.raises(CellError) as exc:
        sie_amount("1000000000000.01")
    assert "inget rimligt belopp" in exc.value.message


@pytest.mark.parametrize(
    ("token", "expected"), [("20230131", datetime.date(2023, 1, 31)), ("20230230", None), ("2023²131", None)]
)
def test_sie_date(token, expected):
    assert sie_date(token) == expected


@pytest.mark.parametrize("token", ["202313", "202300", "2023²1", "2023-01", "20230101"])
def test_sie_period_refuses_garbage(token):
    with pytest.raises(CellError):
        sie_period(token)


def test_sie_period_reads_year_and_month():
    assert sie_period("202302") == (2023, 2)
