"""View plumbing every förbund page shares: the guard, service errors on forms, the form page and
the confirm-delete page.

The status rule for forms, in one place: a submitted form with errors answers 400 (the page
shows the errors and keeps what was typed); an htmx fragment answers 200 whatever it holds,
because htmx swaps only 2xx answers into the page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render

T = TypeVar("T")
View = Callable[..., HttpResponse]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# The direction buttons of every ordered list post riktning=upp or riktning=ned.
DIRECTION_FIELD = "riktning"
DIRECTION_UP = "upp"


def tenant_view(
    ability: str | tuple[str, ...], *, methods: Iterable[str] = ("GET",), write_ability: str | None = None
) -> Callable[[View], View]:
    """Declare a förbund page's guard: outside a förbund 404, another method 405, no ability 403.

    ``ability`` is one ability or several of which any one suffices (plattformspersonal read
    insatser with ``participants_log`` instead of ``plan_view``). ``write_ability`` is needed on
    top of it for a POST on a page that others may read (a settings page, a list with an add form).
    """
    needed = (ability,) if isinstance(ability, str) else tuple(ability)
    allowed = [method.upper() for method in methods]

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if getattr(request, "forbund", None) is None:
                raise Http404
            if request.method not in allowed:
                return HttpResponseNotAllowed(allowed)
            if not any(request.abilities.get(name, False) for name in needed):
                raise PermissionDenied
            writing = write_ability and request.method not in SAFE_METHODS
            if writing and not request.abilities.get(write_ability, False):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        # Read by the test that checks every förbund page declares its guard.
        wrapped.tenant_guard = {  # type: ignore[attr-defined]
            "abilities": needed,
            "methods": tuple(allowed),
            "write_ability": write_ability,
        }
        return wrapped

    return decorator


def moves_up(request: HttpRequest) -> bool:
    """Whether an order button asked to move its row up (anything else moves it down)."""
    return request.POST.get(DIRECTION_FIELD) == DIRECTION_UP


# --- Forms ------------------------------------------------------------------------------------


def apply_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form: next to the fields it names, the rest above the form.

    A service may name a field the form does not have (a model field set by the view); that
    message becomes a form-wide error rather than Django's ValueError.
    """
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.error_list)


def save_form(form: forms.BaseForm, write: Callable[[dict[str, Any]], T]) -> T | None:
    """Validate the form and run ``write(cleaned_data)``; the service's result, or None on errors.

    ``write`` calls a service, which returns what it saved; its ValidationError lands on the form.
    """
    if not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except ValidationError as error:
        apply_service_errors(form, error)
        return None


def form_status(request: HttpRequest, *forms_on_page: forms.BaseForm | None) -> int:
    """400 when a submitted form on the page has errors, else 200; htmx fragments are always 200."""
    if getattr(request, "htmx", False):
        return 200
    invalid = any(form is not None and form.is_bound and form.errors for form in forms_on_page)
    return 400 if invalid else 200


def render_form(
    request: HttpRequest, template: str, context: dict[str, Any], *, form: forms.BaseForm | None = None
) -> HttpResponse:
    """Render a page or fragment holding ``form`` (default ``context["form"]``) with its status."""
    form = form if form is not None else context.get("form")
    return render(request, template, context, status=form_status(request, form))


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    back: str,
    submit: str = "Spara",
    intro: str = "",
) -> HttpResponse:
    """The page with one form: a heading, the fields, a submit button and Avbryt back to ``back``."""
    context = {"form": form, "title": title, "back": back, "submit": submit, "intro": intro}
    return render_form(request, "includes/form_page.html", context)


# --- Deleting ---------------------------------------------------------------------------------


def confirm_delete(
    request: HttpRequest,
    *,
    title: str,
    back: str,
    delete: Callable[[], object],
    done: str,
    message: str,
    details: Iterable[str] = (),
    button: str = "Ja, ta bort",
) -> HttpResponse:
    """GET asks to confirm; POST deletes and goes to ``done`` with ``message``.

    A refusal from the service (a ValidationError: something still uses the row) is shown on
    the same page in Swedish with status 400, and nothing is deleted.
    """
    error = ""
    if request.method == "POST":
        try:
            delete()
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, message)
            return redirect(done)
    context = {"title": title, "back": back, "details": list(details), "button": button, "error": error}
    return render(request, "includes/confirm_delete.html", context, status=400 if error else 200)
