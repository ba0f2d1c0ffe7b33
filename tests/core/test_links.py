"""apps.core.links.row_url: one reverse() per page, the row's public id put in."""

from __future__ import annotations

import uuid

from django.urls import reverse

from apps.core.links import row_url


def test_row_url_gives_what_reverse_gives_for_each_row():
    insats, deltagare = uuid.uuid4(), uuid.uuid4()
    edit = row_url("followup:deltagare_edit", "alfa", insats)
    assert edit(deltagare) == reverse("followup:deltagare_edit", args=["alfa", insats, deltagare])
    detail = row_url("insatser:insats_detail", "alfa")
    assert detail(insats) == reverse("insatser:insats_detail", args=["alfa", insats])
