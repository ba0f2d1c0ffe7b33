"""The year page's rows, made cheaply (issue 13: a page of 130 delmål).

A row's actions (Ändra, the move form with its CSRF token, Ta bort) differ between rows only in
the row's public id and its label. Rendering their template per row (a ``{% url %}`` per link, an
include, a CSRF token) was most of the goals page's rendering time at scale; here the template is
rendered once for a stand-in whose public id and label are placeholders, and each row gets that
HTML with its own filled in. The result is the HTML the template gives for the row itself
(tests.goals.test_fragments checks it for every fragment). The delmål rows themselves are
written in one pass by ``delmal_row``, tested equal to their template's rendering.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any
from uuid import UUID

from django.template.loader import get_template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from apps.core.cells import shown
from apps.core.links import PLACEHOLDER

from .models import Delmal

# Placeholders: a UUID that URL patterns accept, and a label that escaping leaves as it is.
ID_MARKER = PLACEHOLDER
LABEL_MARKER = "rad-etikett-0"


def rendered_once(
    template_name: str, name: str, context: dict[str, Any]
) -> Callable[[UUID, Any], SafeString]:
    """``template_name`` rendered once with ``context`` and a stand-in called ``name``; returns
    ``fill(public_id, label)``, the HTML for one object.

    The stand-in has ``public_id``, and ``number`` and ``label`` (both the label): the template may
    use nothing else of the object. The label is shown as the template shows a value (localized,
    escaped).
    """
    stand_in = SimpleNamespace(public_id=ID_MARKER, number=LABEL_MARKER, label=LABEL_MARKER)
    html = get_template(template_name).render({**context, name: stand_in})
    marker = str(ID_MARKER)

    def fill(public_id: UUID, label: Any) -> SafeString:
        filled = html.replace(marker, str(public_id))
        return mark_safe(filled.replace(LABEL_MARKER, conditional_escape(localize(label))))  # noqa: S308 (the template's own output, with escaped values in)

    return fill


def _cell(value: Any, empty: str = "") -> str:
    """A value as ``{{ value|default:empty }}`` shows it."""
    return shown(value or empty)


def _lines(value: Any, empty: str = "") -> str:
    """A value as ``{{ value|default:empty|linebreaksbr }}`` shows it."""
    return _cell(value, empty).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def _display(field: str) -> Callable[[Any], str]:
    """``get_<field>_display`` as a plain dict lookup (Django's hashes the choices on every call)."""
    labels = dict(Delmal._meta.get_field(field).flatchoices)
    return lambda value: str(labels.get(value, value))


_tidpunkt = _display("tidpunkt")
_data_source = _display("data_source")


def delmal_row(delmal, *, edit: bool) -> SafeString:
    """A delmål's row of the year page: the HTML goals/_delmal_row.html gives for it (whitespace
    aside), written here in one pass; the template took most of the page's rendering time with
    130 delmål. ``delmal.result`` (a computed result) and, when ``edit``, ``delmal.actions`` are
    set by the view. tests.goals.test_fragments compares the two for every kind of row."""
    text = [_lines(delmal.text)]
    if delmal.insats_id:
        text.append(f'<p class="muted">Insats: {_cell(delmal.insats.name)}</p>')
    if delmal.utvarderingsmetod:
        text.append(f'<p class="muted">Utvärderingsmetod: {_cell(delmal.utvarderingsmetod)}</p>')
    result = getattr(delmal, "result", None)
    if not delmal.is_computed:
        outcome = "–"
    elif result:
        verdict = "Underlag saknas" if result.met is None else ("Uppfyllt" if result.met else "Inte uppfyllt")
        outcome = f'<p> <strong> {verdict} </strong> </p> <p class="muted">{_cell(result.explanation)}</p>'
    else:
        outcome = '<p class="muted">Beräknas när sidan visas.</p>'
    cells = [
        f'<th scope="row">{_cell(delmal.label)}</th>',
        f"<td> {' '.join(text)} </td>",
        f"<td>{_lines(delmal.indicator, '–')}</td>",
        f"<td>{_cell(delmal.target_display, '–')}</td>",
        f"<td> {outcome} </td>",
        f"<td>{_cell(_tidpunkt(delmal.tidpunkt))}</td>",
        f"<td>{_cell(_data_source(delmal.data_source))}</td>",
        f"<td>{_cell(delmal.responsible, '–')}</td>",
    ]
    if edit:
        cells.append(f"<td>{delmal.actions}</td>")
    return mark_safe(f'<tr id="delmal-{delmal.public_id}"> {" ".join(cells)} </tr>')  # noqa: S308
