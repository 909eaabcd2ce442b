"""Putting ``SessionCredentials`` into a framework's test client: "log in as" (sans-I/O).

Three kinds of test client are known, by what they are (no framework is imported here):

- httpx clients (``httpx.Client`` / ``httpx.AsyncClient``, so also Starlette's and FastAPI's
  ``TestClient`` and clients on ``httpx.ASGITransport`` / ``httpx.WSGITransport``; httpx2's
  alike): the cookie jar, or ``client.headers``;
- Werkzeug's (Flask's ``app.test_client()``): ``set_cookie``, or ``environ_base``;
- Django's (``django.test.Client`` / ``AsyncClient``): ``client.cookies``, or ``defaults``.
"""

from __future__ import annotations

from collections.abc import Mapping
from http.cookiejar import CookieJar
from http.cookies import SimpleCookie
from typing import Any, Optional

from authclient.testing._credentials import (
    ACCESS_TOKEN_COOKIE,
    REFRESH_TOKEN_COOKIE,
    SessionCredentials,
)

_TOKEN_HEADERS = ("authorization", "anti-csrf", "rid")


def install(test_client: object, credentials: SessionCredentials, domain: Optional[str]) -> None:
    """Make ``test_client``'s next requests carry ``credentials`` (replacing any session)."""
    if _httpx_like(test_client):
        _install_httpx(test_client, credentials, domain)
    elif hasattr(test_client, "environ_base") and hasattr(test_client, "set_cookie"):
        _install_werkzeug(test_client, credentials, domain)
    elif isinstance(getattr(test_client, "cookies", None), SimpleCookie) and isinstance(
        getattr(test_client, "defaults", None), dict
    ):
        _install_django(test_client, credentials)
    else:
        raise TypeError(
            f"cannot log a {type(test_client).__name__} in: expected an httpx client (or "
            "Starlette's TestClient), a Werkzeug/Flask test client or a Django test client"
        )


def _httpx_like(test_client: object) -> bool:
    """An httpx (or httpx2) client: a cookie jar, headers and a base URL."""
    jar = getattr(getattr(test_client, "cookies", None), "jar", None)
    return isinstance(jar, CookieJar) and hasattr(test_client, "base_url")


def _cookies(credentials: SessionCredentials) -> list[tuple[str, str, str]]:
    """(name, value, path) of the session cookies; none in header mode."""
    if credentials.transfer == "header":
        return []
    return [
        (ACCESS_TOKEN_COOKIE, credentials.access_token, "/"),
        (REFRESH_TOKEN_COOKIE, credentials.refresh_token, credentials.refresh_path),
    ]


def _jar_domain(client: Any, domain: Optional[str]) -> str:
    """The domain the jar files the app's own cookies under (a dotless host gets ``.local``)."""
    if domain is not None:
        return domain
    host = str(client.base_url.host) or "localhost"
    return host if "." in host else f"{host}.local"


def _install_httpx(client: Any, credentials: SessionCredentials, domain: Optional[str]) -> None:
    jar: CookieJar = client.cookies.jar
    for cookie in list(jar):
        if cookie.name in (ACCESS_TOKEN_COOKIE, REFRESH_TOKEN_COOKIE):
            jar.clear(cookie.domain, cookie.path, cookie.name)
    where = _jar_domain(client, domain)
    for name, value, path in _cookies(credentials):
        client.cookies.set(name, value, domain=where, path=path)
    for name in _TOKEN_HEADERS:
        client.headers.pop(name, None)
    client.headers.update(credentials.headers)


def _install_werkzeug(client: Any, credentials: SessionCredentials, domain: Optional[str]) -> None:
    where = "localhost" if domain is None else domain
    for name, path in (
        (ACCESS_TOKEN_COOKIE, "/"),
        (REFRESH_TOKEN_COOKIE, credentials.refresh_path),
    ):
        client.delete_cookie(name, domain=where, path=path)
    for name, value, path in _cookies(credentials):
        client.set_cookie(name, value, domain=where, path=path)
    environ: dict[str, Any] = client.environ_base
    _replace_headers(environ, credentials.headers)


def _install_django(client: Any, credentials: SessionCredentials) -> None:
    cookies: SimpleCookie = client.cookies
    for name in (ACCESS_TOKEN_COOKIE, REFRESH_TOKEN_COOKIE):
        if name in cookies:
            del cookies[name]
    for name, value, path in _cookies(credentials):
        cookies[name] = value
        cookies[name]["path"] = path
    defaults: dict[str, Any] = client.defaults
    _replace_headers(defaults, credentials.headers)


def _replace_headers(environ: dict[str, Any], headers: Mapping[str, str]) -> None:
    """Set WSGI-environ headers (``HTTP_ANTI_CSRF``), dropping the session's old ones."""
    for name in _TOKEN_HEADERS:
        environ.pop(_environ_key(name), None)
    for name, value in headers.items():
        environ[_environ_key(name)] = value


def _environ_key(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")
