"""Demo step for apps.tenancy: the förbund, the platform administrator and one account per role.

Every account has the password ``demo``: the accounts are the demo's own rows (no service
writes users with a known password), so :func:`_account_save` is their one write.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib.auth import get_user_model

from apps.tenancy.models import Forbund, Membership, Role
from apps.tenancy.services import forbund_create, forbund_update, membership_set

from .base import DemoDataError, DemoRun, ForbundDemo, Step, check_keys

User = get_user_model()

DEMO_PASSWORD = "demo"
EMAIL_DOMAIN = "example.se"

# The platform administrator belongs to no förbund, so it is not in a förbund's file.
ADMIN = {
    "username": "admin",
    "email": f"admin@samordning.{EMAIL_DOMAIN}",
    "first_name": "Olof",
    "last_name": "Svedberg",
}

FORBUND_KEYS = {"name", "slug", "org_nr"}
USER_KEYS = {"role", "first_name", "last_name", "username", "email"}


def user_spec(slug: str, user: dict[str, Any]) -> dict[str, str]:
    """Username, e-mail and names of a demo account; ``<role>@<slug>`` unless given."""
    username = user.get("username") or f"{user['role']}@{slug}"
    local, _, domain = username.partition("@")
    return {
        "username": username,
        "email": user.get("email") or f"{local}@{domain}.{EMAIL_DOMAIN}",
        "first_name": user["first_name"],
        "last_name": user["last_name"],
    }


def check_users(where: str, data: dict[str, Any]) -> None:
    """Check the accounts' keys and roles."""
    for user in data["users"]:
        check_keys(user, USER_KEYS, f"{where} konto")
        if user["role"] not in Role.values:
            raise DemoDataError(f"{where}: okänd roll {user['role']!r}.")


def check_users_agree(files: list[dict[str, Any]]) -> None:
    """An account listed in several förbund must be described the same way in each."""
    seen: dict[str, dict[str, str]] = {ADMIN["username"]: ADMIN}
    for data in files:
        for user in data["users"]:
            spec = user_spec(data["forbund"]["slug"], user)
            if seen.setdefault(spec["username"], spec) != spec:
                raise DemoDataError(f"Kontot {spec['username']} beskrivs olika i olika demofiler.")


def usernames(files: list[dict[str, Any]]) -> set[str]:
    """Every demo account's username, the platform administrator's included."""
    names = {ADMIN["username"]}
    for data in files:
        names.update(user_spec(data["forbund"]["slug"], user)["username"] for user in data["users"])
    return names


def _account_save(user, **fields) -> Any:
    """Set the account's fields and the password ``demo`` (unless it already is) and save it."""
    for key, value in fields.items():
        setattr(user, key, value)
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def account(run: DemoRun, spec: dict[str, str], *, superuser: bool = False) -> Any:
    """Bring one account to its spec with the password ``demo``."""
    found = User.objects.filter(username=spec["username"]).first()
    return run.sync(
        found,
        {
            "email": spec["email"],
            "first_name": spec["first_name"],
            "last_name": spec["last_name"],
            "is_staff": superuser,
            "is_superuser": superuser,
            "is_active": True,
        },
        create=lambda **fields: _account_save(User(username=spec["username"]), **fields),
        update=_account_save,
        differs=found is not None and not found.check_password(DEMO_PASSWORD),
    )


def forbund(run: DemoRun, spec: dict[str, Any]) -> Forbund:
    """Bring the förbund (found by slug) to the file's name and organisation number."""
    return run.sync(
        Forbund.objects.filter(slug=spec["slug"]).first(),
        {"name": spec["name"], "org_nr": spec.get("org_nr", "")},
        create=partial(forbund_create, actor=run.actor, slug=spec["slug"]),
        update=lambda found, **stale: forbund_update(forbund=found, actor=run.actor, **stale),
    )


def load_users(run: DemoRun, demo: ForbundDemo) -> None:
    """Each account of the file, with its role in the förbund."""
    for user in demo.data["users"]:
        _membership(run, demo.forbund, account(run, user_spec(demo.forbund.slug, user)), user["role"])


def _membership(run: DemoRun, forbund: Forbund, person: Any, role: str) -> None:
    set_role = partial(membership_set, forbund=forbund, actor=run.actor, user=person)
    run.sync(
        Membership.objects.filter(forbund=forbund, user=person).first(),
        {"role": role},
        create=set_role,
        update=lambda _membership, **stale: set_role(**stale),
    )


USERS = Step("konton", frozenset({"users"}), check_users, load_users)
