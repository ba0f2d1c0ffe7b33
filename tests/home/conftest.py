"""The tertial fixtures (a 2026 plan, economy and goals in A and in the noise B) for the home pages."""

from tests.tertial.conftest import (  # noqa: F401
    media_root,
    petra,
    report_a,
    sent_a,
    world,
)
