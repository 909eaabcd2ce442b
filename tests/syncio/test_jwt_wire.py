# Generated from tests/asyncio/test_jwt_wire.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""``POST /recipe/jwt`` on the wire: the local core answers every body as the real core does.

Run with ``--core=real`` these are checked against the real core; the expected answers were
first written down from it (11.1.3). Bodies go straight through the client's transport, so
nothing of authclient's own input checks stands in the way.
"""

from __future__ import annotations

import base64
import json
from typing import Any, Optional

import pytest

from authclient._protocol.wire import CoreRequest, CoreResponse, encode_json
from authclient.errors import CoreResponseError
from authclient.syncio import Client
from tests.syncio.conftest import AppClient

GOOD = {
    "payload": {"a": 1},
    "validity": 100,
    "useStaticSigningKey": True,
    "algorithm": "RS256",
    "jwksDomain": "https://api.example.com",
}
ALGORITHM, DOMAIN, PAYLOAD, VALIDITY, STATIC = (
    "Field name 'algorithm' is invalid in JSON input",
    "Field name 'jwksDomain' is invalid in JSON input",
    "Field name 'payload' is invalid in JSON input",
    "Field name 'validity' is invalid in JSON input",
    "Field name 'useStaticSigningKey' is invalid in JSON input",
)
NOT_POSITIVE = "validity must be greater than or equal to 0"
BIG_INTEGER = (
    "java.lang.IllegalArgumentException: Claim values must only be of types Map, List, "
    "Boolean, Integer, Long, Double, String, Date, Instant, and Null"
)
LEFT_OUT = object()


def body(**changes: Any) -> dict[str, Any]:
    """GOOD with some fields changed (``LEFT_OUT``: without the field)."""
    changed = {**GOOD, **changes}
    return {name: value for name, value in changed.items() if value is not LEFT_OUT}


def post(client: Client, content: bytes, path: str = "/recipe/jwt") -> CoreResponse:
    # Not idempotent, so that a 500 is answered at once rather than retried.
    request = CoreRequest("POST", path, None, content, "jwt", idempotent=False)
    return client.session_recipe.transport.send(request, {})


def _segment(part: str) -> dict[str, Any]:
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


def claims_and_kid(token: str) -> tuple[dict[str, Any], str]:
    """A JWT's claims and its header's kid, read without checking anything."""
    header, claims = token.split(".")[:2]
    return _segment(claims), _segment(header)["kid"]


@pytest.mark.parametrize(
    ("content", "status", "text"),
    [
        (b"not json", 400, "Invalid Json Input"),
        (b"[]", 400, "Invalid Json Input"),
        (b"", 400, "Invalid Json Input"),
        (encode_json({}), 400, ALGORITHM),
        (encode_json(body(algorithm=LEFT_OUT)), 400, ALGORITHM),
        (encode_json(body(algorithm=None)), 400, ALGORITHM),
        (encode_json(body(algorithm=1)), 400, ALGORITHM),
        (encode_json(body(jwksDomain=LEFT_OUT)), 400, DOMAIN),
        (encode_json(body(jwksDomain=True)), 400, DOMAIN),
        (encode_json(body(payload=LEFT_OUT)), 400, PAYLOAD),
        (encode_json(body(payload=[])), 400, PAYLOAD),
        (encode_json(body(payload="x")), 400, PAYLOAD),
        (encode_json(body(payload=None)), 400, PAYLOAD),
        (encode_json(body(validity=LEFT_OUT)), 400, VALIDITY),
        (encode_json(body(validity="abc")), 400, VALIDITY),
        (encode_json(body(validity="1.5")), 400, VALIDITY),
        (encode_json(body(validity=True)), 400, VALIDITY),
        (encode_json(body(validity=None)), 400, VALIDITY),
        (encode_json(body(validity={"a": 1})), 400, VALIDITY),
        (encode_json(body(validity=0)), 400, NOT_POSITIVE),
        (encode_json(body(validity=-1)), 400, NOT_POSITIVE),
        (encode_json(body(validity="-5")), 400, NOT_POSITIVE),
        (encode_json(body(validity=0.9)), 400, NOT_POSITIVE),
        (encode_json(body(validity=2**63)), 400, NOT_POSITIVE),
        (encode_json(body(useStaticSigningKey="true")), 400, STATIC),
        (encode_json(body(useStaticSigningKey=None)), 400, STATIC),
        (encode_json(body(useStaticSigningKey={})), 400, STATIC),
        (encode_json(body(useStaticSigningKey=[])), 400, STATIC),
        # The order in which the core reads the fields decides which one it names.
        (encode_json({"validity": "x"}), 400, ALGORITHM),
        (encode_json(body(validity=-1, useStaticSigningKey="x")), 400, NOT_POSITIVE),
        (encode_json(body(algorithm="HS256", useStaticSigningKey="x")), 400, STATIC),
        (encode_json(body(payload={"n": 10**18})), 500, BIG_INTEGER),
        (encode_json(body(payload={"n": [{"m": -(2**64)}]})), 500, BIG_INTEGER),
    ],
)
def test_bad_bodies_get_the_real_cores_errors(
    app_client: AppClient, content: bytes, status: int, text: str
) -> None:
    """Each malformed body: the same status and the same plain-text message."""
    with app_client() as (client, _):
        with pytest.raises(CoreResponseError) as raised:
            post(client, content)
    assert (raised.value.status_code, raised.value.body.strip()) == (status, text)


@pytest.mark.parametrize("algorithm", ["HS256", "ES256", "", " RS256"])
def test_other_algorithms_are_unsupported(app_client: AppClient, algorithm: str) -> None:
    """Only RS256 (in any case) is signed; anything else is a 200 with a status."""
    with app_client() as (client, _):
        response = post(client, encode_json(body(algorithm=algorithm)))
    assert response.data == {"status": "UNSUPPORTED_ALGORITHM_ERROR"}


@pytest.mark.parametrize(
    ("changes", "kid_prefix", "lifetime"),
    [
        ({"algorithm": "rs256"}, "s-", 100),
        ({"algorithm": ["RS256"]}, "s-", 100),
        ({"validity": "100"}, "s-", 100),
        ({"validity": [100]}, "s-", 100),
        ({"validity": 1.5}, "s-", 1),
        ({"useStaticSigningKey": LEFT_OUT}, "s-", 100),
        ({"useStaticSigningKey": False}, "d-", 100),
        ({"useStaticSigningKey": 1}, "d-", 100),
        ({"useStaticSigningKey": [True]}, "s-", 100),
    ],
)
def test_what_gson_accepts_is_accepted(
    app_client: AppClient, changes: dict[str, Any], kid_prefix: str, lifetime: int
) -> None:
    """The core's lenient reading: decimal strings, fractions, one-element arrays, numbers
    as booleans (always false)."""
    with app_client() as (client, _):
        response = post(client, encode_json(body(**changes)))
    claims, kid = claims_and_kid(response.data["jwt"])
    assert kid.startswith(kid_prefix)
    assert claims["exp"] - claims["iat"] == lifetime


@pytest.mark.parametrize(
    ("payload", "domain", "expected"),
    [
        ({"a": 1}, "", {"iss": "", "a": 1}),
        ({"iss": None}, "d", {"iss": None}),
        ({"iss": 5, "exp": 7, "iat": 3, "nbf": 2}, "d", {"iss": 5, "exp": 7, "iat": 3, "nbf": 2}),
    ],
)
def test_the_payload_overrides_the_cores_claims(
    app_client: AppClient, payload: dict[str, Any], domain: str, expected: dict[str, Any]
) -> None:
    """iss is jwksDomain unless the payload has one; the payload's exp and iat win too."""
    with app_client() as (client, _):
        response = post(client, encode_json(body(payload=payload, jwksDomain=domain)))
    claims, _ = claims_and_kid(response.data["jwt"])
    assert {name: claims[name] for name in expected} == expected


@pytest.mark.parametrize("content", [encode_json(GOOD), encode_json({})])
def test_a_tenant_gets_403_once_the_body_is_read(
    app_client: AppClient, newest_cdi_version: str, content: bytes
) -> None:
    """App-wide: under a tenant prefix the core refuses, after checking the body."""
    with app_client(cdi_version=newest_cdi_version) as (client, _):
        with pytest.raises(CoreResponseError) as raised:
            post(client, content, "/t1/recipe/jwt")
    expected = (
        (403, "Only public tenantId can call this app specific API")
        if content == encode_json(GOOD)
        else (400, ALGORITHM)
    )
    assert (raised.value.status_code, raised.value.body.strip()) == expected


@pytest.mark.parametrize("api_key", [None, "a-wrong-key-of-twenty-chars"])
def test_the_api_key_is_required(app_client: AppClient, api_key: Optional[str]) -> None:
    """Without the core's api key, or with another: HTTP 401."""
    config = {"api_keys": "the-right-key-of-twenty-chars"}
    with app_client(core_config=config, api_key=api_key, cdi_version="5.0") as (client, _):
        with pytest.raises(CoreResponseError) as raised:
            post(client, encode_json(GOOD))
    assert (raised.value.status_code, raised.value.body.strip()) == (401, "Invalid API key")
