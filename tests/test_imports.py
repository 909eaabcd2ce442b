"""What importing each flavor loads: nothing of the other flavor, no crypto, no CLI, no web layer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import authclient

ROOT = Path(authclient.__file__).parents[1]

_PROBE = """
import json, sys
import {module}
{then}
print(json.dumps(sorted(sys.modules)))
"""

ASYNC_LIBRARIES = ("anyio", "sniffio", "asyncio", "trio", "httpcore", "h11")


def _loaded(module: str, then: str = "") -> set[str]:
    """The modules a fresh interpreter has loaded after ``import module`` (and ``then``)."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(module=module, then=then)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=ROOT,
    )
    return set(json.loads(done.stdout))


def _packages(loaded: set[str]) -> set[str]:
    return {name.split(".")[0] for name in loaded}


def test_the_sync_flavor_imports_nothing_async() -> None:
    """``import authclient.syncio`` loads no async library and not the async flavor."""
    loaded = _loaded("authclient.syncio")
    assert not _packages(loaded) & set(ASYNC_LIBRARIES)
    assert not {name for name in loaded if name.startswith("authclient.asyncio")}


def test_the_sync_flavor_does_not_import_typing_extensions() -> None:
    """typing_extensions, slow to import, is for type checkers only: the sync flavor skips it."""
    assert "typing_extensions" not in _loaded("authclient.syncio")


def test_the_async_flavor_does_not_import_the_sync_flavor() -> None:
    """``import authclient.asyncio`` leaves authclient.syncio unloaded."""
    loaded = _loaded("authclient.asyncio")
    assert not {name for name in loaded if name.startswith("authclient.syncio")}


@pytest.mark.parametrize("flavor", ["authclient.syncio", "authclient.asyncio"])
def test_importing_a_flavor_loads_no_crypto(flavor: str) -> None:
    """cryptography loads when the first signing key is read, not with the library."""
    loaded = _loaded(flavor, f"{flavor}.init('http://localhost:3567')")
    assert "cryptography" not in _packages(loaded)


@pytest.mark.parametrize("flavor", ["authclient.syncio", "authclient.asyncio"])
def test_importing_a_flavor_loads_neither_the_cli_nor_the_local_core(flavor: str) -> None:
    """The command line and the local core are never imported by the library."""
    loaded = _loaded(flavor)
    assert not {name for name in loaded if name.startswith(("authclient._cli", "authclient.cli"))}
    assert not {name for name in loaded if name.startswith("authclient.localcore")}


@pytest.mark.parametrize(("flavor", "name"), [("syncio", "WebApi"), ("asyncio", "AsyncWebApi")])
def test_the_web_layer_loads_when_first_asked_for(flavor: str, name: str) -> None:
    """The web layer stays unloaded until one of its names is imported from the flavor."""
    assert f"authclient.{flavor}.web" not in _loaded(f"authclient.{flavor}")
    after = _loaded(f"authclient.{flavor}", f"from authclient.{flavor} import {name}")
    assert {f"authclient.{flavor}.web", "authclient.web"} <= after


@pytest.mark.parametrize(("flavor", "client"), [("syncio", "Client"), ("asyncio", "AsyncClient")])
def test_a_client_with_its_session_config_loads_no_web_layer(flavor: str, client: str) -> None:
    """A client made for metadata calls (its ``SessionConfig`` normalises the API domain and
    base path) leaves the web layer unloaded."""
    make = (
        f"from authclient.{flavor} import {client}, SessionConfig\n"
        f"{client}('http://localhost:3567', session=SessionConfig(api_domain='api.example.com'))"
    )
    loaded = _loaded(f"authclient.{flavor}", make)
    assert not {"authclient.web", f"authclient.{flavor}.web"} & loaded
    assert not {name for name in loaded if name.startswith("authclient._protocol.fdi")}


def test_the_first_key_read_loads_crypto() -> None:
    """Reading a JWKS key needs cryptography, and loads it then."""
    read = (
        "from authclient._protocol.tokens import public_key_from_jwk\n"
        "try: public_key_from_jwk({'kty': 'RSA', 'n': 'AQAB', 'e': 'AQAB'})\n"
        "except ValueError: pass  # too small a key: cryptography read it, and said no"
    )
    assert "cryptography" in _packages(_loaded("authclient.syncio", read))
