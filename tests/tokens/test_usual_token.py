"""The usual token verified in one pass (``token_cache.verify_usual_token``): wherever it answers,
it answers as the careful path (parse, ``verify_access_token``, ``VerifiedToken.of``) does."""

from __future__ import annotations

import json
from typing import Any, Optional, Union

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from authclient._protocol import tokens
from authclient._protocol.token_cache import VerifiedToken, verify_usual_token
from authclient._protocol.tokens import (
    NO_NBF,
    TokenParseError,
    TokenVerifyError,
    parse_access_token,
    sdk_claims_policy,
    verify_access_token,
)
from tests.tokens._helpers import KID, LEEWAY, MISSING, NOW, b64url, claims, craft, rs256, to_json

EXPIRY_LEEWAY = 2.0
NO_CHANGES: dict[str, Any] = {}
USUAL_HEADER = {"alg": "RS256", "typ": "JWT", "kid": KID, "version": "5"}
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=5,
)


@pytest.fixture(autouse=True)
def no_header_seen_before() -> None:
    tokens._HEADER_CACHE.clear()  # pyright: ignore[reportPrivateUsage]


def one_pass(token: str, keys: dict[str, Any]) -> Optional[VerifiedToken]:
    return verify_usual_token(token, keys, now=NOW, leeway=LEEWAY, expiry_leeway=EXPIRY_LEEWAY)


def careful(token: str, keys: dict[str, Any]) -> Union[VerifiedToken, str]:
    """What the careful path makes of ``token``: a ``VerifiedToken``, or why it refuses it."""
    try:
        parsed = parse_access_token(token)
        info = verify_access_token(
            parsed, keys, now=NOW, leeway=LEEWAY, expiry_leeway=EXPIRY_LEEWAY
        )
    except (TokenParseError, TokenVerifyError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return VerifiedToken.of(parsed, info, keys)


def assert_same(fast: VerifiedToken, slow: VerifiedToken) -> None:
    assert fast.info == slow.info
    assert list(fast.info.payload) == list(slow.info.payload)  # the token's order
    assert fast.key is slow.key
    assert fast.not_before is slow.not_before is NO_NBF


# -- the usual token ---------------------------------------------------------------------------


def test_the_usual_token_is_verified_in_one_pass(
    key: rsa.RSAPrivateKey, keys: dict[str, Any]
) -> None:
    """A v5 token with a header seen before: the fuzz test below would pass without this."""
    token = craft(USUAL_HEADER, claims(5, antiCsrfToken="c"), rs256(key))
    slow = careful(token, keys)  # the first token of a header: its header is read and kept
    assert isinstance(slow, VerifiedToken)
    fast = one_pass(token, keys)
    assert fast is not None
    assert_same(fast, slow)
    assert fast.info.payload == {"iss": "https://api.example.com/auth", "role": "admin"}
    assert fast.info.anti_csrf_token == "c"


def test_a_header_not_seen_before_takes_the_careful_path(
    key: rsa.RSAPrivateKey, keys: dict[str, Any]
) -> None:
    assert one_pass(craft(USUAL_HEADER, claims(5), rs256(key)), keys) is None


def test_a_bad_signature_is_refused_as_the_careful_path_refuses_it(
    key: rsa.RSAPrivateKey, keys: dict[str, Any]
) -> None:
    good = craft(USUAL_HEADER, claims(5), rs256(key))
    careful(good, keys)
    forged = craft(USUAL_HEADER, claims(5, sub="mallory"), lambda _: b"\x01" * 256)
    with pytest.raises(TokenVerifyError) as refused:
        one_pass(forged, keys)
    assert careful(forged, keys) == f"TokenVerifyError: {refused.value}"


@pytest.mark.parametrize(
    "changes",
    [
        {"exp": int(NOW - EXPIRY_LEEWAY) - 1},  # expired, beyond the leeway
        {"iat": int(NOW + LEEWAY) + 1},  # issued in the future
        {"nbf": int(NOW)},  # an nbf, even a valid one, is the careful path's to judge
        {"stt": 0},
        {"sub": 7},
        {"exp": 1.5e9},
        {"parentRefreshTokenHash1": MISSING},
    ],
)
def test_an_unusual_token_takes_the_careful_path(
    key: rsa.RSAPrivateKey, keys: dict[str, Any], changes: dict[str, Any]
) -> None:
    token = craft(USUAL_HEADER, claims(5, **changes), rs256(key))
    careful(token, keys)
    assert one_pass(token, keys) is None


@pytest.mark.parametrize("version", ["3", "4"])
def test_older_versions_take_the_careful_path(
    key: rsa.RSAPrivateKey, keys: dict[str, Any], version: str
) -> None:
    token = craft({**USUAL_HEADER, "version": version}, claims(int(version)), rs256(key))
    assert isinstance(careful(token, keys), VerifiedToken)
    assert one_pass(token, keys) is None


def test_an_unknown_key_takes_the_careful_path(
    key: rsa.RSAPrivateKey, keys: dict[str, Any]
) -> None:
    """The careful path refetches the keys for an unknown kid: the one pass has no I/O."""
    token = craft(USUAL_HEADER, claims(5), rs256(key))
    careful(token, keys)
    assert one_pass(token, {"d-other": keys[KID]}) is None


# -- the fuzz test -----------------------------------------------------------------------------


def _usual_changed(changes: dict[str, Any], custom: dict[str, Any]) -> dict[str, Any]:
    return {**claims(5, **changes), **custom}


times = st.sampled_from(
    [int(NOW) + 60, int(NOW - EXPIRY_LEEWAY), int(NOW - EXPIRY_LEEWAY) - 1, int(NOW + LEEWAY)]
)
# Half of them with the usual claims, so that the one pass answers for many.
near_usual = st.builds(
    _usual_changed,
    st.just(NO_CHANGES)
    | st.dictionaries(
        st.sampled_from([*sorted(tokens.PROTECTED_CLAIMS), "nbf"]),
        st.just(MISSING) | json_values | times,
        max_size=2,
    ),
    st.dictionaries(st.text(max_size=5), json_values, max_size=4),
)


def _header_changed(changes: dict[str, Any]) -> dict[str, Any]:
    return {**USUAL_HEADER, **changes}


near_usual_header = st.builds(
    _header_changed,
    st.just(NO_CHANGES)
    | st.dictionaries(
        st.sampled_from(["alg", "typ", "kid", "version"]),
        st.sampled_from(["RS256", "HS256", "JWT", KID, "d-other", "3", "4", "5", 5]),
        max_size=1,
    ),
)


@settings(max_examples=300, deadline=None)
@given(
    header=near_usual_header,
    payload=near_usual,
    signed=st.booleans(),
    around=st.sampled_from([("", ""), ("", ""), (" ", " "), ("\n", ""), ("", "x"), ("", " {}")]),
)
def test_fuzz_the_one_pass_answers_as_the_careful_path(
    key: rsa.RSAPrivateKey,
    keys: dict[str, Any],
    header: dict[str, Any],
    payload: dict[str, Any],
    signed: bool,
    around: tuple[str, str],
) -> None:
    """Tokens near the usual one: a header field or two claims changed or dropped (times
    around the leeways), custom claims of any name, white space or more data around the JSON,
    or a bad signature. The careful path runs first, so that a header it accepts has been seen."""
    before, after = around
    text = f"{before}{json.dumps(payload)}{after}".encode() if before or after else to_json(payload)
    signing_input = f"{b64url(to_json(header))}.{b64url(text)}"
    signature = rs256(key)(signing_input.encode()) if signed else b"\x02" * 256
    token = f"{signing_input}.{b64url(signature)}"
    slow = careful(token, keys)
    try:
        fast: Union[VerifiedToken, str, None] = one_pass(token, keys)
    except TokenVerifyError as exc:
        fast = f"TokenVerifyError: {exc}"
    if isinstance(fast, str):
        assert fast == slow
    elif fast is not None:
        assert isinstance(slow, VerifiedToken), slow
        assert_same(fast, slow)


@settings(max_examples=300)
@given(payload=near_usual)
def test_fuzz_the_usual_claims_are_read_as_the_careful_path_reads_them(
    payload: dict[str, Any],
) -> None:
    fast = tokens.usual_claims(payload, KID)
    if fast is None:
        return
    slow = sdk_claims_policy(tokens.ParsedAccessToken(5, KID, b"", b"", payload, "RS256"))
    assert fast == slow
    assert list(fast.payload) == list(slow.payload)
