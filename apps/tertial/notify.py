"""E-mail about tertial reports: a draft is ready (förbundschef, kansli), a report is sent (styrelse).

Sent after the transaction commits; a mail server that refuses is logged, never an error for
the person (or the beat task) who made the change.
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse

from apps.tenancy.models import Membership, Role
from apps.tenancy.scope import tenant_scope

from .models import ReportVersion, TertialReport

logger = logging.getLogger(__name__)


def recipients(*, forbund, roles: tuple[str, ...]) -> list[str]:
    """The e-mail addresses of the förbund's members with any of ``roles`` (one query)."""
    with tenant_scope(forbund):
        emails = (
            Membership.objects.filter(forbund=forbund, role__in=roles)
            .exclude(user__email="")
            .order_by("user__email")
            .values_list("user__email", flat=True)
        )
        return list(dict.fromkeys(emails))


def _link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _send(subject: str, body: str, to: list[str], forbund) -> int:
    if not to:
        return 0
    # One message per recipient: board members do not see each other's addresses.
    try:
        return send_mass_mail([(subject, body, None, [address]) for address in to])
    except (OSError, smtplib.SMTPException):
        logger.exception("Tertial report e-mail in förbund %s could not be sent", forbund.slug)
        return 0


def draft_created(*, report: TertialReport) -> int:
    """Tell the förbundschef and the kansli that the period's draft is ready."""
    forbund = report.forbund
    context = {
        "forbund": forbund,
        "report": report,
        "link": _link("tertial:report_detail", forbund.slug, report.public_id),
    }
    return _send(
        f"Tertialrapport {report.name} {report.year} är skapad – {forbund.name}",
        render_to_string("tertial/email/draft_created.txt", context),
        recipients(forbund=forbund, roles=(Role.FORBUNDSCHEF, Role.KANSLI)),
        forbund,
    )


def report_sent(*, version: ReportVersion) -> int:
    """Tell the board members that a report waits for them."""
    report = version.report
    forbund = report.forbund
    context = {
        "forbund": forbund,
        "report": report,
        "version": version,
        "link": _link("tertial:report_detail", forbund.slug, report.public_id),
    }
    return _send(
        f"Tertialrapport {report.name} {report.year} till styrelsen – {forbund.name}",
        render_to_string("tertial/email/report_sent.txt", context),
        recipients(forbund=forbund, roles=(Role.STYRELSE,)),
        forbund,
    )
