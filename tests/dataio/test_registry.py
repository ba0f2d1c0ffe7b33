"""The dataset registry: the apps register their datasets, dataio knows none of them by name."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.dataio import registry
from apps.dataio.models import ImportJob
from apps.members.resources import MedlemResource

EXTRA = registry.DatasetSpec("extra", "Extra rader", MedlemResource, "members_edit", "plan_view", "extra")


@pytest.fixture
def extra_dataset():
    """A dataset no app offers, registered for one test the way an app's ready() would."""
    registry.register(EXTRA)
    yield EXTRA
    registry.unregister(EXTRA.key)


def test_apps_register_their_datasets_in_installed_apps_order():
    assert list(registry.DATASETS) == [
        "medlemmar",
        "insatser",
        "delmal",
        "deltagare",
        "bedomningar",
        "antal",
        "enkater",
    ]
    assert registry.get("delmal").label == "Delmål"


def test_registered_dataset_is_importable_with_its_ability(extra_dataset):
    assert extra_dataset in registry.importable({"members_edit": True})
    assert extra_dataset not in registry.importable({"plan_edit": True})


def test_a_dataset_may_name_several_abilities_of_which_one_suffices():
    counts = registry.get("antal")
    assert counts.import_ability == ("followup_edit", "participants_log")
    assert counts in registry.importable({"participants_log": True})
    assert counts in registry.importable({"followup_edit": True})
    assert counts not in registry.importable({"plan_view": True, "plan_edit": True})
    assert counts.may_export({"followup_edit": True}) and not counts.may_export({"plan_view": True})
    assert registry.get("enkater").may_import({"followup_edit": True})
    assert not registry.get("enkater").may_import({"participants_log": True})


def test_register_refuses_another_resource_under_a_taken_key():
    other = registry.DatasetSpec("medlemmar", "Medlemmar", object, "members_edit", "plan_view", "medlemmar")
    with pytest.raises(ValueError, match="already registered"):
        registry.register(other)
    assert registry.get("medlemmar").resource is MedlemResource


def test_register_refuses_a_key_longer_than_the_column():
    spec = registry.DatasetSpec("x" * 21, "Lång", MedlemResource, "members_edit", "plan_view", "lang")
    with pytest.raises(ValueError, match="longer than 20"):
        registry.register(spec)
    assert registry.get(spec.key) is None


def test_import_job_accepts_a_newly_registered_dataset_without_migration(
    forbund_a, alice, extra_dataset, in_scope
):
    with in_scope(forbund_a):
        job = ImportJob(
            forbund=forbund_a,
            dataset="extra",
            file_format="csv",
            filename="a.csv",
            content=b"x",
            sha256="0",
            created_by=alice,
        )
        job.full_clean()
    assert str(job) == "Extra rader: a.csv"


def test_import_job_refuses_an_unregistered_dataset(forbund_a, in_scope):
    with in_scope(forbund_a):
        job = ImportJob(
            forbund=forbund_a, dataset="okand", file_format="csv", filename="a.csv", content=b"x", sha256="0"
        )
        with pytest.raises(ValidationError) as error:
            job.full_clean()
    assert error.value.message_dict["dataset"] == ["Okänd datamängd."]


def test_participant_datasets_are_for_the_uploading_staff_only():
    for key in ("deltagare", "bedomningar"):
        spec = registry.get(key)
        assert (spec.import_ability, spec.export_ability, spec.uploader_only) == (
            "participants_log",
            "participants_log",
            True,
        )
    assert not registry.get("medlemmar").uploader_only
