from django.urls import path

from . import views

urlpatterns = [
    path("", views.plan_index, name="plan_index"),
    path("ny/", views.plan_create, name="plan_create"),
    path("nytt-ar/", views.year_start, name="plan_year_start"),
    path("forhandsgranska/", views.markdown_preview, name="plan_preview"),
    path("v/<uuid:version_id>/", views.version_detail, name="plan_version"),
    path("v/<uuid:version_id>/avsnitt/", views.section_list, name="plan_sections"),
    path("v/<uuid:version_id>/planperiod/", views.plan_period, name="plan_period"),
    path("v/<uuid:version_id>/underskrifter/", views.version_signatures, name="plan_signatures"),
    path("v/<uuid:version_id>/remiss/", views.version_remiss, name="plan_remiss"),
    path("v/<uuid:version_id>/faststall/", views.version_adopt, name="plan_adopt"),
    path("v/<uuid:version_id>/revidera/", views.version_revise, name="plan_revise"),
    path("v/<uuid:version_id>/jamfor/", views.version_compare, name="plan_compare"),
    path("avsnitt/<uuid:section_id>/", views.section_edit, name="plan_section_edit"),
    path("avsnitt/<uuid:section_id>/flytta/", views.section_move, name="plan_section_move"),
    path("avsnitt/<uuid:section_id>/ta-bort/", views.section_delete, name="plan_section_delete"),
    path("avsnitt/<uuid:section_id>/synpunkt/", views.comment_create, name="plan_comment"),
    path("synpunkt/<uuid:comment_id>/svar/", views.comment_answer, name="plan_comment_answer"),
]
