"""The demo förbund files: ``fixtures/demo/<slug>.json``, one per förbund, read and checked.

A file has the top-level keys ``source`` (which plan the figures come from) and ``forbund``
(name, slug, org_nr), and the keys of each loader step in :mod:`apps.demo.steps`:
``medlemmar``, ``users``, ``plattformar``, ``insatser`` (with their ``years``), ``malomraden``
(with their ``delmal``), ``styrelse``, ``organ``, ``arsplanering`` and ``budget``. Person names
in the board and the bodies are invented; the seeds' real names never appear in the files.
Every file is checked before anything is written; the services validate the values again.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings

from . import accounts
from .base import DemoDataError, Step, check_keys
from .steps import FORBUND_STEPS

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
FILE_KEYS = frozenset({"source", "forbund"})


def read_demo_files(directory: Path | None = None, steps: list[Step] | None = None) -> list[dict[str, Any]]:
    """Read and check every ``<slug>.json`` in the demo folder, in file-name order."""
    steps = FORBUND_STEPS if steps is None else steps
    directory = directory or DEMO_DIR
    paths = sorted(directory.glob("*.json"))
    if not paths:
        raise DemoDataError(f"Inga demofiler i {directory}.")
    files = []
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle, parse_float=Decimal)
        check_file(path, data, steps)
        files.append(data)
    accounts.check_users_agree(files)
    return files


def check_file(path: Path, data: dict[str, Any], steps: list[Step]) -> None:
    """Validate one file's shape: its keys, its förbund, then each step's part."""
    where = path.name
    check_keys(data, FILE_KEYS.union(*(step.keys for step in steps)), where)
    check_keys(data["forbund"], accounts.FORBUND_KEYS, f"{where} forbund")
    if data["forbund"]["slug"] != path.stem:
        raise DemoDataError(f"{where}: kortnamnet {data['forbund']['slug']!r} ska vara filens namn.")
    for step in steps:
        step.check(where, data)
