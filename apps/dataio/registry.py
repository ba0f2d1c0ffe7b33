"""The datasets that can be imported and exported, their resources and who may use them."""

from __future__ import annotations

from dataclasses import dataclass

from apps.goals.resources import DelmalResource
from apps.insatser.resources import InsatsResource
from apps.members.resources import MedlemResource

from .models import DatasetKind


@dataclass(frozen=True)
class DatasetSpec:
    key: str
    label: str
    resource: type
    import_ability: str
    export_ability: str
    filename: str


DATASETS: dict[str, DatasetSpec] = {
    DatasetKind.MEDLEMMAR: DatasetSpec(
        DatasetKind.MEDLEMMAR, "Medlemmar", MedlemResource, "members_edit", "plan_view", "medlemmar"
    ),
    DatasetKind.INSATSER: DatasetSpec(
        DatasetKind.INSATSER, "Insatser med årsrader", InsatsResource, "plan_edit", "plan_view", "insatser"
    ),
    DatasetKind.DELMAL: DatasetSpec(
        DatasetKind.DELMAL, "Delmål", DelmalResource, "plan_edit", "plan_view", "delmal"
    ),
}


def importable(abilities: dict) -> list[DatasetSpec]:
    """The datasets a user with these abilities may import."""
    return [spec for spec in DATASETS.values() if abilities.get(spec.import_ability)]
