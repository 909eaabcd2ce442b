# Generated from authclient/asyncio/_web_jwt.py by tools/unasync.py. Do not edit: edit the source and run `nox -s generate`.

"""The web layer's public endpoints for JWTs made by ``create_jwt``, as the official SDKs' session
recipe serves them (its jwt and openid recipes):

- ``GET {base}/jwt/jwks.json``: the core's public keys, ``{"keys": [...]}``, with
  ``Cache-Control: max-age=<the JWKS's max_age>, must-revalidate``;
- ``GET {base}/.well-known/openid-configuration``: the OpenID discovery document, with
  ``"status": "OK"`` as the official SDKs send it.

Both also below a tenant id (the same answer), with ``Access-Control-Allow-Origin: *``; no
session, no anti-CSRF. The discovery document is the session recipe's when the client's
``SessionConfig.api_domain`` is set (it names the issuer ``create_jwt`` writes into each JWT);
without it, it is built from ``WebConfig``: ``api_domain`` + ``api_gateway_path`` +
``api_base_path``, where these endpoints are. Either way ``jwks_uri`` is this layer's JWKS
endpoint, unless ``SessionConfig`` names another API (then a warning is logged, once).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from authclient._protocol import jwt as protocol
from authclient._protocol.fdi.effects import ResponseEffects
from authclient._protocol.fdi.request import WebRequest
from authclient._protocol.fdi.rules import Endpoint
from authclient._protocol.fdi.state import request_context
from authclient.types import JWKS, OpenIdDiscoveryConfiguration

if TYPE_CHECKING:
    from authclient.syncio.web import WebSessions

logger = logging.getLogger("authclient.web")
JWT_ENDPOINTS: tuple[Endpoint, ...] = ("jwks", "openid_configuration")
_WARNED: set[tuple[str, str]] = set()


class WebJwtApi:
    """``jwks_get`` and ``openid_configuration_get`` of ``WebApi`` (which inherits them)."""

    web: WebSessions

    def jwks_get(self, request: WebRequest, user_context: dict[str, Any]) -> JWKS:
        """``GET {base}/jwt/jwks.json``: the core's public keys (from the client's cache while
        fresh); their ``max_age`` (the seconds they stay fresh) is the answer's ``Cache-Control``
        max-age."""
        client = self.web.client()
        return client.get_jwks(user_context=user_context)

    def openid_configuration_get(
        self, request: WebRequest, user_context: dict[str, Any]
    ) -> OpenIdDiscoveryConfiguration:
        """``GET {base}/.well-known/openid-configuration``: the session recipe's document when
        ``SessionConfig.api_domain`` is set, else the document of ``WebConfig``'s API."""
        client = self.web.client()
        served = web_discovery_configuration(self.web)
        if client.session_recipe.config.api_domain is None:
            return served
        document = client.get_open_id_discovery_configuration(user_context=user_context)
        if document.jwks_uri != served.jwks_uri:
            _warn_elsewhere(document.jwks_uri, served.jwks_uri)
        return document


def web_discovery_configuration(web: WebSessions) -> OpenIdDiscoveryConfiguration:
    """The discovery document of the API ``web.config`` names (issuer: domain + gateway + base)."""
    config = web.config
    return protocol.discovery_document(config.api_domain + config.base_path)


def answer_jwt_endpoint(
    web: WebSessions, request: WebRequest, endpoint: Endpoint
) -> ResponseEffects:
    """The answer to ``GET`` of the JWKS or the discovery document, through ``web.api``."""
    context = request_context(request, None)
    effects = ResponseEffects()
    if endpoint == "jwks":
        jwks = web.api.jwks_get(request, context)
        effects.answer_json(200, jwks.to_dict())
        effects.set_header("cache-control", f"max-age={jwks.max_age}, must-revalidate")
    else:
        document = web.api.openid_configuration_get(request, context)
        effects.answer_json(200, {"status": "OK", **document.to_dict()})
    effects.set_header("access-control-allow-origin", "*")
    return effects


def _warn_elsewhere(named: str, served: str) -> None:
    if (named, served) in _WARNED:
        return
    _WARNED.add((named, served))
    logger.warning(
        "the OpenID discovery document names jwks_uri %s, but this web layer serves the JWKS at "
        "%s: give SessionConfig the api_domain of WebConfig and its api_gateway_path + "
        "api_base_path as api_base_path",
        named,
        served,
    )
