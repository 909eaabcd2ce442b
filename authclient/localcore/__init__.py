"""A local, CDI-compatible core for development, demos and tests.

It speaks the Core Driver Interface (up to CDI 5.4) for user metadata, sessions and JWTs for
other services (``POST /recipe/jwt``) like the real SuperTokens core does, stores everything in SQLite (a file, or memory), and can be served
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
``access_token_dynamic_signing_key_update_interval`` (hours), ``refresh_token_validity``
(minutes) and ``api_keys``. Tenants are made with ``PUT /recipe/multitenancy/tenant/v2``
(under ``/appid-<id>`` for another app's); a request for a tenant that does not exist is
answered HTTP 400, as the real core does.

Where the local core knowingly differs from the real core:

- Making apps and tenants needs no license (the real core answers 402 without one).
- An app that does not exist is guarded by the core's own API keys: without one of them the
  answer is 401 (the real core, having no app to take keys from, answers 400).
- Request bodies over ``max_body_bytes`` (1 MiB by default) are refused with 413 before they
  are read in full; the real core has no limit.
- The JSON the real core's lenient parser takes but JSON does not allow is refused with 400
  ``Invalid Json Input``: ``NaN``/``Infinity`` (the real core stores them as strings), numbers
  beyond a double, single quotes, unquoted names. So are lone surrogate escapes (the real core
  stores them as ``?``) and nesting deeper than 128 levels (the real core fails with 500 at a
  few thousand).
- ``/apiversion`` lists CDI 2.7 to 5.4 in order; error bodies are ``text/plain`` without the
  real core's trailing newline; ``/hello`` is not served.
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
