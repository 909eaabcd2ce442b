"""A fast loopback stand-in for the core: stdlib asyncio, HTTP/1.1 keep-alive, fixed JSON answers.

It answers the four endpoints the metadata benchmark uses and 404s everything else. It stores
nothing. It runs in its own process (``serve_in_subprocess``) so that it does not share the GIL
with the clients being measured.

Run it by hand with ``python benchmarks/server.py [--port PORT]``; it prints ``LISTENING <url>``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
from collections.abc import Generator
from pathlib import Path
from typing import Optional

HOST = "127.0.0.1"
READY_PREFIX = "LISTENING "
MAX_HEAD_BYTES = 64 * 1024
METADATA = {"theme": "dark", "plan": "pro", "seats": 3}


def _response(status: str, body: object, *, close: bool = False) -> bytes:
    payload = json.dumps(body, separators=(",", ":")).encode()
    head = [
        f"HTTP/1.1 {status}",
        "content-type: application/json",
        f"content-length: {len(payload)}",
    ]
    if close:
        head.append("connection: close")
    return ("\r\n".join(head) + "\r\n\r\n").encode("ascii") + payload


# (method, path without the query) -> the complete response, built once.
ROUTES: dict[tuple[bytes, bytes], bytes] = {
    (b"GET", b"/apiversion"): _response("200 OK", {"versions": ["5.4"]}),
    (b"GET", b"/recipe/user/metadata"): _response("200 OK", {"status": "OK", "metadata": METADATA}),
    (b"PUT", b"/recipe/user/metadata"): _response("200 OK", {"status": "OK", "metadata": METADATA}),
    (b"POST", b"/recipe/user/metadata/remove"): _response("200 OK", {"status": "OK"}),
}
NOT_FOUND = _response("404 Not Found", {"message": "not found"})
BAD_REQUEST = _response("400 Bad Request", {"message": "bad request"}, close=True)


class _Head:
    """The parts of a request head the server acts on."""

    __slots__ = ("close", "content_length", "method", "path")

    def __init__(self, method: bytes, path: bytes, content_length: int, close: bool) -> None:
        self.method = method
        self.path = path
        self.content_length = content_length
        self.close = close


def parse_head(head: bytes) -> Optional[_Head]:
    """Parse a request line and headers (without the blank line); ``None`` if malformed."""
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ")
    if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
        return None
    method, target, version = parts
    content_length = 0
    close = version == b"HTTP/1.0"
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if not sep:
            return None
        name = name.strip().lower()
        if name == b"content-length":
            value = value.strip()
            if not value.isdigit():
                return None
            content_length = int(value)
        elif name == b"transfer-encoding":
            return None  # chunked request bodies are not needed here
        elif name == b"connection":
            close = value.strip().lower() == b"close"
    return _Head(method, target.partition(b"?")[0], content_length, close)


class CoreProtocol(asyncio.Protocol):
    """One connection: parses pipelined requests out of a buffer and answers each in order."""

    def __init__(self) -> None:
        self._transport: Optional[asyncio.Transport] = None
        self._buffer = bytearray()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while self._transport is not None and self._answer_one():
            pass

    def _answer_one(self) -> bool:
        """Answer the first complete request in the buffer; ``False`` if there is none."""
        buffer = self._buffer
        end = buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(buffer) > MAX_HEAD_BYTES:
                self._fail()
            return False
        head = parse_head(bytes(buffer[:end]))
        if head is None:
            self._fail()
            return False
        size = end + 4 + head.content_length
        if len(buffer) < size:
            return False
        del buffer[:size]
        assert self._transport is not None
        self._transport.write(ROUTES.get((head.method, head.path), NOT_FOUND))
        if head.close:
            self._close()
            return False
        return True

    def _fail(self) -> None:
        if self._transport is not None:
            self._transport.write(BAD_REQUEST)
        self._close()

    def _close(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    def connection_lost(self, exc: Optional[Exception]) -> None:
        self._transport = None


async def serve(port: int = 0) -> None:
    """Serve on 127.0.0.1:``port``, print the URL, and stop when stdin closes (the parent left)."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(CoreProtocol, HOST, port, backlog=1024)
    bound = server.sockets[0].getsockname()[1]
    print(f"{READY_PREFIX}http://{HOST}:{bound}", flush=True)
    async with server:
        await _stdin_closed()


async def _stdin_closed() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while await reader.read(4096):
        pass


@contextlib.contextmanager
def serve_in_subprocess(timeout: float = 10.0) -> Generator[str, None, None]:
    """Run the server in a child process; yield its base URL; stop the child on exit."""
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve())],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith(READY_PREFIX):
            raise RuntimeError(f"the benchmark server did not start (it printed {line!r})")
        yield line[len(READY_PREFIX) :].strip()
    finally:
        _stop(process, timeout)


def _stop(process: subprocess.Popen[str], timeout: float) -> None:
    if process.stdin is not None:
        process.stdin.close()  # the child stops on its own when its stdin closes
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stdout is not None:
        process.stdout.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free one)")
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.port))


if __name__ == "__main__":
    main()
