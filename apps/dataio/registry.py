"""The datasets that can be imported and exported: each app registers its own from its ready().

dataio never imports the apps whose data it moves. An app that offers a dataset registers it
from its ``AppConfig.ready()``::

    from apps.dataio.registry import DatasetSpec, register
    from .resources import MedlemResource

    register(DatasetSpec("medlemmar", "Medlemmar", MedlemResource, "members_edit", "plan_view", "medlemmar"))

The key is what ``ImportJob.dataset`` stores; adding a dataset needs no enum and no migration.
An ability may also be several, of which any one suffices (monthly counts are entered by the
förbund's editors and by plattformspersonal alike). ``description`` and ``columns`` (column,
what it holds) are shown on the import page for a file layout that is not simply the export's.
The pages list the datasets in registration order, that is the order of ``INSTALLED_APPS``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DatasetSpec:
    """One importable and exportable dataset: its resource and the abilities it needs."""

    key: str
    label: str
    resource: type
    import_ability: str | tuple[str, ...]
    export_ability: str | tuple[str, ...]
    filename: str
    # Rows about people (participants): an uploaded file is seen only by the user who uploaded
    # it, and the resource is given that user, so it exports and imports only what they may see.
    uploader_only: bool = False
    # Help on the import page: what the file holds and its columns as (column, explanation).
    description: str = ""
    columns: tuple[tuple[str, str], ...] = ()

    def may_import(self, abilities: dict) -> bool:
        """Whether a user with these abilities may import the dataset."""
        return _allows(abilities, self.import_ability)

    def may_export(self, abilities: dict) -> bool:
        """Whether a user with these abilities may export the dataset."""
        return _allows(abilities, self.export_ability)


def _allows(abilities: dict, ability: str | tuple[str, ...]) -> bool:
    needed = (ability,) if isinstance(ability, str) else ability
    return any(abilities.get(name) for name in needed)


# key -> spec, filled by register() from the apps' ready(); read it, never write it directly.
DATASETS: dict[str, DatasetSpec] = {}

KEY_MAX_LENGTH = 20


def register(spec: DatasetSpec) -> None:
    """Offer a dataset for import and export (call from the owning app's ``AppConfig.ready()``)."""
    if len(spec.key) > KEY_MAX_LENGTH:
        raise ValueError(f"Dataset key {spec.key!r} is longer than {KEY_MAX_LENGTH} characters.")
    existing = DATASETS.get(spec.key)
    if existing is not None and existing != spec:
        raise ValueError(f"Dataset {spec.key!r} is already registered with another resource.")
    DATASETS[spec.key] = spec


def unregister(key: str) -> None:
    """Remove a dataset (for tests)."""
    DATASETS.pop(key, None)


def get(key: str) -> DatasetSpec | None:
    """The registered dataset, or None."""
    return DATASETS.get(key)


def importable(abilities: dict) -> list[DatasetSpec]:
    """The datasets a user with these abilities may import."""
    return [spec for spec in DATASETS.values() if spec.may_import(abilities)]
