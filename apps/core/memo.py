"""Per-process memory of rendered output (HTML, charts) that is expensive to make and never stale.

A ``ProcessMemo`` holds values under keys that name everything the value depends on (the
förbund always among them, so nothing is shared across förbund): a changed input is a new key,
so an entry is never stale, only unused. It is bounded (by count, or by total size with
``sizeof``), the least recently used entries go first, and it is safe for threaded servers. It
lives in the process, so a deploy with new templates starts empty. Figures that change with the
data are cached across processes instead (``apps.tenancy.datacache``, keyed by a data version).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Hashable, Iterator
from typing import Any, Generic, TypeVar

from cachetools import LRUCache

V = TypeVar("V")


class ProcessMemo(Generic[V]):
    """A bounded, thread-safe, least-recently-used map (cachetools.LRUCache under a lock)."""

    def __init__(self, maxsize: int, *, sizeof: Callable[[V], int] | None = None) -> None:
        self._entries: LRUCache[Hashable, V] = LRUCache(maxsize, getsizeof=sizeof)
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            return self._entries.get(key)

    def put(self, key: Hashable, value: V) -> None:
        """Keep ``value``; one larger than the whole memo is not kept."""
        with self._lock, contextlib.suppress(ValueError):  # ValueError: larger than maxsize
            self._entries[key] = value

    def get_or_make(self, key: Hashable, make: Callable[[], V | None]) -> V | None:
        """The value kept under ``key``, else ``make()`` kept there (None is never kept)."""
        value = self.get(key)
        if value is None:
            value = make()
            if value is not None:
                self.put(key, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def keys(self) -> list[Any]:
        with self._lock:
            return list(self._entries.keys())

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.keys())
