"""Pages about the förbund's members."""

from django.shortcuts import render

from apps.tenancy.access import require_ability

from . import selectors


@require_ability("members_view")
def medlem_list(request, forbund_slug):
    medlemmar = list(selectors.medlem_list(forbund=request.forbund))
    return render(request, "members/medlem_list.html", {"medlemmar": medlemmar})
