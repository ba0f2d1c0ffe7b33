"""The import engine: preview, all-or-nothing, row errors, tenant assignment, audit."""

from __future__ import annotations

import pytest

from apps.core.tabular import read_table
from apps.dataio import services
from apps.dataio.files import export_bytes
from apps.dataio.models import ImportJob, ImportStatus
from apps.dataio.selectors import export_dataset
from apps.goals.models import Delmal
from apps.insatser.models import Insats, InsatsYear
from apps.members.models import Medlem
from apps.members.resources import MedlemResource

from .conftest import csv_bytes, xlsx_bytes

INSATS_HEADERS = [
    "Insats",
    "Typ",
    "Verksamhetsägare",
    "Status",
    "År",
    "Budget (kr)",
    "Finansierade årsarbetare",
]


def job_for(forbund, actor, dataset, content, filename="fil.csv"):
    return services.import_job_create(
        forbund=forbund, actor=actor, dataset=dataset, filename=filename, content=content
    )


@pytest.mark.parametrize("dataset", ["medlemmar", "insatser", "delmal"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_round_trip_export_import_is_all_unchanged(forbund_a, alice, plan, in_scope, dataset, file_format):
    with in_scope(forbund_a):
        content = export_bytes(export_dataset(forbund=forbund_a, dataset=dataset), file_format)
        job = job_for(forbund_a, alice, dataset, content, filename=f"export.{file_format}")
        result = services.import_job_preview(forbund=job.forbund, actor=alice, import_job=job)
    assert not result.has_errors, result
    assert result.rows
    assert {row.action for row in result.rows} == {"skip"}


def test_import_bad_insats_file_saves_nothing_and_names_every_bad_row(forbund_a, alice, plan, in_scope):
    rows = [
        INSATS_HEADERS,
        ["Ny insats", "Individinriktad", "Region", "", 2026, 100000, "1,0"],
        ["Okänd ägare", "Individinriktad", "Finns inte", "", 2026, 100000, "1"],
        ["Negativ", "Strukturinriktad", "Region", "", 2026, -5, "1"],
        ["Ny insats", "Individinriktad", "Region", "", 2026, 100000, "1,0"],
        ["Ännu en", "Individinriktad", "Kommun", "", 2027, 0, "0"],
    ]
    with in_scope(forbund_a):
        before = (Insats.objects.count(), InsatsYear.objects.count())
        job = job_for(forbund_a, alice, "insatser", csv_bytes(rows))
        result = services.import_job_confirm(forbund=job.forbund, actor=alice, import_job=job)
        after = (Insats.objects.count(), InsatsYear.objects.count())
        job.refresh_from_db()
    assert after == before
    assert job.status == ImportStatus.FAILED
    bad = {row.row: row.errors for row in result.bad_rows}
    assert set(bad) == {3, 4, 5}
    assert bad[3] == [("Verksamhetsägare", "Det finns ingen medlem som heter ”Finns inte” i förbundet.")]
    assert bad[4][0][0] == "Budget (kr)"
    assert "0" in bad[4][0][1]
    assert bad[5] == [("", "Samma rad finns redan på rad 2 i filen.")]


def test_import_duplicate_member_name_is_a_row_error(forbund_a, alice, plan, in_scope):
    rows = [["Namn", "Typ"], ["Arbetsförmedlingen", "Arbetsförmedlingen"], ["Arbetsförmedlingen", "af"]]
    with in_scope(forbund_a):
        job = job_for(forbund_a, alice, "medlemmar", csv_bytes(rows))
        result = services.import_job_preview(forbund=job.forbund, actor=alice, import_job=job)
    assert [row.row for row in result.bad_rows] == [3]


def test_import_preview_saves_nothing(forbund_a, alice, plan, in_scope):
    rows = [["Namn", "Typ"], ["Arbetsförmedlingen", "Arbetsförmedlingen"]]
    with in_scope(forbund_a):
        job = job_for(forbund_a, alice, "medlemmar", csv_bytes(rows))
        result = services.import_job_preview(forbund=job.forbund, actor=alice, import_job=job)
        assert not Medlem.objects.filter(name="Arbetsförmedlingen").exists()
    assert [row.action for row in result.rows] == ["new"]


def test_import_ignores_forbund_column(forbund_a, forbund_b, alice, plan, in_scope):
    rows = [["Namn", "Typ", "forbund", "Förbund", "id"], ["Försäkringskassan", "fk", forbund_b.pk, "beta", 1]]
    with in_scope(forbund_a):
        job = job_for(forbund_a, alice, "medlemmar", csv_bytes(rows))
        result = services.import_job_confirm(forbund=job.forbund, actor=alice, import_job=job)
        assert Medlem.objects.filter(forbund=forbund_a, name="Försäkringskassan").exists()
    assert not result.has_errors
    with in_scope(forbund_b):
        assert not Medlem.objects.filter(name="Försäkringskassan").exists()


def test_import_lookups_stay_in_forbund(forbund_a, alice, plan, in_scope):
    rows = [INSATS_HEADERS, ["Lånad ägare", "Individinriktad", "Beta Region", "", 2026, 1, "0"]]
    with in_scope(forbund_a):
        job = job_for(forbund_a, alice, "insatser", csv_bytes(rows))
        result = services.import_job_preview(forbund=job.forbund, actor=alice, import_job=job)
    assert result.bad_rows[0].errors[0][0] == "Verksamhetsägare"


def test_import_confirm_records_actor_in_audit_trail(forbund_a, alice, plan, in_scope):
    rows = [["Namn", "Typ", "Folkmängd", "Folkmängd per"], ["Nya kommunen", "Kommun", "9 000", "2025-12-31"]]
    with in_scope(forbund_a):
        job = job_for(forbund_a, alice, "medlemmar", csv_bytes(rows))
        services.import_job_confirm(forbund=job.forbund, actor=alice, import_job=job)
        medlem = Medlem.objects.get(name="Nya kommunen")
        event = medlem.events.get(pgh_label="insert")
        actor = event.pgh_context.metadata["user"]  # contexts are under RLS: read in the scope
        job.refresh_from_db()
    assert medlem.population == 9000
    assert actor == alice.pk
    assert job.status == ImportStatus.DONE
    assert bytes(job.content) == b""


def test_import_xlsx_updates_and_creates(forbund_a, alice, plan, in_scope):
    rows = [
        INSATS_HEADERS + ["Budgeterad volym"],
        ["SamCoach", "Individinriktad", "Region", "Äskande", 2026, 750000, 2, 40],
        ["Nystart", "individ", "Kommun", "", 2027, 100000, 0.5, None],
    ]
    with in_scope(forbund_a):
        job = job_for(forbund_a, alice, "insatser", xlsx_bytes(rows), filename="insatser.xlsx")
        result = services.import_job_confirm(forbund=job.forbund, actor=alice, import_job=job)
        year = InsatsYear.objects.get(insats__name="SamCoach", year=2026)
        new = InsatsYear.objects.get(insats__name="Nystart")
    assert [row.action for row in result.rows] == ["update", "new"]
    assert (year.budget_amount, year.budgeted_volume) == (750000, 40)
    assert str(new.financed_fte) == "0.50"


def test_import_refuses_status_change(forbund_a, alice, plan, in_scope):
    rows = [INSATS_HEADERS, ["SamCoach", "Individinriktad", "Region", "Beviljad", 2026, 500000, "1,5"]]
    with in_scope(forbund_a):
        job = job_for(forbund_a, alice, "insatser", csv_bytes(rows))
        result = services.import_job_preview(forbund=job.forbund, actor=alice, import_job=job)
    assert result.bad_rows[0].errors[0][0] == "Status"


def test_import_delmal_creates_malomrade_and_reports_service_errors(forbund_a, alice, plan, in_scope):
    headers = [
        "År",
        "Målområde",
        "Målområdets rubrik",
        "Delmål",
        "Text",
        "Jämförelse",
        "Målvärde",
        "Enhet",
        "Tidpunkt",
        "Datakälla",
    ]
    rows = [
        headers,
        [2027, 1, "Arbete 2027", 1, "Minst 60 %", "minst", "60", "%", "Varje tertial", "Deltagardata"],
        [2027, 1, "", 2, "Utan värde", "minst", "", "%", "År", "Deltagardata"],
        [2027, 2, "", 1, "Inget målområde", "", "", "", "År", "Budget"],
        [2027, 1, "", 3, "Fel tidpunkt", "", "", "", "Varje vecka", "Budget"],
    ]
    with in_scope(forbund_a):
        job = job_for(forbund_a, alice, "delmal", csv_bytes(rows))
        result = services.import_job_preview(forbund=job.forbund, actor=alice, import_job=job)
        assert not Delmal.objects.filter(malomrade__year=2027).exists()
    bad = {row.row: [column for column, _ in row.errors] for row in result.bad_rows}
    assert bad == {3: ["Målvärde"], 4: ["Målområdets rubrik"], 5: ["Tidpunkt"]}


def test_import_rejects_missing_columns(forbund_a, alice, plan, in_scope):
    with in_scope(forbund_a):
        job = job_for(forbund_a, alice, "medlemmar", csv_bytes([["Namn"], ["X"]]))
        result = services.import_job_preview(forbund=job.forbund, actor=alice, import_job=job)
    assert result.file_errors == ["Filen saknar kolumnerna ”Typ”. Den första raden ska vara rubrikerna."]


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("fil.pdf", b"%PDF", "Okänd filtyp"),
        ("fil.csv", "Namn;Typ\nÅre;Kommun".encode("latin-1"), "UTF-8"),
        ("fil.xlsx", b"not a zip", "ingen Excel-fil"),
        ("fil.csv", b"", "tom"),
    ],
)
def test_import_job_create_refuses_unreadable_file(forbund_a, alice, in_scope, filename, content, message):
    from django.core.exceptions import ValidationError

    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        job_for(forbund_a, alice, "medlemmar", content, filename=filename)
    assert message in exc.value.message_dict["file"][0]
    with in_scope(forbund_a):
        assert not ImportJob.objects.exists()


def test_import_job_create_refuses_large_file(forbund_a, alice, in_scope):
    from django.core.exceptions import ValidationError

    with in_scope(forbund_a), pytest.raises(ValidationError) as exc:
        job_for(forbund_a, alice, "medlemmar", b"a" * (5 * 1024 * 1024 + 1))
    assert exc.value.message_dict["file"] == ["Filen är för stor. Den får vara högst 5 MB."]


def test_export_escapes_formulae(forbund_a, alice, in_scope):
    from apps.members import services as member_services

    with in_scope(forbund_a):
        member_services.medlem_create(
            forbund=forbund_a, actor=alice, name='=HYPERLINK("http://x.se","klicka")', kind="other"
        )
        member_services.medlem_create(forbund=forbund_a, actor=alice, name="@SUM(A1)", kind="other")
        data = export_dataset(forbund=forbund_a, dataset="medlemmar")
    for file_format in ("csv", "xlsx"):
        names = read_table(export_bytes(data, file_format), file_format=file_format).column("Namn")
        assert '\'=HYPERLINK("http://x.se","klicka")' in names
        assert "'@SUM(A1)" in names


def test_export_csv_has_bom_and_semicolons(forbund_a, alice, plan, in_scope):
    with in_scope(forbund_a):
        content = export_bytes(export_dataset(forbund=forbund_a, dataset="medlemmar"), "csv")
    assert content.startswith("\ufeffNamn;Typ;".encode())


def test_export_never_contains_noise_forbund_rows(forbund_a, alice, plan, in_scope):
    with in_scope(forbund_a):
        for dataset in ("medlemmar", "insatser", "delmal"):
            text = export_bytes(export_dataset(forbund=forbund_a, dataset=dataset), "csv").decode("utf-8-sig")
            assert "Beta" not in text
            assert text.count("\n") >= 2


def test_resource_is_bound_to_forbund(forbund_a, alice):
    resource = MedlemResource(forbund=forbund_a, actor=alice)
    assert resource.forbund == forbund_a
    assert "forbund" not in [f.column_name for f in resource.get_import_fields()]
