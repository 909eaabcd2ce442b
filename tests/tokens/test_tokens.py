"""Access tokens: parsing, local verification and claims (authclient/_protocol/tokens.py)."""

from __future__ import annotations

import base64
import hmac
import json
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from authclient._protocol import tokens
from authclient._protocol.tokens import (
    AccessTokenInfo,
    TokenParseError,
    TokenVerifyError,
    UnknownKidError,
    front_token,
    parse_access_token,
    public_key_from_jwk,
    verify_access_token,
)
from tests.tokens._helpers import (
    KID,
    LEEWAY,
    MISSING,
    NOW,
    V2_HEADER,
    b64std,
    b64url,
    claims,
    craft,
    mint,
    mint_v2,
    rs256,
    to_json,
    v2_claims,
)


@pytest.fixture(scope="module")
def other_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def verify(token: str, keys: Mapping[str, rsa.RSAPublicKey]) -> AccessTokenInfo:
    return verify_access_token(parse_access_token(token), keys, now=NOW, leeway=LEEWAY)


def rejected(token: str, keys: Mapping[str, rsa.RSAPublicKey]) -> str:
    with pytest.raises(TokenVerifyError) as caught:
        verify(token, keys)
    message = str(caught.value)
    assert token.split(".")[1] not in message
    return message


# -- accepted tokens ---------------------------------------------------------------------------


@pytest.mark.parametrize("version", [3, 4, 5])
def test_valid_v3_to_v5(key: rsa.RSAPrivateKey, keys: dict[str, Any], version: int) -> None:
    info = verify(mint(key, claims(version), version=str(version)), keys)
    assert info == AccessTokenInfo(
        version=version,
        session_handle="handle-1",
        user_id="user-1",
        recipe_user_id="recipe-user-1" if version >= 5 else "user-1",
        tenant_id="tenant-1" if version >= 4 else "public",
        parent_refresh_token_hash1=None,
        anti_csrf_token=None,
        expiry_ms=(int(NOW) + 3600) * 1000,
        time_created_ms=(int(NOW) - 10) * 1000,
        payload={"iss": "https://api.example.com/auth", "role": "admin"},
        kid=KID,
    )


def test_valid_v2(key: rsa.RSAPrivateKey, other_key: rsa.RSAPrivateKey) -> None:
    token = mint_v2(key, v2_claims(parentRefreshTokenHash1="p" * 64, antiCsrfToken="csrf"))
    # v2 names no key: every key is tried.
    info = verify(token, {"a": other_key.public_key(), "b": key.public_key()})
    assert info == AccessTokenInfo(
        version=2,
        session_handle="handle-1",
        user_id="user-1",
        recipe_user_id="user-1",
        tenant_id="public",
        parent_refresh_token_hash1="p" * 64,
        anti_csrf_token="csrf",
        expiry_ms=int(NOW) * 1000 + 3_600_000,
        time_created_ms=int(NOW) * 1000 - 10_000,
        payload={"role": "admin"},
        kid=None,
    )


def test_v2_signed_by_no_given_key(key: rsa.RSAPrivateKey, other_key: rsa.RSAPrivateKey) -> None:
    token = mint_v2(key, v2_claims())
    assert "none of the keys" in rejected(token, {"a": other_key.public_key()})
    rejected(token, {})


def test_expiry_leeway_accepts_a_recently_expired_token(
    key: rsa.RSAPrivateKey, keys: dict[str, Any]
) -> None:
    """An explicit expiry_leeway accepts a token that expired within it, and no longer."""
    for expired_ago, ok in ((3, True), (10, False)):
        payload = {**claims(5), "exp": int(NOW) - expired_ago}
        parsed = parse_access_token(mint(key, payload))
        if ok:
            verify_access_token(parsed, keys, now=NOW, leeway=LEEWAY, expiry_leeway=5)
        else:
            with pytest.raises(TokenVerifyError, match="expired"):
                verify_access_token(parsed, keys, now=NOW, leeway=LEEWAY, expiry_leeway=5)


def test_absent_version_means_v3(key: rsa.RSAPrivateKey, keys: dict[str, Any]) -> None:
    token = craft({"alg": "RS256", "typ": "JWT", "kid": KID}, claims(3), rs256(key))
    assert verify(token, keys).version == 3


@pytest.mark.parametrize(
    ("changes", "ok"),
    [
        pytest.param({"exp": int(NOW) - 10}, False, id="expired"),
        pytest.param({"exp": int(NOW) - 1}, False, id="expired-a-second-ago"),
        pytest.param({"iat": int(NOW) + 10}, False, id="iat-future"),
        pytest.param({"iat": int(NOW) + 3}, True, id="iat-future-within-leeway"),
        pytest.param({"nbf": int(NOW) + 10}, False, id="nbf-future"),
        pytest.param({"nbf": int(NOW) + 3}, True, id="nbf-within-leeway"),
        pytest.param({"nbf": "soon"}, False, id="nbf-not-a-number"),
        pytest.param({"aud": "someone-else"}, True, id="aud-is-a-custom-claim"),
        pytest.param({"stt": 1}, False, id="oauth2-token"),
        pytest.param({"stt": True}, False, id="stt-bool"),
        pytest.param({"stt": 0}, True, id="stt-0"),
        pytest.param({"stt": 0.0}, True, id="stt-0-as-a-float"),
        pytest.param({"parentRefreshTokenHash1": "p", "antiCsrfToken": "c"}, True, id="strings"),
        pytest.param(
            {"parentRefreshTokenHash1": MISSING, "antiCsrfToken": MISSING}, True, id="absent"
        ),
        pytest.param({"parentRefreshTokenHash1": 5}, False, id="parent-hash-int"),
        pytest.param({"antiCsrfToken": ["x"]}, False, id="anti-csrf-list"),
        pytest.param({"exp": True}, False, id="exp-bool"),
        pytest.param({"exp": 1.7e9 + 3600.5}, False, id="exp-float"),
        pytest.param({"iat": str(int(NOW))}, False, id="iat-str"),
        pytest.param({"sub": 5}, False, id="sub-int"),
        pytest.param({"tId": None}, False, id="tId-null"),
        *(
            pytest.param({name: MISSING}, False, id=f"missing-{name}")
            for name in ("sub", "exp", "iat", "sessionHandle", "refreshTokenHash1", "tId", "rsub")
        ),
    ],
)
def test_v5_claims(
    key: rsa.RSAPrivateKey, keys: dict[str, Any], changes: dict[str, Any], ok: bool
) -> None:
    token = mint(key, claims(5, **changes))
    if ok:
        assert verify(token, keys).user_id == "user-1"
    else:
        rejected(token, keys)


def test_claims_required_by_version(key: rsa.RSAPrivateKey, keys: dict[str, Any]) -> None:
    assert verify(mint(key, claims(3, tId=MISSING), version="3"), keys).tenant_id == "public"
    assert verify(mint(key, claims(4, rsub=MISSING), version="4"), keys).recipe_user_id == "user-1"
    rejected(mint(key, claims(4, tId=MISSING), version="4"), keys)


@pytest.mark.parametrize(
    "changes",
    [
        *({name: MISSING} for name in ("sessionHandle", "userId", "refreshTokenHash1")),
        *({name: MISSING} for name in ("userData", "expiryTime", "timeCreated")),
        {"userData": ["not", "an", "object"]},
        {"expiryTime": str(int(NOW) * 1000 + 3_600_000)},
        {"timeCreated": False},
        {"antiCsrfToken": 1},
        {"stt": 1},
        {"expiryTime": int(NOW) * 1000 - 10_000},
        {"timeCreated": int(NOW) * 1000 + 10_000},
    ],
)
def test_v2_claims_rejected(key: rsa.RSAPrivateKey, keys: dict[str, Any], changes: Any) -> None:
    rejected(mint_v2(key, v2_claims(**changes)), keys)


def test_custom_claims_exclude_the_protected_ones(
    key: rsa.RSAPrivateKey, keys: dict[str, Any]
) -> None:
    token = mint(key, claims(5, stt=0, aud="x", nested={"sub": "kept"}))
    assert verify(token, keys).payload == {
        "iss": "https://api.example.com/auth",
        "role": "admin",
        "aud": "x",
        "nested": {"sub": "kept"},
    }


# -- signature, key and algorithm ---------------------------------------------------------------


def test_tampered_payload(key: rsa.RSAPrivateKey, keys: dict[str, Any]) -> None:
    header, _, signature = mint(key, claims()).split(".")
    forged = b64url(to_json(claims(sub="admin")))
    assert "signature" in rejected(f"{header}.{forged}.{signature}", keys)


def test_unknown_kid(key: rsa.RSAPrivateKey, keys: dict[str, Any]) -> None:
    with pytest.raises(UnknownKidError) as caught:
        verify(mint(key, claims(), kid="d-other"), keys)
    assert caught.value.kid == "d-other"


def test_known_kid_other_key(other_key: rsa.RSAPrivateKey, keys: dict[str, Any]) -> None:
    assert "signature" in rejected(mint(other_key, claims()), keys)


def test_alg_none(keys: dict[str, Any]) -> None:
    header = {"alg": "none", "typ": "JWT", "kid": KID, "version": "5"}
    token = craft(header, claims(), lambda _: b"")
    assert parse_access_token(token).alg == "none"  # parsing does not judge the algorithm
    assert "RS256" in rejected(token, keys)


def test_hs256_with_the_public_key_as_secret(key: rsa.RSAPrivateKey, keys: dict[str, Any]) -> None:
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "typ": "JWT", "kid": KID, "version": "5"}
    rejected(craft(header, claims(), lambda data: hmac.new(pem, data, "sha256").digest()), keys)


@pytest.mark.parametrize("alg", ["RS512", "PS256", "ES256", "rs256", "RS256 "])
def test_other_algorithms(key: rsa.RSAPrivateKey, keys: dict[str, Any], alg: str) -> None:
    header = {"alg": alg, "typ": "JWT", "kid": KID, "version": "5"}
    rejected(
        craft(header, claims(), lambda data: key.sign(data, padding.PKCS1v15(), hashes.SHA512())),
        keys,
    )


# -- malformed tokens ---------------------------------------------------------------------------


def _valid_v5(key: rsa.RSAPrivateKey) -> list[str]:
    return mint(key, claims()).split(".")


NAN_JSON = b'{"exp":NaN}'
LATIN1_JSON = '{"a":"\u00e9"}'.encode("latin-1")
MALFORMED: dict[str, Callable[[list[str]], str]] = {
    "empty": lambda _: "",
    "two-segments": lambda p: f"{p[0]}.{p[1]}",
    "four-segments": lambda p: ".".join([*p, p[2]]),
    "std-alphabet-payload": lambda p: f"{p[0]}.{p[1][:-2]}+/.{p[2]}",
    "padded-payload": lambda p: f"{p[0]}.{p[1]}=.{p[2]}",
    "junk-in-signature": lambda p: f"{p[0]}.{p[1]}.{p[2][:-4]}!!!!",
    "non-ascii": lambda p: f"{p[0]}.{p[1]}é.{p[2]}",
    "surrogate": lambda p: f"{p[0]}\ud800.{p[1]}.{p[2]}",
    "length-1-mod-4": lambda p: f"{p[0]}.{p[1]}.A",
    "non-canonical-end": lambda p: f"{p[0]}.e31.{p[2]}",  # "e30" is {}; "e31" decodes the same
    "payload-not-json": lambda p: f"{p[0]}.{b64url(b'{not json')}.{p[2]}",
    "payload-nan": lambda p: f"{p[0]}.{b64url(NAN_JSON)}.{p[2]}",
    "payload-array": lambda p: f"{p[0]}.{b64url(b'[1,2]')}.{p[2]}",
    "payload-deep": lambda p: f"{p[0]}.{b64url(b'[' * 100_000)}.{p[2]}",
    "payload-not-utf8": lambda p: f"{p[0]}.{b64url(LATIN1_JSON)}.{p[2]}",
    "header-array": lambda p: f"{b64url(b'[]')}.{p[1]}.{p[2]}",
}


def _header(**fields: Any) -> Callable[[list[str]], str]:
    base = {"alg": "RS256", "typ": "JWT", "kid": KID, "version": "5"}
    header = {name: value for name, value in {**base, **fields}.items() if value is not MISSING}
    return lambda p: f"{b64url(to_json(header))}.{p[1]}.{p[2]}"


MALFORMED.update(
    {
        "no-typ": _header(typ=MISSING),
        "typ-jwe": _header(typ="JWE"),
        "no-alg": _header(alg=MISSING),
        "alg-int": _header(alg=256),
        "no-kid": _header(kid=MISSING),
        "kid-int": _header(kid=1),
        "version-2": _header(version="2"),
        "version-0": _header(version=0),
        "version-6": _header(version="6"),
        "version-word": _header(version="five"),
        "version-bool": _header(version=True),
        "version-null": _header(version=None),
        "crit": _header(crit=["exp"]),
        "v2-header-urlsafe-payload": lambda p: f"{V2_HEADER}.{p[1]}_-.{b64std(b'sig')}",
        "v2-payload-bad-padding": lambda p: f"{V2_HEADER}.{b64std(b'{}')}=.{b64std(b'sig')}",
        "v2-header-unpadded": lambda p: f"{V2_HEADER.rstrip('=')}.{p[1]}.{p[2]}",
    }
)


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed(key: rsa.RSAPrivateKey, name: str) -> None:
    parts = _valid_v5(key)
    token = MALFORMED[name](parts)
    with pytest.raises(TokenParseError) as caught:
        parse_access_token(token)
    assert parts[1] not in str(caught.value)


def test_version_as_json_int(key: rsa.RSAPrivateKey, keys: dict[str, Any]) -> None:
    token = craft({"alg": "RS256", "typ": "JWT", "kid": KID, "version": 4}, claims(4), rs256(key))
    assert verify(token, keys).version == 4


def test_non_str_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        parse_access_token(b"a.b.c")  # type: ignore[arg-type]


def test_reprs_hide_the_token(key: rsa.RSAPrivateKey, keys: dict[str, Any]) -> None:
    token = mint(key, claims(antiCsrfToken="csrf-secret"))
    parsed = parse_access_token(token)
    info = verify_access_token(parsed, keys, now=NOW, leeway=LEEWAY)
    for part in token.split("."):
        assert part not in repr(parsed)
    assert "signature" not in repr(parsed)
    assert "payload" not in repr(parsed)
    assert "csrf-secret" not in repr(info)


def test_header_cache_is_bounded(key: rsa.RSAPrivateKey) -> None:
    payload, signature = _valid_v5(key)[1:]
    # The cache and its bound are internal: this test reads them on purpose.
    for number in range(3 * tokens._HEADER_CACHE_SIZE):  # pyright: ignore[reportPrivateUsage]
        header = b64url(to_json({"alg": "RS256", "typ": "JWT", "kid": f"k{number}"}))
        assert parse_access_token(f"{header}.{payload}.{signature}").kid == f"k{number}"
        assert parse_access_token(f"{header}.{payload}.{signature}").kid == f"k{number}"
        assert len(tokens._HEADER_CACHE) <= tokens._HEADER_CACHE_SIZE  # pyright: ignore[reportPrivateUsage]


# -- JWK and front token ------------------------------------------------------------------------


def _jwk(key: rsa.RSAPrivateKey, **changes: Any) -> dict[str, Any]:
    numbers = key.public_key().public_numbers()
    jwk = {
        "kty": "RSA",
        "kid": KID,
        "n": b64url(numbers.n.to_bytes(257, "big")),  # the core sends a leading zero byte
        "e": b64url(numbers.e.to_bytes(3, "big")),
        "alg": "RS256",
        "use": "sig",
    }
    return {name: value for name, value in {**jwk, **changes}.items() if value is not MISSING}


def test_public_key_from_jwk(key: rsa.RSAPrivateKey) -> None:
    public = public_key_from_jwk(_jwk(key))
    assert public.public_numbers() == key.public_key().public_numbers()
    token = mint(key, claims())
    assert verify(token, {KID: public}).user_id == "user-1"
    assert public_key_from_jwk(_jwk(key, alg=MISSING, use=MISSING)).key_size == 2048


@pytest.mark.parametrize(
    "changes",
    [
        {"kty": "EC"},
        {"kty": MISSING},
        {"alg": "RS512"},
        {"use": "enc"},
        {"n": MISSING},
        {"e": 65537},
        {"n": "not base64!"},
        {"e": "AAAA"},
        {"n": ""},
    ],
)
def test_bad_jwk(key: rsa.RSAPrivateKey, changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        public_key_from_jwk(_jwk(key, **changes))


def test_front_token() -> None:
    token = front_token("user-1", 1234, {"b": 1, "a": "é"})
    assert token == b64std(b'{"ate":1234,"uid":"user-1","up":{"a":"\\u00e9","b":1}}')
    assert json.loads(base64.b64decode(token)) == {
        "uid": "user-1",
        "ate": 1234,
        "up": {"b": 1, "a": "é"},
    }
