"""The load of the rush benchmark: many browsers at once, each a thread of this (client) process.

This is the benchmark's client, never code of a web process: the portal itself starts no thread (see
tests/foundation/test_operations.py)."""

import random
import re
import statistics
import threading
import time

from outputs.benchmark.http import Session, filled_form


def rush(base: str, heads: int, seconds: float, password: str) -> dict:
    """Every head, starting at a random moment of the first 80% of `seconds`: log in, open the form, save, submit."""
    latencies, errors, finished = [], [], []
    lock = threading.Lock()
    start = time.perf_counter()

    def head(n: int):
        time.sleep(random.Random(n).uniform(0, seconds * 0.8))
        session = Session(timings=latencies, lock=lock)
        try:
            session.log_in(base, f"rush-head-{n}", password)
            home = session.get(f"{base}/reports/")
            pk = re.search(r'href="/reports/(\d+)/edit/"', home.text).group(1)
            edit = session.get(f"{base}/reports/{pk}/edit/")
            assert edit.status == 200, ("form", edit.status)
            fields = filled_form(edit.text, f"/reports/{pk}/edit/", f"Kết quả năm của đơn vị số {n}.")
            saved = session.post(f"{base}/reports/{pk}/edit/", fields)
            assert saved.status == 302, ("save", saved.status)
            edit = session.get(f"{base}/reports/{pk}/edit/")
            fields = filled_form(edit.text, f"/reports/{pk}/edit/", f"Kết quả năm của đơn vị số {n}, đã duyệt.")
            submitted = session.post(f"{base}/reports/{pk}/submit/", fields)
            assert submitted.status == 302, ("submit", submitted.status)
            with lock:
                finished.append(time.perf_counter() - start)
        except Exception as exc:  # noqa: BLE001 – every failure is counted and shown
            with lock:
                errors.append(f"head {n}: {exc!r}"[:300])

    threads = [threading.Thread(target=head, args=(n,)) for n in range(1, heads + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"latencies": latencies, "errors": errors, "finished": finished}


def throughput(base: str, bare_base: str, seconds: float, password: str, *, rounds: int = 3) -> dict:
    """Requests per second of each page with 8 clients at once, and of the bare view on its own server.

    The machine's speed drifts by a fifth from one ten-second stretch to the next (other work on the host, CPU
    frequency), and a fixed order would give one page the slowest stretch. So every server is first warmed up
    (each worker draws its templates once, as it does once in its life), then the bare view and the pages are
    measured in `rounds` rounds, each page right after a stretch of the bare view it is compared with, `seconds`
    in all per page. A page's rate is its median over the rounds; its share of the bare view is the median of the
    rounds' shares. Returns {label: (req/s, share of the bare view, errors)}."""
    leader, reviewer, head = Session(), Session(), Session()
    leader.log_in(base, "rush-leader", password)
    reviewer.log_in(base, "rush-reviewer", password)
    head.log_in(base, "rush-head-draft", password)
    pk = re.search(r'href="/reports/(\d+)/edit/"', head.get(f"{base}/reports/").text).group(1)
    board = base + reviewer.get(f"{base}/review/").headers["Location"]
    pages = [
        ("Bare view", None, f"{bare_base}/benchmark/bare/"),
        ("Dashboard", leader, f"{base}/dashboard/"),
        ("Review board", reviewer, board),
        ("Report form", head, f"{base}/reports/{pk}/edit/"),
    ]
    for _label, session, url in pages:
        _rate(session, url, 1.0)
    rates = {label: [] for label, _s, _u in pages}
    errors = dict.fromkeys(rates, 0)
    shares = {label: [] for label in rates}
    stretch = seconds / rounds
    for _round in range(rounds):
        for label, session, url in pages[1:]:
            bare, bare_errors = _rate(None, pages[0][2], stretch)
            rate, page_errors = _rate(session, url, stretch)
            rates["Bare view"].append(bare)
            rates[label].append(rate)
            errors["Bare view"] += bare_errors
            errors[label] += page_errors
            shares[label].append(rate / bare if bare else 0.0)
    shares["Bare view"] = [1.0]
    return {label: (statistics.median(rates[label]), statistics.median(shares[label]), errors[label]) for label in rates}


def _rate(session, url: str, seconds: float) -> tuple[float, int]:
    """Requests per second of `url` with 8 clients (each with the session's cookies) for `seconds`; and errors."""
    count, errors = [0], [0]
    stop = time.perf_counter() + seconds
    lock = threading.Lock()

    def client():
        own = Session(cookies=session.cookies) if session else Session()
        while time.perf_counter() < stop:
            reply = own.get(url)
            with lock:
                count[0] += 1
                errors[0] += reply.status != 200

    threads = [threading.Thread(target=client) for _ in range(8)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return count[0] / (time.perf_counter() - began), errors[0]
