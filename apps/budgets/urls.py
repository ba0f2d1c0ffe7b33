from django.urls import path

from . import views

urlpatterns = [
    path("", views.budget_index, name="budget_index"),
    path("ny/", views.budget_create, name="budget_create"),
    path("<int:year>/", views.budget_detail, name="budget_detail"),
    path("<int:year>/installningar/", views.budget_settings, name="budget_settings"),
    path("<int:year>/ta-bort/", views.budget_delete, name="budget_delete"),
    path("<int:year>/intakter/ny/", views.income_create, name="budget_income_create"),
    path("<int:year>/kostnader/ny/", views.cost_create, name="budget_cost_create"),
    path("<int:year>/langtid/<int:lt_year>/", views.long_term_edit, name="budget_long_term"),
    path("intakter/<uuid:public_id>/andra/", views.income_edit, name="budget_income_edit"),
    path("intakter/<uuid:public_id>/ta-bort/", views.income_delete, name="budget_income_delete"),
    path("intakter/<uuid:public_id>/flytta/", views.income_move, name="budget_income_move"),
    path("kostnader/<uuid:public_id>/andra/", views.cost_edit, name="budget_cost_edit"),
    path("kostnader/<uuid:public_id>/ta-bort/", views.cost_delete, name="budget_cost_delete"),
    path("kostnader/<uuid:public_id>/flytta/", views.cost_move, name="budget_cost_move"),
]

from .utfall import views as utfall_views  # noqa: E402

urlpatterns += [
    path("utfall/", utfall_views.utfall_index, name="utfall_index"),
    path("utfall/<uuid:public_id>/", utfall_views.utfall_preview, name="utfall_preview"),
    path("utfall/<uuid:public_id>/genomfor/", utfall_views.utfall_confirm, name="utfall_confirm"),
    path("utfall/<uuid:public_id>/angra/", utfall_views.utfall_undo, name="utfall_undo"),
    path("konton/", utfall_views.account_mappings, name="utfall_accounts"),
    path(
        "konton/<uuid:public_id>/ta-bort/", utfall_views.account_mapping_delete, name="utfall_account_delete"
    ),
    path("<int:year>/uppfoljning/", utfall_views.followup, name="utfall_followup"),
    path("prognos/<uuid:public_id>/", utfall_views.prognosis_edit, name="utfall_prognosis"),
]
