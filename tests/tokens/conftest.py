"""The signing key the token tests share: one RSA key per module (making one takes a while)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.tokens._helpers import KID


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def keys(key: rsa.RSAPrivateKey) -> dict[str, rsa.RSAPublicKey]:
    """The public keys a verifier is given: ``key``'s, under ``KID``."""
    return {KID: key.public_key()}
