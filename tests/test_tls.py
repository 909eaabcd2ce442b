"""The SSL contexts of authclient's own connections: one per process, none loaded for http://."""

from __future__ import annotations

import ssl

from authclient._protocol.hosts import parse_connection_uri
from authclient._tls import ssl_context_for

HTTP_ONLY = parse_connection_uri("http://a.test:3567;http://b.test:3567")
WITH_HTTPS = parse_connection_uri("http://a.test:3567;https://b.test")


def test_clients_of_https_hosts_share_one_context() -> None:
    """Every client with an https:// host gets the same context: the CAs load once."""
    assert ssl_context_for(WITH_HTTPS) is ssl_context_for(parse_connection_uri("https://c.test"))


def test_the_context_for_https_hosts_trusts_the_default_cas() -> None:
    """The shared context verifies servers against the CA certificates httpx would load."""
    context = ssl_context_for(WITH_HTTPS)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 0


def test_http_only_hosts_get_a_context_that_loads_no_certificates() -> None:
    """Hosts that are all http:// never handshake: their context loads no CA certificate."""
    context = ssl_context_for(HTTP_ONLY)
    assert context.cert_store_stats()["x509_ca"] == 0
    assert context is not ssl_context_for(WITH_HTTPS)


def test_the_context_without_certificates_would_still_refuse_any_server() -> None:
    """Were it ever used, the http-only context checks certificates and names (against no CA)."""
    context = ssl_context_for(HTTP_ONLY)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context is ssl_context_for(parse_connection_uri("http://c.test"))
