"""Import and export of survey results through the shared import pages: editors only, all or nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.dataio.models import ImportJob
from apps.followup.models import Survey

URL = "/f/alfa/dataio/"
HEADERS = [
    "Insats",
    "År",
    "Period",
    "Enkät",
    "Svarsgrupp",
    "Antal tillfrågade",
    "Antal svarande",
    "Fråga",
    "Svarsalternativ",
    "Antal svar",
    "Positivt",
]
HEAD = ["SamCoach", "2026", "T1", "NNS deltagarenkät", "Deltagare vid avslut", "40", "30"]
STOD = "Jag har fått det stöd jag behövt."
BEMOT = "Jag har blivit väl bemött."
GOOD = [
    HEADERS,
    [*HEAD, STOD, "Instämmer helt", "12", "ja"],
    [*HEAD[:5], "", "", STOD, "Instämmer delvis", "10", "x"],
    [*HEAD, STOD, "Instämmer inte", "8", "nej"],
    [*HEAD, BEMOT, "Instämmer helt", "25", "ja"],
    [*HEAD, BEMOT, "Instämmer inte", "4", ""],
    ["", "2026", "", "NNS personalenkät", "Personal", "12", "9", "Samverkan fungerar bra.", "Ja", "7", "ja"],
    [
        "",
        "2026",
        "",
        "NNS personalenkät",
        "Personal",
        "12",
        "9",
        "Samverkan fungerar bra.",
        "Nej",
        "2",
        "nej",
    ],
]


def _upload(client, rows, *, dataset="enkater", name="enkater.csv"):
    content = "\n".join(";".join(str(c) for c in row) for row in rows).encode("utf-8")
    return client.post(URL, {"dataset": dataset, "file": SimpleUploadedFile(name, content)})


def _import(client, rows):
    """Upload, preview and confirm through the pages; the preview and the confirmation responses."""
    response = _upload(client, rows)
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = client.get(response["Location"])
    confirm = client.post(response["Location"] + "genomfor/")
    return preview, confirm


def _surveys(forbund, in_scope):
    """Every survey of the förbund with its questions and options, as plain values."""
    with in_scope(forbund):
        surveys = Survey.objects.filter(forbund=forbund).select_related("insats").order_by("kind")
        return [
            (
                s.insats.name if s.insats else None,
                s.year,
                s.period,
                s.kind,
                s.respondent_group,
                s.asked,
                s.answered,
                [
                    (q.text, [(o.label, o.count, o.positive) for o in q.options.order_by("position")])
                    for q in s.questions.order_by("position")
                ],
            )
            for s in surveys
        ]


EXPECTED = [
    (
        "SamCoach",
        2026,
        "t1",
        "nns_deltagare",
        "Deltagare vid avslut",
        40,
        30,
        [
            (
                STOD,
                [("Instämmer helt", 12, True), ("Instämmer delvis", 10, True), ("Instämmer inte", 8, False)],
            ),
            (BEMOT, [("Instämmer helt", 25, True), ("Instämmer inte", 4, False)]),
        ],
    ),
    (
        None,
        2026,
        "ar",
        "nns_personal",
        "Personal",
        12,
        9,
        [("Samverkan fungerar bra.", [("Ja", 7, True), ("Nej", 2, False)])],
    ),
]


def test_editor_imports_surveys_through_preview_and_confirm(client_for, alice, setup, forbund_a, in_scope):
    preview, confirm = _import(client_for(alice), GOOD)
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "Nya rader: 7." in body
    assert "NNS deltagarenkät 2026, SamCoach: Instämmer delvis" in body
    assert "NNS personalenkät 2026, hela förbundet: Nej" in body
    assert confirm.status_code == 302
    assert _surveys(forbund_a, in_scope) == EXPECTED
    with in_scope(forbund_a):
        assert ImportJob.objects.get(forbund=forbund_a, dataset="enkater").status == "done"


def test_the_import_page_documents_the_columns(client_for, kim, setup):
    page = client_for(kim).get(URL).content.decode()
    assert "Så ser en fil med enkätsvar ut" in page
    assert "Ja för de alternativ som räknas som positiva" in page
    assert "tomt för en enkät för hela förbundet" in page


@pytest.mark.parametrize(
    ("bad", "column", "message"),
    [
        # 12 + 10 + 8 answers already; another 5 makes 35 of 30 answering.
        ([*HEAD, STOD, "Vet inte", "5", ""], "", "Fråga 1 har 35 svar men bara 30 svarade på enkäten."),
        (
            ["Steget", "2026", "T1", "Egen enkät", "Deltagare", "10", "11", "", "", "", ""],
            "Antal svarande",
            "Fler kan inte ha svarat än som tillfrågades.",
        ),
        ([*HEAD[:3], "Okänd enkät", *HEAD[4:], STOD, "Vet inte", "1", ""], "Enkät", "”Okänd enkät” är inget"),
        ([*HEAD, STOD, "Vet inte", "1", "kanske"], "Positivt", "”kanske” är varken ja eller nej."),
        ([*HEAD, STOD, "", "1", ""], "Svarsalternativ", "Ange svarsalternativ."),
        ([*HEAD, STOD, "Vet inte", "", ""], "Antal svar", "Ange antal svar."),
        ([*HEAD[:5], "41", "30", STOD, "Vet inte", "0", ""], "Antal tillfrågade", "annat värde på rad 2"),
        ([*HEAD[:4], "", "40", "30", STOD, "Vet inte", "0", ""], "Svarsgrupp", "Ange svarsgrupp."),
        (["Finns inte", *HEAD[1:], STOD, "Vet inte", "1", ""], "Insats", "Det finns ingen insats"),
        ([*HEAD, STOD, "Instämmer helt", "1", "ja"], "", "Samma rad finns redan på rad 2 i filen."),
        (
            ["", "2026", "T2", "Egen enkät", "Alla", "", "", "Fråga", "Ja", "1", "ja"],
            "Antal tillfrågade",
            "Ange antal tillfrågade för enkäten.",
        ),
    ],
)
def test_a_bad_row_is_a_swedish_row_error_and_nothing_is_saved(
    client_for, alice, setup, forbund_a, in_scope, bad, column, message
):
    rows = [*GOOD, bad]
    response = _upload(client_for(alice), rows)
    preview = client_for(alice).get(response["Location"])
    body = preview.content.decode()
    assert preview.status_code == 400
    assert "Ingenting har sparats" in body
    assert message in body
    if column:
        assert f"<td>{column}</td>" in body
    confirm = client_for(alice).post(response["Location"] + "genomfor/")
    assert confirm.status_code == 400
    assert _surveys(forbund_a, in_scope) == []


def test_reimport_replaces_the_survey_and_an_unchanged_file_changes_nothing(
    client_for, alice, setup, forbund_a, in_scope
):
    client = client_for(alice)
    _import(client, GOOD)
    with in_scope(forbund_a):
        first = dict(Survey.objects.filter(forbund=forbund_a).values_list("kind", "pk"))
    preview, _confirm = _import(client, GOOD)
    assert "Oförändrade: 7." in preview.content.decode()
    changed = [
        HEADERS,
        [*HEAD[:5], "40", "32", STOD, "Instämmer helt", "20", "ja"],
        [*HEAD[:5], "40", "32", STOD, "Instämmer inte", "12", "nej"],
    ]
    preview, confirm = _import(client, changed)
    assert "Ändras: 2." in preview.content.decode()
    assert confirm.status_code == 302
    found = _surveys(forbund_a, in_scope)
    assert found[0][5:] == (40, 32, [(STOD, [("Instämmer helt", 20, True), ("Instämmer inte", 12, False)])])
    assert found[1] == EXPECTED[1]  # not in the file: left alone
    with in_scope(forbund_a):
        assert dict(Survey.objects.filter(forbund=forbund_a).values_list("kind", "pk")) == first


def test_export_is_the_import_template_and_round_trips(client_for, alice, setup, forbund_a, in_scope):
    client = client_for(alice)
    _import(client, GOOD)
    text = client.get(URL + "export/enkater.csv").content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].split(";") == [*HEADERS[:4], "Enkätens namn", *HEADERS[4:]]
    assert len(lines) == 8
    assert (
        f"SamCoach;2026;T1 (januari–april);NNS deltagarenkät;;Deltagare vid avslut;40;30;{STOD};Instämmer helt;12;ja"
        in lines
    )
    assert ";2026;Helår;NNS personalenkät;;Personal;12;9;Samverkan fungerar bra.;Nej;2;nej" in lines
    assert "Brus i Beta" not in text
    assert client.get(URL + "export/enkater.xlsx").status_code == 200
    preview, confirm = _import(client, [line.split(";") for line in lines])
    assert "Oförändrade: 7." in preview.content.decode()
    assert confirm.status_code == 302
    assert _surveys(forbund_a, in_scope) == EXPECTED


def test_an_insats_of_another_forbund_is_not_found(client_for, alice, setup, forbund_a, forbund_b, in_scope):
    rows = [HEADERS, ["Brus i Beta", *HEAD[1:], STOD, "Ja", "1", "ja"]]
    response = _upload(client_for(alice), rows)
    body = client_for(alice).get(response["Location"]).content.decode()
    assert "Det finns ingen insats som heter ”Brus i Beta” i förbundet." in body
    client_for(alice).post(response["Location"] + "genomfor/")
    assert _surveys(forbund_a, in_scope) == []
    assert _surveys(forbund_b, in_scope) == []


@pytest.mark.parametrize(("who", "status"), [("petra", 400), ("stina", 403), ("bob", 403)])
def test_roles_without_the_survey_pages_may_not_import_or_export_surveys(
    request, client_for, alice, setup, forbund_a, in_scope, who, status
):
    location = _upload(client_for(alice), GOOD)["Location"]
    client = client_for(request.getfixturevalue(who))
    # Plattformspersonal may import other datasets, so the form refuses the choice (400).
    assert _upload(client, GOOD).status_code == status
    assert client.get(URL + "export/enkater.csv").status_code == 403
    assert client.get(location).status_code == 403
    assert client.post(location + "genomfor/").status_code == 403
    assert _surveys(forbund_a, in_scope) == []
    with in_scope(forbund_a):
        assert ImportJob.objects.filter(forbund=forbund_a, dataset="enkater").count() == 1


def test_export_queries_stay_flat_as_surveys_grow(client_for, alice, setup, forbund_a, in_scope):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(alice)
    _import(client, GOOD[:2])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL + "export/enkater.csv").status_code == 200
        return len(captured)

    one = queries()
    _import(client, GOOD)
    more = [
        HEADERS,
        *(
            [insats, "2025", period, "Egen enkät", "Alla", "50", "40", f"Fråga {q}", option, "10", "ja"]
            for insats in ("SamCoach", "Steget", "")
            for period in ("T1", "T2", "T3")
            for q in range(3)
            for option in ("Ja", "Nej")
        ),
    ]
    _import(client, more)
    with in_scope(forbund_a):
        assert Survey.objects.filter(forbund=forbund_a).count() == 11
    assert queries() == one
