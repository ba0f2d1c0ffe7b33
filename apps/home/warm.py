"""What the start page reads most, computed after the förbund's data changes
(``apps.tenancy.datacache``, "Warming"): the förbundschef's and kansli's overview (the current
report's progress and the participants so far)."""

from __future__ import annotations

from django.utils import timezone

from apps.tenancy import datacache
from apps.tenancy.models import Forbund

from .selectors import editor_overview


@datacache.warmer("home-editor-overview")
def warm_editor_overview(forbund: Forbund) -> None:
    editor_overview(forbund=forbund, today=timezone.localdate())
