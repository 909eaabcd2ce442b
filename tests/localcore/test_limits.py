"""Hostile input: oversized bodies (413) and JSON that is not strict JSON (400), never a 500."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator, Iterator, MutableMapping
from typing import Any

import httpx
import pytest

from authclient.localcore import LocalCore, LocalCoreApp, LocalCoreTransport, LocalRequest
from authclient.localcore._json import MAX_JSON_DEPTH
from tests.localcore._helpers import client, ok

LIMIT = 1000
METADATA = "/recipe/user/metadata"


@pytest.fixture(scope="module")
def small() -> Iterator[LocalCore]:
    """A core that takes bodies of up to ``LIMIT`` bytes."""
    with LocalCore(max_body_bytes=LIMIT) as core:
        yield core


def _update_body(user_id: str, size: int) -> bytes:
    """A metadata update of exactly ``size`` bytes."""
    empty = json.dumps({"userId": user_id, "metadataUpdate": {"a": ""}}).encode()
    return json.dumps(
        {"userId": user_id, "metadataUpdate": {"a": "x" * (size - len(empty))}}
    ).encode()


def _stored(core: LocalCore, user_id: str) -> Any:
    return core.handle(LocalRequest("GET", METADATA, {"userId": user_id})).json()["metadata"]


def _assert_too_large(status: int, text: str, limit: int = LIMIT) -> None:
    assert (status, text) == (413, f"Request body too large: the limit is {limit} bytes")


def test_the_default_limit_is_one_mebibyte(core: LocalCore, user_id: str) -> None:
    """1 MiB is answered; one byte more is a 413 and nothing is stored."""
    assert core.max_body_bytes == 1024 * 1024
    with client(core) as http:
        ok(http.put(METADATA, content=_update_body(user_id, 1024 * 1024)))
        ok(http.post(METADATA + "/remove", json={"userId": user_id}))
        response = http.put(METADATA, content=_update_body(user_id, 1024 * 1024 + 1))
    _assert_too_large(response.status_code, response.text, 1024 * 1024)
    assert _stored(core, user_id) == {}


def test_the_handler_refuses_a_body_over_the_limit(small: LocalCore, user_id: str) -> None:
    """``LocalCore.handle`` itself checks: a body at the limit is served, one byte more is not."""
    at_limit = small.handle(LocalRequest("PUT", METADATA, body=_update_body(user_id, LIMIT)))
    assert at_limit.status == 200
    small.handle(
        LocalRequest("POST", METADATA + "/remove", body=b'{"userId": "%s"}' % user_id.encode())
    )
    over = small.handle(LocalRequest("PUT", METADATA, body=_update_body(user_id, LIMIT + 1)))
    _assert_too_large(over.status, over.text)
    assert _stored(small, user_id) == {}


def test_the_transport_stops_reading_a_streamed_body_at_the_limit(
    small: LocalCore, user_id: str
) -> None:
    """A streamed body (no Content-Length) is not read past the limit."""
    pulled: list[int] = []

    def chunks() -> Iterator[bytes]:
        for index in range(100):
            pulled.append(index)
            yield b"x" * 100

    with client(small) as http:
        response = http.put(METADATA, content=chunks())
    _assert_too_large(response.status_code, response.text)
    assert len(pulled) == LIMIT // 100 + 1


def test_the_async_transport_stops_reading_too(small: LocalCore) -> None:
    """The same for ``httpx.AsyncClient``."""
    pulled: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        for index in range(100):
            pulled.append(index)
            yield b"x" * 100

    async def main() -> httpx.Response:
        transport = LocalCoreTransport(small)
        async with httpx.AsyncClient(transport=transport, base_url="http://core") as http:
            return await http.put(METADATA, content=chunks())

    response = asyncio.run(main())
    _assert_too_large(response.status_code, response.text)
    assert len(pulled) == LIMIT // 100 + 1


async def _asgi(
    core: LocalCore, messages: list[dict[str, Any]], headers: list[tuple[bytes, bytes]]
) -> tuple[int, bytes, int]:
    """Drive the ASGI app by hand: (status, body, how many request messages it read)."""
    read = 0
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal read
        read += 1
        return messages[read - 1]

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "PUT",
        "path": METADATA,
        "query_string": b"",
        "headers": headers,
    }
    await LocalCoreApp(core)(scope, receive, send)
    return sent[0]["status"], sent[1]["body"], read


def test_the_asgi_app_refuses_a_declared_length_without_reading(small: LocalCore) -> None:
    """A Content-Length over the limit is answered before any of the body is read."""
    headers = [(b"content-length", str(LIMIT + 1).encode())]
    status, body, read = asyncio.run(_asgi(small, [], headers))
    _assert_too_large(status, body.decode())
    assert read == 0


def test_the_asgi_app_stops_reading_chunks_at_the_limit(small: LocalCore, user_id: str) -> None:
    """A chunked body is read only until it passes the limit, and nothing is stored."""
    body = _update_body(user_id, 20 * LIMIT)
    messages = [
        {"type": "http.request", "body": body[i : i + 300], "more_body": i + 300 < len(body)}
        for i in range(0, len(body), 300)
    ]
    status, answer, read = asyncio.run(_asgi(small, messages, []))
    _assert_too_large(status, answer.decode())
    assert read == LIMIT // 300 + 1
    assert _stored(small, user_id) == {}


def test_a_real_server_answers_413(small: LocalCore) -> None:
    """Over real HTTP (uvicorn) too."""
    pytest.importorskip("uvicorn")
    from authclient.localcore import start_in_thread

    with start_in_thread(core=small) as running, httpx.Client(base_url=running.url) as http:
        response = http.put(METADATA, content=b"x" * (LIMIT * 50))
    _assert_too_large(response.status_code, response.text)


@pytest.mark.parametrize("value", [0, -1])
def test_the_limit_must_be_positive(value: int) -> None:
    """``max_body_bytes`` below one is a ValueError."""
    with pytest.raises(ValueError, match="max_body_bytes"):
        LocalCore(max_body_bytes=value)


def _nested(depth: int, kind: str = "[") -> str:
    if kind == "[":
        return "[" * depth + "]" * depth
    return '{"a":' * depth + "1" + "}" * depth


@pytest.mark.parametrize("kind", ["[", "{"])
def test_deep_nesting_is_invalid_json_not_a_crash(
    http: httpx.Client, user_id: str, kind: str
) -> None:
    """10,000 levels (a RecursionError once) are a 400 ``Invalid Json Input``; nothing is stored."""
    body = f'{{"userId":"{user_id}","metadataUpdate":{{"a":{_nested(10_000, kind)}}}}}'
    response = http.put(METADATA, content=body)
    assert (response.status_code, response.text) == (400, "Invalid Json Input")
    assert ok(http.get(METADATA, params={"userId": user_id}))["metadata"] == {}


def test_nesting_up_to_the_limit_is_served(http: httpx.Client, user_id: str) -> None:
    """The body may nest ``MAX_JSON_DEPTH`` levels in all; one more is refused."""
    inner = MAX_JSON_DEPTH - 2  # the body object and metadataUpdate are two levels
    for depth, status in ((inner, 200), (inner + 1, 400)):
        body = f'{{"userId":"{user_id}","metadataUpdate":{{"a":{_nested(depth)}}}}}'
        assert http.put(METADATA, content=body).status_code == status


def test_brackets_inside_strings_do_not_count(http: httpx.Client, user_id: str) -> None:
    """Only real nesting counts: a string full of brackets (and escaped quotes) is fine."""
    text = '[{"\\"' * 1000
    body = json.dumps({"userId": user_id, "metadataUpdate": {"a": text}})
    assert ok(http.put(METADATA, content=body))["metadata"] == {"a": text}


@pytest.mark.parametrize(
    "update",
    [
        '{"a":"\\ud800"}',
        '{"a":"x\\udfffy"}',
        '{"\\udc00":1}',
        '{"a":["\\ud83d"]}',
        '{"a":NaN}',
        '{"a":Infinity}',
        '{"a":-Infinity}',
        '{"a":1e999}',
        '{"a":1}  trailing',
        "{'a':1}",
    ],
)
def test_what_is_not_strict_json_is_400(http: httpx.Client, user_id: str, update: str) -> None:
    """Lone surrogates, NaN/Infinity and overflowing numbers are refused, never stored."""
    response = http.put(METADATA, content=f'{{"userId":"{user_id}","metadataUpdate":{update}}}')
    assert (response.status_code, response.text) == (400, "Invalid Json Input")
    assert ok(http.get(METADATA, params={"userId": user_id}))["metadata"] == {}


def test_surrogate_pairs_and_big_integers_round_trip(http: httpx.Client, user_id: str) -> None:
    """An escaped pair is one character; an integer beyond 64 bits keeps every digit."""
    body = f'{{"userId":"{user_id}","metadataUpdate":{{"e":"\\ud83d\\ude00","n":12345678901234567890123}}}}'
    expected = {"e": "\U0001f600", "n": 12345678901234567890123}
    assert ok(http.put(METADATA, content=body))["metadata"] == expected
    assert ok(http.get(METADATA, params={"userId": user_id}))["metadata"] == expected


def test_a_token_with_a_hostile_payload_is_just_invalid(http: httpx.Client) -> None:
    """A forged access token nested 10,000 deep gets the token answers, not a 500."""
    header = base64.urlsafe_b64encode(b'{"alg":"RS256","typ":"JWT","kid":"d-1","version":"5"}')
    payload = base64.urlsafe_b64encode(('{"a":' + _nested(10_000) + "}").encode())
    token = f"{header.decode()}.{payload.decode()}.c2ln"
    verified = http.post(
        "/recipe/session/verify",
        json={
            "accessToken": token,
            "doAntiCsrfCheck": False,
            "enableAntiCsrf": False,
            "checkDatabase": False,
        },
    )
    assert verified.json()["status"] == "TRY_REFRESH_TOKEN"
    regenerated = http.post("/recipe/session/regenerate", json={"accessToken": token})
    assert regenerated.json()["status"] == "UNAUTHORISED"


def test_a_lone_surrogate_in_a_query_is_400(core: LocalCore) -> None:
    """Only ``handle()`` can be given one (transports decode queries); it is not a 500."""
    response = core.handle(LocalRequest("GET", METADATA, {"userId": "\ud800"}))
    assert (response.status, response.text) == (
        400,
        "Field name 'userId' is invalid in GET request",
    )
