from django.urls import path

from . import views

app_name = "followup"

urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("export/", views.national_export, name="national_export"),
    path("installningar/", views.settings_page, name="settings"),
    path("installningar/skala/<uuid:scale_id>/steg/", views.step_add, name="step_add"),
    path("installningar/steg/<uuid:step_id>/ta-bort/", views.step_delete, name="step_delete"),
    path("deltagare/", views.staff_home, name="staff_home"),
    path("deltagare/<uuid:insats_id>/", views.insats_participants, name="insats_participants"),
    path("deltagare/<uuid:insats_id>/ny/", views.deltagare_add, name="deltagare_add"),
    path("deltagare/<uuid:insats_id>/utdrag/", views.deltagare_print, name="deltagare_print"),
    path("deltagare/<uuid:insats_id>/<uuid:public_id>/", views.deltagare_edit, name="deltagare_edit"),
    path("deltagare/<uuid:insats_id>/<uuid:public_id>/avsluta/", views.deltagare_end, name="deltagare_end"),
]
