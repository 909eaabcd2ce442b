"""The SSL contexts of authclient's own connections: made once per process, when first needed.

Loading the trusted CA certificates takes tens of milliseconds, as much as a whole request to a
core nearby. A context made per client made every new client pay it, and the async default
client is new in every event loop: each ``asyncio.run(get_user_metadata(...))`` of a script or
a serverless handler paid it again. Every client of the process now shares one context; a
context can serve any number of connections, threads and event loops at once.

Clients whose hosts are all ``http://`` never make a TLS connection, so they get a context that
loads no certificates at all (and would refuse any server, having no CA to trust).
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterable
from typing import Optional

from authclient._protocol.hosts import Host

_lock = threading.Lock()
_verifying: Optional[ssl.SSLContext] = None
_without_tls: Optional[ssl.SSLContext] = None


def ssl_context_for(hosts: Iterable[Host]) -> ssl.SSLContext:
    """The process's shared context for connections to ``hosts``.

    With an ``https://`` host: httpx's default context (certifi's CAs, or ``SSL_CERT_FILE`` /
    ``SSL_CERT_DIR`` as set when the first such client connects). Otherwise one that loads
    nothing.
    """
    if any(host.domain.startswith("https://") for host in hosts):
        return _verifying_context()
    return _no_tls_context()


def _verifying_context() -> ssl.SSLContext:
    global _verifying
    with _lock:
        if _verifying is None:
            import httpx

            _verifying = httpx.create_ssl_context()
        return _verifying


def _no_tls_context() -> ssl.SSLContext:
    global _without_tls
    with _lock:
        if _without_tls is None:
            # Certificates and host names would be checked, against no CA: never a handshake.
            _without_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        return _without_tls
