from django.urls import path

from . import views

app_name = "tertial"

urlpatterns = [
    path("", views.report_index, name="report_index"),
    path("ar/<int:year>/", views.year_view, name="year_view"),
    path("insatsrapporter/", views.staff_tasks, name="staff_tasks"),
    path("forhandsgranska/", views.summary_preview, name="summary_preview"),
    path("<uuid:report_id>/", views.report_detail, name="report_detail"),
    path("v/<uuid:version_id>/", views.version_detail, name="version_detail"),
    path("v/<uuid:version_id>/sammanfattning/", views.summary_edit, name="summary_edit"),
    path("v/<uuid:version_id>/delmal/", views.assess, name="assess"),
    path("v/<uuid:version_id>/insats/<uuid:insats_id>/", views.insats_report, name="insats_report"),
    path("v/<uuid:version_id>/skicka/", views.send, name="send"),
    path("v/<uuid:version_id>/synpunkt/", views.comment_create, name="comment_create"),
    path("v/<uuid:version_id>/beslut/", views.decision, name="decision"),
    path("synpunkt/<uuid:comment_id>/svar/", views.comment_answer, name="comment_answer"),
]
