"""A small misbehaving core on 127.0.0.1, for tests of what the client does when the core does not
play along: it trickles, hangs, answers hugely, echoes secrets back, or resets the connection.

``HostileCore(behaviour)`` is a context manager; ``.url`` is its address and ``.requests`` the
raw requests it received. ``refused_url()`` is an address where nothing listens.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from collections.abc import Generator
from contextlib import contextmanager
from typing import Literal
from urllib.parse import quote

Behaviour = Literal[
    "ok",
    "trickle-headers",
    "trickle-body",
    "hung",
    "huge",
    "huge-undeclared",
    "echo",
    "reset",
    "close-after-answer",
]

OK_BODY = json.dumps({"status": "OK", "metadata": {"from": "hostile"}}).encode()
TRICKLE_SECONDS = 0.2
"""A trickling core sends one byte this often: a whole answer takes tens of seconds."""
HUGE_BYTES = 200 * 1024 * 1024


class HostileCore:
    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.requests: list[bytes] = []
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._threads: list[threading.Thread] = []
        self.closed = threading.Semaphore(0)  # released when a connection has been closed

    def __enter__(self) -> HostileCore:
        accept = threading.Thread(target=self._accept, daemon=True)
        accept.start()
        self._threads.append(accept)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                continue
            worker = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            worker.start()
            self._threads.append(worker)

    def _serve(self, conn: socket.socket) -> None:
        try:
            with conn:
                conn.settimeout(1.0)
                while not self._stop.is_set():
                    request = _read_request(conn)
                    if request is None:
                        return
                    self.requests.append(request)
                    if not self._answer(conn, request):
                        return
        except OSError:
            return
        finally:
            self.closed.release()

    def _answer(self, conn: socket.socket, request: bytes) -> bool:
        """Act out the behaviour for one request; False when the connection is done."""
        behaviour = self.behaviour
        if behaviour == "ok":
            conn.sendall(_response(200, OK_BODY))
            return True
        if behaviour == "close-after-answer":  # a keep-alive answer, then the core hangs up
            conn.sendall(_response(200, OK_BODY))
            return False
        if behaviour == "trickle-headers":
            self._trickle(conn, _response(200, OK_BODY))
            return False
        if behaviour == "trickle-body":
            head, body = _response(200, OK_BODY).split(b"\r\n\r\n", 1)
            conn.sendall(head + b"\r\n\r\n")
            self._trickle(conn, body)
            return False
        if behaviour == "hung":
            self._stop.wait()
            return False
        if behaviour == "huge":
            header = f"HTTP/1.1 200 OK\r\ncontent-length: {HUGE_BYTES}\r\n\r\n".encode()
            conn.sendall(header)
            self._stream_junk(conn)
            return False
        if behaviour == "huge-undeclared":
            conn.sendall(b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n")
            self._stream_junk(conn)
            return False
        if behaviour == "echo":
            text = request.decode("utf-8", "replace")
            forms = [text, json.dumps(text), quote(text, safe="")]
            conn.sendall(_response(500, "\n".join(forms).encode(), "text/plain"))
            return True
        assert behaviour == "reset"
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        return False

    def _trickle(self, conn: socket.socket, data: bytes) -> None:
        for index in range(len(data)):
            if self._stop.wait(TRICKLE_SECONDS):
                return
            conn.sendall(data[index : index + 1])

    def _stream_junk(self, conn: socket.socket) -> None:
        chunk = b"x" * 65536
        for _ in range(HUGE_BYTES // len(chunk)):
            if self._stop.is_set():
                return
            conn.sendall(chunk)


def _read_request(conn: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        try:
            chunk = conn.recv(65536)
        except socket.timeout:
            continue
        if not chunk:
            return None
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    deadline = time.monotonic() + 5
    while len(body) < length and time.monotonic() < deadline:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def _response(status: int, body: bytes, content_type: str = "application/json") -> bytes:
    head = (
        f"HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\n"
        f"content-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def refused_url() -> str:
    """An address on 127.0.0.1 where nothing listens (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@contextmanager
def hostile_cores(*behaviours: Behaviour) -> Generator[list[HostileCore], None, None]:
    """Several hostile cores at once, stopped together."""
    cores = [HostileCore(behaviour) for behaviour in behaviours]
    for core in cores:
        core.__enter__()
    try:
        yield cores
    finally:
        for core in cores:
            core.__exit__(None, None, None)
