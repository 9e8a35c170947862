from tests.access import LOGIN, Case

# Reviewers (and administrators) only; agency users and leaders are refused.
REVIEWERS_ONLY = {"anonymous": LOGIN, "staff_a": 403, "head_a": 403, "staff_b": 403, "leader": 403}

CASES = [
    Case("review:index", {**REVIEWERS_ONLY, "reviewer": 302, "admin": 302}),
    Case("review:board", {**REVIEWERS_ONLY, "reviewer": 200, "admin": 200}, kwargs=lambda w: {"year": w.year.year}),
    Case("review:report", {**REVIEWERS_ONLY, "reviewer": 200, "admin": 200}, kwargs=lambda w: {"pk": w.report_a.pk}),
]
