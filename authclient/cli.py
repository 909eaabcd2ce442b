"""The ``authclient`` command: the demo, the local core, and metadata / session / app calls.

Output is JSON on stdout with snake_case keys; an error is one line on stderr,
``authclient: <ErrorType>: <message>``, with no secret in it. Exit codes (stable, for
scripts): 0 ok; 1 unexpected error; 2 usage; 3 invalid input; 4 core unreachable or timed
out; 5 the core answered with an error; 6 not found; 7 the local core cannot start (port in
use, bad host or database); 10 try refreshing the token; 11 unauthorised; 12 token theft
detected; 130 interrupted; 141 stdout was closed early (``| head``), quietly.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any, Optional

from authclient import errors
from authclient._cli.commands import run_client_command, secrets
from authclient._cli.exits import (
    EPILOG,
    EXIT_BROKEN_PIPE,
    EXIT_CANNOT_SERVE,
    EXIT_CORE,
    EXIT_ERROR,
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_THEFT,
    EXIT_TRY_REFRESH,
    EXIT_UNAUTHORISED,
    EXIT_UNREACHABLE,
    EXIT_USAGE,
    NotFoundError,
    ServeError,
)
from authclient._cli.parser import build_parser, describe_unrecognised, resolve_globals
from authclient._protocol.redact import Redactor

__all__ = [
    "EPILOG",
    "EXIT_BROKEN_PIPE",
    "EXIT_CANNOT_SERVE",
    "EXIT_CORE",
    "EXIT_ERROR",
    "EXIT_INPUT",
    "EXIT_INTERRUPTED",
    "EXIT_NOT_FOUND",
    "EXIT_OK",
    "EXIT_THEFT",
    "EXIT_TRY_REFRESH",
    "EXIT_UNAUTHORISED",
    "EXIT_UNREACHABLE",
    "EXIT_USAGE",
    "main",
]

_EXIT_CODES: list[tuple[type[BaseException], int]] = [
    (NotFoundError, EXIT_NOT_FOUND),
    (ServeError, EXIT_CANNOT_SERVE),
    (errors.TryRefreshTokenError, EXIT_TRY_REFRESH),
    (errors.UnauthorisedError, EXIT_UNAUTHORISED),
    (errors.TokenTheftError, EXIT_THEFT),
    (errors.CoreUnavailableError, EXIT_UNREACHABLE),
    (errors.CoreTimeoutError, EXIT_UNREACHABLE),
    (errors.CoreResponseError, EXIT_CORE),
    (errors.ResponseTooLargeError, EXIT_CORE),
    (errors.IncompatibleCoreError, EXIT_CORE),
    (ValueError, EXIT_INPUT),
    (TypeError, EXIT_INPUT),
]


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


def _error_line(kind: str, message: str, hidden: Iterable[str]) -> str:
    """One line, with every form of every secret masked."""
    return " ".join(Redactor(hidden)(f"authclient: {kind}: {message}").split())


def _run(argv: Optional[Sequence[str]]) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        parser.error(f"unrecognized arguments: {describe_unrecognised(extra)}")
    args = resolve_globals(args)
    try:
        _dispatch(args)
    except BrokenPipeError:
        raise
    except KeyboardInterrupt:
        print("authclient: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        if isinstance(exc, NotFoundError) and exc.output is not None:
            _print_json(exc.output)
        code = next((code for kind, code in _EXIT_CODES if isinstance(exc, kind)), EXIT_ERROR)
        sys.stdout.flush()  # the JSON above goes before the error line
        print(_error_line(type(exc).__name__, str(exc), secrets(args)), file=sys.stderr)
        return code
    return EXIT_OK


def _dispatch(args: argparse.Namespace) -> None:
    if args.command == "demo":
        from authclient._demo import run_demo

        run_demo()
    elif args.command == "localcore":
        from authclient._cli.serve import serve_local_core

        serve_local_core(args.host, args.port, args.db, args.api_key)
    else:
        _print_json(run_client_command(args))


def _discard_stdout() -> None:
    """Point stdout at devnull, so the interpreter's last flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (e.g. captured)
        pass


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Run the command line (``argv`` defaults to ``sys.argv[1:]``).

    Returns on success; otherwise raises ``SystemExit`` with one of the documented codes.
    """
    try:
        try:
            code = _run(argv)
        except SystemExit as exit:  # argparse: --help, --version, usage errors
            if exit.code is not None and not isinstance(exit.code, int):
                raise
            code = exit.code or EXIT_OK
        sys.stdout.flush()
    except BrokenPipeError:
        _discard_stdout()
        code = EXIT_BROKEN_PIPE
    if code != EXIT_OK:
        raise SystemExit(code)
