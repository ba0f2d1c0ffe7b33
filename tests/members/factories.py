"""factory_boy factories for the members app. Create rows inside tenant_scope(forbund)."""

import datetime

import factory

from apps.members.models import Organ, OrganKind, OrganMedlem, SeatKind, Styrelseledamot, Styrelsemote
from tests.factories import MedlemFactory


class StyrelseledamotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Styrelseledamot

    forbund = factory.LazyAttribute(lambda o: o.medlem.forbund)
    medlem = factory.SubFactory(MedlemFactory)
    person_name = factory.Sequence(lambda n: f"Person {n}")
    seat = SeatKind.LEDAMOT
    mandate_start = datetime.date(2023, 1, 1)
    mandate_end = datetime.date(2099, 12, 31)


class OrganFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organ

    name = factory.Sequence(lambda n: f"Organ {n}")
    kind = OrganKind.LOKSAM
    meetings_per_year = 6


class OrganMedlemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganMedlem

    forbund = factory.LazyAttribute(lambda o: o.organ.forbund)
    organ = factory.SubFactory(OrganFactory)
    person_name = factory.Sequence(lambda n: f"Organperson {n}")


class StyrelsemoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Styrelsemote

    year = 2025
    month = factory.Sequence(lambda n: n % 12 + 1)
    items = "Tertialrapport T1\nBeslut om årsredovisning 2024"
