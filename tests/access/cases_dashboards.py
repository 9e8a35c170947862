from tests.access import LOGIN, Case

CASES = [
    Case(
        "dashboards:index",
        {"anonymous": LOGIN, "staff_a": 403, "head_a": 403, "staff_b": 403, "reviewer": 200, "leader": 200, "admin": 200},
    ),
]
