"""Template filters of the budget pages: the figure rows they repeat for every budget line,
written in one call per table instead of a template loop with an include per row.

At national scale the follow-up prints every line four times (the year so far and three
tertials); a loop with an include and a dozen variable lookups per row was most of the page's
time. Each filter writes the markup of the template it stands for (``budgets/utfall/
_period_row.html`` and ``_so_far_row.html``, which the page still uses for its single rows);
tests/budgets/test_budget_cells.py holds them equal.
"""

from __future__ import annotations

import html

from django import template
from django.utils.safestring import SafeString, mark_safe

from apps.core.formatting import MINUS, NBSP, format_amount, format_kronor, format_percent

register = template.Library()

_DASH = '<span aria-hidden="true">–</span>'


def _kronor(value) -> str:
    """``{{ value|kronor }}``: whole kronor written directly (``format_kronor`` goes through
    Decimal for every number), anything else by ``format_kronor`` and escaped as the template
    escapes it."""
    if type(value) is int:
        if value < 0:
            return f"{MINUS}{-value:,}{NBSP}kr".replace(",", NBSP)
        return f"{value:,}{NBSP}kr".replace(",", NBSP)
    return html.escape(format_kronor(value))


def _cells(period) -> str:
    percent = format_percent(period.deviation_percent) or "–"
    return (
        f'\n<td class="num">{_kronor(period.budget)}</td>\n'
        f'<td class="num">{_kronor(period.utfall)}</td>\n'
        f'<td class="num">{_kronor(period.deviation)}</td>\n'
        f'<td class="num">{html.escape(percent)}</td>\n'
    )


@register.filter
def period_cells(period) -> SafeString:
    """Budget, utfall, deviation and deviation % of a follow-up period, exactly as
    ``budgets/utfall/_period_row.html`` renders them (the percentage "–" when there is none)."""
    return mark_safe(_cells(period))  # noqa: S308 -- every figure is escaped in _cells


@register.filter
def period_rows(pairs, kind: str = "cost") -> SafeString:
    """A tertial table's rows for its (line, period) pairs: the line (sub-lines after a dash,
    income lines after "Intäkt:") and ``period_cells``."""
    out = []
    for row, period in pairs:
        label = html.escape(row.label)
        if kind == "income":
            head = f'<th scope="row">Intäkt: {label}</th>'
        else:
            head = f'<th scope="row">\n{_DASH if row.depth else ""}\n{label}\n</th>'
        out.append(f"<tr>\n{head}\n{_cells(period)}\n</tr>\n")
    return mark_safe("".join(out))  # noqa: S308 -- every text is escaped above


@register.filter
def so_far_rows(rows, kind: str = "cost") -> SafeString:
    """The year-so-far table's rows for follow-up lines, as ``budgets/utfall/_so_far_row.html``
    renders each (not the total): the line, ``period_cells`` of the year so far, annual budget,
    prognosis and its deviation, and the prognosis' comment with the line's ``edit_url`` (set by
    the view for editors only)."""
    intakt = "Intäkt:" if kind == "income" else ""
    out = []
    for row in rows:
        label = html.escape(row.label)
        override = row.override
        comment = f"Egen prognos: {html.escape(override.comment)}" if override else "Framskriven"
        link = ""
        if row.edit_url:
            link = f'<a href="{html.escape(row.edit_url)}">Ändra prognos för {label}</a>'
        out.append(
            f'<tr>\n<th scope="row">\n{_DASH if row.depth else ""}\n{intakt}\n{label}\n</th>\n'
            f"{_cells(row.so_far)}\n"
            f'<td class="num">{_kronor(row.annual)}</td>\n'
            f'<td class="num">{_kronor(row.prognosis)}</td>\n'
            f'<td class="num">{_kronor(row.prognosis_deviation)}</td>\n'
            f"<td>\n{comment}\n{link}\n</td>\n</tr>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 -- every text is escaped above


@register.simple_tag(takes_context=True)
def cost_rows(context, rows) -> SafeString:
    """The budget page's cost table body: each line as ``budgets/_cost_row.html`` renders it (in
    the context's ``summary``, ``visning``, ``edit``, ``new_sub_line_url``), or the one row saying
    there are none."""
    edit = context.get("edit")
    if not rows:
        colspan = 3 if edit else 2
        return mark_safe(f'<tr>\n<td colspan="{colspan}">Inga kostnadsrader ännu.</td>\n</tr>\n')  # noqa: S308
    visning = context.get("visning", "kr")
    year = context["summary"].budget.year
    missing = f'<span class="muted">– insatsen saknar budget för {year}</span>'
    csrf = ""
    if edit:
        # What {% csrf_token %} writes (one token per request; the context's value is lazy).
        token = context.get("csrf_token")
        if token and token != "NOTPROVIDED":
            csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{html.escape(str(token))}">'
        new_sub_line_url = html.escape(str(context.get("new_sub_line_url", "")))
    out = []
    for row in rows:
        line = row.line
        label = html.escape(row.label)
        amount = html.escape(format_amount(row.amount, visning))
        if row.depth:
            head = f'<span aria-hidden="true">   </span><span class="visually-hidden">varav </span>{label}'
        elif row.children:
            head = f"<strong>{label}</strong>"
        else:
            head = label
        notes = (
            ('<span class="muted">(insatsens budget)</span>' if line.insats_id else "")
            + "\n"
            + ('<span class="muted">(ointecknade medel)</span>' if line.is_reserve else "")
            + "\n"
            + (missing if row.insats_year_missing else "")
        )
        cell = f"<strong>{amount}</strong>" if row.children else amount
        actions = ""
        if edit:
            name = html.escape(line.name)
            links = row.links
            hidden = f'<span class="visually-hidden"> {name}</span>'
            actions = (
                f'<td>\n<a href="{html.escape(links["edit"])}">Ändra{hidden}</a>\n'
                f'<a href="{html.escape(links["delete"])}">Ta bort{hidden}</a>\n'
            )
            if not row.depth and not line.insats_id and line.amount is None:
                actions += (
                    f'<a href="{new_sub_line_url}?huvudrad={line.public_id}">Ny underrad'
                    f'<span class="visually-hidden"> till {name}</span></a>\n'
                )
            if line.position:
                actions += (
                    f'<form method="post" action="{html.escape(links["move"])}" class="inline-form">\n'
                    f'{csrf}\n<button type="submit" name="riktning" value="upp" class="button--link" '
                    f'aria-label="Flytta upp: {name}">Flytta upp</button>\n</form>\n'
                )
            actions += "</td>\n"
        out.append(
            f'<tr>\n<th scope="row">\n{head}\n{notes}\n</th>\n'
            f'<td class="num">\n{cell}\n</td>\n{actions}</tr>\n'
        )
    return mark_safe("".join(out))  # noqa: S308 -- every text is escaped above
