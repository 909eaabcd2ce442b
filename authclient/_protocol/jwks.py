"""The JWKS cache's rules, without the fetching: how long keys stay fresh, and which to use."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Optional

import attrs

from authclient._protocol.tokens import public_key_from_jwk
from authclient.types import JWKS, SessionConfig

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

logger = logging.getLogger("authclient.jwks")

DEFAULT_MAX_AGE = 60.0
"""Seconds a JWKS is fresh when the core sends no Cache-Control max-age."""

_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*(\d+)", re.IGNORECASE)


def max_age(cache_control: Optional[str], config: SessionConfig) -> float:
    """The core's ``max-age``, clamped to the configured bounds."""
    match = _MAX_AGE.search(cache_control or "")
    seconds = float(match.group(1)) if match else DEFAULT_MAX_AGE
    return min(max(seconds, config.jwks_min_max_age), config.jwks_max_max_age)


@attrs.frozen
class KeySet:
    """One fetched JWKS: the verifying keys by kid, and until when (monotonic) it is fresh."""

    jwks: JWKS
    keys: Mapping[str, RSAPublicKey] = attrs.field(repr=False)
    fresh_until: float

    @classmethod
    def from_jwks(cls, jwks: JWKS, fresh_until: float, previous: Optional[KeySet] = None) -> KeySet:
        """The usable keys of ``jwks``. A key ``previous`` already had, unchanged, is the same
        key object again: tokens it verified (and kept) stay verified across a refresh."""
        known = {} if previous is None else {key.kid: key for key in previous.jwks.keys}
        keys: dict[str, RSAPublicKey] = {}
        for key in jwks.keys:
            if previous is not None and known.get(key.kid) == key and key.kid in previous.keys:
                keys[key.kid] = previous.keys[key.kid]
                continue
            try:
                keys[key.kid] = public_key_from_jwk(key.to_dict())
            except ValueError:
                logger.warning("ignoring JWKS key %s: not a usable RSA key", key.kid)
        return cls(jwks, keys, fresh_until)

    def is_fresh(self, now: float) -> bool:
        return now < self.fresh_until

    def jwks_at(self, now: float) -> JWKS:
        """The JWKS as ``get_jwks`` gives it ``now`` (monotonic): its ``max_age`` is the whole
        seconds the keys stay fresh from now, so a cache downstream (a service fed by the
        served JWKS endpoint) keeps them no longer than this client does; 0 once stale."""
        left = min(self.jwks.max_age, max(0, math.ceil(self.fresh_until - now)))
        return self.jwks if left == self.jwks.max_age else attrs.evolve(self.jwks, max_age=left)

    def usable_when_refresh_fails(self, now: float, config: SessionConfig) -> bool:
        return now < self.fresh_until + config.jwks_stale_grace
