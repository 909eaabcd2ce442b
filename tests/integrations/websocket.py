"""A minimal ASGI WebSocket client: connect, then record what the app sends until it closes."""

from __future__ import annotations

from typing import Any

import anyio


async def websocket_messages(app: Any, path: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    """Every message the app sends on one WebSocket connection (``websocket.send`` and the
    close included); the client sends nothing after connecting, then disconnects."""
    scope = {
        "type": "websocket",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "scheme": "ws",
        "http_version": "1.1",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (k.lower().encode(), v.encode())
            for k, v in {"host": "api.example.com", **headers}.items()
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("api.example.com", 80),
        "subprotocols": [],
        "state": {},
    }
    sent: list[dict[str, Any]] = []
    closed = anyio.Event()
    connected = False

    async def receive() -> dict[str, Any]:
        nonlocal connected
        if not connected:
            connected = True
            return {"type": "websocket.connect"}
        await closed.wait()
        return {"type": "websocket.disconnect", "code": 1000}

    async def send(message: dict[str, Any]) -> None:
        sent.append(dict(message))
        if message["type"] == "websocket.close":
            closed.set()

    with anyio.fail_after(10):
        await app(scope, receive, send)
    return [_plain(m) for m in sent]


def _plain(message: dict[str, Any]) -> dict[str, Any]:
    """The message without empty optional keys (headers, subprotocol, bytes)."""
    return {k: v for k, v in message.items() if v not in (None, [], b"") or k == "type"}
