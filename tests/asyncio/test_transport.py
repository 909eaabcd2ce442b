"""Hosts, failover, retries, timeouts and error mapping, seen from the caller."""

from __future__ import annotations

import logging
import socket
from typing import Any

import httpx
import pytest
import respx

from authclient._compat import ASYNC
from authclient.asyncio import AsyncClient, Overrides, RequestInfo
from authclient.errors import (
    ClientClosedError,
    CoreResponseError,
    CoreTimeoutError,
    CoreUnavailableError,
    IncompatibleCoreError,
)
from authclient.localcore import LocalCore, LocalCoreTransport
from tests.asyncio.conftest import CORE_URL, Calls
from tests.recording import serve

if ASYNC:
    pytestmark = pytest.mark.anyio

API_KEY = "secret-api-key-0123456789"
METADATA_OK = {"status": "OK", "metadata": {"k": "v"}}


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_refused_connection_names_the_host() -> None:
    port = closed_port()
    async with AsyncClient(f"http://127.0.0.1:{port}", max_retries=0, cdi_version="5.4") as c:
        with pytest.raises(CoreUnavailableError) as caught:
            await c.get_user_metadata("alice")
    assert caught.value.failures[0][0] == f"http://127.0.0.1:{port}"
    assert "ConnectError" in str(caught.value)


async def test_real_http_round_trip() -> None:
    """A client on its own connection pool, to a core over loopback HTTP."""
    with LocalCore() as core:
        calls = Calls(inner=LocalCoreTransport(core))
        with serve(calls) as url:
            async with AsyncClient(url, api_key=API_KEY) as client:
                await client.update_user_metadata("alice", {"a": 1})
                assert (await client.get_user_metadata("alice")).metadata == {"a": 1}
    assert calls == ["GET /apiversion", "PUT /recipe/user/metadata", "GET /recipe/user/metadata"]
    assert calls.infos[-1].headers["api-key"] == API_KEY


async def test_failover_skips_a_dead_host_and_remembers_it(calls: Calls) -> None:
    dead = "http://dead.test:3567"
    url = f"{dead};{CORE_URL};http://spare.test:3567"
    with respx.mock(assert_all_called=False) as router:
        down = router.route(host="dead.test").mock(side_effect=httpx.ConnectError("refused"))
        spare = router.route(host="spare.test").mock(side_effect=calls.handle_request)
        router.route(host="core.test").mock(side_effect=calls.handle_request)
        async with AsyncClient(url, cdi_version="5.4") as client:
            for _ in range(3):
                assert (await client.get_user_metadata("alice")).metadata == {}
    assert down.call_count == 1  # the dead host rests after its first failure
    assert spare.call_count == 0
    assert calls == ["GET /recipe/user/metadata"] * 3


async def test_every_host_down_lists_each_reason() -> None:
    url = "http://a.test;http://b.test/appid-x;http://c.test"
    with respx.mock() as router:
        route = router.route().mock(side_effect=httpx.ConnectError("refused"))
        async with AsyncClient(url, max_retries=1, cdi_version="5.4") as client:
            with pytest.raises(CoreUnavailableError) as caught:
                await client.get_user_metadata("alice")
    assert [host for host, _ in caught.value.failures] == [
        "http://a.test",
        "http://b.test/appid-x",
        "http://c.test",
    ]
    assert route.call_count == 6  # three hosts, two rounds
    assert caught.value.path == "/recipe/user/metadata"


async def test_timeout_raises_core_timeout_error() -> None:
    with respx.mock() as router:
        router.get(CORE_URL + "/recipe/user/metadata").mock(side_effect=httpx.ReadTimeout("slow"))
        async with AsyncClient(CORE_URL, cdi_version="5.4", timeout=0.5) as client:
            with pytest.raises(CoreTimeoutError) as caught:
                await client.get_user_metadata("alice")
    assert caught.value.host == CORE_URL
    assert "ReadTimeout" in str(caught.value)


async def test_timeout_is_applied_to_each_request() -> None:
    """Each phase gets its configured limit, cut to what is left of the call's deadline."""
    seen: list[Any] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, json=METADATA_OK)

    with respx.mock() as router:
        router.get(CORE_URL + "/recipe/user/metadata").mock(side_effect=record)
        timeout = httpx.Timeout(3.0, connect=1.0)
        async with AsyncClient(CORE_URL, cdi_version="5.4", timeout=timeout) as client:
            await client.get_user_metadata("alice")
    (limits,) = seen
    assert 0.5 < limits["connect"] <= 1.0
    assert all(2.5 < limits[phase] <= 3.0 for phase in ("read", "write", "pool"))


async def test_429_honours_retry_after_then_succeeds() -> None:
    with respx.mock() as router:
        route = router.get(CORE_URL + "/recipe/user/metadata").mock(
            side_effect=[
                httpx.Response(429, headers={"retry-after": "0"}, text="Too many requests"),
                httpx.Response(200, json=METADATA_OK),
            ]
        )
        async with AsyncClient(CORE_URL, cdi_version="5.4") as client:
            assert (await client.get_user_metadata("alice")).metadata == {"k": "v"}
    assert route.call_count == 2


async def test_429_with_a_long_retry_after_is_not_waited_for() -> None:
    with respx.mock() as router:
        route = router.get(CORE_URL + "/recipe/user/metadata").respond(
            429, headers={"retry-after": "3600"}, text="Too many requests"
        )
        async with AsyncClient(CORE_URL, cdi_version="5.4") as client:
            with pytest.raises(CoreResponseError) as caught:
                await client.get_user_metadata("alice")
    assert route.call_count == 1
    assert caught.value.status_code == 429


async def test_500_then_success_is_retried() -> None:
    with respx.mock() as router:
        route = router.get(CORE_URL + "/recipe/user/metadata").mock(
            side_effect=[httpx.Response(500, text="boom"), httpx.Response(200, json=METADATA_OK)]
        )
        async with AsyncClient(CORE_URL, cdi_version="5.4") as client:
            assert (await client.get_user_metadata("alice")).metadata == {"k": "v"}
    assert route.call_count == 2


async def test_retries_are_bounded() -> None:
    with respx.mock() as router:
        route = router.get(CORE_URL + "/recipe/user/metadata").respond(503, text="down")
        async with AsyncClient(CORE_URL, cdi_version="5.4", max_retries=2) as client:
            with pytest.raises(CoreResponseError) as caught:
                await client.get_user_metadata("alice")
    assert route.call_count == 3
    assert (caught.value.status_code, caught.value.body) == (503, "down")


async def test_4xx_is_not_retried_and_says_what_failed() -> None:
    with respx.mock() as router:
        route = router.put(CORE_URL + "/recipe/user/metadata").respond(
            400, text=f"Invalid Json Input (key {API_KEY})"
        )
        async with AsyncClient(CORE_URL, api_key=API_KEY, cdi_version="5.4") as client:
            with pytest.raises(CoreResponseError) as caught:
                await client.update_user_metadata("alice", {"a": 1})
    error = caught.value
    assert route.call_count == 1
    assert (error.status_code, error.method, error.path, error.host) == (
        400,
        "PUT",
        "/recipe/user/metadata",
        CORE_URL,
    )
    assert "Invalid Json Input" in str(error)
    assert API_KEY not in str(error)
    assert API_KEY not in repr(error)
    assert API_KEY not in error.body


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"<html>oops</html>", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"status": "OK"}', "'metadata' is missing"),
        (b'{"status": "UNKNOWN_ERROR"}', "status 'UNKNOWN_ERROR'"),
    ],
)
async def test_unreadable_answers_raise_core_response_error(content: bytes, match: str) -> None:
    with respx.mock() as router:
        router.get(CORE_URL + "/recipe/user/metadata").respond(200, content=content)
        async with AsyncClient(CORE_URL, cdi_version="5.4") as client:
            with pytest.raises(CoreResponseError, match=match):
                await client.get_user_metadata("alice")


async def test_no_common_cdi_version() -> None:
    with respx.mock() as router:
        router.get(CORE_URL + "/apiversion").respond(200, json={"versions": ["2.21", "3.0"]})
        async with AsyncClient(CORE_URL) as client:
            with pytest.raises(IncompatibleCoreError) as caught:
                await client.get_user_metadata("alice")
    assert caught.value.core_versions == ("2.21", "3.0")
    assert "5.4" in caught.value.client_versions


@pytest.mark.usefixtures("calls")
async def test_hook_sees_each_attempt_without_the_api_key() -> None:
    seen: list[RequestInfo] = []
    context: dict[str, Any] = {"request_id": 7}
    async with AsyncClient(CORE_URL, api_key=API_KEY, on_request=seen.append) as client:
        await client.update_user_metadata("alice", {"a": 1}, context)
    assert [(i.method, i.url) for i in seen] == [
        ("GET", CORE_URL + "/apiversion"),
        ("PUT", CORE_URL + "/recipe/user/metadata"),
    ]
    assert seen[1].headers["api-key"] == "***"
    assert seen[1].user_context is context
    assert seen[1].body == b'{"userId":"alice","metadataUpdate":{"a":1}}'
    assert API_KEY not in repr(seen)
    assert "metadataUpdate" not in repr(seen)  # a body can hold tokens


@pytest.mark.usefixtures("calls")
async def test_one_debug_line_per_call_and_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="authclient")
    async with AsyncClient(CORE_URL, api_key=API_KEY, cdi_version="5.4") as client:
        await client.get_user_metadata("alice")
    lines = [r.getMessage() for r in caplog.records if r.name == "authclient.transport"]
    assert len(lines) == 1
    assert lines[0].startswith("GET /recipe/user/metadata -> 200 in ")
    assert "attempt 1" in lines[0]
    assert CORE_URL in lines[0]
    assert API_KEY not in caplog.text


async def test_repr_hides_the_api_key() -> None:
    client = AsyncClient(CORE_URL, api_key=API_KEY)
    assert API_KEY not in repr(client)
    assert "***" in repr(client)
    await client.aclose()


async def test_user_owned_http_client_is_used_and_left_open(calls: Calls) -> None:
    async with httpx.AsyncClient(headers={"x-team": "auth"}) as http:
        async with AsyncClient(CORE_URL, http_client=http) as client:
            await client.get_user_metadata("alice")
        assert not http.is_closed
    assert calls.infos[-1].headers["x-team"] == "auth"


@pytest.mark.parametrize(
    ("client_params", "query"),
    [
        ({}, "userId=al%C3%AFce+%26+bob"),
        ({"team": "auth"}, "team=auth&userId=al%C3%AFce+%26+bob"),
        ({"userId": "theirs"}, "userId=al%C3%AFce+%26+bob"),
    ],
)
async def test_the_query_is_sent_as_httpx_encodes_params(
    client_params: dict[str, str], query: str
) -> None:
    """The call's query, written into the URL, reads as httpx's params= gives it; the user's
    http_client's own params are merged as httpx merges them (the call's win)."""
    seen: list[httpx.URL] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url)
        return httpx.Response(200, json=METADATA_OK)

    mock = httpx.MockTransport(answer)
    async with httpx.AsyncClient(transport=mock, params=client_params) as http:
        async with AsyncClient(CORE_URL, http_client=http, cdi_version="5.4") as client:
            await client.get_user_metadata("al\u00efce & bob")
    assert seen[0].query.decode() == query
    assert seen[0].path == "/recipe/user/metadata"


async def test_closed_client_refuses_calls(calls: Calls) -> None:
    client = AsyncClient(CORE_URL)
    await client.aclose()
    with pytest.raises(ClientClosedError):
        await client.get_user_metadata("alice")
    assert calls == []


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"connection_uri": "localhost:3567"}, ValueError),
        ({"connection_uri": " ; "}, ValueError),
        ({"connection_uri": "http://user:pw@core.test"}, ValueError),
        ({"timeout": 0}, ValueError),
        ({"max_retries": -1}, ValueError),
        ({"cdi_version": "1.0"}, ValueError),
        ({"api_key": ""}, TypeError),
        ({"http_client": object()}, TypeError),
        ({"overrides": {"usermetadata": None}}, TypeError),
    ],
)
async def test_bad_configuration_fails_at_construction(kwargs: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        AsyncClient(**kwargs)


async def test_override_returning_none_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="usermetadata override returned None"):
        AsyncClient(CORE_URL, overrides=Overrides(usermetadata=lambda original: None))  # type: ignore[arg-type, return-value]  # pyright: ignore[reportArgumentType]


async def test_a_missing_and_a_wrong_api_key_read_differently() -> None:
    """401 without a key says how to give one; 401 with a key says it was refused."""
    with respx.mock() as router:
        router.get(CORE_URL + "/recipe/user/metadata").respond(401, text="Invalid API key")
        async with AsyncClient(CORE_URL, cdi_version="5.4") as client:
            with pytest.raises(CoreResponseError, match="AUTHCLIENT_API_KEY") as missing:
                await client.get_user_metadata("alice")
        async with AsyncClient(CORE_URL, cdi_version="5.4", api_key="a-wrong-key-123") as client:
            with pytest.raises(CoreResponseError, match="refused the api key") as wrong:
                await client.get_user_metadata("alice")
    assert "api_key=" in str(missing.value)
    assert "a-wrong-key-123" not in str(wrong.value)


async def test_an_html_page_is_cut_short_with_a_hint() -> None:
    """An ordinary web server's HTML page: a short body and "is this a SuperTokens core?"."""
    page = "<!DOCTYPE html><html><body>" + "x" * 5000 + "</body></html>"
    with respx.mock() as router:
        router.get(CORE_URL + "/recipe/user/metadata").respond(404, html=page)
        async with AsyncClient(CORE_URL, cdi_version="5.4") as client:
            with pytest.raises(CoreResponseError, match="SuperTokens core") as caught:
                await client.get_user_metadata("alice")
    assert len(caught.value.body) <= 200
    assert len(str(caught.value)) < 600


async def test_the_apiversion_call_gets_the_callers_user_context() -> None:
    """The on_request hook sees the same user_context dict on /apiversion as on the call."""
    seen: list[tuple[str, int]] = []

    def record(info: RequestInfo) -> None:
        seen.append((info.url.split("?")[0].rsplit("/", 1)[-1], id(info.user_context)))

    context: dict[str, Any] = {"mark": 1}
    with respx.mock() as router:
        router.get(CORE_URL + "/apiversion").respond(json={"versions": ["5.4"]})
        router.get(CORE_URL + "/recipe/user/metadata").respond(json=METADATA_OK)
        async with AsyncClient(CORE_URL, on_request=record) as client:
            await client.get_user_metadata("alice", user_context=context)
    assert seen == [("apiversion", id(context)), ("metadata", id(context))]
