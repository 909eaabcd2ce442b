"""The commands that talk to a core: each returns what is printed as JSON (snake_case keys)."""

from __future__ import annotations

import argparse
from typing import Any, Callable, Optional

import attrs

from authclient._cli.exits import NotFoundError


def secrets(args: argparse.Namespace) -> list[str]:
    """The secrets among the arguments (kept out of every message)."""
    names = ("api_key", "access_token", "refresh_token", "anti_csrf_token")
    return [value for name in names if isinstance(value := getattr(args, name, None), str)]


def _session_json(session: Any) -> dict[str, Any]:
    return {
        "user_id": session.user_id,
        "recipe_user_id": session.recipe_user_id,
        "tenant_id": session.tenant_id,
        "handle": session.handle,
        "access_token_payload": session.access_token_payload,
        "tokens": attrs.asdict(session.tokens),
    }


def _existing(result: Optional[Any], handle: str) -> Any:
    if result is None:
        raise NotFoundError(f"no session {handle!r}")
    return result


def _revoked(revoked: bool, handle: str) -> dict[str, Any]:
    if not revoked:
        raise NotFoundError(f"no session {handle!r}", output={"revoked": False})
    return {"revoked": True}


def run_client_command(args: argparse.Namespace) -> Any:
    """Run a metadata, session, app or tenant command; the JSON-able result."""
    if args.command in ("app", "tenant"):
        return _multitenancy(args)

    from authclient.syncio import Client

    with Client(args.connection_uri, api_key=args.api_key, timeout=args.timeout) as client:
        commands: dict[tuple[str, str], Callable[[], Any]] = {
            ("metadata", "get"): lambda: client.get_user_metadata(args.user_id).metadata,
            ("metadata", "update"): lambda: (
                client.update_user_metadata(args.user_id, args.metadata_update).metadata
            ),
            ("metadata", "clear"): lambda: client.clear_user_metadata(args.user_id) and {},
            ("session", "create"): lambda: _session_json(
                client.create_new_session(
                    args.user_id, args.payload, args.data, tenant_id=args.tenant_id
                )
            ),
            ("session", "verify"): lambda: _session_json(
                client.get_session(
                    args.access_token, args.anti_csrf_token, check_database=args.check_database
                )
            ),
            ("session", "refresh"): lambda: _session_json(
                client.refresh_session(args.refresh_token, args.anti_csrf_token)
            ),
            ("session", "revoke"): lambda: _revoked(
                client.revoke_session(args.session_handle), args.session_handle
            ),
            ("session", "list"): lambda: client.get_all_session_handles_for_user(
                args.user_id, tenant_id=args.tenant_id
            ),
            ("session", "info"): lambda: attrs.asdict(
                _existing(client.get_session_information(args.session_handle), args.session_handle)
            ),
        }
        return commands[(args.command, args.action)]()


def _multitenancy(args: argparse.Namespace) -> dict[str, Any]:
    """``app create`` and ``tenant create``: a PUT the Python API has no function for."""
    from authclient._protocol.config import ClientConfig
    from authclient._protocol.wire import CoreRequest
    from authclient.syncio._transport import Transport

    body: dict[str, Any]
    if args.command == "app":
        path, body = "/recipe/multitenancy/app/v2", {"appId": args.app_id}
        result: dict[str, Any] = {"app_id": args.app_id}
    else:
        prefix = f"/appid-{args.app_id}" if args.app_id else ""
        path, body = f"{prefix}/recipe/multitenancy/tenant/v2", {"tenantId": args.tenant_id}
        result = {"tenant_id": args.tenant_id}
    if args.config:
        # Omitted when empty, so updating an existing app or tenant keeps its config.
        body["coreConfig"] = dict(args.config)
    config = ClientConfig.build(
        args.connection_uri,
        api_key=args.api_key,
        timeout=args.timeout,
        max_retries=2,
        cdi_version=None,
    )
    transport = Transport(config)
    try:
        request = CoreRequest.with_json(
            "PUT", path, body, recipe_id="multitenancy", idempotent=True
        )
        response = transport.send(request, {})
    finally:
        transport.close()
    response.require_ok()
    return {**result, "created_new": response.field("createdNew", bool)}
