"""Helpers of the utfall tests: account mappings on Östra's 2023 budget and SIE4 files."""

from __future__ import annotations

from apps.budgets.models import CostLine, IncomeLine
from apps.budgets.utfall import services
from apps.tenancy.scope import tenant_scope

from .conftest import build_ostra_2023


def line(forbund, name, year=2023):
    """A cost line of the year's budget by name."""
    with tenant_scope(forbund):
        return CostLine.objects.get(forbund=forbund, budget__year=year, name=name)


def income(forbund, name, year=2023):
    """An income line of the year's budget by name."""
    with tenant_scope(forbund):
        return IncomeLine.objects.get(forbund=forbund, budget__year=year, name=name)


def map_accounts(forbund, actor=None):
    """5000-5999 → Kansli, 4010 → Finspång, 4020 → Norrköping, 6420 → Revision, 8310 → fin. intäkter."""
    with tenant_scope(forbund):
        services.account_mapping_create(
            forbund=forbund, actor=actor, accounts="5000-5999", cost_line=line(forbund, "Kansli")
        )
        services.account_mapping_create(
            forbund=forbund, actor=actor, accounts="4010", cost_line=line(forbund, "Finspång")
        )
        services.account_mapping_create(
            forbund=forbund, actor=actor, accounts="4020", cost_line=line(forbund, "Norrköping")
        )
        services.account_mapping_create(
            forbund=forbund, actor=actor, accounts="6420", cost_line=line(forbund, "Revision")
        )
        services.account_mapping_create(
            forbund=forbund,
            actor=actor,
            accounts="8310",
            income_line=income(forbund, "Finansiella intäkter"),
        )


SIE_GOOD = """#FLAGGA 0
#PROGRAM "Fortnox" 3.0
#FORMAT PC8
#GEN 20230515
#SIETYP 4
#FNAMN "Samordningsförbundet Alfa"
#RAR 0 20230101 20231231
#KONTO 1930 "Bankkonto"
#KONTO 4010 "Insats Finspång"
#KONTO 5010 "Lönekostnad kansli"
#KONTO 8310 "Ränteintäkter"
#VER A 1 20230131 "Löner januari"
{
#TRANS 5010 {} 250000.00 20230131 "Lönekostnad"
#TRANS 1930 {} -250000.00 20230131 "Lönekostnad"
}
#VER A 2 20230215 "Insats och ränta"
{
#TRANS 4010 {} 115500.40
#TRANS 5010 {} 1000.20 20230220
#TRANS 8310 {} -350.00
#TRANS 1930 {} -116150.60
}
#VER A 3 20230301 "Rättelse"
{
#TRANS 5010 {} -500.00 20230310 "Återbetalning"
#TRANS 1930 {} 500.00
}
"""

SIE_UNKNOWN_ACCOUNT = """#FLAGGA 0
#SIETYP 4
#RAR 0 20230101 20231231
#KONTO 6999 "Övriga kostnader"
#VER A 1 20230131 "Okänt"
{
#TRANS 5010 {} 100.00
#TRANS 6999 {} 200.00
#TRANS 1930 {} -300.00
}
"""


def sie_bytes(text: str) -> bytes:
    """The SIE text as a PC8 (CP437) file, as accounting systems write it."""
    return text.encode("cp437")


def add_noise(forbund_b):
    """Förbund B: its own 2023 budget line, mapping and a done import, to be never seen from A."""
    with tenant_scope(forbund_b):
        beta_line = CostLine.objects.get(forbund=forbund_b, name="Beta-kansli")
        services.account_mapping_create(
            forbund=forbund_b, actor=None, accounts="5000-5999", cost_line=beta_line
        )
        job = services.utfall_import_create(
            forbund=forbund_b,
            actor=None,
            year=2023,
            filename="beta.csv",
            content="Konto;År;Månad;Belopp\n5010;2023;1;999999\n".encode(),
        )
        services.utfall_import_confirm(forbund=job.forbund, actor=None, utfall_import=job)
    return job


def setup_mapped(ostra, forbund_a, forbund_b, alice):
    """Östra 2023 in A with mappings; B has its own budget, mapping and import."""
    map_accounts(forbund_a, alice)
    add_noise(forbund_b)
    return ostra


__all__ = ["build_ostra_2023", "setup_mapped"]
