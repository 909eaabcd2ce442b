"""The ``authclient`` command line: JSON out, and exit codes a script can rely on."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from authclient import cli
from authclient.localcore import LocalCore, start_in_thread

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def core_url() -> Iterator[str]:
    with start_in_thread() as running:
        yield running.url


def run(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[int, Any, str]:
    """Run the command; its exit code, its parsed JSON output (if any) and its stderr."""
    try:
        cli.main(["--connection-uri", url, *args])
        code = 0
    except SystemExit as exit:
        code = int(exit.code or 0)
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else None, err


def test_metadata_commands(capsys: pytest.CaptureFixture[str], core_url: str) -> None:
    assert run(capsys, core_url, "metadata", "get", "cli-user")[:2] == (0, {})
    code, out, _ = run(
        capsys, core_url, "metadata", "update", "cli-user", '{"a": 1, "b": {"c": 2}}'
    )
    assert (code, out) == (0, {"a": 1, "b": {"c": 2}})
    code, out, _ = run(capsys, core_url, "metadata", "update", "cli-user", '{"a": null}')
    assert (code, out) == (0, {"b": {"c": 2}})
    assert run(capsys, core_url, "metadata", "clear", "cli-user")[:2] == (0, {})
    assert run(capsys, core_url, "metadata", "get", "cli-user")[:2] == (0, {})


def test_session_commands(capsys: pytest.CaptureFixture[str], core_url: str) -> None:
    code, created, _ = run(
        capsys, core_url, "session", "create", "cli-alice", "--payload", '{"r": 1}'
    )
    assert code == 0
    assert created["userId"] == "cli-alice"
    assert created["accessTokenPayload"] == {"r": 1}
    tokens = created["tokens"]
    code, verified, _ = run(capsys, core_url, "session", "verify", "--", tokens["accessToken"])
    assert (code, verified["handle"]) == (0, created["handle"])
    code, refreshed, _ = run(capsys, core_url, "session", "refresh", "--", tokens["refreshToken"])
    assert code == 0
    assert refreshed["tokens"]["refreshToken"] != tokens["refreshToken"]
    code, handles, _ = run(capsys, core_url, "session", "list", "cli-alice")
    assert (code, handles) == (0, [created["handle"]])
    code, info, _ = run(capsys, core_url, "session", "info", created["handle"])
    assert (code, info["user_id"], info["session_handle"]) == (0, "cli-alice", created["handle"])
    assert run(capsys, core_url, "session", "revoke", created["handle"])[:2] == (
        0,
        {"revoked": True},
    )
    code, out, err = run(capsys, core_url, "session", "info", created["handle"])
    assert (code, out) == (cli.EXIT_NOT_FOUND, None)
    assert "no session" in err


def test_session_outcomes_have_their_own_exit_codes(
    capsys: pytest.CaptureFixture[str], core_url: str
) -> None:
    code, _, err = run(capsys, core_url, "session", "verify", "not-a-token")
    assert code == cli.EXIT_UNAUTHORISED
    assert err.startswith("authclient: UnauthorisedError:")
    code, created, err = run(capsys, core_url, "session", "create", "cli-bob")
    assert code == 0, err
    first = created["tokens"]["refreshToken"]
    code, second, err = run(capsys, core_url, "session", "refresh", "--", first)
    assert code == 0, err
    code, _, err = run(
        capsys, core_url, "session", "refresh", "--", second["tokens"]["refreshToken"]
    )
    assert code == 0, err
    code, _, err = run(capsys, core_url, "session", "refresh", "--", first)
    assert code == cli.EXIT_THEFT
    assert first not in err


def test_tokens_may_start_with_a_dash_after_double_dash(
    capsys: pytest.CaptureFixture[str], core_url: str
) -> None:
    # Refresh tokens are base64url: some start with "-", which argparse reads as an option.
    assert run(capsys, core_url, "session", "refresh", "-abc")[0] == cli.EXIT_USAGE
    assert run(capsys, core_url, "session", "refresh", "--", "-abc")[0] == cli.EXIT_UNAUTHORISED


def test_bad_input_and_usage(capsys: pytest.CaptureFixture[str], core_url: str) -> None:
    assert run(capsys, core_url, "metadata", "update", "u", "[1, 2]")[0] == cli.EXIT_USAGE
    assert run(capsys, core_url, "metadata", "update", "u", "{oops")[0] == cli.EXIT_USAGE
    code, _, err = run(capsys, core_url, "session", "create", "u", "--payload", '{"sub": "x"}')
    assert code == cli.EXIT_INPUT
    assert "sub" in err
    assert run(capsys, core_url, "metadata", "get", "")[0] == cli.EXIT_INPUT
    assert run(capsys, core_url, "nonsense")[0] == cli.EXIT_USAGE


def test_unreachable_core(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, out, err = run(capsys, f"http://127.0.0.1:{port}", "metadata", "get", "u")
    assert (code, out) == (cli.EXIT_UNREACHABLE, None)
    assert "CoreUnavailableError" in err


def test_wrong_api_key_is_a_core_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with LocalCore(api_key="right-key-123456") as core, start_in_thread(core=core) as running:
        monkeypatch.setenv("AUTHCLIENT_API_KEY", "wrong-key-654321")
        code, _, err = run(capsys, running.url, "metadata", "get", "u")
        assert code == cli.EXIT_CORE
        assert "401" in err
        assert "wrong-key-654321" not in err
        monkeypatch.setenv("AUTHCLIENT_API_KEY", "right-key-123456")
        assert run(capsys, running.url, "metadata", "get", "u")[:2] == (0, {})


def test_localcore_serve_keeps_data_across_restarts(tmp_path: Path) -> None:
    db = str(tmp_path / "core.db")
    for expected in ({}, {"kept": True}):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "authclient",
                "localcore",
                "serve",
                "--port",
                str(port),
                "--db",
                db,
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for_port(port)
            get = _cli(url, "metadata", "get", "persisted")
            assert json.loads(get.stdout) == expected
            _cli(url, "metadata", "update", "persisted", '{"kept": true}')
        finally:
            server.terminate()
            server.wait(10)


def test_module_entry_point_prints_help() -> None:
    done = _cli("http://unused", "--help")
    assert "exit codes" in done.stdout
    assert "localcore" in done.stdout


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AUTHCLIENT_CONNECTION_URI": url}
    return subprocess.run(
        [sys.executable, "-m", "authclient", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )


def _wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"the local core did not start on port {port}")
