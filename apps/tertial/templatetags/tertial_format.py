"""Template filters of the tertial report: status symbol and word, section comments, trends, and
the report's repeated table cells written in one call instead of a template loop per cell."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import SafeString, mark_safe

from apps.core.cells import shown as _shown
from apps.core.formatting import format_kronor

from ..models import GOAL_STATUS_SYMBOLS, GoalStatus
from ..rendering import frozen_fragment, frozen_fragment_key

register = template.Library()


@register.filter
def status_label(status: str) -> str:
    """ "Uppnått"; "Ingen status" for blank."""
    return GoalStatus(status).label if status in GoalStatus.values else "Ingen status"


@register.filter
def status_symbol(status: str) -> str:
    """The status's shape (✓ ◐ ✗ ?), "–" for blank; shown beside the word, never alone."""
    return GOAL_STATUS_SYMBOLS.get(status, "–")


@register.filter
def for_section(comments: dict, key: str) -> list:
    """The comments of one section from ``selectors.comments_by_section``."""
    return comments.get(key, [])


# A report at national scale has thousands of figure cells; a template loop costs several
# variable lookups and a context push per cell, which made the report page's rendering grow with
# every insats and budget line. These filters write the same markup in one call per row.


@register.filter
def num_cells(cells) -> SafeString:
    """``<td class="num">…</td>`` for each cell, as the loop ``{% for cell in cells %}`` wrote them."""
    return mark_safe("".join(f'<td class="num">{_shown(cell)}</td>' for cell in cells))  # noqa: S308


@register.filter
def num_headers(columns) -> SafeString:
    """``<th scope="col" class="num">…</th>`` for each column heading."""
    return mark_safe("".join(f'<th scope="col" class="num">{_shown(c)}</th>' for c in columns))  # noqa: S308


def _kronor(value) -> str:
    return _shown(format_kronor(value))


@register.filter
def economy_row(line: dict) -> SafeString:
    """One budget line of the economy tables, exactly as ``tertial/_economy_row.html`` renders it
    (a test holds the two equal): label, the period, the year so far, the annual budget, prognosis."""
    # .get throughout: a missing figure prints as the template's missing variable did (nothing).
    sub = ' class="sub"' if line.get("depth") else ""
    period, so_far = line.get("period") or {}, line.get("so_far") or {}
    cells = (
        period.get("budget"),
        period.get("utfall"),
        period.get("deviation"),
        so_far.get("budget"),
        so_far.get("utfall"),
        line.get("annual"),
        line.get("prognosis"),
    )
    body = "".join(f'    <td class="num">{_kronor(value)}</td>\n' for value in cells)
    return mark_safe(f'\n<tr>\n    <th scope="row"{sub}>{_shown(line.get("label", ""))}</th>\n{body}</tr>\n')  # noqa: S308


def _participants_table(table: dict, caption) -> str:
    heading = _shown(table.get("row_heading", ""))
    body = "".join(
        "\n<tr>\n    "
        f'<th scope="row">{_shown(row.get("label", ""))}</th>\n    '
        f"{num_cells(row.get('cells') or [])}\n</tr>\n"
        for row in table.get("rows") or []
    )
    note = table.get("note")
    note_html = f'<p class="report-explanation">{_shown(note)}</p>' if note else ""
    return (
        '\n<table class="report-table">\n'
        f"    <caption>{_shown(caption)}</caption>\n"
        "    <thead>\n"
        "        <tr>\n"
        f'            <th scope="col">{heading}</th>\n'
        f"            {num_headers(table.get('columns') or [])}\n"
        "        </tr>\n"
        "    </thead>\n"
        f"    <tbody>\n{body}    </tbody>\n"
        "</table>\n"
        f"{note_html}\n"
    )


@register.filter
def insats_participants(table: dict, insats_name) -> SafeString:
    """An insats's participant table, as ``tertial/_participants_table.html`` renders it with the
    caption "Deltagare i <insats>" (a test holds the two equal, whitespace collapsed): one call per
    insats instead of an include, a context push per row and the table's variable lookups."""
    return mark_safe(_participants_table(table, f"Deltagare i {insats_name}"))  # noqa: S308


def _trend_cell(cell) -> str:
    trend = (cell or {}).get("trend")
    if not trend:
        return "\n        –\n"
    return (
        f'\n        <span aria-hidden="true">{_shown(trend.get("arrow", ""))}</span> '
        f"{_shown(trend.get('word', ''))} ({_shown(cell.get('display', ''))})\n"
    )


@register.filter
def goal_row(row: dict) -> SafeString:
    """One delmål row of the goals tables, as ``tertial/_goal_row.html`` renders it (a test holds
    the two equal, whitespace collapsed): one call per delmål instead of some thirty template
    lookups and filters."""
    # .get throughout: a missing field prints as the template's missing variable did (nothing).
    status = row.get("status", "")
    insats = row.get("insats")
    insats_html = f'<span class="muted">({_shown(insats)})</span>' if insats else ""
    target = row.get("target")
    computed = '<span class="muted">(beräknat)</span>' if row.get("computed") else ""
    source, proposed = row.get("status_source"), row.get("proposed")
    if source == "förslag":
        note = '\n        <br>\n        <span class="muted">föreslaget av systemet</span>\n'
    elif source == "kansli" and proposed and proposed != status:
        note = (
            "\n        <br>\n"
            f'        <span class="muted">systemet föreslog {_shown(status_label(proposed).lower())}</span>\n'
        )
    else:
        note = ""
    comment = linebreaksbr(row.get("comment", ""), autoescape=True) or "–"
    explanation = row.get("explanation")
    explanation_html = f'<p class="report-explanation">{_shown(explanation)}</p>' if explanation else ""
    return mark_safe(  # noqa: S308
        "\n<tr>\n"
        '    <th scope="row">\n'
        f"        {_shown(row.get('label', ''))} {_shown(row.get('text', ''))}\n"
        f"        {insats_html}\n"
        "    </th>\n"
        f"    <td>{_shown(target) if target else '–'}</td>\n"
        '    <td class="num">\n'
        f"        {_shown(row.get('value_display', ''))}\n"
        f"        {computed}\n"
        "    </td>\n"
        "    <td>\n"
        f'        <span class="goal-status goal-status--{_shown(status)}"><span class="goal-status__symbol"'
        f' aria-hidden="true">{_shown(status_symbol(status))}</span> {_shown(status_label(status))}</span>\n'
        f"        {note}\n"
        "    </td>\n"
        f"    <td>{_trend_cell(row.get('previous'))}    </td>\n"
        f"    <td>{_trend_cell(row.get('last_year'))}    </td>\n"
        "    <td>\n"
        f"        {_shown(comment)}\n"
        f"        {explanation_html}\n"
        "    </td>\n"
        "</tr>\n"
    )


class FrozenSectionNode(template.Node):
    def __init__(self, nodelist, name: str):
        self.nodelist = nodelist
        self.name = name

    def render(self, context) -> str:
        key = frozen_fragment_key(context.get("version"), self.name, context.get("interactive", False))
        if key is None:
            return self.nodelist.render(context)
        return frozen_fragment(key, lambda: self.nodelist.render(context))


@register.tag
def frozen_section(parser, token):
    """``{% frozen_section "mal" %}…{% endfrozen_section %}``: the enclosed part of a sent version is
    rendered once and then read from memory (``rendering.frozen_fragment``); a draft's is rendered
    every time. Enclose only what depends on nothing but the version's content and ``interactive``:
    no reader's abilities, comments or forms."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("frozen_section takes one quoted name")
    nodelist = parser.parse(("endfrozen_section",))
    parser.delete_first_token()
    return FrozenSectionNode(nodelist, bits[1][1:-1])
