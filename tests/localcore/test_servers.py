"""The local core over real HTTP, over ASGI, and through httpx.AsyncClient."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from authclient.localcore import (
    LocalCore,
    LocalCoreApp,
    LocalCoreTransport,
    LocalRequest,
    start_in_thread,
)
from tests.localcore._helpers import ok

pytest.importorskip("uvicorn")


def test_start_in_thread_serves_real_http(core: LocalCore, user_id: str) -> None:
    with start_in_thread(core=core) as running:
        assert running.url.startswith("http://127.0.0.1:")
        with httpx.Client(base_url=running.url) as http:
            assert http.get("/apiversion").json()["versions"][-1] == "5.4"
            ok(
                http.put(
                    "/recipe/user/metadata", json={"userId": user_id, "metadataUpdate": {"a": 1}}
                )
            )
            metadata = ok(http.get("/recipe/user/metadata", params={"userId": user_id}))["metadata"]
            assert metadata == {"a": 1}
            assert http.get("/nowhere").status_code == 404
    with pytest.raises(httpx.ConnectError), httpx.Client(base_url=running.url) as http:
        http.get("/apiversion")
    assert core.handle(LocalRequest("GET", "/apiversion")).status == 200  # still open


def test_start_in_thread_with_its_own_core_and_api_key() -> None:
    with start_in_thread(api_key="k") as running, httpx.Client(base_url=running.url) as http:
        assert http.get("/apiversion").status_code == 401
        assert http.get("/apiversion", headers={"api-key": "k"}).status_code == 200


def test_asgi_app_and_async_transport(core: LocalCore, user_id: str) -> None:
    async def main() -> None:
        transports = [httpx.ASGITransport(app=LocalCoreApp(core)), LocalCoreTransport(core)]
        for transport in transports:
            async with httpx.AsyncClient(transport=transport, base_url="http://core") as http:
                update = {"userId": user_id, "metadataUpdate": {"ä": "ü"}}
                ok(await http.put("/recipe/user/metadata", json=update))
                response = await http.get("/recipe/user/metadata", params={"userId": user_id})
                assert ok(response)["metadata"] == {"ä": "ü"}
                response = await http.get("/appid-missing/apiversion")
                assert response.status_code == 400
                assert response.headers["content-type"].startswith("text/plain")

    asyncio.run(main())
