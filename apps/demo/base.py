"""What every demo loader step shares: the run that counts writes, one förbund's file, the checks.

A loader step brings rows to what a demo file says through the owning app's services and
writes nothing when they already match, so ``load_demo`` can run any number of times.
:meth:`DemoRun.sync` is the one "create or update to match" helper every step uses.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

if TYPE_CHECKING:
    from apps.insatser.models import Insats, Plattform
    from apps.members.models import Medlem
    from apps.tenancy.models import Forbund

T = TypeVar("T")


class DemoDataError(ValueError):
    """A demo data file is malformed or contradicts another one."""


class DemoRun:
    """One run of the loader: the actor every write is recorded with, and how many rows changed."""

    def __init__(self, *, actor: Any = None, stdout: TextIO | None = None) -> None:
        self.actor = actor
        self.stdout = stdout
        self.changed = 0

    def sync(
        self,
        found: T | None,
        wanted: dict[str, Any],
        *,
        create: Callable[..., T],
        update: Callable[..., Any] | None = None,
        differs: bool = False,
    ) -> T:
        """Make one row match ``wanted`` and return it; count one change when anything is written.

        ``found`` is the existing row or None. A missing row is made by ``create(**wanted)``; an
        existing one gets ``update(found, **stale)`` with only the fields that differ, and only
        when some do, or when ``differs`` says something outside ``wanted`` (a set of medparter,
        a password) does.
        """
        if found is None:
            self.changed += 1
            return create(**wanted)
        stale = {key: value for key, value in wanted.items() if getattr(found, key) != value}
        if stale or differs:
            if update is None:
                raise TypeError(f"{type(found).__name__} has no update in the demo loader.")
            update(found, **stale)
            self.changed += 1
        return found


@dataclass
class ForbundDemo:
    """One förbund's demo file while it loads: the rows later steps refer to by name."""

    forbund: Forbund
    data: dict[str, Any]
    medlemmar: dict[str, Medlem] = field(default_factory=dict)
    plattformar: dict[str, Plattform] = field(default_factory=dict)
    insatser: dict[str, Insats] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    """The part of a förbund's demo file one app owns: its top-level keys, checks and loader.

    ``check(where, data)`` raises :class:`DemoDataError` on a malformed file before anything is
    written; ``load(run, demo)`` runs inside the förbund's tenant scope and the run's transaction.
    """

    name: str
    keys: frozenset[str]
    check: Callable[[str, dict[str, Any]], None]
    load: Callable[[DemoRun, ForbundDemo], None]


def parse_date(value: str | None) -> datetime.date | None:
    """An ISO date from a demo file, or None."""
    return datetime.date.fromisoformat(value) if value else None


def check_keys(keys: Iterable[str], allowed: set[str] | frozenset[str], where: str) -> None:
    """Refuse keys the loader does not know (a typo would otherwise be silently ignored)."""
    extra = sorted(set(keys) - allowed)
    if extra:
        raise DemoDataError(f"{where}: okända nycklar {', '.join(extra)}.")


def check_choice(value: Any, choices: Iterable[str], what: str, where: str) -> None:
    """Refuse a value that is not one of the model's choices."""
    if value not in set(choices):
        raise DemoDataError(f"{where}: okänd {what} {value!r}.")


def check_known(name: Any, names: set[str], what: str, where: str) -> None:
    """Refuse a reference to a name the file does not define."""
    if name not in names:
        raise DemoDataError(f"{where}: {what} {name!r} finns inte i filen.")
