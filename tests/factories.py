"""factory_boy factories. Tenant rows must be created inside tenant_scope(forbund)."""

import factory
from django.contrib.auth import get_user_model

from apps.members.models import Medlem, MedlemKind
from apps.tenancy.models import Forbund, Membership, Role


class ForbundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forbund
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Samordningsförbundet Test {n}")
    slug = factory.Sequence(lambda n: f"test-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}@example.se")
    email = factory.LazyAttribute(lambda u: u.username)
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Användare {n}")
    password = factory.django.Password("demo")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    forbund = factory.SubFactory(ForbundFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.FORBUNDSCHEF


class MedlemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Medlem

    name = factory.Sequence(lambda n: f"Kommun {n}")
    kind = MedlemKind.KOMMUN
    population = 10000
