from tests.access import LOGIN, Case

# Leaders and reviewers read the dashboards (administrators hold every permission); agency users are refused.
DASHBOARD_READERS = {
    "anonymous": LOGIN,
    "staff_a": 403,
    "head_a": 403,
    "staff_b": 403,
    "reviewer": 200,
    "leader": 200,
    "admin": 200,
}

CASES = [
    Case("dashboards:index", DASHBOARD_READERS),
    Case("dashboards:index", DASHBOARD_READERS, query="?kind=district", id="GET dashboards:index filtered"),
    Case(
        "dashboards:csv",
        DASHBOARD_READERS,
        kwargs=lambda w: {"dataset": "headline"},
        id="GET dashboards:csv headline",
    ),
    Case(
        "dashboards:csv",
        DASHBOARD_READERS,
        kwargs=lambda w: {"dataset": "heatmap"},
        id="GET dashboards:csv heatmap",
    ),
    Case(
        "dashboards:csv",
        DASHBOARD_READERS,
        kwargs=lambda w: {"dataset": "indicator-values"},
        id="GET dashboards:csv indicator-values",
    ),
    Case(
        "dashboards:xlsx",
        DASHBOARD_READERS,
        kwargs=lambda w: {"dataset": "heatmap"},
        id="GET dashboards:xlsx heatmap",
    ),
    # Nothing on the dashboards is written: a POST is refused to everyone, whoever they are.
    Case(
        "dashboards:index",
        {
            "anonymous": 405,
            "staff_a": 405,
            "head_a": 405,
            "staff_b": 405,
            "reviewer": 405,
            "leader": 405,
            "admin": 405,
        },
        method="post",
        id="POST dashboards:index",
    ),
]
