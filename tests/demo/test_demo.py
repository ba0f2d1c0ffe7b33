"""The demo loader: idempotent, refuses without DEBUG, every demo account works, and the
plan content (insatser, goals, board, bodies, year plan) carries the seeds' figures."""

import json
import shutil
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from apps.budgets.models import Budget, CostLine, IncomeLine, LongTermCost, LongTermYear
from apps.budgets.selectors import budget_summary
from apps.demo.base import DemoDataError
from apps.demo.files import DEMO_DIR, read_demo_files
from apps.demo.loader import load_demo
from apps.goals.models import Delmal, Malomrade
from apps.insatser.models import Insats, InsatsKind, InsatsMedpart, InsatsStatus, InsatsYear, Plattform
from apps.members.models import (
    ChairRole,
    Medlem,
    MedlemKind,
    Organ,
    OrganMedlem,
    SeatKind,
    Styrelseledamot,
    Styrelsemote,
)
from apps.tenancy.models import Forbund, Membership, Role
from apps.tenancy.scope import tenant_scope

User = get_user_model()

SLUGS = ["samo", "vastra", "solleftea"]


@pytest.fixture
def demo(demo_loaded, db, settings):
    """The demo data, loaded through the command (DEBUG on, as in development).

    Loaded once for the module (tests/demo/conftest.py); each test's changes are rolled back.
    DEBUG stays on during the test, for the tests that run the command again.
    """
    settings.DEBUG = True
    return demo_loaded


@pytest.fixture
def demo_accounts(demo_loaded, db):
    """The förbund, members and accounts for the login tests (the module's loaded demo)."""
    return demo_loaded


def test_accounts_alone_load_without_the_plan_content(db):
    """``plan=False`` (the accounts without the plan content) still loads every account."""
    summary = load_demo(plan=False)
    assert summary.konton == 17
    counts = [(item.slug, item.medlemmar, item.konton, item.insatser) for item in summary.forbund]
    assert counts == [("samo", 7, 6, 0), ("solleftea", 4, 5, 0), ("vastra", 8, 6, 0)]


PLAN_MODELS = [
    Plattform,
    Insats,
    InsatsMedpart,
    InsatsYear,
    Malomrade,
    Delmal,
    Styrelseledamot,
    Organ,
    OrganMedlem,
    Styrelsemote,
    Budget,
    IncomeLine,
    CostLine,
    LongTermYear,
    LongTermCost,
]


def _snapshot():
    """Every row the loader writes, with its timestamps and password hashes."""
    tenant_rows = {}
    for forbund in Forbund.objects.order_by("pk"):
        with tenant_scope(forbund):
            tenant_rows[forbund.slug] = (
                list(Medlem.objects.order_by("pk").values_list("pk", "name", "updated_at")),
                list(Membership.objects.order_by("pk").values_list("pk", "user_id", "role", "updated_at")),
                *(
                    list(model.objects.order_by("pk").values_list("pk", "updated_at"))
                    for model in PLAN_MODELS
                ),
            )
    return {
        "forbund": list(Forbund.objects.order_by("pk").values_list("pk", "slug", "updated_at")),
        "users": list(User.objects.order_by("pk").values_list("pk", "username", "password")),
        "tenant": tenant_rows,
    }


def _login(client, username):
    # django-axes needs the request that Client.login does not pass on by itself.
    request = RequestFactory().post("/konto/logga-in/")
    return client.login(request=request, username=username, password="demo")


def test_loads_three_forbund_and_is_idempotent(demo):
    assert set(demo) == set(SLUGS)
    before = _snapshot()
    counts = {slug: (len(rows[0]), len(rows[1])) for slug, rows in before["tenant"].items()}
    assert counts == {"samo": (7, 6), "vastra": (8, 6), "solleftea": (4, 5)}
    assert len(before["users"]) == 17

    out = StringIO()
    call_command("load_demo", stdout=out)

    assert _snapshot() == before
    assert "inget ändrades" in out.getvalue()


def test_load_demo_function_reports_no_changes_on_second_run(demo):
    summary = load_demo()
    assert summary.changed == 0
    assert [item.slug for item in summary.forbund] == ["samo", "solleftea", "vastra"]
    assert summary.konton == 17


def test_summary_is_printed_in_swedish(db, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "Samordningsförbundet Östra Östergötland (samo): 7 medlemmar, 6 konton" in text
    assert "Totalt 3 förbund, 19 medlemmar och 17 konton" in text


def test_refuses_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="load_demo vägrar köra när DEBUG är av"):
        call_command("load_demo", stdout=StringIO())
    assert not Forbund.objects.filter(slug__in=SLUGS).exists()
    assert not User.objects.filter(username="admin").exists()


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("role", Role.values)
def test_every_role_account_logs_in_with_its_role(demo_accounts, client, slug, role):
    username = f"{role}@{slug}"
    assert _login(client, username)
    user = User.objects.get(username=username)
    assert user.email == f"{role}@{slug}.example.se"
    assert user.first_name and user.last_name
    assert not user.is_staff and not user.is_superuser
    with tenant_scope(demo_accounts[slug]):
        memberships = list(Membership.objects.filter(user=user).values_list("role", flat=True))
    assert memberships == [role]


def test_admin_is_superuser_without_membership(demo_accounts, client):
    assert _login(client, "admin")
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    for forbund in demo_accounts.values():
        with tenant_scope(forbund):
            assert not Membership.objects.filter(user=admin).exists()


def test_multi_user_is_kansli_in_samo_and_styrelse_in_vastra(demo_accounts, client):
    assert _login(client, "multi@demo")
    multi = User.objects.get(username="multi@demo")
    roles = {}
    for slug, forbund in demo_accounts.items():
        with tenant_scope(forbund):
            roles[slug] = list(Membership.objects.filter(user=multi).values_list("role", flat=True))
    assert roles == {"samo": [Role.KANSLI], "vastra": [Role.STYRELSE], "solleftea": []}


def test_vastra_kommun_shares_add_up_to_100(demo_accounts):
    with tenant_scope(demo_accounts["vastra"]):
        kommuner = {
            medlem.name: (medlem.share_percent, medlem.population, medlem.population_date.isoformat())
            for medlem in Medlem.objects.filter(kind=MedlemKind.KOMMUN)
        }
    assert sum(share for share, _, _ in kommuner.values()) == Decimal("100")
    assert kommuner["Motala kommun"] == (Decimal("48.1"), 43505, "2024-12-31")
    assert kommuner["Mjölby kommun"] == (Decimal("31.7"), 28695, "2024-12-31")
    assert kommuner["Vadstena kommun"] == (Decimal("8.3"), 7490, "2024-12-31")
    assert kommuner["Boxholms kommun"] == (Decimal("6.1"), 5517, "2024-12-31")
    assert kommuner["Ödeshögs kommun"] == (Decimal("5.8"), 5237, "2024-12-31")
    assert sum(population for _, population, _ in kommuner.values()) == 90444


def test_samo_members_are_four_kommuner_fk_af_and_region(demo_accounts):
    with tenant_scope(demo_accounts["samo"]):
        members = list(Medlem.objects.values_list("name", "kind", "population"))
    assert members == [
        ("Försäkringskassan", MedlemKind.FORSAKRINGSKASSAN, None),
        ("Arbetsförmedlingen", MedlemKind.ARBETSFORMEDLINGEN, None),
        ("Region Östergötland", MedlemKind.REGION, None),
        ("Finspångs kommun", MedlemKind.KOMMUN, None),
        ("Norrköpings kommun", MedlemKind.KOMMUN, None),
        ("Söderköpings kommun", MedlemKind.KOMMUN, None),
        ("Valdemarsviks kommun", MedlemKind.KOMMUN, None),
    ]


def test_solleftea_has_one_kommun_and_region_vasternorrland(demo_accounts):
    with tenant_scope(demo_accounts["solleftea"]):
        members = list(Medlem.objects.values_list("name", "kind"))
    assert members == [
        ("Försäkringskassan", MedlemKind.FORSAKRINGSKASSAN),
        ("Arbetsförmedlingen", MedlemKind.ARBETSFORMEDLINGEN),
        ("Region Västernorrland", MedlemKind.REGION),
        ("Sollefteå kommun", MedlemKind.KOMMUN),
    ]


def test_demo_rows_stay_inside_their_forbund(demo_accounts):
    with tenant_scope(demo_accounts["solleftea"]):
        names = set(Medlem.objects.values_list("name", flat=True))
    assert "Region Östergötland" not in names
    assert "Motala kommun" not in names


def test_demo_account_logs_in_through_the_login_form(demo_accounts, client):
    response = client.post("/konto/logga-in/", {"username": "forbundschef@vastra", "password": "demo"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="forbundschef@vastra").pk)


# --- Plan content --------------------------------------------------------------------

# Real people named in the seeds (Sollefteå 2024, board rows 48-66 and signatures 312-355);
# the Östra and Västra plans name nobody. None of them may appear in the demo files.
SEED_PERSON_NAMES = [
    "Birgitta Häggkvist",
    "Patrik Lockner",
    "Patrick Lockner",
    "Mikael Sjölund",
    "Stefan Hedenström",
    "Susanne Lindahl",
    "Fredrik Berglund",
    "Sandra Formgren",
    "Lina Kempe",
]


def _year_rows(forbund, year):
    with tenant_scope(forbund):
        return {
            row.insats.name: row
            for row in InsatsYear.objects.filter(year=year).select_related("insats", "insats__plattform")
        }


def test_samo_has_four_plattformar_each_with_its_insats(demo):
    with tenant_scope(demo["samo"]):
        plattformar = list(Plattform.objects.values_list("name", flat=True))
        grouped = dict(Insats.objects.filter(plattform__isnull=False).values_list("name", "plattform__name"))
    names = ["Plattform Finspång", "Plattform Norrköping", "Plattform Söderköping", "Plattform Valdemarsvik"]
    assert plattformar == names
    assert grouped == {name: name for name in names}


def test_samo_insats_amounts_2023_are_the_plans(demo):
    rows = _year_rows(demo["samo"], 2023)
    amounts = {name: row.budget_amount for name, row in rows.items()}
    assert amounts == {
        "Plattform Finspång": 1_386_000,
        "Plattform Norrköping": 8_257_000,
        "Plattform Söderköping": 2_136_000,
        "Plattform Valdemarsvik": 2_058_000,
        "AF-koordinator": 280_000,
        "Insatskatalogen": 216_000,
        "Metodutveckling": 100_000,
    }
    # Budget line (101) "Åtgärder individ och struktur".
    assert sum(amounts.values()) == 14_433_000


def test_samo_plattform_fte_2023_are_the_plans(demo):
    rows = _year_rows(demo["samo"], 2023)
    fte = {name: row.financed_fte for name, row in rows.items() if row.insats.plattform_id}
    assert fte == {
        "Plattform Finspång": Decimal("2.67"),
        "Plattform Norrköping": Decimal("10.25"),
        "Plattform Söderköping": Decimal("3.70"),
        "Plattform Valdemarsvik": Decimal("2.50"),
    }


def test_samo_has_malomraden_1_to_3_with_all_delmal(demo):
    with tenant_scope(demo["samo"]):
        counts = {
            malomrade.number: malomrade.delmal.count() for malomrade in Malomrade.objects.filter(year=2023)
        }
        stegen = Delmal.objects.get(malomrade__number=1, number=3)
    assert counts == {1: 4, 2: 6, 3: 3}
    assert stegen.target_symbol == "≥ 4 steg"


def test_vastra_has_six_individ_and_two_struktur_insatser_with_volumes(demo):
    rows = _year_rows(demo["vastra"], 2026)
    volumes = {(row.insats.kind, name): row.budgeted_volume for name, row in rows.items()}
    individ, struktur = InsatsKind.INDIVID, InsatsKind.STRUKTUR
    assert volumes == {
        (individ, "Försteg Skänninge/Mjölby"): 90,
        (individ, "Försteg Vadstena"): 25,
        (individ, "Försteg Motala"): 55,
        (individ, "Försteg Ödeshög"): 25,
        (individ, "Försteg Boxholm"): 25,
        (individ, "Stöd mot sysselsättning"): 50,
        (struktur, "Kompetenshöjande insatser"): 900,
        (struktur, "Nätverket västra"): 180,
    }


def test_solleftea_insats_amounts_2024_are_the_plans(demo):
    rows = _year_rows(demo["solleftea"], 2024)
    amounts = {name: row.budget_amount for name, row in rows.items()}
    assert amounts["SamCoach"] == 775_000
    assert amounts["Psykiatriveckan"] == 60_000
    assert len(amounts) == 9
    # Summa kostnader för insatser 2 095 000 minus ointecknade medel 1 010 000.
    assert sum(amounts.values()) == 1_085_000


def test_solleftea_samcoach_carries_its_own_delmal(demo):
    with tenant_scope(demo["solleftea"]):
        samcoach = Insats.objects.select_related("verksamhetsagare").get(name="SamCoach")
        targets = [delmal.target_display for delmal in Delmal.objects.filter(insats=samcoach)]
        medparter = set(InsatsMedpart.objects.filter(insats=samcoach).values_list("medlem__name", flat=True))
    assert targets == ["minst 70 %", "minst 85 %", "minst 1 st"]
    assert samcoach.status == InsatsStatus.PAGAENDE
    assert samcoach.verksamhetsagare.name == "Sollefteå kommun"
    assert medparter == {"Försäkringskassan", "Arbetsförmedlingen", "Region Västernorrland"}


def test_solleftea_board_is_four_ledamoter_and_four_ersattare(demo):
    with tenant_scope(demo["solleftea"]):
        seats = list(Styrelseledamot.objects.values_list("medlem__name", "seat", "chair_role"))
    assert sorted(medlem for medlem, seat, _ in seats if seat == SeatKind.LEDAMOT) == sorted(
        ["Försäkringskassan", "Arbetsförmedlingen", "Region Västernorrland", "Sollefteå kommun"]
    )
    assert len([seat for _, seat, _ in seats if seat == SeatKind.ERSATTARE]) == 4
    chairs = {chair: medlem for medlem, _, chair in seats if chair}
    assert chairs == {ChairRole.ORDFORANDE: "Sollefteå kommun", ChairRole.VICE: "Arbetsförmedlingen"}


@pytest.mark.parametrize(("slug", "members"), [("samo", 7), ("vastra", 8), ("solleftea", 4)])
def test_board_has_one_ledamot_and_one_ersattare_per_member(demo, slug, members):
    with tenant_scope(demo[slug]):
        seats = list(Styrelseledamot.objects.values_list("medlem_id", "seat"))
        member_ids = set(Medlem.objects.values_list("pk", flat=True))
    assert len(seats) == 2 * members
    assert sorted(seats) == sorted((pk, kind) for pk in member_ids for kind in SeatKind.values)


def test_samo_year_plan_2023_follows_the_plan(demo):
    with tenant_scope(demo["samo"]):
        meetings = {mote.month: mote.item_list for mote in Styrelsemote.objects.filter(year=2023)}
        organ = dict(Organ.objects.values_list("name", "meetings_per_year"))
    assert sorted(meetings) == [1, 2, 3, 4, 5, 8, 9, 10, 11, 12]
    assert "Beslut om årsredovisning 2022" in meetings[3]
    assert "Tertialrapport T1 med måluppfyllelse" in meetings[5]
    assert organ == {"Medlemssamråd": 2, "Strategisk styrgrupp": None, "Operativ chefsgrupp": None}


def test_demo_files_name_no_real_person_from_the_seeds():
    texts = [path.read_text(encoding="utf-8") for path in sorted(DEMO_DIR.glob("*.json"))]
    assert len(texts) == 3
    surnames = {name.split()[-1] for name in SEED_PERSON_NAMES}
    for text in texts:
        lowered = text.lower()
        for name in [*SEED_PERSON_NAMES, *surnames]:
            assert name.lower() not in lowered, name


def test_read_demo_files_refuses_an_unknown_verksamhetsagare(tmp_path):
    for path in DEMO_DIR.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    broken = tmp_path / "solleftea.json"
    data = json.loads(broken.read_text(encoding="utf-8"))
    data["insatser"][0]["verksamhetsagare"] = "Härnösands kommun"
    broken.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DemoDataError, match="verksamhetsägaren 'Härnösands kommun' finns inte"):
        read_demo_files(tmp_path)


def test_second_run_restores_an_edited_delmal(demo):
    with tenant_scope(demo["samo"]):
        Delmal.objects.filter(malomrade__number=3, number=2).update(text="Ändrad")
    summary = load_demo()
    assert summary.changed == 1
    with tenant_scope(demo["samo"]):
        assert Delmal.objects.get(malomrade__number=3, number=2).text.startswith("Förbundets kostnader")


# --- Budgets -------------------------------------------------------------------------


def _summary(forbund, year):
    with tenant_scope(forbund):
        return budget_summary(forbund=forbund, year=year)


def _parts(summary):
    return {part.name: part.amount for part in summary.parts}


def test_demo_writes_one_budget_per_forbund(demo):
    counts = {}
    for slug, forbund in demo.items():
        with tenant_scope(forbund):
            counts[slug] = list(Budget.objects.values_list("year", flat=True))
    assert counts == {"samo": [2023], "vastra": [2026], "solleftea": [2024]}


def test_samo_budget_2023_has_the_golden_figures(demo):
    s = _summary(demo["samo"], 2023)
    assert s.cost_total == 18_861_000
    assert s.income_total == 18_861_000
    assert s.result == 0
    assert s.driftsbidrag == 17_282_000
    assert sum(part.amount for part in s.parts if part.kind == "kommun") == 4_320_500
    main = {str(row.line): row.amount for row in s.cost_rows}
    assert main["(101) Åtgärder individ och struktur"] == 14_433_000
    assert main["(106) Kansli"] == 3_468_000
    assert [child.line.insats.name for child in s.cost_rows[0].children] == [
        "Plattform Finspång",
        "Plattform Norrköping",
        "Plattform Söderköping",
        "Plattform Valdemarsvik",
        "AF-koordinator",
        "Insatskatalogen",
        "Metodutveckling",
    ]


def test_samo_eget_kapital_is_above_twenty_percent(demo):
    s = _summary(demo["samo"], 2023)
    assert (s.eget_kapital_opening, s.eget_kapital_use, s.eget_kapital_closing) == (
        5_809_000,
        1_509_000,
        4_300_000,
    )
    assert s.eget_kapital_warning


def test_samo_langtidsbudget_falls_ten_percent_a_year(demo):
    s = _summary(demo["samo"], 2023)
    fk = [col.parts[0].amount for col in s.long_term]
    assert fk == [4_320_500, 3_888_450, 3_499_605]
    # Seed line 879: Summa intäkter 18 861 000, 17 153 800 and 14 998 420 kr.
    assert [col.income_total for col in s.long_term] == [18_861_000, 17_153_800, 14_998_420]


def test_vastra_budget_2026_has_the_fixed_kommun_shares(demo):
    s = _summary(demo["vastra"], 2026)
    assert _parts(s) == {
        "Staten (via Försäkringskassan)": 4_292_000,
        "Region Östergötland": 2_146_000,
        "Boxholms kommun": 130_906,
        "Mjölby kommun": 680_282,
        "Motala kommun": 1_032_226,
        "Vadstena kommun": 178_118,
        "Ödeshögs kommun": 124_468,
    }
    assert s.cost_total == 8_584_000
    assert s.result == 0
    assert not s.warnings


def test_solleftea_budget_2024_balances_with_four_equal_parts(demo):
    s = _summary(demo["solleftea"], 2024)
    assert _parts(s) == {
        "Försäkringskassan": 708_000,
        "Arbetsförmedlingen": 708_000,
        "Region Västernorrland": 708_000,
        "Sollefteå kommun": 708_000,
    }
    assert [row.amount for row in s.cost_rows] == [2_095_000, 732_000, 5_000]
    assert s.result == 0
    assert s.reserve_total == 1_010_000


def test_solleftea_2025_shows_687_000_and_2_140_000_unallocated(demo):
    col = _summary(demo["solleftea"], 2024).long_term[1]
    assert col.year == 2025
    assert col.income_total == 2_832_000
    assert [amount for _, amount, _ in col.costs] == [0, 687_000, 5_000]
    assert col.result == 2_140_000


def test_solleftea_plan_prints_the_seeds_sub_lines_for_2025_and_2026(demo):
    from apps.plans.models import PlanVersion

    with tenant_scope(demo["solleftea"]):
        version = PlanVersion.objects.get(forbund=demo["solleftea"], plan__year=2024, number=1)
    data = version.frozen_data["langtidsbudget"]
    assert [column["year"] for column in data["columns"]] == [2024, 2025, 2026]
    rows = {row["label"]: row["amounts"] for row in data["costs"]}
    # Seed lines 288-304: every insats 0 kr, Kansli 622 000 and Styrelse 65 000 in both later years.
    assert rows["Styrelse och kansli"] == [732_000, 687_000, 687_000]
    assert rows["Kansli"] == [667_000, 622_000, 622_000]
    assert rows["Styrelse"] == [65_000, 65_000, 65_000]
    assert rows["SamCoach"] == [775_000, 0, 0]
    assert rows["Ointecknade medel"] == [1_010_000, 0, 0]
    assert None not in {amount for amounts in rows.values() for amount in amounts}


def test_second_run_restores_an_edited_cost_line(demo):
    with tenant_scope(demo["samo"]):
        CostLine.objects.filter(account_code="106").update(amount=1)
    assert load_demo().changed == 1
    assert _summary(demo["samo"], 2023).cost_total == 18_861_000


def test_read_demo_files_refuses_a_budget_with_an_unknown_insats(tmp_path):
    for path in DEMO_DIR.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    broken = tmp_path / "samo.json"
    data = json.loads(broken.read_text(encoding="utf-8"))
    data["budget"][0]["costs"][0]["children"][0]["insats"] = "Plattform Linköping"
    broken.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DemoDataError, match="insatsen 'Plattform Linköping' finns inte"):
        read_demo_files(tmp_path)
