from django.urls import path

from . import views

app_name = "followup"

urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("export/", views.national_export, name="national_export"),
    path("installningar/", views.settings_page, name="settings"),
    path("installningar/skala/<uuid:scale_id>/steg/", views.step_add, name="step_add"),
    path("installningar/steg/<uuid:step_id>/ta-bort/", views.step_delete, name="step_delete"),
    path("insatser/", views.insatser_page, name="insatser"),
    path("insatser/<uuid:insats_id>/<int:year>/", views.insats_year_edit, name="insats_year_edit"),
    path("antal/<uuid:insats_id>/<int:year>/", views.counts_page, name="counts"),
    path("enkater/", views.surveys_page, name="surveys"),
    path("enkater/ny/", views.survey_create, name="survey_create"),
    path("enkater/<uuid:survey_id>/", views.survey_edit, name="survey_edit"),
    path("enkater/<uuid:survey_id>/ta-bort/", views.survey_delete, name="survey_delete"),
    path("deltagare/", views.staff_home, name="staff_home"),
    path("deltagare/<uuid:insats_id>/", views.insats_participants, name="insats_participants"),
    path("deltagare/<uuid:insats_id>/ny/", views.deltagare_add, name="deltagare_add"),
    path("deltagare/<uuid:insats_id>/utdrag/", views.deltagare_print, name="deltagare_print"),
    path("deltagare/<uuid:insats_id>/<uuid:public_id>/", views.deltagare_edit, name="deltagare_edit"),
    path("deltagare/<uuid:insats_id>/<uuid:public_id>/avsluta/", views.deltagare_end, name="deltagare_end"),
]
