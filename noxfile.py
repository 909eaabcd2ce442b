"""Every check the project runs: `nox` runs them all; `nox -s NAME` runs one."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Optional

import nox

PYTHONS = ["3.9", "3.10", "3.11", "3.12", "3.13"]
LINT_PYTHON = "3.11"

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["check-generated", "lint", "typecheck", "tests"]
nox.options.reuse_venv = "yes"

os.environ.setdefault("UV_PYTHON_DOWNLOADS", "never")  # only the registries are reachable
PYPROJECT = nox.project.load_toml("pyproject.toml")


def _group(name: str) -> list[str]:
    """A PEP 735 dependency group of pyproject.toml (contributors' tools, never published)."""
    return list(nox.project.dependency_groups(PYPROJECT, name))


def _works(python: str) -> bool:
    try:
        return subprocess.run([python, "-c", ""], capture_output=True, check=False).returncode == 0
    except OSError:
        return False


def _find_interpreter(version: str) -> Optional[str]:
    """A python3.X that runs: on PATH, else from pyenv or uv if they know one (no downloads)."""
    on_path = shutil.which(f"python{version}")
    if on_path and _works(on_path):
        return on_path
    finders = [["pyenv", "prefix", version], ["uv", "python", "find", "--no-project", version]]
    for finder in finders:
        if shutil.which(finder[0]) is None:
            continue
        found = subprocess.run(finder, capture_output=True, text=True, check=False)
        if found.returncode != 0 or not found.stdout.strip():
            continue
        path = Path(found.stdout.strip().splitlines()[-1])
        candidate = path / "bin" / f"python{version}" if path.is_dir() else path
        if _works(str(candidate)):
            return str(candidate)
    return None


# Interpreters that exist but are not on PATH as python3.X (pyenv versions that are not global,
# uv-managed ones): put their folder first on PATH so that nox finds each version by name.
for _version in PYTHONS:
    _found = _find_interpreter(_version)
    if _found and shutil.which(f"python{_version}") != _found:
        _dir = str(Path(_found).parent)
        os.environ["PATH"] = _dir + os.pathsep + os.environ.get("PATH", "")


INTEROP_SDK = "supertokens-python==0.31.4"


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The test suite: both flavors, asyncio and trio, and interop with the official SDK."""
    session.install("-e", ".[server]", *_group("test"))
    # tests/test_interop.py skips, saying why, when the SDK cannot be installed here.
    session.install(INTEROP_SDK, success_codes=[0, 1, 2])
    default = ["-n", "auto"]
    if session.python in FRAMEWORKS_SKIPPED_ON:
        # The web-framework matrices test each framework's oldest and newest supported release:
        # they run on 3.9, 3.11 and 3.13 (both ends and the lint Python), which keeps CI within
        # its 20 minutes; everything else, both flavors on asyncio and trio, runs on every Python.
        default += [
            "--ignore=tests/integrations",
            "--ignore=tests/test_interop_web.py",
            "--ignore=tests/testing_plugin",
        ]
    session.run("python", "-m", "pytest", *(session.posargs or default))


FRAMEWORKS_SKIPPED_ON = ("3.10", "3.12")


@nox.session(name="tests-realcore", python=LINT_PYTHON)
def tests_realcore(session: nox.Session) -> None:
    """The tests that talk to a core, against a real SuperTokens core (not in a plain `nox`).

    Uses $AUTHCLIENT_TEST_CORE_URI if set; else starts a core with ../shared/realcore/start (or
    $AUTHCLIENT_TEST_REALCORE_START), and stops it afterwards. With neither, it skips, saying so.
    """
    realcore = _realcore()
    uri = os.environ.get(realcore.URI_ENV)
    script = realcore.start_script()
    if not uri and script is None:
        where = "in CI, " if os.environ.get("CI") == "true" else ""
        session.skip(
            f"{where}no real SuperTokens core was found, so the real-core tests did not run: "
            f"set {realcore.URI_ENV} to a running core's URI, or {realcore.START_ENV} to a "
            f"start script (there is none at {realcore.script_path()})"
        )
    session.install("-e", ".[server]", *_group("test"))
    env = {}
    started = None
    if not uri:
        session.log(f"starting a real core with {script}")
        try:
            started = realcore.start_core(script, {})
        except realcore.RealCoreError as error:
            session.error(f"the real core did not start: {error}")
        session.log(f"real core at {started.url} (pid {started.pid}, log {started.workdir})")
        uri = started.url
        env[realcore.START_ENV] = str(script)  # tests that need their own config start one
    env[realcore.URI_ENV] = uri
    try:
        # app_client, the fixture that picks the core, lives in these two folders only.
        args = session.posargs or ["tests/asyncio", "tests/syncio"]
        session.run("python", "-m", "pytest", "--core=real", *args, env=env)
    finally:
        if started is not None:
            started.stop()


def _realcore() -> ModuleType:
    """tests/realcore.py (stdlib only), loaded by path: nox runs outside the test venv."""
    path = Path(__file__).resolve().parent / "tests" / "realcore.py"
    spec = importlib.util.spec_from_file_location("_authclient_realcore", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


@nox.session(python=LINT_PYTHON)
def lint(session: nox.Session) -> None:
    session.install("-e", ".[server]", *_group("typecheck"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=LINT_PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict and pyright (strict) on the package, the generated code and a consumer."""
    # The interop tests import the official SDK: without it they would not type-check.
    session.install("-e", ".[server]", *_group("typecheck"), INTEROP_SDK)
    session.run("mypy")
    session.run("pyright")


@nox.session(python=LINT_PYTHON)
def generate(session: nox.Session) -> None:
    """Regenerate authclient/syncio and tests/syncio from their async sources."""
    session.install("-e", ".[server]", *_group("typecheck"))
    session.run("python", "tools/unasync.py")


@nox.session(name="check-generated", python=LINT_PYTHON)
def check_generated(session: nox.Session) -> None:
    """Fail if the generated sync code is stale or was edited by hand."""
    session.install("-e", ".[server]", *_group("typecheck"))
    session.run("python", "tools/unasync.py", "--check")


@nox.session(python=LINT_PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks against raw httpx, PyJWT and the official SDK, side by side (prints ratios)."""
    session.install("-e", ".[server]", *_group("test"), INTEROP_SDK)  # bench_web.py needs the SDK
    # Every script, then one table of every ratio with its target (benchmarks/README.md).
    session.run("python", "benchmarks/bench_all.py", *session.posargs)


@nox.session(python=LINT_PYTHON)
def demo(session: nox.Session) -> None:
    """`authclient demo` on the embedded local core."""
    session.install("-e", ".[server]")
    session.run("authclient", "demo")


# The browser session's own pin: the WebDriver client (the browser is Debian's, the SDK npm's).
BROWSER_PIP = ["selenium==4.51.0"]
BROWSER_APT = ["chromium", "chromium-driver"]


@nox.session(python=LINT_PYTHON)
def browser(session: nox.Session) -> None:
    """Headless Chromium with the official frontend SDK against the example apps (not in a plain `nox`).

    Installs Debian's chromium and chromium-driver when missing (as root, with apt-get), the SDK
    pinned in examples/package-lock.json (npm ci) and the Python packages. Outside CI it skips,
    saying why, when the browser cannot be had; under CI=true it fails instead.
    """
    started = time.monotonic()
    problem = _browser_missing(session)
    if problem is not None:
        if os.environ.get("CI") == "true":
            session.error(f"in CI the browser tests must run, but {problem}")
        session.skip(f"the browser tests did not run: {problem}")
    session.install("-e", ".[server,fastapi]", *_group("test"), INTEROP_SDK, *BROWSER_PIP)
    session.run(
        "npm",
        "ci",
        "--prefix",
        "examples",
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
        external=True,
    )
    try:
        session.run(
            "python",
            "-m",
            "pytest",
            "tests/browser",
            *session.posargs,
            env={"AUTHCLIENT_BROWSER_TESTS": "1"},
        )
    finally:
        session.log(f"browser session: {time.monotonic() - started:.1f} s")


def _browser_missing(session: nox.Session) -> str | None:
    """Why the browser tests cannot run here (after installing what can be), or None."""
    if shutil.which("npm") is None:
        return "npm is not installed (the frontend SDK comes from the npm registry)"
    if shutil.which("chromium") and shutil.which("chromedriver"):
        return None
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        return "chromium and chromedriver are not installed, and apt-get cannot run here as root"
    session.log(f"installing {' '.join(BROWSER_APT)} with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", *BROWSER_APT]):
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            return f"`{' '.join(command)}` failed ({done.returncode}): {' / '.join(tail)}"
    if shutil.which("chromium") and shutil.which("chromedriver"):
        return None
    return f"apt-get installed {' '.join(BROWSER_APT)} but chromium or chromedriver is not on PATH"
