"""RS256 with ``cryptography``: JWKS keys read, signatures checked.

``cryptography`` is imported when the first key is read (``public_key_from_jwk``), not with
this module: a process that never verifies a token locally never loads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Optional

import attrs

from authclient._protocol import token_format as fmt

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey


@attrs.frozen
class _Rsa:
    """What verifying RS256 needs from ``cryptography``, loaded once, when first needed."""

    padding: Any
    sha256: Any
    invalid_signature: type[Exception]
    public_numbers: Any

    @classmethod
    def load(cls) -> _Rsa:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
        from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers
        from cryptography.hazmat.primitives.hashes import SHA256

        return cls(PKCS1v15(), SHA256(), InvalidSignature, RSAPublicNumbers)


_rsa_loaded: Optional[_Rsa] = None


def _rsa() -> _Rsa:
    global _rsa_loaded
    if _rsa_loaded is None:
        _rsa_loaded = _Rsa.load()
    return _rsa_loaded


def public_key_from_jwk(jwk: Mapping[str, Any]) -> RSAPublicKey:
    """The RSA key of one JWKS entry; ``ValueError`` for any other kind of key or a bad one."""
    if jwk.get("kty") != "RSA":
        raise ValueError("the JWK is not an RSA key")
    if jwk.get("alg", fmt.ALG) != fmt.ALG or jwk.get("use", "sig") != "sig":
        raise ValueError("the JWK is not an RS256 signing key")
    n, e = jwk.get("n"), jwk.get("e")
    if not isinstance(n, str) or not isinstance(e, str):
        raise ValueError("the JWK has no n and e")
    modulus = int.from_bytes(fmt.b64url_decode(n), "big")
    exponent = int.from_bytes(fmt.b64url_decode(e), "big")
    key: RSAPublicKey = _rsa().public_numbers(exponent, modulus).public_key()
    return key


def signed_by(key: RSAPublicKey, signature: bytes, signing_input: bytes) -> bool:
    """Whether ``key`` made ``signature`` (RS256) over ``signing_input``."""
    rsa = _rsa_loaded or _rsa()
    try:
        key.verify(signature, signing_input, rsa.padding, rsa.sha256)
    except rsa.invalid_signature:
        return False
    return True
