"""Access-token signing keys: dynamic keys that rotate, static keys that don't, and the JWKS.

Mirrors the real core (CDI.md §1.3 "JWKS / keys"): a dynamic key ``d-<createdAtMs>`` signs for
``access_token_dynamic_signing_key_update_interval`` hours; its successor is created and
published 60 s before it starts signing; a key stays verifiable (and listed) for
``interval + 2 x access_token_validity``. Keys are made lazily, when first needed, because
RSA key generation is slow.
"""

from __future__ import annotations

import base64
import threading
import uuid
from typing import Any, Callable

import attrs
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from authclient.localcore.config import AppConfig
from authclient.localcore.store import KeyRow, Store

OVERLAP_MS = 60_000
"""A new dynamic key is published this long before it signs anything."""


def generate_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@attrs.frozen
class SigningKey:
    kid: str
    created_ms: int
    private_key: rsa.RSAPrivateKey = attrs.field(eq=False, repr=False)

    @property
    def dynamic(self) -> bool:
        return self.kid.startswith("d-")

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())

    def verifies(self, signature: bytes, data: bytes) -> bool:
        try:
            self.private_key.public_key().verify(
                signature, data, padding.PKCS1v15(), hashes.SHA256()
            )
        except InvalidSignature:
            return False
        return True

    def jwk(self) -> dict[str, str]:
        numbers = self.private_key.public_key().public_numbers()
        return {
            "kty": "RSA",
            "kid": self.kid,
            "n": _b64url_uint(numbers.n),
            "e": _b64url_uint(numbers.e),
            "alg": "RS256",
            "use": "sig",
        }

    def public_key_base64(self) -> str:
        """The public key as the legacy (CDI < 2.21) responses carry it: base64 X.509 DER."""
        der = self.private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return base64.b64encode(der).decode()


@attrs.frozen
class DynamicKeys:
    """The dynamic keys of an app at one moment: all verifiable ones (newest first), the one
    that signs now, and how long a JWKS answer may be cached."""

    keys: list[SigningKey]
    signing: SigningKey
    max_age_s: int


def overlap_ms(config: AppConfig) -> int:
    # Like the real core under test: with an interval shorter than the overlap, every request
    # would create a key; a fifth of the interval keeps rotation sensible.
    interval = config.signing_key_interval_ms
    return OVERLAP_MS if interval >= OVERLAP_MS else interval // 5


def lifetime_ms(config: AppConfig) -> int:
    """How long after its creation a dynamic key can still verify tokens."""
    return config.signing_key_interval_ms + 2 * config.access_token_validity_ms


class KeyRing:
    """Every app's signing keys, stored in the database and cached here once parsed."""

    def __init__(
        self, store: Store, generate: Callable[[], rsa.RSAPrivateKey] = generate_private_key
    ) -> None:
        self._store = store
        self._generate = generate
        self._parsed: dict[tuple[str, str], SigningKey] = {}
        self._lock = threading.Lock()

    def _new_row(self, kid: str, now_ms: int) -> KeyRow:
        pem = self._generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return KeyRow(kid, pem.decode(), now_ms, kid.startswith("d-"))

    def _load(self, app_id: str, row: KeyRow) -> SigningKey:
        with self._lock:
            key = self._parsed.get((app_id, row.kid))
            if key is None:
                private = serialization.load_pem_private_key(row.private_key_pem.encode(), None)
                assert isinstance(private, rsa.RSAPrivateKey)
                key = SigningKey(row.kid, row.created_ms, private)
                self._parsed[(app_id, row.kid)] = key
            return key

    def dynamic(self, app_id: str, config: AppConfig, now_ms: int) -> DynamicKeys:
        """The app's dynamic keys, creating the next one when it is due."""
        interval, overlap = config.signing_key_interval_ms, overlap_ms(config)
        with self._store.transaction() as tx:
            rows = [
                row
                for row in tx.signing_keys(app_id, dynamic=True)
                if row.created_ms >= now_ms - lifetime_ms(config)
            ]
            if not rows or rows[0].created_ms < now_ms - interval + overlap:
                rows.insert(0, self._new_row(f"d-{now_ms}", now_ms))
                tx.add_signing_key(app_id, rows[0])
        keys = [self._load(app_id, row) for row in rows]
        latest = keys[0]
        signing = latest
        # A new key only signs once it has been published for the overlap period, as long as
        # the previous one is still within its interval.
        if (
            len(keys) > 1
            and latest.created_ms + overlap > now_ms
            and now_ms < keys[1].created_ms + interval
        ):
            signing = keys[1]
        max_age = max(1, (latest.created_ms + interval - overlap - now_ms) // 1000)
        return DynamicKeys(keys, signing, max_age)

    def static(self, app_id: str, now_ms: int, *, create: bool) -> list[SigningKey]:
        """The app's static keys (``s-<uuid>``); with ``create``, one is made if there is none."""
        with self._store.transaction() as tx:
            rows = tx.signing_keys(app_id, dynamic=False)
            if not rows and create:
                rows = [self._new_row(f"s-{uuid.uuid4()}", now_ms)]
                tx.add_signing_key(app_id, rows[0])
        return [self._load(app_id, row) for row in rows]

    def signing_key(
        self, app_id: str, config: AppConfig, now_ms: int, *, static: bool
    ) -> SigningKey:
        if static:
            return self.static(app_id, now_ms, create=True)[0]
        return self.dynamic(app_id, config, now_ms).signing

    def verification_keys(self, app_id: str, config: AppConfig, now_ms: int) -> list[SigningKey]:
        """Every key that can verify a token now: dynamic ones, then static ones."""
        dynamic = self.dynamic(app_id, config, now_ms).keys
        return dynamic + self.static(app_id, now_ms, create=False)

    def jwks(self, app_id: str, config: AppConfig, now_ms: int) -> tuple[dict[str, Any], int]:
        """The JWKS document and its Cache-Control max-age in seconds."""
        dynamic = self.dynamic(app_id, config, now_ms)
        # Like the real core, the JWKS always has a static key: it is made on the first ask.
        keys = dynamic.keys + self.static(app_id, now_ms, create=True)
        return {"keys": [key.jwk() for key in keys]}, dynamic.max_age_s
