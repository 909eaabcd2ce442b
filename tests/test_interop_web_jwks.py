"""The JWKS and OpenID discovery endpoints of the official supertokens-python FastAPI app and of
authclient's (examples/fastapi_app.py: WebConfig only), on one local core: the same answers."""

from __future__ import annotations

import re

import pytest

from tests.test_interop_web import API, Apps, anyio_backend, apps, core_url

pytestmark = pytest.mark.anyio

__all__ = ["anyio_backend", "apps", "core_url"]
DISCOVERY_PATHS = [
    "/auth/.well-known/openid-configuration",
    "/auth/t1/.well-known/openid-configuration",
]
JWKS_PATHS = ["/auth/jwt/jwks.json", "/auth/t1/jwt/jwks.json"]


@pytest.mark.parametrize("path", DISCOVERY_PATHS)
async def test_both_apps_serve_the_same_discovery_document(apps: Apps, path: str) -> None:
    """The same JSON (status, issuer, jwks_uri, the rest) and Access-Control-Allow-Origin."""
    official, ours = [await apps[name].get(path) for name in ("official", "authclient")]
    assert official.status_code == ours.status_code == 200
    assert ours.json() == official.json()
    assert ours.json()["jwks_uri"] == API + "/auth/jwt/jwks.json"
    assert ours.headers["access-control-allow-origin"] == "*"
    assert official.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("path", JWKS_PATHS)
async def test_both_apps_serve_the_same_keys(apps: Apps, path: str) -> None:
    """The core's keys, with a Cache-Control of the same form and any origin allowed."""
    official, ours = [await apps[name].get(path) for name in ("official", "authclient")]
    assert official.status_code == ours.status_code == 200
    assert ours.json() == official.json() and ours.json()["keys"]
    form = re.compile(r"max-age=\d+, must-revalidate")
    assert form.fullmatch(ours.headers["cache-control"])
    assert form.fullmatch(official.headers["cache-control"])
    assert ours.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("method", ["POST", "PUT"])
async def test_both_apps_pass_other_methods_on(apps: Apps, method: str) -> None:
    """Neither SDK answers another method on these paths: each app's router does (404/405)."""
    for path in (DISCOVERY_PATHS[0], JWKS_PATHS[0]):
        official, ours = [
            await apps[name].request(method, path) for name in ("official", "authclient")
        ]
        assert ours.status_code == official.status_code
        assert ours.status_code in (404, 405)
