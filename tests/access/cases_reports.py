from tests.access import LOGIN, Case

# Agency A's report: its members write it; reviewers, leaders and administrators read it; agency B gets 404.
READ_A = {"anonymous": LOGIN, "staff_a": 200, "head_a": 200, "staff_b": 404, "reviewer": 200, "leader": 200, "admin": 200}

CASES = [
    Case(
        "reports:index",
        {"anonymous": LOGIN, "staff_a": 200, "head_a": 200, "staff_b": 200, "reviewer": 200, "leader": 200, "admin": 200},
    ),
    Case("reports:detail", READ_A, kwargs=lambda w: {"pk": w.report_a.pk}),
]
