"""Every förbund page declares its guard (ability and methods) with apps.core.views.tenant_view."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

# The apps whose pages follow the convention; a new app joins this list when it is built.
GUARDED = {"members", "insatser", "goals", "plans", "budgets", "reports", "dataio", "tertial", "followup"}


def _tenant_views():
    """(namespace:name, view) of every pattern under /f/<förbund>/ in a guarded app, and the overview."""
    found = []
    for top in get_resolver().url_patterns:
        if isinstance(top, URLResolver) and str(top.pattern).startswith("f/"):
            for entry in top.url_patterns:
                if isinstance(entry, URLPattern):
                    found.append((entry.name, entry.callback))
                elif isinstance(entry, URLResolver) and entry.namespace in GUARDED:
                    for pattern in entry.url_patterns:
                        if isinstance(pattern, URLPattern):
                            found.append((f"{entry.namespace}:{pattern.name}", pattern.callback))
    return found


def test_every_tenant_page_declares_ability_and_methods():
    views = _tenant_views()
    assert len(views) > 80
    unguarded = [name for name, view in views if not hasattr(view, "tenant_guard")]
    assert unguarded == []


def test_no_tenant_page_accepts_any_method():
    views = _tenant_views()
    loose = [name for name, view in views if not set(view.tenant_guard["methods"]) <= {"GET", "POST"}]
    assert loose == []
