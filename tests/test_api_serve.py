"""``hepatic serve``: starts uvicorn with the app; importing anatomy never loads FastAPI."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from click.testing import CliRunner

from anatomy.cli.main import main


def test_anatomy_never_imports_the_web_stack() -> None:
    code = (
        "import sys, anatomy.cli.main, anatomy.cli.serve, anatomy.classification.classify\n"
        "web = ('fastapi', 'starlette', 'uvicorn', 'api')\n"
        "loaded = sorted(m for m in web if m in sys.modules)\n"
        "print(','.join(loaded))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_serve_defaults_to_localhost_8000(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []

    def fake_run(app: object, **kwargs: Any) -> None:
        calls.append({"app": app, **kwargs})

    monkeypatch.setattr("uvicorn.run", fake_run)
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 0, result.output
    (call,) = calls
    assert (call["host"], call["port"]) == ("127.0.0.1", 8000)
    assert call["app"].title == "hepatic"


def test_serve_host_and_port(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.append(kw))
    result = CliRunner().invoke(main, ["serve", "--host", "::1", "--port", "9123"])
    assert result.exit_code == 0, result.output
    assert (calls[0]["host"], calls[0]["port"]) == ("::1", 9123)
    assert "http://[::1]:9123/" in result.output


def test_bad_setting_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEPATIC_MAX_VESSELS", "many")
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: None)
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 2
    assert "HEPATIC_MAX_VESSELS" in result.output


def test_bad_port_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["serve", "--port", "70000"])
    assert result.exit_code == 2
