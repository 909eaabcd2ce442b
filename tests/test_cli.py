"""The ``authclient`` command line: JSON out, and exit codes a script can rely on."""

from __future__ import annotations

import base64
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from authclient import __version__, cli
from authclient.localcore import LocalCore, start_in_thread
from tests.hostile import HostileCore, refused_url

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def core_url() -> Iterator[str]:
    with start_in_thread() as running:
        yield running.url


def cli_main(
    capsys: pytest.CaptureFixture[str], *args: str, json_out: bool = True
) -> tuple[int, Any, str]:
    """Run `authclient ARGS` in-process: its exit code, stdout (parsed JSON, if any) and stderr."""
    try:
        cli.main(list(args))
        code = 0
    except SystemExit as exit:
        code = int(exit.code or 0)
    out, err = capsys.readouterr()
    if json_out:
        return code, json.loads(out) if out.strip() else None, err
    return code, out, err


def run(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[int, Any, str]:
    """Run the command against the core at ``url``."""
    return cli_main(capsys, "--connection-uri", url, *args)


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
    assert created["user_id"] == "cli-alice"
    assert created["access_token_payload"] == {"r": 1}
    tokens = created["tokens"]
    code, verified, _ = run(capsys, core_url, "session", "verify", "--", tokens["access_token"])
    assert (code, verified["handle"]) == (0, created["handle"])
    code, refreshed, _ = run(capsys, core_url, "session", "refresh", "--", tokens["refresh_token"])
    assert code == 0
    assert refreshed["tokens"]["refresh_token"] != tokens["refresh_token"]
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


def test_revoking_an_unknown_session_is_not_found(
    capsys: pytest.CaptureFixture[str], core_url: str
) -> None:
    """Revoking an unknown handle prints {"revoked": false} and exits 6, as info does."""
    code, out, err = run(capsys, core_url, "session", "revoke", "no-such-handle")
    assert (code, out) == (cli.EXIT_NOT_FOUND, {"revoked": False})
    assert "no session 'no-such-handle'" in err


def test_output_keys_are_snake_case(capsys: pytest.CaptureFixture[str], core_url: str) -> None:
    """Every key the CLI itself prints is snake_case; user data is printed as stored."""
    _, created, _ = run(capsys, core_url, "session", "create", "cli-keys", "--payload", '{"aB": 1}')
    _, info, _ = run(capsys, core_url, "session", "info", created["handle"])
    assert created["access_token_payload"] == {"aB": 1}
    keys = [*created, *created["tokens"], *info]
    assert [key for key in keys if not re.fullmatch(r"[a-z]+(_[a-z]+)*", key)] == []


def test_session_outcomes_have_their_own_exit_codes(
    capsys: pytest.CaptureFixture[str], core_url: str
) -> None:
    code, _, err = run(capsys, core_url, "session", "verify", "not-a-token")
    assert code == cli.EXIT_UNAUTHORISED
    assert err.startswith("authclient: UnauthorisedError:")
    code, created, err = run(capsys, core_url, "session", "create", "cli-bob")
    assert code == 0, err
    first = created["tokens"]["refresh_token"]
    code, second, err = run(capsys, core_url, "session", "refresh", "--", first)
    assert code == 0, err
    code, _, err = run(
        capsys, core_url, "session", "refresh", "--", second["tokens"]["refresh_token"]
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
    code, out, err = run(capsys, refused_url(), "metadata", "get", "u")
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


def test_api_key_flag_wins_over_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--api-key, before or after the subcommand, is used instead of AUTHCLIENT_API_KEY."""
    with LocalCore(api_key="right-key-123456") as core, start_in_thread(core=core) as running:
        monkeypatch.setenv("AUTHCLIENT_API_KEY", "wrong-key-654321")
        assert run(capsys, running.url, "--api-key", "right-key-123456", "metadata", "get", "u")[
            :2
        ] == (0, {})
        monkeypatch.setenv("AUTHCLIENT_API_KEY", "right-key-123456")
        code, _, err = run(capsys, running.url, "metadata", "get", "u", "--api-key", "bad-key-42")
        assert code == cli.EXIT_CORE
        assert "bad-key-42" not in err


def test_errors_are_one_line_without_secrets(capsys: pytest.CaptureFixture[str]) -> None:
    """A core that echoes the request in a multi-line error page: one stderr line, key masked."""
    with HostileCore("echo") as core:
        code, out, err = run(capsys, core.url, "metadata", "get", "u", "--api-key", "sekrit-9876")
    assert (code, out) == (cli.EXIT_CORE, None)
    assert err.startswith("authclient: CoreResponseError: ")
    assert err.count("\n") == 1
    assert "sekrit-9876" not in err


def test_connection_options_work_after_the_subcommand(
    capsys: pytest.CaptureFixture[str], core_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--connection-uri after the subcommand is used, and wins over one given before it."""
    monkeypatch.setenv("AUTHCLIENT_CONNECTION_URI", refused_url())
    args = ("metadata", "get", "u", "--connection-uri", core_url)
    assert cli_main(capsys, *args)[:2] == (0, {})
    assert cli_main(capsys, "--connection-uri", refused_url(), *args)[:2] == (0, {})


def test_options_before_the_subcommand_are_not_reset_by_its_defaults(
    capsys: pytest.CaptureFixture[str], core_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--connection-uri and --timeout given before the command reach the client."""
    monkeypatch.setenv("AUTHCLIENT_CONNECTION_URI", refused_url())
    assert cli_main(capsys, "--connection-uri", core_url, "metadata", "get", "u")[:2] == (0, {})
    code, _, err = run(capsys, core_url, "--timeout", "-1", "metadata", "get", "u")
    assert code == cli.EXIT_INPUT
    assert "timeout" in err


def test_every_subcommand_is_listed_with_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    """`authclient GROUP --help` lists each action of the group with a line of help."""
    groups = {
        "localcore": ["serve"],
        "metadata": ["get", "update", "clear"],
        "session": ["create", "verify", "refresh", "revoke", "list", "info"],
        "app": ["create"],
        "tenant": ["create"],
    }
    for group, actions in groups.items():
        code, out, _ = cli_main(capsys, group, "--help", json_out=False)
        assert code == 0
        listed = re.findall(r"^ {4}(\w+) +\S.*$", out, flags=re.MULTILINE)
        assert (group, listed) == (group, actions)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """--version prints the package version."""
    code, out, _ = cli_main(capsys, "--version", json_out=False)
    assert (code, out.strip()) == (0, f"authclient {__version__}")


def test_long_unrecognised_arguments_are_not_echoed(capsys: pytest.CaptureFixture[str]) -> None:
    """An unrecognised argument that may be a token is shown by its length only."""
    token = "x" * 40
    code, _, err = cli_main(capsys, "metadata", "get", "u", token, json_out=False)
    assert code == cli.EXIT_USAGE
    assert token not in err
    assert "40-character argument" in err
    assert err.count("\n") == 1


def test_app_create_makes_an_app_with_its_config(
    capsys: pytest.CaptureFixture[str], core_url: str
) -> None:
    """`app create ID --config K=V` creates an app that the core then serves with that config."""
    app_url = f"{core_url}/appid-cli-app"
    assert run(capsys, app_url, "metadata", "get", "u")[0] == cli.EXIT_CORE  # no such app yet
    code, out, err = run(
        capsys, core_url, "app", "create", "cli-app", "--config", "access_token_validity=7"
    )
    assert (code, out) == (0, {"app_id": "cli-app", "created_new": True}), err
    code, created, _ = run(capsys, app_url, "session", "create", "u")
    assert code == 0
    claims = _jwt_claims(created["tokens"]["access_token"])
    assert claims["exp"] - claims["iat"] == 7
    assert run(capsys, core_url, "app", "create", "cli-app")[:2] == (
        0,
        {"app_id": "cli-app", "created_new": False},
    )


def test_app_create_refusals(capsys: pytest.CaptureFixture[str], core_url: str) -> None:
    """A bad --config is a usage error; a config the core refuses is a core error."""
    assert run(capsys, core_url, "app", "create", "x", "--config", "novalue")[0] == cli.EXIT_USAGE
    code, _, err = run(
        capsys, core_url, "app", "create", "cli-bad", "--config", "access_token_validity=-1"
    )
    assert code == cli.EXIT_CORE
    assert "access_token_validity" in err


def test_tenant_create(capsys: pytest.CaptureFixture[str], core_url: str) -> None:
    """`tenant create` makes a tenant that sessions can then be created in."""
    assert run(capsys, core_url, "app", "create", "cli-tapp")[0] == 0
    code, out, err = run(capsys, core_url, "tenant", "create", "cli-t1", "--app-id", "cli-tapp")
    assert (code, out) == (0, {"tenant_id": "cli-t1", "created_new": True}), err
    app_url = f"{core_url}/appid-cli-tapp"
    code, created, err = run(capsys, app_url, "session", "create", "u", "--tenant-id", "cli-t1")
    assert (code, created and created["tenant_id"]) == (0, "cli-t1"), err


def test_localcore_serve_on_a_busy_port(capsys: pytest.CaptureFixture[str]) -> None:
    """A port in use is said so, with exit code 7."""
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        code, _, err = cli_main(capsys, "localcore", "serve", "--port", str(port))
    assert code == cli.EXIT_CANNOT_SERVE
    assert f"port {port} is in use" in err


def test_localcore_serve_with_a_db_in_a_missing_directory(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A --db that cannot be opened is named in the error, with exit code 7."""
    db = str(tmp_path / "missing" / "core.db")
    code, _, err = cli_main(capsys, "localcore", "serve", "--port", str(_free_port()), "--db", db)
    assert code == cli.EXIT_CANNOT_SERVE
    assert repr(db) in err
    assert "does not exist" in err


def test_closed_stdout_exits_quietly() -> None:
    """`authclient demo | head -1`: no traceback, no error line, exit code 141."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "authclient", "demo"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert (proc.wait(30), err) == (cli.EXIT_BROKEN_PIPE, "")


def test_demo_runs_to_the_end() -> None:
    """`authclient demo`, the project's main command, runs fully."""
    done = _cli("http://unused", "demo")
    assert done.stdout.rstrip().splitlines()[-1].startswith("Done.")


def test_localcore_serve_keeps_data_across_restarts(tmp_path: Path) -> None:
    db = str(tmp_path / "core.db")
    for expected in ({}, {"kept": True}):
        port = _free_port()
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _jwt_claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


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
