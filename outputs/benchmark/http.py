"""A small HTTP client for the rush benchmark: cookies, the CSRF token, the fields of a page's form, timings."""

import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Session:
    """One user's browser: the same cookies may be sent to any of the servers, as behind a load balancer."""

    def __init__(self, *, cookies=None, timings: list | None = None, lock=None):
        self.cookies = cookies if cookies is not None else http.cookiejar.CookieJar()
        self.timings, self.lock = timings, lock
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect)

    def request(self, url: str, data: list[tuple[str, str]] | None = None) -> Response:
        body = None
        headers = {"Accept-Language": "vi"}
        if data is not None:
            body = urllib.parse.urlencode([*data, ("csrfmiddlewaretoken", self.csrf_token())]).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = url
        started = time.perf_counter()
        try:
            with self.opener.open(urllib.request.Request(url, data=body, headers=headers), timeout=120) as reply:
                response = Response(reply.status, reply.headers, reply.read())
        except urllib.error.HTTPError as reply:  # 3xx (not followed), 4xx, 5xx
            response = Response(reply.code, reply.headers, reply.read())
        if self.timings is not None:
            with self.lock:
                self.timings.append(time.perf_counter() - started)
        return response

    def get(self, url: str) -> Response:
        return self.request(url)

    def post(self, url: str, data: list[tuple[str, str]]) -> Response:
        return self.request(url, data)

    def csrf_token(self) -> str:
        return next((c.value for c in self.cookies if c.name == "csrftoken"), "")

    def log_in(self, base: str, username: str, password: str) -> None:
        self.get(f"{base}/accounts/login/")
        reply = self.post(f"{base}/accounts/login/", [("username", username), ("password", password)])
        assert reply.status == 302, f"{username} could not log in: {reply.status}"


class FormFields(HTMLParser):
    """The fields a browser sends for the form whose action contains `action` (checked boxes, chosen options)."""

    def __init__(self, action: str):
        super().__init__(convert_charrefs=True)
        self.action, self.inside, self.fields = action, False, []
        self._textarea = self._select = None
        self._first_option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            target = a.get("action") or ""
            # "" names the form posting to its own page (no action attribute).
            self.inside = target == "" if self.action == "" else self.action in target
        if not self.inside or "disabled" in a:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            if kind not in {"submit", "button", "file", "image", "reset"}:
                self.fields.append([a["name"], a.get("value", "on" if kind in {"checkbox", "radio"} else "")])
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]
            self.fields.append(self._textarea)
        elif tag == "select" and a.get("name"):
            self._select, self._first_option = [a["name"], None], None
        elif tag == "option" and self._select is not None:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self._select[1] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None:
            value = self._select[1] if self._select[1] is not None else self._first_option
            self.fields.append([self._select[0], value or ""])
            self._select = None


def form_fields(html: str, action: str) -> list[list[str]]:
    parser = FormFields(action)
    parser.feed(html)
    return parser.fields


def filled_form(html: str, action: str, results: str) -> list[tuple[str, str]]:
    """Every task of the report form answered "completed" with the given results, as a user would fill it."""
    fields = [f for f in form_fields(html, action) if not re.fullmatch(r"t\d+-status", f[0])]
    for field in fields:
        if re.fullmatch(r"t\d+-results", field[0]):
            field[1] = results
    tasks = [f[0].removesuffix("-present") for f in fields if f[0].endswith("-present")]
    return [tuple(f) for f in fields] + [(f"{task}-status", "completed") for task in tasks]
