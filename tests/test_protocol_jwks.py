"""The JWKS cache's rules without I/O: what ``get_jwks`` reports as the keys age."""

from __future__ import annotations

import pytest

from authclient._protocol.jwks import KeySet
from authclient.types import JWKS


def fetched(max_age: int, fresh_until: float) -> KeySet:
    return KeySet(JWKS((), max_age), {}, fresh_until)


@pytest.mark.parametrize(
    ("now", "reported"),
    [
        (40.0, 60),  # just fetched (fresh 60 s from 40)
        (40.2, 60),  # part of a second gone: the whole seconds left, rounded up
        (41.0, 59),
        (99.5, 1),
        (100.0, 0),  # stale: a downstream cache must not keep the keys
        (160.0, 0),  # served within the stale grace, still 0
    ],
)
def test_max_age_is_the_time_the_keys_have_left(now: float, reported: int) -> None:
    assert fetched(60, fresh_until=100.0).jwks_at(now).max_age == reported


def test_the_fetched_max_age_is_never_exceeded() -> None:
    keys = fetched(0, fresh_until=10.05)  # a core max-age under a second reads as 0
    assert keys.jwks_at(10.0).max_age == 0
    assert keys.jwks_at(10.0) is keys.jwks  # nothing to change: the same object
