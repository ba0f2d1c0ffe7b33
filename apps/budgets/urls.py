from django.urls import path

from . import views

app_name = "budgets"

urlpatterns = [
    path("", views.budget_list, name="budget_list"),
    path("ny/", views.budget_create, name="budget_create"),
    path("<int:year>/", views.budget_detail, name="budget_detail"),
    path("<int:year>/installningar/", views.budget_edit, name="budget_edit"),
    path("<int:year>/ta-bort/", views.budget_delete, name="budget_delete"),
    path("<int:year>/intakter/ny/", views.income_line_create, name="income_line_create"),
    path("<int:year>/kostnader/ny/", views.cost_line_create, name="cost_line_create"),
    path("<int:year>/langtid/<int:lt_year>/", views.long_term_edit, name="long_term_edit"),
    path("intakter/<uuid:public_id>/andra/", views.income_line_edit, name="income_line_edit"),
    path("intakter/<uuid:public_id>/ta-bort/", views.income_line_delete, name="income_line_delete"),
    path("intakter/<uuid:public_id>/flytta/", views.income_line_move, name="income_line_move"),
    path("kostnader/<uuid:public_id>/andra/", views.cost_line_edit, name="cost_line_edit"),
    path("kostnader/<uuid:public_id>/ta-bort/", views.cost_line_delete, name="cost_line_delete"),
    path("kostnader/<uuid:public_id>/flytta/", views.cost_line_move, name="cost_line_move"),
]

from .utfall import views as utfall_views  # noqa: E402

urlpatterns += [
    path("utfall/", utfall_views.utfall_import_list, name="utfall_import_list"),
    path("utfall/<uuid:public_id>/", utfall_views.utfall_import_preview, name="utfall_import_preview"),
    path(
        "utfall/<uuid:public_id>/genomfor/", utfall_views.utfall_import_confirm, name="utfall_import_confirm"
    ),
    path("utfall/<uuid:public_id>/angra/", utfall_views.utfall_import_undo, name="utfall_import_undo"),
    path("konton/", utfall_views.account_mapping_list, name="account_mapping_list"),
    path(
        "konton/<uuid:public_id>/ta-bort/", utfall_views.account_mapping_delete, name="account_mapping_delete"
    ),
    path("<int:year>/uppfoljning/", utfall_views.followup, name="followup"),
    path("prognos/<uuid:public_id>/", utfall_views.prognosis_edit, name="prognosis_edit"),
]
