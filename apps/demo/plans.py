"""Demo step for apps.plans: one complete verksamhetsplan per demo förbund for its seed year.

Each plan lives in ``fixtures/demo/plans/<slug>.md``: a header of ``key: value`` lines (year,
status, adopted_on, decision_paragraph, signature_mode, seed, note), a line ``---``, then the sections in
order, each starting with ``=== <title>``; a title starting ``Bilaga: `` is an appendix (bilaga),
printed after the signature page and numbered there. A narrative section's Markdown follows its
title (a bilaga's tables as GFM tables); a data section has the single line ``data: <key>``.
The narrative is our own summary of the seed (figures kept, sentences rewritten); person names
never appear.

:func:`load_demo_plans` writes through the services and is idempotent: a version found by
förbund, year and number 1 whose sections already match is not touched, and a fastställd
version is never touched. A plan is adopted only when every data key it shows is registered,
so a version is never frozen with "Uppgifter saknas"; until then it stays på remiss.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.db import transaction

from apps.plans import datasections, services
from apps.plans.models import Plan, PlanSection, PlanVersion, SignatureMode, VersionStatus
from apps.tenancy.models import Forbund
from apps.tenancy.scope import tenant_scope

from .base import DemoRun

PLANS_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo" / "plans"
SECTION_MARK = "=== "
APPENDIX_PREFIX = "Bilaga: "
DATA_PREFIX = "data: "
STATUSES = {VersionStatus.UTKAST, VersionStatus.PA_REMISS, VersionStatus.FASTSTALLD}


@dataclass
class DemoPlan:
    """One parsed demo plan file."""

    slug: str
    year: int
    status: str
    adopted_on: datetime.date | None
    decision_paragraph: str
    note: str
    signature_mode: str = SignatureMode.LEDAMOTER
    # (title, data_key, markdown, is_appendix)
    sections: list[tuple[str, str, str, bool]] = field(default_factory=list)


def parse_plan_file(path: Path) -> DemoPlan:
    """Read one ``<slug>.md`` plan file; raise ValueError on a malformed file."""
    text = path.read_text(encoding="utf-8")
    header, sep, body = text.partition("\n---\n")
    if not sep:
        raise ValueError(f"{path.name}: raden --- saknas.")
    meta: dict[str, str] = {}
    for line in header.splitlines():
        key, _, value = line.partition(":")
        meta[key.strip()] = value.strip()
    status = meta.get("status", VersionStatus.UTKAST)
    if status not in STATUSES:
        raise ValueError(f"{path.name}: okänd status {status!r}.")
    adopted = meta.get("adopted_on") or ""
    plan = DemoPlan(
        slug=path.stem,
        year=int(meta["year"]),
        status=status,
        adopted_on=datetime.date.fromisoformat(adopted) if adopted else None,
        decision_paragraph=meta.get("decision_paragraph", ""),
        note=meta.get("note", ""),
        signature_mode=meta.get("signature_mode") or SignatureMode.LEDAMOTER,
    )
    if plan.signature_mode not in SignatureMode.values:
        raise ValueError(f"{path.name}: okänt sätt att skriva under {plan.signature_mode!r}.")
    if plan.status == VersionStatus.FASTSTALLD and plan.adopted_on is None:
        raise ValueError(f"{path.name}: en fastställd plan behöver adopted_on.")
    chunks = ("\n" + body).split("\n" + SECTION_MARK)[1:]
    for chunk in chunks:
        title, _, rest = chunk.partition("\n")
        title, rest = title.strip(), rest.strip()
        # The document numbers bilagor itself ("Bilaga 1, 2 …"), so the file gives no number.
        is_appendix = title.startswith(APPENDIX_PREFIX)
        if is_appendix:
            title = title[len(APPENDIX_PREFIX) :].strip()
        if rest.startswith(DATA_PREFIX) and "\n" not in rest:
            plan.sections.append((title, rest[len(DATA_PREFIX) :].strip(), "", is_appendix))
        else:
            plan.sections.append((title, "", rest + "\n", is_appendix))
    if not plan.sections:
        raise ValueError(f"{path.name}: inga avsnitt.")
    return plan


def read_plan_files(directory: Path | None = None) -> list[DemoPlan]:
    """Every demo plan file in the folder, in file-name order."""
    return [parse_plan_file(path) for path in sorted((directory or PLANS_DIR).glob("*.md"))]


def _current_sections(version: PlanVersion) -> list[tuple[str, str, str, bool]]:
    return [
        (s.title, s.data_key, s.body_markdown, s.is_appendix)
        for s in PlanSection.objects.filter(version=version).order_by("position", "id")
    ]


def _load_one(run: DemoRun, forbund: Forbund, spec: DemoPlan) -> str:
    """Bring one förbund's plan to the file's content and status; return the status to show."""
    actor = run.actor
    plan = run.sync(
        Plan.objects.filter(forbund=forbund, year=spec.year).first(),
        {},
        create=partial(services.plan_create, forbund=forbund, actor=actor, year=spec.year),
    )
    version = PlanVersion.objects.filter(forbund=forbund, plan=plan, number=1).first()
    if version is None or version.status == VersionStatus.FASTSTALLD:
        # A fastställd version never changes; a plan without version 1 is not ours to rebuild.
        return version.get_status_display() if version else "saknar version 1"
    if _current_sections(version) != spec.sections:
        for section in PlanSection.objects.filter(version=version):
            services.section_delete(forbund=section.forbund, section=section, actor=actor)
        for title, data_key, markdown, is_appendix in spec.sections:
            services.section_create(
                forbund=version.forbund,
                version=version,
                actor=actor,
                title=title,
                data_key=data_key,
                body_markdown=markdown,
                is_appendix=is_appendix,
            )
        run.changed += 1
    if version.signature_mode != spec.signature_mode:
        services.version_set_signatures(
            forbund=version.forbund, version=version, actor=actor, signature_mode=spec.signature_mode
        )
        run.changed += 1
    wanted = spec.status
    if wanted != VersionStatus.UTKAST and version.status == VersionStatus.UTKAST:
        services.version_send_to_remiss(forbund=version.forbund, version=version, actor=actor)
        run.changed += 1
    if wanted == VersionStatus.FASTSTALLD:
        missing = sorted({key for _, key, *_ in spec.sections if key and datasections.get(key) is None})
        if missing:
            return f"på remiss (fastställs när {', '.join(missing)} finns)"
        services.version_adopt(
            forbund=version.forbund,
            version=version,
            actor=actor,
            adopted_on=spec.adopted_on,
            decision_paragraph=spec.decision_paragraph,
        )
        run.changed += 1
    return version.get_status_display()


def load_step(run: DemoRun, directory: Path | None = None) -> None:
    """Load every demo plan whose förbund exists, counting into ``run``."""
    with transaction.atomic():
        for spec in read_plan_files(directory):
            forbund = Forbund.objects.filter(slug=spec.slug).first()
            if forbund is None:
                continue
            with tenant_scope(forbund):
                status = _load_one(run, forbund, spec)
            if run.stdout is not None:
                run.stdout.write(
                    f"  Verksamhetsplan {spec.year} för {forbund.name}: "
                    f"{len(spec.sections)} avsnitt, {status}.\n"
                )


def load_demo_plans(*, actor, stdout: TextIO | None = None, directory: Path | None = None) -> int:
    """Load every demo plan whose förbund exists; return how many rows or states changed."""
    run = DemoRun(actor=actor, stdout=stdout)
    load_step(run, directory)
    return run.changed
