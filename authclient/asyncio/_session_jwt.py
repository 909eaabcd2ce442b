"""The session recipe's JWTs for other services and its OpenID discovery document.

A part of ``AsyncSessionRecipe`` (which inherits these methods), kept apart because nothing
else in the recipe uses it. Override them as any other recipe method.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from authclient._protocol import jwt as protocol
from authclient.asyncio._transport import AsyncTransport
from authclient.types import CreateJwtResult, OpenIdDiscoveryConfiguration, SessionConfig

if TYPE_CHECKING:
    from authclient.asyncio.session import AsyncSessionRecipe


class AsyncSessionJwtMethods:
    """``create_jwt`` and ``get_open_id_discovery_configuration`` of ``AsyncSessionRecipe``."""

    transport: AsyncTransport
    config: SessionConfig
    implementation: AsyncSessionRecipe

    async def create_jwt(
        self,
        payload: dict[str, Any],
        validity_seconds: Optional[int],
        use_static_signing_key: Optional[bool],
        user_context: dict[str, Any],
    ) -> CreateJwtResult:
        """A JWT signed with the core's keys, its issuer that of the discovery document.

        ``validity_seconds`` ``None`` is 100 years; ``use_static_signing_key`` ``None`` is the
        static key (a JWT that outlives the rotating keys stays verifiable).
        """
        jwks_domain = protocol.api_domain(self.config)
        discovery = await self.implementation.get_open_id_discovery_configuration(user_context)
        request = protocol.create_jwt_request(
            payload,
            validity_seconds,
            use_static_signing_key,
            issuer=discovery.issuer,
            jwks_domain=jwks_domain,
        )
        return protocol.created_jwt(await self.transport.send(request, user_context))

    async def get_open_id_discovery_configuration(
        self, user_context: dict[str, Any]
    ) -> OpenIdDiscoveryConfiguration:
        """The OpenID discovery document of ``SessionConfig.api_domain`` + ``api_base_path``.

        Asks nothing of the core; ``ConfigurationError`` without ``api_domain``.
        """
        return protocol.discovery_configuration(self.config)
