"""JWTs for other services on the wire (authclient/_protocol/jwt.py), without any I/O."""

from __future__ import annotations

from typing import Any

import pytest

from authclient._protocol import jwt as protocol
from authclient._protocol.wire import CoreRequest, CoreResponse
from authclient.errors import ConfigurationError, CoreResponseError
from authclient.types import CreateJwtResult, SessionConfig

REQUEST = CoreRequest("POST", "/recipe/jwt")


def answer(**data: Any) -> CoreResponse:
    return CoreResponse(REQUEST, "http://core:3567", 200, data)


def test_an_ok_answer_is_the_jwt() -> None:
    """status OK with a jwt: the result holds it."""
    assert protocol.created_jwt(answer(status="OK", jwt="a.b.c")) == CreateJwtResult("a.b.c")


@pytest.mark.parametrize(
    "data",
    [
        {"status": "UNSUPPORTED_ALGORITHM_ERROR"},
        {"status": "OK"},
        {"status": "OK", "jwt": 5},
    ],
)
def test_any_other_answer_is_a_core_response_error(data: dict[str, Any]) -> None:
    """A status other than OK (e.g. a core that does not sign RS256), or no JWT string."""
    with pytest.raises(CoreResponseError):
        protocol.created_jwt(answer(**data))


def test_the_error_never_shows_a_jwt() -> None:
    """An unreadable answer quoting a JWT masks it in the error."""
    with pytest.raises(CoreResponseError) as raised:
        protocol.created_jwt(answer(status="ODD", jwt="secret.jwt.value"))
    assert "secret.jwt.value" not in str(raised.value) + raised.value.body


def test_the_request_may_be_retried_and_names_the_jwt_recipe() -> None:
    """Minting stores nothing, so the request may be retried; it carries rid jwt and cdi."""
    request = protocol.create_jwt_request(
        {}, None, None, issuer="https://a.example/auth", jwks_domain="https://a.example"
    )
    assert (request.method, request.path, request.idempotent) == ("POST", "/recipe/jwt", True)
    assert request.headers("5.4", {})["rid"] == "jwt"


def test_a_nineteen_digit_integer_is_refused() -> None:
    """The core fails (HTTP 500) on integers of 19 digits: refused before sending."""
    with pytest.raises(ValueError, match=r"payload\['n'\]\[0\]"):
        protocol.create_jwt_request({"n": [10**18]}, None, None, issuer="i", jwks_domain="d")
    protocol.create_jwt_request(
        {"n": [10**18 - 1, -(10**18) + 1]}, None, None, issuer="i", jwks_domain="d"
    )


def test_no_api_domain_is_a_configuration_error() -> None:
    """The discovery document needs SessionConfig.api_domain; the error names the setting."""
    with pytest.raises(ConfigurationError) as raised:
        protocol.discovery_configuration(SessionConfig())
    assert raised.value.setting == "SessionConfig.api_domain"
