"""Template hygiene that Django would otherwise render as visible text."""

import re
from pathlib import Path

from django.conf import settings

# A {# ... #} comment must end on the line it starts on; otherwise Django prints it.
MULTILINE_COMMENT = re.compile(r"\{#(?:(?!#\}).)*\n")


def test_no_template_has_a_multiline_short_comment():
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if MULTILINE_COMMENT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
