"""Production settings pass Django's deployment checks, and every page carries a strict CSP."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)


def _production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FAZHI_"))}
    env.update(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
               DJANGO_ALLOWED_HOSTS="fazhi.example.gov.cn", **extra)
    return env


def test_production_settings_pass_check_deploy_without_warnings():
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=BASE, env=_production_env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    env.pop("DJANGO_SECRET_KEY")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=BASE, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_audit_retention_below_six_months_refuses_to_start():
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=BASE,
                            env=_production_env(FAZHI_AUDIT_RETENTION_DAYS="90"),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "FAZHI_AUDIT_RETENTION_DAYS" in result.stderr


def test_pages_send_a_strict_content_security_policy_and_security_headers(client, db):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    for directive in ["script-src 'self'", "style-src 'self'", "object-src 'none'", "frame-ancestors 'none'",
                      "base-uri 'self'", "form-action 'self'", "default-src 'self'"]:
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=[\"']application/json[\"'])[^>]*>", re.I)
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
STYLE_BLOCK = re.compile(r"<style[\s>]", re.I)


def _templates() -> list[Path]:
    roots = [BASE / "templates", *(p / "templates" for p in BASE.iterdir() if (p / "apps.py").exists())]
    return sorted(f for root in roots if root.exists() for f in root.rglob("*.html"))


def test_templates_exist_to_be_scanned():
    assert any(p.name == "base.html" for p in _templates())


@pytest.mark.parametrize("template", _templates(), ids=lambda p: str(p.relative_to(BASE)))
def test_no_template_has_inline_script_style_or_event_handlers(template):
    # The CSP forbids them: they would silently not work in the browser. JS goes in static/js/*.js.
    text = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "inline <script> block"
    assert not STYLE_ATTR.search(text), "style= attribute"
    assert not STYLE_BLOCK.search(text), "<style> block"
    assert not INLINE_HANDLER.search(text), "onclick=/onchange=… handler"
