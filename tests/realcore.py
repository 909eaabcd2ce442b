"""The real SuperTokens core for the integration tests: where it is, how to start and stop it.

``pytest --core=real`` runs the tests that talk to a core (those using ``app_client``) against
a real core instead of the in-process local core:

- ``AUTHCLIENT_TEST_CORE_URI``: a running core to use (``AUTHCLIENT_TEST_CORE_API_KEY`` if it
  wants one). Its config is its own, so tests that need a specific core config start their own
  core from the start script only if ``AUTHCLIENT_TEST_REALCORE_START`` names one; else they skip.
- Otherwise the start script (``AUTHCLIENT_TEST_REALCORE_START``, or ``../shared/realcore/start``
  beside the checkout) starts one core per distinct config, on first use, for the whole run.

Stdlib only: the noxfile loads this file too, to start and stop the core of ``tests-realcore``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

URI_ENV = "AUTHCLIENT_TEST_CORE_URI"
API_KEY_ENV = "AUTHCLIENT_TEST_CORE_API_KEY"
START_ENV = "AUTHCLIENT_TEST_REALCORE_START"
DEFAULT_START = Path(__file__).resolve().parent.parent.parent / "shared" / "realcore" / "start"
# Debian's JNA finds its native library only when told to use the system one.
JNA_OPTIONS = "-Djna.nosys=false -Djna.boot.library.name=jnidispatch.system"
START_TIMEOUT = 120.0


class RealCoreError(Exception):
    """The real core could not be started (the message says why)."""


def script_path(environ: Mapping[str, str] = os.environ) -> Path:
    """Where the start script should be: ``$AUTHCLIENT_TEST_REALCORE_START``, or the shared one."""
    named = environ.get(START_ENV)
    return Path(named) if named else DEFAULT_START


def start_script(environ: Mapping[str, str] = os.environ) -> Optional[Path]:
    """The start script, if it is there."""
    script = script_path(environ)
    return script if script.is_file() else None


def java_environment(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """``environ`` with the JNA options added to ``JAVA_TOOL_OPTIONS`` (kept if already there)."""
    env = dict(environ)
    options = env.get("JAVA_TOOL_OPTIONS", "")
    if JNA_OPTIONS not in options:
        env["JAVA_TOOL_OPTIONS"] = f"{options} {JNA_OPTIONS}".strip()
    return env


@dataclass(frozen=True)
class StartedCore:
    url: str
    pid: int
    workdir: str

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM, then SIGKILL if the JVM is still there after ``timeout`` seconds."""
        if not _signal(self.pid, signal.SIGTERM):
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not alive(self.pid):
                return
            time.sleep(0.05)
        _signal(self.pid, signal.SIGKILL)


def start_core(script: Path, config: Mapping[str, Any]) -> StartedCore:
    """Start a real core with ``config`` (its ``config.yaml`` lines) on a free port."""
    args = [str(script), "0", *(f"{key}={value}" for key, value in sorted(config.items()))]
    try:
        done = subprocess.run(
            args,
            env=java_environment(),
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise RealCoreError(f"{script} did not start a core: {error}") from error
    fields = done.stdout.split()
    if done.returncode != 0 or len(fields) != 3 or not fields[1].isdigit():
        output = (done.stderr.strip() or done.stdout.strip())[-2000:]
        raise RealCoreError(f"{script} failed (exit {done.returncode}):\n{output}")
    return StartedCore(url=fields[0], pid=int(fields[1]), workdir=fields[2])


ConfigKey = tuple[tuple[str, str], ...]  # a config as sorted (name, value) pairs


@dataclass
class RealCores:
    """Real cores by config, started on first use and stopped by ``close()``.

    The empty config is ``default_uri`` when given (a core someone else runs).
    """

    script: Optional[Path]
    default_uri: Optional[str] = None
    api_key: Optional[str] = None
    _started: dict[ConfigKey, StartedCore] = field(default_factory=dict[ConfigKey, StartedCore])

    @property
    def started(self) -> list[StartedCore]:
        """The cores started so far and not yet stopped."""
        return list(self._started.values())

    def uri(self, config: Mapping[str, Any]) -> str:
        """The URI of a core with ``config``; ``LookupError`` (saying why) if there is none."""
        if not config and self.default_uri:
            return self.default_uri
        key = tuple(sorted((name, str(value)) for name, value in config.items()))
        if key not in self._started:
            if self.script is None:
                raise LookupError(
                    f"needs a real core started with {dict(key)}: {URI_ENV} names a running "
                    f"core, and no start script ({START_ENV}) can start another"
                )
            self._started[key] = start_core(self.script, dict(key))
        return self._started[key].url

    def close(self) -> None:
        for core in self._started.values():
            core.stop()
        self._started.clear()


def real_cores_from(environ: Mapping[str, str] = os.environ) -> RealCores:
    """The cores ``--core=real`` uses, from the environment (see the module docstring)."""
    default_uri = environ.get(URI_ENV) or None
    if default_uri:
        script = start_script(environ) if environ.get(START_ENV) else None
    else:
        script = start_script(environ)
        if script is None:
            raise RealCoreError(
                f"--core=real needs a real core: set {URI_ENV} to a running core's URI, or "
                f"{START_ENV} to a start script (there is none at {script_path(environ)})"
            )
    return RealCores(script, default_uri, environ.get(API_KEY_ENV) or None)


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie does not)."""
    try:
        reaped, _ = os.waitpid(pid, os.WNOHANG)  # our own child (the noxfile's): reap it
    except ChildProcessError:
        reaped = 0
    if reaped == pid:
        return False
    try:  # a zombie has stopped; its new parent reaps it when it gets round to it
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except (OSError, IndexError):
        return _signal(pid, 0)


def _signal(pid: int, sig: int) -> bool:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return False
    return True
