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

# Password reset by e-mail: open to everyone (a signed-in user may also ask for a link).
CASES += [
    Case("password_reset", {"anonymous": 200, **EVERYONE_IN}),
    Case("password_reset_done", {"anonymous": 200, **EVERYONE_IN}),
    Case(
        "password_reset_confirm",
        {"anonymous": 200, **EVERYONE_IN},
        kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"},
        id="GET password_reset_confirm with a link that is not valid",
    ),
    Case("password_reset_complete", {"anonymous": 200, **EVERYONE_IN}),
]
