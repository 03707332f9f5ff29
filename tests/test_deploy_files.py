"""The deployment files are ones the real programs accept."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _nginx() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def test_nginx_accepts_the_shipped_configuration() -> None:
    if _nginx() is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have nginx to check deploy/nginx.conf (.ci/run installs it)")
        pytest.skip("nginx is not installed on this machine")
    result = subprocess.run([str(ROOT / ".ci" / "nginx-check")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_rate_limit_zone_is_declared_outside_server_blocks() -> None:
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    first_server = text.index("server {")
    assert text.index("limit_req_zone") < first_server


def test_gunicorn_listens_on_loopback_unless_told_otherwise() -> None:
    assert "GUNICORN_BIND=127.0.0.1:" in (ROOT / "deploy" / "systemd" / "fazhi.env.example").read_text()
    assert 'os.environ.get("GUNICORN_BIND", "127.0.0.1:' in (ROOT / "gunicorn.conf.py").read_text()
