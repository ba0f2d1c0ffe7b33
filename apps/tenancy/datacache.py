"""Content computed from a förbund's rows, cached under the förbund's data version.

The key is the förbund, its ``DataVersion`` token, the last change of the förbund's own row and
everything else the content depends on (period, the insatser asked for, whether small numbers
are shown, today's date where it counts, any value read live). Database triggers give the
förbund a new token on every write to any of its rows (``walls.install_data_version_triggers``),
whichever path writes them, so a write is seen by the next request: its key is new. Entries
under old tokens are never read again and expire.

The token is read before the content is computed, so an entry never holds data older than its
token. A förbund without a version row (created after the migration and never written) is
computed every time. The cache being down only costs time: the content is computed as if
nothing was cached. What is cached must not depend on who asks unless ``parts`` says so.

Any write makes every entry of the förbund unreachable, so without more the first reader after
a write pays for the computation (at national scale 0.1–0.3 s for the statistics, the plan
version and the draft report). Apps therefore register *warmers* (``warmer``): functions that
compute what their pages read most, the way those pages read it. A beat task
(``apps.tenancy.tasks.warm_changed_caches``) runs them for each förbund whose data, own row or
date has changed since its last warming (``warm_if_changed``), so the next reader finds them.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.utils import timezone

from .models import DataVersion, Forbund
from .scope import tenant_scope

log = logging.getLogger(__name__)
T = TypeVar("T")
# Entries of old tokens are unreachable; this only bounds how long they take memory.
TIMEOUT = 24 * 3600
_MISS = object()
# Raise when the shape of what is cached changes, so a deploy never reads the old shape.
SHAPE = 2


def data_version(forbund: Forbund) -> str | None:
    """The förbund's data token (one query), None when it has none yet."""
    token = DataVersion.objects.filter(forbund=forbund).values_list("token", flat=True).first()
    return None if token is None else token.hex


def cache_key(forbund: Forbund, version: str, name: str, parts: tuple) -> str:
    """The key of one computation: förbund, version, what it is and a digest of its inputs.

    The förbund's own row (its name, its settings) is no tenant row and bumps no version: its
    last change is in every key."""
    digest = hashlib.sha256(repr((forbund.updated_at, parts)).encode()).hexdigest()[:32]
    return f"data:{SHAPE}:{forbund.pk}:{version}:{name}:{digest}"


def remember(
    forbund: Forbund, name: str, parts: tuple, compute: Callable[[], T], *, version: str | None = None
) -> T:
    """``compute()``, or its result cached for this förbund, data version and ``parts``.

    ``parts`` must hold every input of ``compute`` other than the förbund's rows (plain values
    with a stable ``repr``). ``version`` saves the token query when the caller has it.
    """
    version = version or data_version(forbund)
    if version is None:
        return compute()
    key = cache_key(forbund, version, name, parts)
    try:
        hit = cache.get(key, _MISS)
    except Exception:  # noqa: BLE001 (the cache is an optimisation: compute without it)
        log.warning("Förbundets cache kunde inte läsas", exc_info=True)
        return compute()
    if hit is not _MISS:
        return hit  # type: ignore[return-value]
    value = compute()
    try:
        cache.set(key, value, TIMEOUT)
    except Exception:  # noqa: BLE001
        log.warning("Förbundets cache kunde inte skrivas", exc_info=True)
    return value


# --- Warming ---------------------------------------------------------------------------------

Warmer = Callable[[Forbund], object]
_warmers: dict[str, Warmer] = {}


def warmer(name: str) -> Callable[[Warmer], Warmer]:
    """Register ``fn(forbund)`` (called inside the förbund's tenant scope) to be run after the
    förbund's data changes: it should call the same cached functions its pages call, with the
    arguments a reader's first visit uses. Apps register from their ``ready()``."""

    def register(fn: Warmer) -> Warmer:
        _warmers[name] = fn
        return fn

    return register


def warmers() -> dict[str, Warmer]:
    """The registered warmers by name."""
    return dict(_warmers)


def _warmed_key(forbund: Forbund) -> str:
    return f"data-warmed:{SHAPE}:{forbund.pk}"


def _state(forbund: Forbund, version: str) -> str:
    # What the cache keys depend on besides the inputs: the data, the förbund's row, the date.
    return f"{version}:{forbund.updated_at.isoformat()}:{timezone.localdate().isoformat()}"


def warm_if_changed(forbund: Forbund) -> list[str] | None:
    """Run every warmer for the förbund if its data, its row or the date changed since the last
    warming; None when nothing changed (or the förbund has no data version yet), else the names
    of the warmers that ran without error. One failing warmer is logged; the others still run,
    each in a scope (and transaction) of its own."""
    with tenant_scope(forbund):
        version = data_version(forbund)
    if version is None:
        return None
    state = _state(forbund, version)
    key = _warmed_key(forbund)
    try:
        if cache.get(key) == state:
            return None
    except Exception:  # noqa: BLE001 (without a cache there is nothing to warm)
        log.warning("Förbundets cache kunde inte läsas", exc_info=True)
        return None
    done = []
    for name, fn in _warmers.items():
        try:
            with tenant_scope(forbund):
                fn(forbund)
        except Exception:  # noqa: BLE001 (a warmer only saves a reader time)
            log.exception("Uppvärmningen %s misslyckades för %s", name, forbund.slug)
        else:
            done.append(name)
    try:
        cache.set(key, state, TIMEOUT)
    except Exception:  # noqa: BLE001
        log.warning("Förbundets cache kunde inte skrivas", exc_info=True)
    return done
