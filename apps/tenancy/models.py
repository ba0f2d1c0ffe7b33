"""Förbund (the tenants), memberships with roles, invitations, and the tenant base model."""

from __future__ import annotations

import uuid

import pghistory
from django.conf import settings
from django.db import models
from django.utils import timezone

from .managers import TenantManager


def audited(*, exclude: list[str] | None = None):
    """A fresh pghistory tracker for insert, update and delete (bulk writes included).

    ``exclude`` keeps bulky fields (uploaded file bytes) out of the history tables.
    """
    return pghistory.track(
        pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), exclude=exclude
    )


class Role(models.TextChoices):
    FORBUNDSCHEF = "forbundschef", "Förbundschef"
    KANSLI = "kansli", "Kansli"
    STYRELSE = "styrelse", "Styrelse"
    PLATTFORM = "plattform", "Plattformspersonal"
    REVISOR = "revisor", "Revisor"


@audited()
class Forbund(models.Model):
    """A samordningsförbund: the tenant. Not tenant-owned itself."""

    name = models.CharField("namn", max_length=200, unique=True)
    slug = models.SlugField("kortnamn", max_length=50, unique=True)
    org_nr = models.CharField("organisationsnummer", max_length=11, blank=True)
    is_active = models.BooleanField("aktivt", default=True)
    require_plan_before_grant = models.BooleanField(
        "Kräver genomförandeplan och riskanalys före beviljande", default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "samordningsförbund"
        verbose_name_plural = "samordningsförbund"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TenantModel(models.Model):
    """Base of every tenant-owned model: förbund, timestamps and a UUID for URLs."""

    forbund = models.ForeignKey(Forbund, on_delete=models.PROTECT, related_name="+", verbose_name="förbund")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField("skapad", auto_now_add=True)
    updated_at = models.DateTimeField("ändrad", auto_now=True)

    objects = TenantManager()

    class Meta:
        abstract = True


@audited()
class Membership(TenantModel):
    """A user's role in one förbund. A user may belong to several förbund."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("roll", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "medlemskap"
        verbose_name_plural = "medlemskap"
        constraints = [models.UniqueConstraint(fields=["forbund", "user"], name="membership_unique_user")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} i {self.forbund_id}"


@audited()
class Invitation(TenantModel):
    """A one-time invitation to join a förbund with a role; the token is stored hashed."""

    email = models.EmailField("e-postadress")
    role = models.CharField("roll", max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    expires_at = models.DateTimeField("giltig till")
    accepted_at = models.DateTimeField("accepterad", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "inbjudan"
        verbose_name_plural = "inbjudningar"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Inbjudan för {self.email}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class DataVersion(models.Model):
    """The version of a förbund's data: a new random token whenever any of its rows is written.

    Database triggers on every tenant table set it (``walls.install_data_version_triggers``, after
    every migrate, found from the catalog like row-level security), so every write path changes it:
    services, imports, the admin, retention, bulk SQL. Figures and content computed from a
    förbund's rows are cached under it (``apps.tenancy.datacache``); the app never writes it.

    Not a TenantModel: it has no history of its own (a new token per write would be noise).
    """

    forbund = models.OneToOneField(Forbund, on_delete=models.CASCADE, primary_key=True, related_name="+")
    token = models.UUIDField()

    class Meta:
        verbose_name = "förbundets dataversion"
        verbose_name_plural = "förbundens dataversioner"

    def __str__(self) -> str:
        return f"{self.forbund_id}: {self.token}"
