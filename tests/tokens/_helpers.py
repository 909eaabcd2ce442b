"""Access tokens made by hand for the token tests, written from CDI.md §3.1, not from the code."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from typing import Any

import jwt
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

V2_HEADER = base64.b64encode(b'{"alg":"RS256","typ":"JWT","version":"2"}').decode()
KID = "d-1700000000"
NOW = 1_700_000_000.0
LEEWAY = 5.0
MISSING: Any = object()  # a claim value meaning "leave the claim out"
HASH1 = hashlib.sha256(b"refresh-token").hexdigest()

Signer = Callable[[bytes], bytes]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64std(data: bytes) -> str:
    return base64.b64encode(data).decode()


def to_json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def rs256(key: rsa.RSAPrivateKey) -> Signer:
    return lambda data: key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def claims(version: int = 5, **changes: Any) -> dict[str, Any]:
    """A valid payload of a v3+ token issued 10 s before NOW, plus ``changes``."""
    payload: dict[str, Any] = {
        "sub": "user-1",
        "exp": int(NOW) + 3600,
        "iat": int(NOW) - 10,
        "sessionHandle": "handle-1",
        "refreshTokenHash1": HASH1,
        "parentRefreshTokenHash1": None,
        "antiCsrfToken": None,
        "tId": "tenant-1",
        "rsub": "recipe-user-1",
        "iss": "https://api.example.com/auth",
        "role": "admin",
    }
    if version < 5:
        del payload["rsub"]
    if version < 4:
        del payload["tId"]
    payload.update(changes)
    return {name: value for name, value in payload.items() if value is not MISSING}


def v2_claims(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "sessionHandle": "handle-1",
        "userId": "user-1",
        "refreshTokenHash1": HASH1,
        "userData": {"role": "admin"},
        "expiryTime": int(NOW) * 1000 + 3_600_000,
        "timeCreated": int(NOW) * 1000 - 10_000,
    }
    payload.update(changes)
    return {name: value for name, value in payload.items() if value is not MISSING}


def mint(
    key: rsa.RSAPrivateKey, payload: dict[str, Any], version: str = "5", kid: str = KID
) -> str:
    """A v3+ token as a standard library (PyJWT) makes it."""
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": kid, "version": version})


def craft(header: dict[str, Any], payload: Any, sign: Signer) -> str:
    signing_input = f"{b64url(to_json(header))}.{b64url(to_json(payload))}"
    return f"{signing_input}.{b64url(sign(signing_input.encode()))}"


def mint_v2(key: rsa.RSAPrivateKey, payload: dict[str, Any]) -> str:
    signing_input = f"{V2_HEADER}.{b64std(to_json(payload))}"
    return f"{signing_input}.{b64std(rs256(key)(signing_input.encode()))}"
