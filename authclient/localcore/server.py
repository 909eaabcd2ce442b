"""The local core over real HTTP, with uvicorn (the optional extra ``authclient[server]``)."""

from __future__ import annotations

import importlib.util
import socket
import threading
import time
from typing import TYPE_CHECKING, Any, Optional

from authclient.localcore.asgi import LocalCoreApp
from authclient.localcore.handler import LocalCore

if TYPE_CHECKING:
    import uvicorn

STARTUP_TIMEOUT_SECONDS = 10.0


def _require_uvicorn() -> None:
    if importlib.util.find_spec("uvicorn") is None:
        raise RuntimeError(
            "serving the local core over HTTP needs uvicorn: pip install 'authclient[server]'"
        )


def _server(core: LocalCore, **options: Any) -> uvicorn.Server:
    _require_uvicorn()
    import uvicorn

    config = uvicorn.Config(LocalCoreApp(core), lifespan="on", ws="none", http="h11", **options)
    return uvicorn.Server(config)


def serve(
    host: str = "127.0.0.1", port: int = 3567, db: str = ":memory:", api_key: Optional[str] = None
) -> None:
    """Serve a local core at ``http://<host>:<port>`` until interrupted (Ctrl+C).

    ``db`` is a SQLite file to keep keys, sessions and metadata across restarts, or
    ``":memory:"``; ``api_key``, if set (several keys: comma-separated), is required on every
    call but the JWKS.
    """
    with LocalCore(db, api_key=api_key) as core:
        _server(core, host=host, port=port).run()


class RunningCore:
    """A local core served over HTTP in a background thread (see ``start_in_thread``)."""

    def __init__(
        self,
        core: LocalCore,
        url: str,
        server: uvicorn.Server,
        thread: threading.Thread,
        *,
        owns_core: bool,
    ) -> None:
        self.core = core
        self.url = url
        """The base URL, e.g. ``http://127.0.0.1:54321``: use it as the connection URI."""
        self._server = server
        self._thread = thread
        self._owns_core = owns_core

    def __enter__(self) -> RunningCore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop the server and wait for its thread (and close the core, if it made it)."""
        self._server.should_exit = True
        self._thread.join(STARTUP_TIMEOUT_SECONDS)
        if self._owns_core:
            self.core.close()


def start_in_thread(
    db: str = ":memory:", api_key: Optional[str] = None, *, core: Optional[LocalCore] = None
) -> RunningCore:
    """Serve a local core on a free port of 127.0.0.1 from a background thread.

    Returns once the server accepts connections; use the result as a context manager (or call
    ``stop()``) to shut it down::

        with start_in_thread() as running:
            client = Client(running.url)

    Pass ``core`` to serve an existing ``LocalCore`` (``db`` and ``api_key`` are then unused);
    otherwise one is made, and closed on stop.
    """
    _require_uvicorn()  # fail before anything is made
    owns_core = core is None
    if core is None:
        core = LocalCore(db, api_key=api_key)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        server = _server(core, log_config=None, log_level="warning", access_log=False)
        thread = threading.Thread(
            target=server.run,
            kwargs={"sockets": [listener]},
            name="authclient-localcore",
            daemon=True,
        )
        thread.start()
    except BaseException:
        listener.close()
        if owns_core:
            core.close()
        raise
    running = RunningCore(core, url, server, thread, owns_core=owns_core)
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            running.stop()
            listener.close()
            raise RuntimeError("the local core's HTTP server did not start")
        time.sleep(0.005)
    return running
