"""The end of a web process's start-up, shared by samordning/wsgi.py and make bench."""

import gc

from django.urls import get_resolver


def settle() -> None:
    """Import every view (through the URLconf), then freeze what the process holds.

    Python's cyclic garbage collector then no longer walks those long-lived objects in each full
    collection. Without this, one request in ten to twenty on the largest pages (plan version,
    draft tertial report) took 70-90 ms more, a full collection falling inside it (make bench:
    p95 179 ms against a median of 83 ms). The frozen objects live as long as they would anyway.
    """
    get_resolver().url_patterns  # noqa: B018 (imports the URLconf and its views)
    gc.collect()
    gc.freeze()
