"""The sans-I/O layer's contract (authclient/_protocol/__init__.py): no I/O library imported."""

from __future__ import annotations

import json
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import authclient._protocol

ROOT = Path(authclient._protocol.__file__).parents[2]
IO_LIBRARIES = ("httpx", "anyio", "asyncio", "trio", "sniffio", "h11", "httpcore")

_PROBE = """
import importlib, json, pkgutil, sys
import authclient._protocol as layer
names = [m.name for m in pkgutil.walk_packages(layer.__path__, "authclient._protocol.")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"imported": names, "loaded": sorted(sys.modules)}))
"""


def _probe() -> dict[str, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=ROOT,
    )
    result: dict[str, list[str]] = json.loads(done.stdout)
    return result


def test_importing_every_protocol_module_loads_no_io_library() -> None:
    """A fresh interpreter that imports all of authclient._protocol has no I/O library loaded."""
    loaded = set(_probe()["loaded"])
    assert not {name for name in loaded if name.split(".")[0] in IO_LIBRARIES}


def test_the_probe_imports_every_module_of_the_layer() -> None:
    """The probe imports each .py file under authclient/_protocol/, subpackages included."""
    files = (ROOT / "authclient" / "_protocol").rglob("*.py")
    expected = {
        ".".join(
            path.relative_to(ROOT).with_suffix("").parts[: -1 if path.stem == "__init__" else None]
        )
        for path in files
    }
    assert set(_probe()["imported"]) == expected - {"authclient._protocol"}


def test_the_layer_docstring_lists_each_module_once() -> None:
    """authclient/_protocol/__init__.py names every module (and subpackage) of the layer, once."""
    listed = re.findall(r"^- ``(\w+)``:", authclient._protocol.__doc__ or "", re.MULTILINE)
    modules = [module.name for module in pkgutil.iter_modules(authclient._protocol.__path__)]
    assert sorted(listed) == sorted(modules)
