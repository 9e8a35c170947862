"""The permission matrix: one table of cases per app, all run by tests/test_permissions.py.

Each module `cases_<app>.py` here defines `CASES`, a list of `Case`. A case names a URL, how to build its
arguments from the `world` fixture, the HTTP method, and the status each role must get. Every URL of the portal
must appear in some case: tests/test_permissions.py fails when one is missing.

Roles: anonymous, staff_a and head_a (agency A, the owner of report_a), staff_b (agency B), reviewer, leader, admin.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("anonymous", "staff_a", "head_a", "staff_b", "reviewer", "leader", "admin")
LOGIN = 302  # anonymous users are sent to the login page


@dataclass(frozen=True)
class Case:
    url_name: str
    expect: dict[str, int | tuple[int, ...]]
    kwargs: Callable | None = None  # world -> dict of URL arguments
    method: str = "get"
    data: Callable | None = None  # world -> POST data
    query: str = ""  # appended to the URL, e.g. "?format=csv"
    setup: Callable | None = None  # world -> None, run before the request (e.g. submit the report first)
    id: str = field(default="")

    def label(self) -> str:
        return self.id or f"{self.method.upper()} {self.url_name}{self.query}"
