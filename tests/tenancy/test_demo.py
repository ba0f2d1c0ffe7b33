"""The demo loader: idempotent, refuses without DEBUG, and every demo account works."""

from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from apps.members.models import Medlem, MedlemKind
from apps.tenancy.demo import load_demo
from apps.tenancy.models import Forbund, Membership, Role
from apps.tenancy.scope import tenant_scope

User = get_user_model()

SLUGS = ["samo", "vastra", "solleftea"]


@pytest.fixture
def demo(db, settings):
    """The demo data, loaded once through the command (DEBUG on, as in development)."""
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    return {forbund.slug: forbund for forbund in Forbund.objects.filter(slug__in=SLUGS)}


def _snapshot():
    """Every row the loader writes, with its timestamps and password hashes."""
    tenant_rows = {}
    for forbund in Forbund.objects.order_by("pk"):
        with tenant_scope(forbund):
            tenant_rows[forbund.slug] = (
                list(Medlem.objects.order_by("pk").values_list("pk", "name", "updated_at")),
                list(Membership.objects.order_by("pk").values_list("pk", "user_id", "role", "updated_at")),
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
    counts = {
        slug: (len(medlemmar), len(memberships))
        for slug, (medlemmar, memberships) in before["tenant"].items()
    }
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
def test_every_role_account_logs_in_with_its_role(demo, client, slug, role):
    username = f"{role}@{slug}"
    assert _login(client, username)
    user = User.objects.get(username=username)
    assert user.email == f"{role}@{slug}.example.se"
    assert user.first_name and user.last_name
    assert not user.is_staff and not user.is_superuser
    with tenant_scope(demo[slug]):
        memberships = list(Membership.objects.filter(user=user).values_list("role", flat=True))
    assert memberships == [role]


def test_admin_is_superuser_without_membership(demo, client):
    assert _login(client, "admin")
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    for forbund in demo.values():
        with tenant_scope(forbund):
            assert not Membership.objects.filter(user=admin).exists()


def test_multi_user_is_kansli_in_samo_and_styrelse_in_vastra(demo, client):
    assert _login(client, "multi@demo")
    multi = User.objects.get(username="multi@demo")
    roles = {}
    for slug, forbund in demo.items():
        with tenant_scope(forbund):
            roles[slug] = list(Membership.objects.filter(user=multi).values_list("role", flat=True))
    assert roles == {"samo": [Role.KANSLI], "vastra": [Role.STYRELSE], "solleftea": []}


def test_vastra_kommun_shares_add_up_to_100(demo):
    with tenant_scope(demo["vastra"]):
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


def test_samo_members_are_four_kommuner_fk_af_and_region(demo):
    with tenant_scope(demo["samo"]):
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


def test_solleftea_has_one_kommun_and_region_vasternorrland(demo):
    with tenant_scope(demo["solleftea"]):
        members = list(Medlem.objects.values_list("name", "kind"))
    assert members == [
        ("Försäkringskassan", MedlemKind.FORSAKRINGSKASSAN),
        ("Arbetsförmedlingen", MedlemKind.ARBETSFORMEDLINGEN),
        ("Region Västernorrland", MedlemKind.REGION),
        ("Sollefteå kommun", MedlemKind.KOMMUN),
    ]


def test_demo_rows_stay_inside_their_forbund(demo):
    with tenant_scope(demo["solleftea"]):
        names = set(Medlem.objects.values_list("name", flat=True))
    assert "Region Östergötland" not in names
    assert "Motala kommun" not in names


def test_demo_account_logs_in_through_the_login_form(demo, client):
    response = client.post("/konto/logga-in/", {"username": "forbundschef@vastra", "password": "demo"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="forbundschef@vastra").pk)
