"""Reads of insatser, their year rows and staff grants."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from apps.members.models import Medlem
from apps.tenancy.models import Forbund, Role

from .models import Insats, InsatsSettings, InsatsStatus, InsatsUserObjectPermission, InsatsYear, Plattform

STAFF_PERMISSION = "log_participants"


def _with_year(qs: QuerySet[Insats], *, forbund: Forbund, year: int) -> QuerySet[Insats]:
    return qs.select_related("verksamhetsagare", "plattform").prefetch_related(
        Prefetch(
            "years",
            queryset=InsatsYear.objects.filter(forbund=forbund, year=year),
            to_attr="year_rows_for_list",
        ),
        # A list (to_attr), so that a table of hundreds of insatser reads it without a queryset per row.
        Prefetch(
            "medparter",
            queryset=Medlem.objects.filter(forbund=forbund).order_by("position", "name"),
            to_attr="medpart_list",
        ),
    )


def insats_list(*, forbund: Forbund, year: int) -> QuerySet[Insats]:
    """All the förbund's insatser with owner, plattform, medparter (``medpart_list``) and the year's row."""
    qs = Insats.objects.filter(forbund=forbund).order_by("kind", "position", "name")
    return _with_year(qs, forbund=forbund, year=year)


# What the insats list's rows print, and no more: at national scale the list builds hundreds of
# insatser, year rows and medparter, and every timestamp and text it never shows cost time to read.
_TABLE_FIELDS = (
    "forbund_id",
    "public_id",
    "name",
    "kind",
    "status",
    "position",
    "verksamhetsagare_annan",
    "ovriga_medparter",
    "verksamhetsagare__name",
    "plattform__name",
)


def _table_rows(qs: QuerySet[Insats], *, forbund: Forbund, year: int) -> QuerySet[Insats]:
    return (
        qs.select_related("verksamhetsagare", "plattform")
        .only(*_TABLE_FIELDS)
        .prefetch_related(
            Prefetch(
                "years",
                queryset=InsatsYear.objects.filter(forbund=forbund, year=year).only(
                    "forbund_id", "insats_id", "budget_amount", "financed_fte", "budgeted_volume"
                ),
                to_attr="year_rows_for_list",
            ),
            Prefetch(
                "medparter",
                queryset=Medlem.objects.filter(forbund=forbund)
                .only("forbund_id", "name")
                .order_by("position", "name"),
                to_attr="medpart_list",
            ),
        )
    )


def insats_table(*, forbund: Forbund, year: int, user=None) -> QuerySet[Insats]:
    """The insats list's rows: every insats, or with ``user`` only those the staff user is granted,
    with the fields the table prints, the year's row (``year_rows_for_list``) and ``medpart_list``."""
    if user is None:
        qs = Insats.objects.filter(forbund=forbund).order_by("kind", "position", "name")
    else:
        qs = insats_list_for_staff(forbund=forbund, user=user)
    return _table_rows(qs, forbund=forbund, year=year)


def insats_year_choices(*, forbund: Forbund) -> list[int]:
    """Every year that has at least one insats year row, oldest first."""
    return list(
        InsatsYear.objects.filter(forbund=forbund).order_by("year").values_list("year", flat=True).distinct()
    )


def insats_list_for_staff(*, forbund: Forbund, user) -> QuerySet[Insats]:
    """The insatser a plattformspersonal user is granted, in one query via the direct FK."""
    return (
        Insats.objects.filter(
            forbund=forbund,
            staff_permissions__forbund=forbund,
            staff_permissions__user=user,
            staff_permissions__permission__codename=STAFF_PERMISSION,
            staff_permissions__permission__content_type__app_label="insatser",
        )
        .select_related("verksamhetsagare", "plattform")
        .order_by("kind", "position", "name")
    )


def insats_staff_list_for_year(*, forbund: Forbund, user, year: int) -> QuerySet[Insats]:
    """The staff user's insatser with the same related data as the full list."""
    return _with_year(insats_list_for_staff(forbund=forbund, user=user), forbund=forbund, year=year)


def insats_detail_queryset(*, forbund: Forbund) -> QuerySet[Insats]:
    """Insatser with what the detail page shows next to each."""
    return Insats.objects.filter(forbund=forbund).select_related("verksamhetsagare", "plattform")


def insats_years(*, forbund: Forbund, insats: Insats) -> QuerySet[InsatsYear]:
    """The year rows of one insats, oldest first."""
    return InsatsYear.objects.filter(forbund=forbund, insats=insats).order_by("year")


def insats_year_queryset(*, forbund: Forbund) -> QuerySet[InsatsYear]:
    """Year rows of the förbund, with their insats."""
    return InsatsYear.objects.filter(forbund=forbund).select_related("insats")


def insats_medparter(*, forbund: Forbund, insats: Insats) -> QuerySet[Medlem]:
    """The medparter of one insats in printed order."""
    return Medlem.objects.filter(forbund=forbund, insatser_som_medpart=insats).order_by("position", "name")


def insats_staff(*, forbund: Forbund, insats: Insats):
    """Users granted to log participants in this insats."""
    user_ids = InsatsUserObjectPermission.objects.filter(
        forbund=forbund, content_object=insats, permission__codename=STAFF_PERMISSION
    ).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids).order_by("last_name", "first_name", "username")


def plattform_staff_users(*, forbund: Forbund):
    """The förbund's users with the role plattformspersonal."""
    return (
        get_user_model()
        .objects.filter(memberships__forbund=forbund, memberships__role=Role.PLATTFORM)
        .order_by("last_name", "first_name", "username")
    )


def plattform_list(*, forbund: Forbund) -> QuerySet[Plattform]:
    """The förbund's plattformar by name."""
    return Plattform.objects.filter(forbund=forbund).order_by("name")


def insats_status_history(*, forbund: Forbund, insats: Insats) -> list[dict]:
    """Each status the insats has had, with when it got it, from the audit trail."""
    event_model = apps.get_model("insatser", "InsatsEvent")
    events = (
        event_model.objects.filter(forbund=forbund, pgh_obj_id=insats.pk)
        .order_by("pgh_created_at", "pgh_id")
        .values("pgh_created_at", "status", "decision_date", "decision_paragraph")
    )
    history: list[dict] = []
    for event in events:
        if history and history[-1]["status"] == event["status"]:
            continue
        history.append(
            {
                "at": event["pgh_created_at"],
                "status": event["status"],
                "label": InsatsStatus(event["status"]).label,
                "decision_date": event["decision_date"],
                "decision_paragraph": event["decision_paragraph"],
            }
        )
    return history


def plattform_list_with_insatser(*, forbund: Forbund) -> QuerySet[Plattform]:
    """The förbund's plattformar by name, each with its insatser (``insatser_for_list``) by name."""
    return (
        Plattform.objects.filter(forbund=forbund)
        .order_by("name")
        .prefetch_related(
            Prefetch(
                "insatser",
                queryset=Insats.objects.filter(forbund=forbund).order_by("name"),
                to_attr="insatser_for_list",
            )
        )
    )


def plattform_insats_count(*, forbund: Forbund, plattform: Plattform) -> int:
    """How many insatser are grouped under this plattform."""
    return Insats.objects.filter(forbund=forbund, plattform=plattform).count()


def insats_settings(*, forbund: Forbund) -> InsatsSettings:
    """The förbund's insats settings; an unsaved row with the defaults when none is stored."""
    return InsatsSettings.objects.filter(forbund=forbund).first() or InsatsSettings(forbund=forbund)
