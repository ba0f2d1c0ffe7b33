from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("ny/", views.plan_create, name="plan_create"),
    path("nytt-ar/", views.year_start, name="year_start"),
    path("forhandsgranska/", views.markdown_preview, name="markdown_preview"),
    path("v/<uuid:version_id>/", views.version_detail, name="version_detail"),
    path("v/<uuid:version_id>/avsnitt/", views.section_list, name="section_list"),
    path("v/<uuid:version_id>/planperiod/", views.period_edit, name="period_edit"),
    path("v/<uuid:version_id>/underskrifter/", views.signatures_edit, name="signatures_edit"),
    path("v/<uuid:version_id>/remiss/", views.version_remiss, name="version_remiss"),
    path("v/<uuid:version_id>/faststall/", views.version_adopt, name="version_adopt"),
    path("v/<uuid:version_id>/revidera/", views.version_revise, name="version_revise"),
    path("v/<uuid:version_id>/jamfor/", views.version_compare, name="version_compare"),
    path("avsnitt/<uuid:section_id>/", views.section_edit, name="section_edit"),
    path("avsnitt/<uuid:section_id>/flytta/", views.section_move, name="section_move"),
    path("avsnitt/<uuid:section_id>/ta-bort/", views.section_delete, name="section_delete"),
    path("avsnitt/<uuid:section_id>/synpunkt/", views.comment_create, name="comment_create"),
    path("synpunkt/<uuid:comment_id>/svar/", views.comment_answer, name="comment_answer"),
]
