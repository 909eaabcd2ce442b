"""``authclient localcore serve``: the port and the database are checked, with clear errors."""

from __future__ import annotations

import errno
import os
import socket
import sqlite3
from typing import Optional

from authclient._cli.exits import ServeError

_UVICORN_STARTUP_FAILURE = 3  # uvicorn's exit code when it cannot bind or start


def check_port(host: str, port: int) -> None:
    """Raise ``ServeError`` unless ``host:port`` can be listened on (as uvicorn binds it)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    with socket.socket(family, kind, proto) as sock:
        # uvicorn sets SO_REUSEADDR too, so a port in TIME_WAIT is not "in use".
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ServeError(f"port {port} is in use (on {host})") from None
            raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def _database_error(db: str, exc: sqlite3.Error) -> ServeError:
    directory = os.path.dirname(os.path.abspath(db))
    hint = "" if os.path.isdir(directory) else f" (the directory {directory!r} does not exist)"
    return ServeError(f"cannot open the database {db!r}: {exc}{hint}")


def serve_local_core(host: str, port: int, db: str, api_key: Optional[str]) -> None:
    """Serve until interrupted; ``ServeError`` if the server cannot start."""
    from authclient.localcore import serve

    check_port(host, port)
    try:
        serve(host=host, port=port, db=db, api_key=api_key)
    except sqlite3.Error as exc:
        raise _database_error(db, exc) from None
    except SystemExit as exit:
        # The port was taken between the check and uvicorn's bind (uvicorn logged why).
        if exit.code == _UVICORN_STARTUP_FAILURE:
            raise ServeError(f"the server could not start on {host}:{port}") from None
        raise
