"""The "start year N+1 from year N" page: a preview on GET, the copy on POST."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from apps.tenancy.access import require_ability

from . import selectors, services
from .forms import YearStartForm


@require_ability("plan_view")
def year_start(request, forbund_slug):
    forbund = request.forbund
    if request.method == "POST" and not request.abilities["plan_edit"]:
        raise PermissionDenied
    years = selectors.data_years(forbund=forbund)
    if request.method == "POST":
        form = YearStartForm(request.POST, years=years)
    else:
        data = request.GET if "fran" in request.GET else None
        form = YearStartForm(data, years=years, initial={"fran": years[0] if years else None})
    from_year = None
    if form.is_bound and form.is_valid():
        from_year = form.cleaned_data["fran"]
    elif not form.is_bound and years:
        from_year = years[0]
    if request.method == "POST" and from_year is not None:
        try:
            summary = services.year_start_next(forbund=forbund, actor=request.user, from_year=from_year)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, summary.message)
            return redirect("malomrade_list", forbund.slug, summary.to_year)
    preview = selectors.year_preview(forbund=forbund, from_year=from_year) if from_year else None
    return render(
        request,
        "plans/year_start.html",
        {"form": form, "years": years, "preview": preview, "from_year": from_year},
        status=400 if request.method == "POST" else 200,
    )
