"""Every page carries the Content-Security-Policy and the other security headers; no template needs
'unsafe-inline'."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Documents drawn by WeasyPrint are never sent to a browser.
NOT_FOR_BROWSERS = ("outputs/templates/outputs/pdf/",)


def test_pages_carry_the_policy_and_the_security_headers(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_no_template_has_inline_handlers_scripts_or_style_attributes():
    offenders = []
    for path in ROOT.glob("**/templates/**/*.html"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv", *NOT_FOR_BROWSERS)):
            continue
        text = path.read_text()
        for pattern in (r"\son[a-z]+\s*=", r"<script(?![^>]*\bsrc=)[^>]*>", r"\sstyle\s*=", r"<style"):
            if re.search(pattern, text, re.IGNORECASE):
                offenders.append(f"{relative}: {pattern}")
    assert offenders == []
