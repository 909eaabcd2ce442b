"""Domains and paths in settings, normalised once when a config is made (sans-I/O).

Shared by ``SessionConfig`` (``api_domain``, ``api_base_path``), the web layer's settings and
its routing; small on purpose: a client made for metadata calls imports this, not the web layer.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

HOST_RE = re.compile(r"^[a-z0-9.\-\[\]:]+$")


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def is_local(host: str) -> bool:
    return host.startswith("localhost") or is_ip(host)


def normalise_domain(value: str, name: str) -> str:
    """``scheme://host[:port]``: https by default, http for localhost or an IP; no path."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    text = value.strip().lower()
    if not text:
        raise ValueError(f"{name} must not be empty")
    if "://" not in text:
        host = urlsplit("http://" + text).hostname or ""
        text = ("http://" if is_local(host) else "https://") + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{name} must be a domain like 'https://api.example.com', not {value!r}")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"{name} has an invalid port: {value!r}") from None
    if not HOST_RE.match(parts.hostname):
        raise ValueError(f"{name} has an invalid host name: {value!r}")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}" + (f":{port}" if port is not None else "")


def normalise_base_path(value: str, name: str) -> str:
    """A leading ``/``, no trailing ``/``; ``/`` (or ``""``) becomes ``""``."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    if "://" in value:
        value = urlsplit(value).path
    if "?" in value or "#" in value:
        raise ValueError(f"{name} must be a path, not {value!r}")
    return normalise_path(value.strip()) if value.strip() not in ("", "/") else ""


def normalise_path(path: str) -> str:
    """A URL path as the routing compares it: no query, no trailing ``/``, ``/`` is ``""``."""
    path = path.split("?", 1)[0].split("#", 1)[0].strip()
    return ("/" + path.strip("/")).rstrip("/") if path.strip("/") else ""
