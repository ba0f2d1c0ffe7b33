"""plan_pdf: the same PDF from the command line, adopted version first."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader


def test_plan_pdf_writes_adopted_version(adopted, tmp_path):
    out = tmp_path / "plan.pdf"
    stdout = io.StringIO()
    call_command("plan_pdf", "alfa", "2026", "-o", str(out), stdout=stdout)
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert "2025-11-30" in reader.pages[0].extract_text()
    assert "fastställd" in stdout.getvalue()


def test_plan_pdf_unknown_year_is_an_error(docs, tmp_path):
    with pytest.raises(CommandError, match="ingen verksamhetsplan för 2031"):
        call_command("plan_pdf", "alfa", "2031", "-o", str(tmp_path / "x.pdf"))
