"""Verified tokens kept for a lookup (authclient/_protocol/token_cache.py), and its setting."""

from __future__ import annotations

import base64
import json
import sys
import threading
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from authclient._protocol.token_cache import VerifiedToken, VerifiedTokens
from authclient._protocol.tokens import NO_NBF, AccessTokenInfo, front_token, time_problem
from authclient.types import SessionConfig

NOW = 1_700_000_000.0
KEY = object()  # a key object: only its identity matters here
CONFIG = SessionConfig()
CLAIMS = {"sub": "u-1", "exp": int(NOW) + 60, "iat": int(NOW), "role": {"names": ["admin"]}}


def info(**changes: Any) -> AccessTokenInfo:
    fields: dict[str, Any] = {
        "version": 5,
        "session_handle": "h-1",
        "user_id": "u-1",
        "recipe_user_id": "u-1",
        "tenant_id": "public",
        "parent_refresh_token_hash1": None,
        "anti_csrf_token": None,
        "expiry_ms": (int(NOW) + 60) * 1000,
        "time_created_ms": int(NOW) * 1000,
        "payload": {"role": {"names": ["admin"]}},
        "kid": "d-1",
    }
    return AccessTokenInfo(**{**fields, **changes})


def _segment(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


# A token with CLAIMS as its payload (its signature is not checked here).
TOKEN = ".".join(
    [
        _segment({"alg": "RS256", "typ": "JWT", "kid": "d-1", "version": "5"}),
        _segment(CLAIMS),
        "c2ln",
    ]
)


def verified(key: object = KEY, not_before: object = NO_NBF, **changes: Any) -> VerifiedToken:
    return VerifiedToken(info(**changes), key, not_before)


def test_the_front_token_shows_the_whole_payload() -> None:
    """The front token is the one FDI describes: uid, ate and the token's whole payload."""
    made = verified().front_token(TOKEN)
    assert made == front_token("u-1", (int(NOW) + 60) * 1000, CLAIMS)
    assert json.loads(base64.b64decode(made))["up"] == CLAIMS


def test_the_front_token_is_made_once() -> None:
    """Asking for the front token again returns the string made the first time."""
    token = verified()
    assert token.front_token(TOKEN) is token.front_token(TOKEN)


def test_custom_claims_are_a_new_copy_each_time() -> None:
    """Changing the claims handed out, nested values included, leaves the kept ones alone."""
    token = verified()
    first = token.custom_claims()
    first["role"]["names"].append("root")
    first["extra"] = 1
    assert token.custom_claims() == {"role": {"names": ["admin"]}}
    assert token.front_token(TOKEN) == verified().front_token(TOKEN)


def test_a_kept_token_is_usable_with_the_same_key_before_it_expires() -> None:
    """The key that verified it still holds its kid, and exp is ahead: usable."""
    assert verified().usable({"d-1": KEY}, NOW, CONFIG)


@pytest.mark.parametrize(
    "keys", [{}, {"d-2": KEY}, {"d-1": object()}], ids=["no-keys", "kid-gone", "key-replaced"]
)
def test_a_kept_token_is_not_usable_once_its_key_is_gone(keys: dict[str, object]) -> None:
    """A key set without the very key that verified it makes the kept token unusable."""
    assert not verified().usable(keys, NOW, CONFIG)


def test_a_kept_token_is_not_usable_after_its_expiry() -> None:
    """Past exp it is refused, as a full verification would; within expiry_leeway it is not."""
    token = verified()
    later = NOW + 61
    assert not token.usable({"d-1": KEY}, later, CONFIG)
    assert token.usable({"d-1": KEY}, later, attrs.evolve(CONFIG, expiry_leeway=5))


def test_a_kept_token_is_not_usable_before_its_times() -> None:
    """A clock moved back before iat (or nbf), beyond the leeway, refuses it again."""
    assert not verified().usable({"d-1": KEY}, NOW - 10, CONFIG)
    assert not verified(not_before=NOW + 30).usable({"d-1": KEY}, NOW, CONFIG)
    assert verified(not_before=NOW + 3).usable({"d-1": KEY}, NOW, CONFIG)


@given(
    # The edges (exp is 60 s ahead, iat now, with each leeway below) and anything around them.
    offset_ms=st.sampled_from([60_000, 60_001, 65_000, 65_001, 60_250, 60_251])
    | st.sampled_from([0, -1, -5_000, -5_001, -500, -501])
    | st.integers(-70_000, 70_000),
    not_before=st.sampled_from([NO_NBF, NOW - 1, NOW + 4, NOW + 6, "later"]),
    leeways=st.tuples(st.sampled_from([0.0, 5.0, 0.5]), st.sampled_from([0.0, 5.0, 0.25])),
)
def test_fuzz_a_kept_token_is_usable_exactly_when_its_times_pass(
    offset_ms: int, not_before: object, leeways: tuple[float, float]
) -> None:
    """``usable`` answers as ``time_problem`` does, at the edges of exp, iat and nbf too."""
    clock_skew, expiry = leeways
    config = attrs.evolve(CONFIG, clock_skew_leeway=clock_skew, expiry_leeway=expiry)
    now = NOW + offset_ms / 1000
    token = verified(not_before=not_before)
    problem = time_problem(token.info, not_before, now=now, leeway=clock_skew, expiry_leeway=expiry)
    assert token.usable({"d-1": KEY}, now, config) is (problem is None)


def test_the_repr_shows_no_claims() -> None:
    """A kept token's repr names its kid and expiry, not its claims."""
    assert "admin" not in repr(verified()) and "d-1" in repr(verified())


def test_the_cache_keeps_and_finds_a_token() -> None:
    """A kept token is found by the token string, and only by it."""
    cache = VerifiedTokens(4)
    token = verified()
    cache.put("token-a", token)
    assert cache.get("token-a") is token
    assert cache.get("token-b") is None
    assert "token-a" in cache and len(cache) == 1


def test_size_zero_keeps_nothing() -> None:
    """A cache of size 0 never keeps a token."""
    cache = VerifiedTokens(0)
    cache.put("token-a", verified())
    assert len(cache) == 0 and cache.get("token-a") is None


def test_the_oldest_token_goes_first_when_full() -> None:
    """A full cache drops its oldest entry to keep a new one."""
    cache = VerifiedTokens(2)
    for name in ("a", "b", "c"):
        cache.put(name, verified())
    assert len(cache) == 2
    assert "a" not in cache and "b" in cache and "c" in cache


def test_keeping_a_kept_token_again_replaces_it_in_its_place() -> None:
    """Putting a token the cache has replaces its entry and takes no more room."""
    cache = VerifiedTokens(2)
    first, second = verified(), verified()
    cache.put("a", first)
    cache.put("a", second)
    cache.put("b", verified())
    assert cache.get("a") is second and "b" in cache and len(cache) == 2


def test_a_discarded_token_kept_again_leaves_the_cache_bounded() -> None:
    """A token dropped and kept again, then many new ones: never more than the size."""
    cache = VerifiedTokens(2)
    cache.put("a", verified())
    cache.discard("a")
    cache.put("a", verified())
    for name in ("b", "c", "d"):
        cache.put(name, verified())
        assert len(cache) <= 2
    assert "c" in cache and "d" in cache and "a" not in cache


def test_a_token_without_a_key_is_never_kept() -> None:
    """A v2 token (it names no key) is not kept: nothing could tell its key was dropped."""
    cache = VerifiedTokens(2)
    cache.put("v2-token", verified(key=None))
    assert len(cache) == 0


def test_discard_and_clear_drop_tokens() -> None:
    """discard drops one token, clear all of them."""
    cache = VerifiedTokens(4)
    for name in ("a", "b", "c"):
        cache.put(name, verified())
    cache.discard("a")
    cache.discard("never-kept")
    assert "a" not in cache and len(cache) == 2
    cache.clear()
    assert len(cache) == 0


def test_the_cache_repr_shows_no_token() -> None:
    """The cache's repr gives its size and how many it keeps, never a token."""
    cache = VerifiedTokens(4)
    cache.put("secret-token", verified())
    assert repr(cache) == "VerifiedTokens(size=4, kept=1)"


def test_threads_sharing_a_cache_keep_it_bounded() -> None:
    """Threads putting, finding and dropping tokens at once raise nothing and stay in bounds:
    at most one entry over the size per thread while they run (no lock), none once done."""
    cache = VerifiedTokens(8)
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for index in range(2000):
                name = f"{worker}-{index % 20}"
                cache.put(name, verified())
                cache.get(name)
                if index % 7 == 0:
                    cache.discard(name)
                assert len(cache) <= 8 + 8
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(worker,)) for worker in range(8)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as can be, inside put too
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == [] and len(cache) <= 8


@pytest.mark.parametrize("size", [True, 1.5, "10", None])
def test_the_cache_size_setting_must_be_an_int(size: object) -> None:
    """verified_token_cache_size is an int: anything else is a TypeError."""
    with pytest.raises(TypeError, match="verified_token_cache_size"):
        SessionConfig(verified_token_cache_size=size)  # type: ignore[arg-type]


def test_the_cache_size_setting_may_not_be_negative() -> None:
    """A negative verified_token_cache_size is a ValueError; 0 turns the cache off."""
    with pytest.raises(ValueError, match="verified_token_cache_size"):
        SessionConfig(verified_token_cache_size=-1)
    assert SessionConfig(verified_token_cache_size=0).verified_token_cache_size == 0
    assert SessionConfig().verified_token_cache_size == 1024
