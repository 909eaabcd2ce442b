"""The official supertokens-node SDK, run in a Node.js process by the node interop tests.

A test module skips itself when ``node_executable()`` is None (``npm install`` in
``tests/node_interop`` installs the SDK; Node 20+), then drives one of the scripts there with
``node_caller``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any, Callable, Optional

NODE_DIR = Path(__file__).resolve().parent / "node_interop"


NOT_INSTALLED = "supertokens-node is not installed (npm install in tests/node_interop)"


def node_executable() -> Optional[str]:
    """The ``node`` executable, or None when node or the SDK is missing."""
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / "supertokens-node").is_dir():
        return None
    return node


def node_caller(node: Optional[str], script: str, core_url: str) -> Callable[..., Any]:
    """``call(operation, **argument)``: one operation of ``script`` against the core at
    ``core_url``, its JSON answer."""

    assert node is not None, NOT_INSTALLED

    def call(operation: str, **argument: Any) -> Any:
        done = subprocess.run(
            [node, script, core_url, operation, json.dumps(argument)],
            cwd=NODE_DIR,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    return call
