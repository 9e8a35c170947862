from tests.dashboards.fixtures import hand_in, head_of, last_year, return_report  # noqa: F401
