"""Factories for målområden and delmål. Create rows inside tenant_scope(forbund)."""

import factory

from apps.goals.models import DataSource, Delmal, Malomrade, Tidpunkt


class MalomradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Malomrade

    year = 2023
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Målområde {n + 1}")


class DelmalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delmal

    malomrade = factory.SubFactory(MalomradeFactory)
    forbund = factory.SelfAttribute("malomrade.forbund")
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Antal individer som får stöd ska öka ({n})")
    indicator = "Antal deltagare enligt SUS"
    tidpunkt = Tidpunkt.TERTIAL
    data_source = DataSource.DELTAGARDATA
    responsible = "Förbundschef"
