"""What the browser tests need, checked before anything of it is imported (stdlib only)."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

OPT_IN_ENV = "AUTHCLIENT_BROWSER_TESTS"
CHROMIUM = "chromium"
CHROMEDRIVER = "chromedriver"
PYTHON_PACKAGES = ("selenium", "fastapi", "uvicorn", "supertokens_python", "flask", "flask_cors")
SDK_BUNDLE_DIR = (
    Path(__file__).resolve().parents[2]
    / "examples"
    / "node_modules"
    / "supertokens-web-js"
    / "bundle"
)


def opted_in() -> bool:
    """The suite runs these tests only when asked (``nox -s browser`` sets the variable)."""
    return os.environ.get(OPT_IN_ENV) == "1"


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def missing() -> list[str]:
    """What is not there, one phrase each (empty: everything is)."""
    problems = [
        f"`{program}` is not on PATH (Debian: apt-get install chromium chromium-driver)"
        for program in (CHROMIUM, CHROMEDRIVER)
        if shutil.which(program) is None
    ]
    problems += [
        f"the Python package {name} is not installed"
        for name in PYTHON_PACKAGES
        if importlib.util.find_spec(name) is None
    ]
    if not any(SDK_BUNDLE_DIR.glob("session.*.js")):
        problems.append(f"the frontend SDK is not in {SDK_BUNDLE_DIR} (npm ci --prefix examples)")
    return problems
