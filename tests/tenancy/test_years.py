from apps.tenancy.years import default_year


def test_default_year_is_this_year_when_it_has_data():
    assert default_year(2026, [2023, 2026]) == 2026


def test_default_year_is_latest_with_data_otherwise():
    assert default_year(2026, [2022, 2023]) == 2023
    assert default_year(2026, [2027]) == 2027


def test_default_year_without_data_is_this_year():
    assert default_year(2026, []) == 2026
