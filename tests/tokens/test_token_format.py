"""The token format written once (authclient/_protocol/token_format.py) and the two acceptance
policies that read it: the SDK's (``_protocol/tokens.py``) and the local core's
(``localcore/tokens.py``), on the same tokens (CDI.md §3.1, §6.6-6.8). Then fuzzing of the SDK's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Optional

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from authclient._protocol import token_format as fmt
from authclient._protocol import tokens
from authclient._protocol.tokens import (
    AccessTokenInfo,
    ParsedAccessToken,
    TokenParseError,
    TokenVerifyError,
    parse_access_token,
    sdk_claims_policy,
    verify_access_token,
)
from authclient.localcore import tokens as core
from authclient.localcore.keys import SigningKey
from tests.tokens._helpers import (
    KID,
    LEEWAY,
    MISSING,
    NOW,
    V2_HEADER,
    Signer,
    b64std,
    b64url,
    claims,
    craft,
    rs256,
    to_json,
    v2_claims,
)


def header(**fields: Any) -> dict[str, Any]:
    base = {"alg": "RS256", "typ": "JWT", "kid": KID, "version": "5"}
    return {name: value for name, value in {**base, **fields}.items() if value is not MISSING}


def core_reads(token: str) -> Optional[core.AccessToken]:
    """What the local core makes of a token (None: it refuses it)."""
    try:
        return core.parse_access_token(token).info()
    except core.TokenError:
        return None


# -- the format --------------------------------------------------------------------------------


def test_core_claims_per_version_are_the_specs() -> None:
    """The claims the core owns per version are CDI.md §1.3's "protected claims"."""
    v3 = ["sub", "exp", "iat", "sessionHandle", "refreshTokenHash1"]
    v3 += ["parentRefreshTokenHash1", "antiCsrfToken"]
    assert {v: sorted(names) for v, names in fmt.CORE_CLAIMS.items()} == {
        2: sorted(["userId", "expiryTime", "timeCreated", "sessionHandle", "refreshTokenHash1"]),
        3: sorted(v3),
        4: sorted([*v3, "tId"]),
        5: sorted([*v3, "tId", "rsub"]),
    }


def test_the_v2_header_is_the_specs_constant() -> None:
    """v2 tokens start with one fixed, standard-base64 header."""
    assert fmt.V2_HEADER == V2_HEADER


@given(st.binary(max_size=64))
def test_base64_round_trips(data: bytes) -> None:
    """Both alphabets decode what they encode; base64url has no padding."""
    assert fmt.b64url_decode(fmt.b64url_encode(data)) == data
    assert fmt.b64std_decode(fmt.b64std_encode(data)) == data
    assert "=" not in fmt.b64url_encode(data)


@pytest.mark.parametrize("segment", ["e31", "e30=", "e3+", "A", "e3 0", "é"])
def test_base64url_refuses_every_other_spelling(segment: str) -> None:
    """Non-canonical endings, padding, the other alphabet and junk are not base64url."""
    with pytest.raises(ValueError, match="segment"):
        fmt.b64url_decode(segment)


def _outcome(decode: Callable[[str], bytes], segment: str) -> object:
    try:
        return decode(segment)
    except ValueError as error:
        return str(error)


@given(
    st.text(alphabet="AQgwE01_-+/= .é\n", max_size=12)
    | st.binary(max_size=24).map(fmt.b64url_encode)
)
def test_base64url_reads_every_segment_as_the_careful_reader_does(segment: str) -> None:
    """The fast base64url reader accepts, decodes and refuses exactly as the careful one."""
    assert _outcome(fmt.b64url_decode, segment) == _outcome(fmt.b64url_decode_by_pattern, segment)


def test_dumps_is_compact_and_keeps_text() -> None:
    """Token JSON is compact UTF-8, as the core writes it."""
    assert fmt.dumps({"a": [1, "é"]}) == '{"a":[1,"é"]}'.encode()


@pytest.mark.parametrize("text", [b'{"exp":NaN}', b"[1]", b"{", '{"a":"é"}'.encode("latin-1")])
def test_json_object_refuses_what_is_not_a_json_object(text: bytes) -> None:
    """NaN, an array, broken JSON and non-UTF-8 text are not a JSON object."""
    with pytest.raises(ValueError, match="payload"):
        fmt.json_object(text, "payload")


def test_signing_input_is_the_segments_as_sent() -> None:
    """The signature covers the header and payload segments, joined by a dot."""
    assert fmt.signing_input("aGk", "e30") == b"aGk.e30"


def test_an_encoded_v2_token_uses_standard_base64() -> None:
    """encode_token(2, ...) writes the v2 header and standard base64 segments."""
    token = fmt.encode_token(2, "ignored", {"a": "~~~"}, lambda data: b"\xfb\xff")
    payload = b64std(b'{"a":"~~~"}')
    assert "+" in payload
    assert token == f"{V2_HEADER}.{payload}.+/8="


def test_an_encoded_v5_token_is_read_by_a_standard_library(key: rsa.RSAPrivateKey) -> None:
    """encode_token(5, ...) is a JWT that PyJWT verifies, with the core's header."""
    jwt = pytest.importorskip("jwt")
    token = fmt.encode_token(5, KID, {"sub": "u"}, rs256(key))
    assert jwt.get_unverified_header(token) == fmt.header(KID, 5)
    assert jwt.decode(token, key.public_key(), algorithms=["RS256"]) == {"sub": "u"}


# -- the two policies on the same tokens ---------------------------------------------------------


@pytest.mark.parametrize("version", [2, 3, 4, 5])
def test_what_the_core_mints_the_sdk_reads(key: rsa.RSAPrivateKey, version: int) -> None:
    """A token minted by the local core verifies with the SDK, and both read the same."""
    ms = int(NOW) * 1000
    recipe_user = "ru" if version >= 5 else "u"  # older versions cannot say otherwise
    tenant = "t" if version >= 4 else "public"
    minted = core.AccessToken(
        version, "h", "u", recipe_user, tenant, "r1", "p1", None, {"role": "x"}, ms + 60_000, ms
    )
    token = minted.sign(SigningKey(KID, ms, key))
    info = verify_access_token(
        parse_access_token(token), {KID: key.public_key()}, now=NOW, leeway=LEEWAY
    )
    assert info == AccessTokenInfo(
        version=version,
        session_handle="h",
        user_id="u",
        recipe_user_id=recipe_user,
        tenant_id=tenant,
        parent_refresh_token_hash1="p1",
        anti_csrf_token=None,
        expiry_ms=ms + 60_000,
        time_created_ms=ms,
        payload={"role": "x"},
        kid=None if version == 2 else KID,
    )
    assert core_reads(token) == minted


def test_a_header_without_version_is_v3_to_the_sdk_and_v5_to_the_core(
    key: rsa.RSAPrivateKey,
) -> None:
    """CDI.md §6.8: a missing version means v3 to the SDK and v5 to the core."""
    token = craft(header(version=MISSING), claims(5), rs256(key))
    assert parse_access_token(token).version == tokens.SDK_MISSING_VERSION == 3
    assert core.parse_access_token(token).version == core.CORE_MISSING_VERSION == 5


def test_a_json_number_version_is_read_by_the_sdk_only(key: rsa.RSAPrivateKey) -> None:
    """The SDK reads version 4 as the reference SDK's int() does; the core wants "4"."""
    token = craft(header(version=4), claims(4), rs256(key))
    assert parse_access_token(token).version == 4
    assert core_reads(token) is None


@pytest.mark.parametrize("name", ["parentRefreshTokenHash1", "antiCsrfToken"])
def test_an_absent_nullable_claim_is_refused_by_the_core_only(
    key: rsa.RSAPrivateKey, keys: dict[str, Any], name: str
) -> None:
    """CDI.md §6.6: the core needs these v3+ claims present (null is fine); the SDK does not."""
    present = craft(header(), claims(5, **{name: None}), rs256(key))
    absent = craft(header(), claims(5, **{name: MISSING}), rs256(key))
    assert core_reads(present) is not None
    assert core_reads(absent) is None
    verify_access_token(parse_access_token(absent), keys, now=NOW, leeway=LEEWAY)


def test_a_whole_float_time_is_read_by_the_core_only(
    key: rsa.RSAPrivateKey, keys: dict[str, Any]
) -> None:
    """The core reads exp 1.7e9 as Gson does; the SDK type-checks times as integers."""
    token = craft(header(), claims(5, exp=float(int(NOW) + 60)), rs256(key))
    assert core_reads(token) is not None
    with pytest.raises(TokenVerifyError, match="'exp'"):
        verify_access_token(parse_access_token(token), keys, now=NOW, leeway=LEEWAY)


def test_a_v3_tenant_claim_is_custom_to_the_core_and_dropped_by_the_sdk(
    key: rsa.RSAPrivateKey, keys: dict[str, Any]
) -> None:
    """In a v3 token tId is no core claim: the core keeps it as custom, the SDK never does."""
    token = craft(header(version="3"), claims(3, tId="t"), rs256(key))
    read = core_reads(token)
    assert read is not None
    assert read.user_data["tId"] == "t"
    info = verify_access_token(parse_access_token(token), keys, now=NOW, leeway=LEEWAY)
    assert "tId" not in info.payload
    assert info.tenant_id == "public"


# -- property-based -----------------------------------------------------------------------------

B64_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/="
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
segments = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=B64_CHARS, max_size=40),
    st.binary(max_size=40).map(b64url),
    st.binary(max_size=40).map(b64std),
    json_values.map(lambda value: b64url(to_json(value))),
    st.just(V2_HEADER),
)


def _parse_or_reject(token: str) -> None:
    try:
        parsed = parse_access_token(token)
    except TokenParseError:
        return
    assert isinstance(parsed, ParsedAccessToken)


@settings(max_examples=200)
@given(st.text())
def test_fuzz_parse_text(token: str) -> None:
    _parse_or_reject(token)


@settings(max_examples=150)
@given(st.lists(segments, max_size=5).map(".".join))
def test_fuzz_parse_segments(token: str) -> None:
    _parse_or_reject(token)


HEADER_NAMES = st.sampled_from(["alg", "typ", "kid", "version", "crit"]) | st.text(max_size=5)
CLAIM_NAMES = st.sampled_from(
    [*tokens.PROTECTED_CLAIMS, "nbf", "userId", "userData", "expiryTime", "timeCreated", "aud"]
)


def _merged(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    return {**first, **second}


base_header = st.fixed_dictionaries(
    {"alg": st.just("RS256"), "typ": st.just("JWT"), "kid": st.just(KID)},
    optional={"version": st.sampled_from(["3", "4", "5", 3, 5, "7", None])},
)
headers: st.SearchStrategy[dict[str, Any]] = st.one_of(
    base_header,
    st.builds(_merged, base_header, st.dictionaries(HEADER_NAMES, json_values, max_size=3)),
    st.dictionaries(HEADER_NAMES, json_values, max_size=5),
)
payloads: st.SearchStrategy[dict[str, Any]] = st.one_of(
    st.builds(
        _merged,
        st.just(claims()),
        st.dictionaries(CLAIM_NAMES, json_values, max_size=4),
    ),
    st.builds(
        _merged,
        st.just(v2_claims()),
        st.dictionaries(CLAIM_NAMES, json_values, max_size=4),
    ),
    st.dictionaries(CLAIM_NAMES | st.text(max_size=5), json_values, max_size=6),
)


@settings(max_examples=80, deadline=None)
@given(
    header=headers,
    payload=payloads,
    signed=st.booleans(),
    junk=st.binary(max_size=300),
    v2=st.booleans(),
)
def test_fuzz_verify(
    key: rsa.RSAPrivateKey,
    keys: dict[str, Any],
    header: dict[str, Any],
    payload: dict[str, Any],
    signed: bool,
    junk: bytes,
    v2: bool,
) -> None:
    sign: Signer = rs256(key) if signed else (lambda _: junk)
    if v2:
        signing_input = f"{V2_HEADER}.{b64std(to_json(payload))}"
        token = f"{signing_input}.{b64std(sign(signing_input.encode()))}"
    else:
        token = craft(header, payload, sign)
    try:
        parsed = parse_access_token(token)
    except TokenParseError:
        return
    try:
        info = verify_access_token(parsed, keys, now=NOW, leeway=LEEWAY)
    except TokenVerifyError:
        return
    assert signed
    assert info.version == parsed.version


@given(payload=payloads, version=st.integers(2, 5))
def test_fuzz_access_token_info(payload: dict[str, Any], version: int) -> None:
    parsed = ParsedAccessToken(version, None, b"", b"", payload, "RS256")
    try:
        info = sdk_claims_policy(parsed)
    except TokenVerifyError:
        return
    if version > 2:
        assert not tokens.PROTECTED_CLAIMS & info.payload.keys()
