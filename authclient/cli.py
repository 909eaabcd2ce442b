"""The ``authclient`` command: the demo, the local core, and metadata / session calls as JSON.


Exit codes (stable, for scripts): 0 ok; 1 unexpected error; 2 usage; 3 invalid input;
4 core unreachable or timed out; 5 the core answered with an error; 6 not found;
10 try refreshing the token; 11 unauthorised; 12 token theft detected.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, Callable, NoReturn, Optional, cast

from authclient import errors

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INPUT = 0, 1, 2, 3
EXIT_UNREACHABLE, EXIT_CORE, EXIT_NOT_FOUND = 4, 5, 6
EXIT_TRY_REFRESH, EXIT_UNAUTHORISED, EXIT_THEFT = 10, 11, 12

_EXIT_CODES: list[tuple[type[BaseException], int]] = [
    (errors.TryRefreshTokenError, EXIT_TRY_REFRESH),
    (errors.UnauthorisedError, EXIT_UNAUTHORISED),
    (errors.TokenTheftError, EXIT_THEFT),
    (errors.CoreUnavailableError, EXIT_UNREACHABLE),
    (errors.CoreTimeoutError, EXIT_UNREACHABLE),
    (errors.CoreResponseError, EXIT_CORE),
    (errors.IncompatibleCoreError, EXIT_CORE),
    (ValueError, EXIT_INPUT),
    (TypeError, EXIT_INPUT),
]


EXIT_CODES_HELP = """tokens can start with "-": put "--" before them, e.g.
  authclient session refresh -- "$REFRESH_TOKEN"

exit codes: 0 ok, 1 unexpected error, 2 usage, 3 invalid input,
4 core unreachable or timed out, 5 core error, 6 not found,
10 try refresh, 11 unauthorised, 12 token theft"""


class NotFound(Exception):
    pass


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError("must be a JSON object")
    return cast("dict[str, Any]", value)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="authclient",
        description="Talk to a SuperTokens-style core, or run a local one.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--connection-uri",
        default=os.environ.get("AUTHCLIENT_CONNECTION_URI") or "http://localhost:3567",
        help="the core's URI(s), ';'-separated (env AUTHCLIENT_CONNECTION_URI)",
    )
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per request")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("demo", help="walk through both flavors on an embedded local core")

    local = commands.add_parser("localcore", help="the local development core")
    local_commands = local.add_subparsers(dest="action", required=True, metavar="ACTION")
    serve = local_commands.add_parser("serve", help="serve the local core over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=3567)
    serve.add_argument("--db", default=":memory:", help="SQLite file (default: in memory)")
    serve.add_argument(
        "--api-key",
        default=os.environ.get("AUTHCLIENT_API_KEY") or None,
        help="require this api key (env AUTHCLIENT_API_KEY, as the client commands use)",
    )

    metadata = commands.add_parser("metadata", help="user metadata")
    metadata_commands = metadata.add_subparsers(dest="action", required=True, metavar="ACTION")
    metadata_commands.add_parser("get").add_argument("user_id")
    update = metadata_commands.add_parser("update", help="shallow merge; null deletes a key")
    update.add_argument("user_id")
    update.add_argument("metadata_update", type=_json_object, help="a JSON object")
    metadata_commands.add_parser("clear").add_argument("user_id")

    session = commands.add_parser("session", help="sessions")
    session_commands = session.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = session_commands.add_parser("create")
    create.add_argument("user_id")
    create.add_argument("--payload", type=_json_object, default=None, help="access-token payload")
    create.add_argument("--data", type=_json_object, default=None, help="session data in database")
    create.add_argument("--tenant-id", default="public")
    verify = session_commands.add_parser("verify")
    verify.add_argument("access_token")
    verify.add_argument("--anti-csrf-token")
    verify.add_argument("--check-database", action="store_true")
    refresh = session_commands.add_parser("refresh")
    refresh.add_argument("refresh_token")
    refresh.add_argument("--anti-csrf-token")
    session_commands.add_parser("revoke").add_argument("session_handle")
    listing = session_commands.add_parser("list", help="a user's session handles")
    listing.add_argument("user_id")
    listing.add_argument("--tenant-id", default=None)
    session_commands.add_parser("info").add_argument("session_handle")
    return parser


def _session_json(session: Any) -> dict[str, Any]:
    tokens = session.tokens
    return {
        "userId": session.user_id,
        "recipeUserId": session.recipe_user_id,
        "tenantId": session.tenant_id,
        "handle": session.handle,
        "accessTokenPayload": session.access_token_payload,
        "tokens": {
            "accessToken": tokens.access_token,
            "refreshToken": tokens.refresh_token,
            "antiCsrfToken": tokens.anti_csrf_token,
            "frontToken": tokens.front_token,
            "accessTokenUpdated": tokens.access_token_updated,
        },
    }


def _call(args: argparse.Namespace) -> Any:
    """Run a metadata or session command; the JSON-able result."""
    import attrs

    from authclient.syncio import Client

    with Client(
        args.connection_uri,
        api_key=os.environ.get("AUTHCLIENT_API_KEY") or None,
        timeout=args.timeout,
    ) as client:
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
            ("session", "revoke"): lambda: {"revoked": client.revoke_session(args.session_handle)},
            ("session", "list"): lambda: client.get_all_session_handles_for_user(
                args.user_id, tenant_id=args.tenant_id
            ),
            ("session", "info"): lambda: client.get_session_information(args.session_handle),
        }
        result: object = commands[(args.command, args.action)]()
        if result is None:
            raise NotFound(f"no session {args.session_handle!r}")
        return attrs.asdict(cast(Any, result)) if attrs.has(type(result)) else result


def _fail(code: int, message: str) -> NoReturn:
    print(f"authclient: {message}", file=sys.stderr)
    raise SystemExit(code)


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = _parser().parse_args(argv)
    try:
        if args.command == "demo":
            from authclient._demo import run_demo

            run_demo()
        elif args.command == "localcore":
            from authclient.localcore import serve

            serve(host=args.host, port=args.port, db=args.db, api_key=args.api_key)
        else:
            print(json.dumps(_call(args), indent=2, ensure_ascii=False))
    except NotFound as exc:
        _fail(EXIT_NOT_FOUND, str(exc))
    except KeyboardInterrupt:
        _fail(130, "interrupted")
    except Exception as exc:
        code = next((code for kind, code in _EXIT_CODES if isinstance(exc, kind)), EXIT_ERROR)
        _fail(code, f"{type(exc).__name__}: {exc}")
