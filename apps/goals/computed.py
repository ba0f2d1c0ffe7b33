"""The registry of computed delmål kinds: apps that can compute a delmål's result register here.

goals never imports the apps that compute. An app registers, from its ``AppConfig.ready()``,
how it computes each kind it knows, and where it has monthly data for the year page's
"året hittills" period::

    from apps.goals import computed
    computed.register(IndicatorKind.KOSTNADER_INOM_BUDGET, arguments=costs_arguments, compute=costs)
    computed.register_last_month(last_utfall_month)

``arguments(delmal=, year=, until_month=)`` returns the keyword arguments for ``compute`` (the
förbund is added), or a ready result when the delmål cannot be computed (a Swedish reason).
``compute(forbund=, memo=, **arguments)`` returns a result with ``met``, ``value`` and
``explanation``. ``memo`` is a dict that lives for one call of ``delmal_results`` (one page):
a kind keeps there what every delmål of the page would otherwise recompute (the year's budget
follow-up), keyed by its own tuple.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from apps.tenancy.models import Forbund

Arguments = Callable[..., "dict[str, Any] | Any"]
LastMonth = Callable[..., int]


@dataclass(frozen=True)
class Computation:
    """How one computed kind is computed."""

    kind: str
    arguments: Arguments
    compute: Callable[..., Any]


_kinds: dict[str, Computation] = {}
_last_month_sources: list[LastMonth] = []


def register(kind: str, *, arguments: Arguments, compute: Callable[..., Any]) -> None:
    """Register (or replace) how the delmål kind ``kind`` is computed."""
    _kinds[kind] = Computation(kind, arguments, compute)


def unregister(kind: str) -> None:
    """Remove a computed kind (for tests)."""
    _kinds.pop(kind, None)


def get(kind: str) -> Computation | None:
    """How the kind is computed, or None when no app computes it."""
    return _kinds.get(kind)


def register_last_month(source: LastMonth) -> None:
    """Register a source of "the last month of the year with data": ``source(forbund=, year=)``."""
    if source not in _last_month_sources:
        _last_month_sources.append(source)


def last_month(*, forbund: Forbund, year: int) -> int:
    """The last month of the year with data in any registered source (0 when none)."""
    return max((source(forbund=forbund, year=year) for source in _last_month_sources), default=0)
