"""The demo loader's steps, in the order they run: the one place to add demo data for an app.

A step per förbund (:class:`~apps.demo.base.Step`) owns some top-level keys of
``fixtures/demo/<slug>.json``, checks them before anything is written and loads them through
its app's services inside the förbund's tenant scope. A final step runs once after every
förbund is loaded, for data kept in files of its own (the plan documents in Markdown).

To add demo data for an app: write ``apps/demo/<app>.py`` with ``check`` and ``load`` using
:meth:`~apps.demo.base.DemoRun.sync` for every row, and list its ``Step`` in
:data:`CONTENT_STEPS` (or a function ``(run) -> None`` in :data:`FINAL_STEPS`) after the steps
whose rows it refers to. A test in ``tests/demo/`` then proves that a second load writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from . import accounts, budgets, followup, goals, insatser, members, plans, tertial
from .base import DemoRun, Step

# Always loaded: the members and the accounts (``load_demo(plan=False)`` stops here).
BASE_STEPS: list[Step] = [members.MEDLEMMAR, accounts.USERS]

# The plan content: later steps refer to rows of earlier ones (a delmål to its insats).
CONTENT_STEPS: list[Step] = [insatser.STEP, goals.STEP, members.BOARD, budgets.STEP, followup.STEP]

FORBUND_STEPS: list[Step] = [*BASE_STEPS, *CONTENT_STEPS]

# After every förbund, with the plan content: the verksamhetsplaner from fixtures/demo/plans/.
# Then the demo utfall and tertial reports (they read the plan year's goals and budget).
FINAL_STEPS: list[Callable[[DemoRun], None]] = [plans.load_step, tertial.load_step]
