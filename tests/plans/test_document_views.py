"""Plan document pages: who sees what (404/403), the document, freezing, sanitising, queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.insatser.models import InsatsYear
from apps.plans import services
from apps.plans.models import PlanSection, SectionComment, VersionStatus
from apps.tenancy.scope import tenant_scope

from .conftest import YEAR, make_plan


def create_doc(forbund, actor, year=YEAR):
    with tenant_scope(forbund):
        return services.plan_create(forbund=forbund, actor=actor, year=year).versions.get()


@pytest.fixture
def docs(plans, forbund_a, forbund_b, alice, charlie):
    return {"alfa": create_doc(forbund_a, alice), "beta": create_doc(forbund_b, charlie)}


def url(version, suffix=""):
    return f"/f/alfa/plan/v/{version.public_id}/{suffix}"


def section_of(version, title):
    with tenant_scope(version.forbund):
        return PlanSection.objects.get(version=version, title=title)


def adopt(version, actor):
    with tenant_scope(version.forbund):
        services.version_send_to_remiss(forbund=version.forbund, version=version, actor=actor)
        services.version_adopt(
            forbund=version.forbund,
            version=version,
            actor=actor,
            adopted_on=datetime.date(YEAR - 1, 11, 30),
            decision_paragraph="§ 45",
        )


def test_plan_index_lists_versions_for_forbundschef(client, alice, docs):
    client.force_login(alice)
    page = client.get("/f/alfa/plan/").content.decode()
    assert url(docs["alfa"]) in page
    assert str(docs["beta"].public_id) not in page


def test_plan_index_hides_drafts_from_revisor(client, bob, docs):
    client.force_login(bob)
    page = client.get("/f/alfa/plan/").content.decode()
    assert str(docs["alfa"].public_id) not in page
    assert "Ingen fastställd version ännu" in page


def test_plan_index_links_to_start_next_year(client, alice, docs):
    client.force_login(alice)
    assert "/f/alfa/plan/nytt-ar/" in client.get("/f/alfa/plan/").content.decode()


def test_plan_create_view_redirects_to_version(client, alice, plans, forbund_a):
    client.force_login(alice)
    response = client.post("/f/alfa/plan/ny/", {"year": "2027"})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_plan_create_view_twice_shows_error(client, alice, docs):
    client.force_login(alice)
    response = client.post("/f/alfa/plan/ny/", {"year": str(YEAR)})
    assert response.status_code == 400
    assert "Det finns redan en verksamhetsplan för det året." in response.content.decode()


def test_plan_create_by_revisor_is_forbidden(client, bob, plans):
    client.force_login(bob)
    assert client.post("/f/alfa/plan/ny/", {"year": "2027"}).status_code == 403


def test_version_page_renders_document_with_toc(client, alice, docs):
    client.force_login(alice)
    response = client.get(url(docs["alfa"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "plans/document.html" in [t.name for t in response.templates]
    assert f"Verksamhetsplan {YEAR}" in page
    assert 'href="#avsnitt-1"' in page
    assert "1\u00a0250\u00a0000\u00a0kr" in page
    assert f"SamCoach {YEAR}" in page
    assert "Målområde 1 alfa" in page
    assert "Målområde 1 beta" not in page


def test_version_page_draft_is_404_for_revisor(client, bob, docs):
    client.force_login(bob)
    assert client.get(url(docs["alfa"])).status_code == 404


def test_version_page_adopted_is_visible_to_revisor(client, alice, bob, docs):
    adopt(docs["alfa"], alice)
    client.force_login(bob)
    page = client.get(url(docs["alfa"])).content.decode()
    assert "Fastställd av styrelsen 2025-11-30" in page


def test_version_page_draft_is_visible_to_styrelse(client, stina, docs):
    client.force_login(stina)
    assert client.get(url(docs["alfa"])).status_code == 200


def test_version_page_is_403_for_plattform(client, petra, docs):
    client.force_login(petra)
    assert client.get(url(docs["alfa"])).status_code == 403


def test_version_page_of_other_forbund_is_404(client, alice, docs):
    client.force_login(alice)
    assert client.get(url(docs["beta"])).status_code == 404


def test_adopted_page_shows_old_figure_and_draft_new(client, alice, docs, plans, forbund_a):
    adopt(docs["alfa"], alice)
    with tenant_scope(forbund_a):
        draft = services.version_revise(forbund=docs["alfa"].forbund, version=docs["alfa"], actor=alice)
        InsatsYear.objects.filter(forbund=forbund_a, insats=plans["alfa"]["running"]).update(
            budget_amount=2_345_000
        )
    client.force_login(alice)
    adopted_page = client.get(url(docs["alfa"])).content.decode()
    draft_page = client.get(url(draft)).content.decode()
    assert "2\u00a0345\u00a0000\u00a0kr" not in adopted_page
    assert "1\u00a0250\u00a0000\u00a0kr" in adopted_page
    assert "2\u00a0345\u00a0000\u00a0kr" in draft_page


def test_section_edit_stores_and_shows_sanitised_text(client, alice, docs):
    section = section_of(docs["alfa"], "Målgrupp")
    client.force_login(alice)
    body = 'Unga 16–64 år <script>alert("x")</script> <img src=x onerror=alert(1)> [a](javascript:alert(1))'
    response = client.post(
        f"/f/alfa/plan/avsnitt/{section.public_id}/", {"title": "Målgrupp", "body_markdown": body}
    )
    assert response.status_code == 302
    page = client.get(url(docs["alfa"])).content.decode()
    assert "Unga 16–64 år" in page
    assert "<script>alert" not in page
    assert "<img" not in page
    assert 'href="javascript' not in page


def test_section_edit_keeps_typed_text_on_error(client, alice, docs):
    section = section_of(docs["alfa"], "Målgrupp")
    client.force_login(alice)
    response = client.post(
        f"/f/alfa/plan/avsnitt/{section.public_id}/", {"title": "", "body_markdown": "Min text"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ange en rubrik." in page
    assert "Min text" in page


def test_section_edit_by_styrelse_is_forbidden(client, stina, docs):
    section = section_of(docs["alfa"], "Målgrupp")
    client.force_login(stina)
    assert client.post(f"/f/alfa/plan/avsnitt/{section.public_id}/", {"title": "x"}).status_code == 403


def test_section_edit_of_adopted_version_shows_refusal(client, alice, docs):
    adopt(docs["alfa"], alice)
    section = section_of(docs["alfa"], "Målgrupp")
    client.force_login(alice)
    response = client.post(
        f"/f/alfa/plan/avsnitt/{section.public_id}/", {"title": "Ny", "body_markdown": "x"}
    )
    assert response.status_code == 400
    assert "Versionen är fastställd och kan inte ändras." in response.content.decode()


def test_preview_returns_sanitised_html(client, alice, docs):
    client.force_login(alice)
    response = client.post(
        "/f/alfa/plan/forhandsgranska/",
        {"body_markdown": "**fet** <script>x</script>"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert "<strong>fet</strong>" in page
    assert "<script>" not in page


def test_preview_by_styrelse_is_forbidden(client, stina, docs):
    client.force_login(stina)
    assert client.post("/f/alfa/plan/forhandsgranska/", {"body_markdown": "x"}).status_code == 403


def test_section_add_and_move(client, alice, docs):
    client.force_login(alice)
    response = client.post(url(docs["alfa"], "avsnitt/"), {"title": "Kommunikation", "content": ""})
    assert response.status_code == 302
    section = section_of(docs["alfa"], "Kommunikation")
    client.post(f"/f/alfa/plan/avsnitt/{section.public_id}/flytta/", {"riktning": "upp"})
    with tenant_scope(section.forbund):
        titles = list(PlanSection.objects.filter(version=docs["alfa"]).values_list("title", flat=True))
    assert titles[-2] == "Kommunikation"


def test_section_delete_view(client, alice, docs):
    section = section_of(docs["alfa"], "Målgrupp")
    client.force_login(alice)
    assert client.post(f"/f/alfa/plan/avsnitt/{section.public_id}/ta-bort/").status_code == 302
    with tenant_scope(section.forbund):
        assert not PlanSection.objects.filter(pk=section.pk).exists()


def test_lifecycle_through_views(client, alice, docs):
    client.force_login(alice)
    client.post(url(docs["alfa"], "remiss/"))
    response = client.post(
        url(docs["alfa"], "faststall/"),
        {"adopted_on": "2025-11-30", "decision_paragraph": "§ 45", "adopted_by": "styrelsen"},
    )
    assert response.status_code == 302
    response = client.post(url(docs["alfa"], "revidera/"))
    new_page = client.get(response["Location"])
    assert new_page.context["version"].number == 2
    assert new_page.context["version"].status == VersionStatus.UTKAST


def test_adopt_view_without_date_keeps_input(client, alice, docs):
    client.force_login(alice)
    client.post(url(docs["alfa"], "remiss/"))
    response = client.post(url(docs["alfa"], "faststall/"), {"adopted_on": "", "decision_paragraph": "§ 9"})
    assert response.status_code == 400
    assert "Ange datum för beslutet." in response.content.decode()
    assert 'value="§ 9"' in response.content.decode()


def test_adopt_view_by_styrelse_is_forbidden(client, stina, alice, docs):
    client.force_login(stina)
    assert client.post(url(docs["alfa"], "remiss/")).status_code == 403


def test_styrelse_comments_on_remiss_and_kansli_answers(client, alice, stina, docs):
    with tenant_scope(docs["alfa"].forbund):
        services.version_send_to_remiss(forbund=docs["alfa"].forbund, version=docs["alfa"], actor=alice)
    section = section_of(docs["alfa"], "Målgrupp")
    client.force_login(stina)
    client.post(f"/f/alfa/plan/avsnitt/{section.public_id}/synpunkt/", {"text": "Lägg till 16–66 år"})
    assert "Lägg till 16–66 år" in client.get(url(docs["alfa"])).content.decode()
    with tenant_scope(section.forbund):
        comment = SectionComment.objects.get(section=section)
    assert client.post(f"/f/alfa/plan/synpunkt/{comment.public_id}/svar/", {"answer": "x"}).status_code == 403
    client.force_login(alice)
    client.post(f"/f/alfa/plan/synpunkt/{comment.public_id}/svar/", {"answer": "Ändrat", "resolve": "on"})
    with tenant_scope(section.forbund):
        comment.refresh_from_db()
    assert comment.answer == "Ändrat"


def test_comment_by_revisor_on_draft_is_404(client, alice, bob, docs):
    with tenant_scope(docs["alfa"].forbund):
        services.version_send_to_remiss(forbund=docs["alfa"].forbund, version=docs["alfa"], actor=alice)
    section = section_of(docs["alfa"], "Målgrupp")
    client.force_login(bob)
    assert (
        client.post(f"/f/alfa/plan/avsnitt/{section.public_id}/synpunkt/", {"text": "x"}).status_code == 404
    )


def test_compare_page_shows_changes(client, alice, docs, plans, forbund_a):
    adopt(docs["alfa"], alice)
    with tenant_scope(forbund_a):
        draft = services.version_revise(forbund=docs["alfa"].forbund, version=docs["alfa"], actor=alice)
        section = PlanSection.objects.get(version=draft, title="Målgrupp")
        services.section_update(
            forbund=section.forbund,
            section=section,
            actor=alice,
            title="Målgrupp 16–64",
            body_markdown="Ny rad",
        )
        InsatsYear.objects.filter(forbund=forbund_a, insats=plans["alfa"]["running"]).update(
            budget_amount=2_000_000
        )
    client.force_login(alice)
    page = client.get(url(draft, "jamfor/")).content.decode()
    assert "hette tidigare ”Målgrupp”" in page
    assert "Ny rad" in page
    assert f"SamCoach {YEAR} › budget (kr)" in page


def test_compare_page_for_revisor_between_adopted_versions(client, alice, bob, docs):
    adopt(docs["alfa"], alice)
    with tenant_scope(docs["alfa"].forbund):
        draft = services.version_revise(forbund=docs["alfa"].forbund, version=docs["alfa"], actor=alice)
    adopt(draft, alice)
    client.force_login(bob)
    assert client.get(url(draft, "jamfor/")).status_code == 200


def _count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_version_page_query_count_does_not_grow(client, alice, forbund_a, forbund_b, charlie):
    make_plan(forbund_b)
    make_plan(forbund_a, year=2030, size=1)
    small = create_doc(forbund_a, alice, year=2030)
    make_plan(forbund_a, year=2031, size=10)
    large = create_doc(forbund_a, alice, year=2031)
    client.force_login(alice)
    client.get("/f/alfa/plan/")  # the session warm
    # Cold: the data sections computed (each year its own cache entry); warm: read from the cache.
    cold = (_count(client, url(small)), _count(client, url(large)))
    warm = (_count(client, url(small)), _count(client, url(large)))
    assert cold[0] == cold[1]
    assert warm[0] == warm[1] < cold[0]


def test_adopted_version_page_query_count_does_not_grow(client, alice, forbund_a, forbund_b):
    make_plan(forbund_b)
    make_plan(forbund_a, year=2030, size=1)
    small = create_doc(forbund_a, alice, year=2030)
    make_plan(forbund_a, year=2031, size=10)
    large = create_doc(forbund_a, alice, year=2031)
    adopt(small, alice)
    adopt(large, alice)
    client.force_login(alice)
    client.get("/f/alfa/plan/")  # the session warm
    # An adopted version reads its frozen data: no data version, no difference when warm.
    counts = {_count(client, url(small)), _count(client, url(large)), _count(client, url(small))}
    assert len(counts) == 1


def test_plan_index_query_count_does_not_grow(client, alice, forbund_a, forbund_b, charlie):
    create_doc(forbund_b, charlie, year=2030)
    create_doc(forbund_a, alice, year=2030)
    client.force_login(alice)
    few = _count(client, "/f/alfa/plan/")
    for year in range(2031, 2040):
        create_doc(forbund_a, alice, year=year)
    assert _count(client, "/f/alfa/plan/") == few


def test_render_version_html_is_the_document_without_tools(alice, docs, forbund_a):
    from apps.plans.rendering import render_version_html

    adopt(docs["alfa"], alice)
    with tenant_scope(forbund_a):
        html = render_version_html(version=docs["alfa"])
    assert "css/plan.css" in html
    assert f"Verksamhetsplan {YEAR}" in html
    assert "1\u00a0250\u00a0000\u00a0kr" in html
    assert "Ändra avsnittet" not in html
    assert "csrfmiddlewaretoken" not in html
