"""tests/realcore.py: finding, starting and stopping real cores (with stand-in start scripts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import realcore
from tests.realcore import JNA_OPTIONS, RealCoreError, RealCores


def fake_start_script(tmp_path: Path) -> Path:
    """A start script that runs `sleep` as its "core", logging each call's arguments."""
    script = tmp_path / "start"
    script.write_text(
        "#!/bin/sh\n"
        f'echo "$@ JAVA_TOOL_OPTIONS=$JAVA_TOOL_OPTIONS" >> "{tmp_path}/calls"\n'
        "sleep 60 > /dev/null 2>&1 &\n"
        f'echo "http://127.0.0.1:1$(wc -l < "{tmp_path}/calls" | tr -d " ") $! {tmp_path}"\n'
    )
    script.chmod(0o755)
    return script


def calls(tmp_path: Path) -> list[str]:
    return (tmp_path / "calls").read_text().splitlines()


def gone(pid: int) -> bool:
    return not realcore.alive(pid)


def test_java_options_are_appended_once() -> None:
    """The JNA options join JAVA_TOOL_OPTIONS, keeping what was there, and are not doubled."""
    env = realcore.java_environment({"JAVA_TOOL_OPTIONS": "-Xmx1g"})
    assert env["JAVA_TOOL_OPTIONS"] == f"-Xmx1g {JNA_OPTIONS}"
    assert realcore.java_environment(env) == env
    assert realcore.java_environment({})["JAVA_TOOL_OPTIONS"] == JNA_OPTIONS


def test_start_script_is_the_named_one_if_it_exists(tmp_path: Path) -> None:
    """$AUTHCLIENT_TEST_REALCORE_START names the script; a missing file means no script."""
    script = fake_start_script(tmp_path)
    assert realcore.start_script({realcore.START_ENV: str(script)}) == script
    assert realcore.start_script({realcore.START_ENV: str(tmp_path / "absent")}) is None


def test_no_uri_and_no_script_says_what_to_set(tmp_path: Path) -> None:
    """Without a core URI or a start script, the error names both settings and the path."""
    absent = str(tmp_path / "absent")
    with pytest.raises(RealCoreError, match=f"AUTHCLIENT_TEST_CORE_URI.*{absent}"):
        realcore.real_cores_from({realcore.START_ENV: absent})


def test_a_given_uri_serves_only_its_own_config(tmp_path: Path) -> None:
    """A user's core is used as it is; another config needs a script, else LookupError."""
    fake_start_script(tmp_path)
    cores = realcore.real_cores_from(
        {realcore.URI_ENV: "http://127.0.0.1:3567", realcore.API_KEY_ENV: "k" * 20}
    )
    assert (cores.uri({}), cores.api_key, cores.script) == ("http://127.0.0.1:3567", "k" * 20, None)
    with pytest.raises(LookupError, match="access_token_validity"):
        cores.uri({"access_token_validity": 1})


def test_one_core_per_config_started_once_and_stopped(tmp_path: Path) -> None:
    """Each distinct config starts one core (config as KEY=VALUE, JNA options set); close stops all."""
    cores = RealCores(fake_start_script(tmp_path))
    first = cores.uri({"access_token_validity": 1})
    assert cores.uri({"access_token_validity": "1"}) == first
    default = cores.uri({})
    assert default != first
    assert [line.split(" JAVA")[0] for line in calls(tmp_path)] == [
        "0 access_token_validity=1",
        "0",
    ]
    assert all(JNA_OPTIONS in line for line in calls(tmp_path))
    pids = [core.pid for core in cores.started]
    cores.close()
    assert all(gone(pid) for pid in pids)


def test_a_failing_script_is_an_error_with_its_output(tmp_path: Path) -> None:
    """A script that fails raises RealCoreError carrying the script's own message."""
    script = tmp_path / "start"
    script.write_text("#!/bin/sh\necho 'realcore: no JDK >= 21 found' >&2\nexit 3\n")
    script.chmod(0o755)
    with pytest.raises(RealCoreError, match=r"exit 3\):\nrealcore: no JDK >= 21 found"):
        realcore.start_core(script, {})
