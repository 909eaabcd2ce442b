"""The ``authclient`` argument parser.

The global options (``--connection-uri``, ``--api-key``, ``--timeout``) are accepted before the
command and again after the subcommand. Their defaults are ``SUPPRESS``: a subcommand's parser
then never writes a default over a value given before it (argparse copies a subparser's whole
namespace onto the parent's), and ``resolve_globals`` fills in what was not given at all.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from collections.abc import Sequence
from typing import Any, NoReturn, cast

from authclient import __version__
from authclient._cli.exits import EPILOG, EXIT_USAGE

DEFAULT_CONNECTION_URI = "http://localhost:3567"
DEFAULT_TIMEOUT = 10.0
_SHOWN_ARGUMENT_LENGTH = 24  # longer unrecognised arguments may be tokens: not echoed


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose usage errors are one line on stderr."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"authclient: usage: {self.prog}: {message} (see --help)\n")


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError("must be a JSON object")
    return cast("dict[str, Any]", value)


def _config_item(text: str) -> tuple[str, Any]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError("expected KEY=VALUE")
    try:
        parsed: Any = json.loads(value)
    except ValueError:
        parsed = value
    return key.strip(), parsed


def _non_empty(text: str) -> str:
    if not text:
        raise argparse.ArgumentTypeError("must not be empty")
    return text


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 1 to 65535, not {port}")
    return port


def _app_id(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9-]+", text):
        raise argparse.ArgumentTypeError("an app id is letters, digits and '-'")
    return text


_API_KEY_HELP = "the core's api key (default: env AUTHCLIENT_API_KEY); never printed"


def _global_options() -> argparse.ArgumentParser:
    parent = Parser(add_help=False)
    group = parent.add_argument_group("connection options (before the command or after it)")
    group.add_argument(
        "--connection-uri",
        default=argparse.SUPPRESS,
        metavar="URI",
        help=f"the core's URI(s), ';'-separated (default: env AUTHCLIENT_CONNECTION_URI, "
        f"else {DEFAULT_CONNECTION_URI})",
    )
    group.add_argument(
        "--api-key", type=_non_empty, default=argparse.SUPPRESS, metavar="KEY", help=_API_KEY_HELP
    )
    group.add_argument(
        "--timeout",
        type=float,
        default=argparse.SUPPRESS,
        metavar="SECONDS",
        help=f"per call, retries included (default: {DEFAULT_TIMEOUT:g})",
    )
    return parent


def resolve_globals(args: argparse.Namespace) -> argparse.Namespace:
    """Fill in the global options that were given nowhere: the environment, else defaults."""
    if not hasattr(args, "connection_uri"):
        args.connection_uri = os.environ.get("AUTHCLIENT_CONNECTION_URI") or DEFAULT_CONNECTION_URI
    if not hasattr(args, "api_key"):
        args.api_key = os.environ.get("AUTHCLIENT_API_KEY") or None
    if not hasattr(args, "timeout"):
        args.timeout = DEFAULT_TIMEOUT
    return args


def describe_unrecognised(extra: Sequence[str]) -> str:
    """Unrecognised arguments for an error message, long ones (tokens?) by their length only."""
    return " ".join(
        arg if len(arg) <= _SHOWN_ARGUMENT_LENGTH else f"<a {len(arg)}-character argument>"
        for arg in extra
    )


def build_parser() -> Parser:
    connection = _global_options()
    parser = Parser(
        prog="authclient",
        description="Talk to a SuperTokens-style core, or run a local one.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[connection],
    )
    parser.add_argument("--version", action="version", version=f"authclient {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def group(name: str, help: str) -> Any:
        sub = commands.add_parser(name, help=help, description=help)
        return sub.add_subparsers(dest="action", required=True, metavar="ACTION", title="actions")

    def leaf(actions: Any, name: str, help: str, *, connects: bool = True) -> Parser:
        parents = [connection] if connects else []
        return cast(Parser, actions.add_parser(name, help=help, description=help, parents=parents))

    commands.add_parser(
        "demo",
        help="walk through both flavors on an embedded local core",
        description="Start a local core on a free loopback port and walk through the API.",
    )

    local = group("localcore", "the local development core")
    serve = leaf(local, "serve", "serve the local core over HTTP until Ctrl+C", connects=False)
    serve.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1")
    serve.add_argument("--port", type=_port, default=3567, help="default: 3567")
    serve.add_argument("--db", default=":memory:", help="SQLite file (default: in memory)")
    serve.add_argument(
        "--api-key",
        type=_non_empty,
        default=argparse.SUPPRESS,
        metavar="KEY",
        help="require this api key (default: env AUTHCLIENT_API_KEY, as the other commands)",
    )

    metadata = group("metadata", "user metadata")
    leaf(metadata, "get", "a user's metadata ({} when none)").add_argument("user_id")
    update = leaf(metadata, "update", "merge a JSON object into it (shallow; null deletes a key)")
    update.add_argument("user_id")
    update.add_argument("metadata_update", type=_json_object, help="a JSON object")
    leaf(metadata, "clear", "delete all of a user's metadata").add_argument("user_id")

    session = group("session", "sessions")
    create = leaf(session, "create", "start a session for a user: its tokens")
    create.add_argument("user_id")
    create.add_argument("--payload", type=_json_object, default=None, help="access-token payload")
    create.add_argument("--data", type=_json_object, default=None, help="session data in database")
    create.add_argument("--tenant-id", default="public")
    verify = leaf(session, "verify", "verify an access token: the session")
    verify.add_argument("access_token")
    verify.add_argument("--anti-csrf-token")
    verify.add_argument("--check-database", action="store_true")
    refresh = leaf(session, "refresh", "new tokens for a refresh token")
    refresh.add_argument("refresh_token")
    refresh.add_argument("--anti-csrf-token")
    leaf(session, "revoke", "end a session (exit 6 if unknown)").add_argument("session_handle")
    listing = leaf(session, "list", "a user's session handles")
    listing.add_argument("user_id")
    listing.add_argument("--tenant-id", default=None, help="default: every tenant")
    leaf(session, "info", "what the core stores about a session (exit 6 if unknown)").add_argument(
        "session_handle"
    )

    config_help = "a core-config entry, repeatable; VALUE is JSON if it parses (7, true), else text"
    app = group("app", "apps of the core (multitenancy)")
    app_create = leaf(app, "create", "create or update an app: PUT /recipe/multitenancy/app/v2")
    app_create.add_argument("app_id")
    app_create.add_argument(
        "--config",
        type=_config_item,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=config_help,
    )
    tenant = group("tenant", "tenants of an app (multitenancy)")
    tenant_create = leaf(
        tenant, "create", "create or update a tenant: PUT /recipe/multitenancy/tenant/v2"
    )
    tenant_create.add_argument("tenant_id")
    tenant_create.add_argument(
        "--app-id", type=_app_id, default=None, help="default: the app the connection URI addresses"
    )
    tenant_create.add_argument(
        "--config",
        type=_config_item,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=config_help,
    )
    return parser
