"""Delmål as real plans write them: optional timing and source, more sources, range and text targets."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.goals import services
from apps.goals.models import Comparator, DataSource, TargetUnit


def _create(malomrade, **fields):
    return services.delmal_create(
        forbund=malomrade.forbund, malomrade=malomrade, actor=None, text="Träffar per år", **fields
    )


def test_delmal_without_tidpunkt_and_data_source_is_saved(goals, forbund_a, in_scope):
    with in_scope(forbund_a):
        delmal = _create(goals["alfa"]["malomrade"])
        delmal.refresh_from_db()
    assert (delmal.tidpunkt, delmal.data_source) == ("", "")


def test_delmal_data_sources_include_sus_finsam_nns_own_survey_and_other():
    labels = dict(DataSource.choices)
    assert {"SUS", "Uppföljning Finsam", "NNS indikatorer", "Egen enkät", "Annat"} <= set(labels.values())


def test_delmal_with_sus_as_data_source_is_saved(goals, forbund_a, in_scope):
    with in_scope(forbund_a):
        delmal = _create(goals["alfa"]["malomrade"], data_source=DataSource.SUS)
    assert delmal.get_data_source_display() == "SUS"


def test_delmal_range_target_reads_four_to_five_times_a_year(goals, forbund_a, in_scope):
    with in_scope(forbund_a):
        delmal = _create(
            goals["alfa"]["malomrade"],
            target_comparator=Comparator.INTERVALL,
            target_value=Decimal("4"),
            target_value_max=Decimal("5"),
            target_unit=TargetUnit.ANNAT,
            target_unit_text="gånger per år",
        )
    assert delmal.target_display == "4–5 gånger per år"


def test_delmal_range_with_max_below_min_is_refused(goals, forbund_a, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError) as error:
        _create(
            goals["alfa"]["malomrade"],
            target_comparator=Comparator.INTERVALL,
            target_value=Decimal("5"),
            target_value_max=Decimal("4"),
            target_unit=TargetUnit.ANTAL,
        )
    assert error.value.message_dict["target_value_max"] == [
        "Det högsta värdet kan inte vara lägre än det lägsta."
    ]


def test_delmal_text_target_is_shown_as_written(goals, forbund_a, in_scope):
    with in_scope(forbund_a):
        delmal = _create(
            goals["alfa"]["malomrade"],
            target_comparator=Comparator.TEXT,
            target_text="Kostnaderna ska inte överstiga budgetramen",
        )
    assert delmal.target_display == "Kostnaderna ska inte överstiga budgetramen"


def test_delmal_text_target_without_text_is_refused(goals, forbund_a, in_scope):
    with in_scope(forbund_a), pytest.raises(ValidationError) as error:
        _create(goals["alfa"]["malomrade"], target_comparator=Comparator.TEXT)
    assert "target_text" in error.value.message_dict


def test_delmal_number_target_still_reads_minst(goals, forbund_a, in_scope):
    with in_scope(forbund_a):
        delmal = _create(
            goals["alfa"]["malomrade"],
            target_comparator=Comparator.MINST,
            target_value=Decimal("70"),
            target_unit=TargetUnit.PERCENT,
        )
    assert delmal.target_display == "minst 70 %"


def test_goals_year_picker_lists_years_with_data_and_takes_any_year(client_for, alice, goals):
    client = client_for(alice)
    page = client.get("/f/alfa/mal/2023/").content.decode()
    assert 'type="number"' in page and 'list="ar-med-uppgifter"' in page
    assert '<option value="2023">' in page
    response = client.get("/f/alfa/mal/?ar=2031")
    assert response.status_code == 302 and response["Location"].endswith("/mal/2031/")
