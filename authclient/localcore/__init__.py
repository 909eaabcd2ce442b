"""A local, CDI-compatible core for development, demos and tests.

It speaks the Core Driver Interface (up to CDI 5.4) for user metadata and sessions like the
real SuperTokens core does, stores everything in SQLite (a file, or memory), and can be served
three ways:

- in-process, as an httpx transport for ``httpx.Client`` and ``httpx.AsyncClient``::

      from authclient.localcore import LocalCore, LocalCoreTransport
      http = httpx.Client(transport=LocalCoreTransport(LocalCore()), base_url="http://core")

- over HTTP, blocking (``serve(port=3567, db="core.db")``) or from a background thread::

      with start_in_thread() as running:
          ...  # running.url is the connection URI

  (both need uvicorn: ``pip install 'authclient[server]'``);

- as an ASGI application, ``LocalCoreApp(core)``, under any ASGI server.

``LocalCore.handle(LocalRequest(...)) -> LocalResponse`` is the sans-I/O handler beneath all
three. Apps made with ``PUT /recipe/multitenancy/app/v2`` are addressed under
``/appid-<id>`` and take the core-config keys ``access_token_validity`` (seconds),
``access_token_dynamic_signing_key_update_interval`` (hours) and ``refresh_token_validity``
(minutes).
"""

from authclient.localcore._wire import LocalRequest, LocalResponse
from authclient.localcore.asgi import LocalCoreApp
from authclient.localcore.config import SUPPORTED_CDI_VERSIONS
from authclient.localcore.handler import LocalCore
from authclient.localcore.server import RunningCore, serve, start_in_thread
from authclient.localcore.transport import LocalCoreTransport

__all__ = [
    "SUPPORTED_CDI_VERSIONS",
    "LocalCore",
    "LocalCoreApp",
    "LocalCoreTransport",
    "LocalRequest",
    "LocalResponse",
    "RunningCore",
    "serve",
    "start_in_thread",
]
