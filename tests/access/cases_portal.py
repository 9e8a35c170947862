from tests.access import LOGIN, Case

EVERYONE_IN = {"staff_a": 200, "head_a": 200, "staff_b": 200, "reviewer": 200, "leader": 200, "admin": 200}

CASES = [
    Case("home", {"anonymous": LOGIN, **EVERYONE_IN}),
    Case("healthz", {"anonymous": 200, **EVERYONE_IN}),
    Case("login", {"anonymous": 200, **{role: 302 for role in EVERYONE_IN}}),
    Case("logout", {"anonymous": 302, **{role: 302 for role in EVERYONE_IN}}, method="post"),
    Case("password_change", {"anonymous": LOGIN, **EVERYONE_IN}),
    Case("password_change_done", {"anonymous": LOGIN, **EVERYONE_IN}),
    Case(
        "set_language",
        {"anonymous": 302, **{role: 302 for role in EVERYONE_IN}},
        method="post",
        data=lambda w: {"language": "en", "next": "/"},
    ),
]
