"""The national follow-up export against hand-counted figures."""

from __future__ import annotations

import csv
import io

from django.core.management import call_command

from apps.followup import export, services
from apps.followup.models import Kon

from .conftest import add


def _figures(forbund, setup, in_scope):
    """SamCoach 2026: kvinnor 3 (one ended in 2026), män 2, annat 1; one felregistrering and
    one who ended in 2025 count nowhere. Steget 2026: counts only, 4 kvinnor and 6 män active."""
    with in_scope(forbund):
        s = setup["samcoach"]
        add(forbund, s, "K1", kon=Kon.KVINNA, start=(2025, 11, 1))
        add(forbund, s, "K2", kon=Kon.KVINNA, start=(2026, 3, 1))
        add(forbund, s, "K3", kon=Kon.KVINNA, start=(2025, 5, 1), end=(2026, 2, 1), setup=setup)
        add(forbund, s, "K4", kon=Kon.KVINNA, start=(2025, 1, 1), end=(2025, 12, 31), setup=setup)
        add(
            forbund,
            s,
            "K5",
            kon=Kon.KVINNA,
            start=(2026, 1, 5),
            end=(2026, 1, 6),
            avslut="Felregistrering",
            setup=setup,
        )
        add(forbund, s, "M1", kon=Kon.MAN, start=(2026, 1, 1))
        add(forbund, s, "M2", kon=Kon.MAN, start=(2026, 6, 1))
        add(forbund, s, "A1", kon=Kon.ANNAT, start=(2026, 6, 1))
        services.monthly_counts_save(
            forbund=forbund,
            actor=None,
            insats=setup["steget"],
            year=2026,
            counts={
                (1, Kon.KVINNA): {"new": 3, "active": 3},
                (2, Kon.KVINNA): {"new": 1, "active": 4},
                (1, Kon.MAN): {"new": 6, "active": 6},
            },
        )


def test_national_rows_match_hand_counts(forbund_a, setup, in_scope):
    _figures(forbund_a, setup, in_scope)
    with in_scope(forbund_a):
        rows = {row[0]: row for row in export.national_rows(forbund=forbund_a, year=2026)}
    assert rows["SamCoach"][1] == "Individinriktad"
    assert rows["SamCoach"][3:6] == [3, 2, 6]
    assert rows["SamCoach"][6] == 500_000
    assert rows["Steget"][3:6] == [4, 6, 10]


def test_followup_export_command_writes_csv(forbund_a, setup, in_scope, tmp_path):
    _figures(forbund_a, setup, in_scope)
    out = tmp_path / "finsam.csv"
    call_command("followup_export", "alfa", "2026", "-o", str(out), stdout=io.StringIO())
    text = out.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == export.HEADERS
    samcoach = next(row for row in rows if row[0] == "SamCoach")
    assert samcoach[3:6] == ["3", "2", "6"]


def test_national_export_page_for_kansli(client_for, kim, setup, forbund_a, in_scope):
    _figures(forbund_a, setup, in_scope)
    response = client_for(kim).get("/f/alfa/uppfoljning/export/?ar=2026&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
