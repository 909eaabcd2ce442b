"""Exit codes of the ``authclient`` command, the errors only it raises, and its help epilog."""

from __future__ import annotations

from typing import Any, Optional

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INPUT = 0, 1, 2, 3
EXIT_UNREACHABLE, EXIT_CORE, EXIT_NOT_FOUND, EXIT_CANNOT_SERVE = 4, 5, 6, 7
EXIT_TRY_REFRESH, EXIT_UNAUTHORISED, EXIT_THEFT = 10, 11, 12
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a Unix tool cut off by `| head`


class NotFoundError(Exception):
    """The session handle is unknown; ``output`` (if any) is still printed to stdout."""

    def __init__(self, message: str, output: Optional[Any] = None) -> None:
        super().__init__(message)
        self.output = output


class ServeError(Exception):
    """The local core cannot start: the port is taken, the address is bad, the db won't open."""


EPILOG = """output: JSON on stdout, with snake_case keys (the Python API's attribute names);
user data (metadata, access-token payloads) is printed as stored.
errors: one line on stderr, "authclient: <ErrorType>: <message>" (usage errors:
"authclient: usage: ..."); secrets (the api key, tokens) are never printed.

the connection options also go after the subcommand, e.g.
  authclient session info HANDLE --connection-uri http://core:3567
prefer env AUTHCLIENT_API_KEY to --api-key (a flag shows in `ps`); the flag wins.

tokens can start with "-": put "--" before them, e.g.
  authclient session refresh -- "$REFRESH_TOKEN"

exit codes:
    0  ok
    1  unexpected error
    2  usage
    3  invalid input
    4  core unreachable or timed out
    5  core error (the core answered with an error)
    6  not found (an unknown session handle)
    7  the local core cannot start: port in use, bad --host or --db (a code of its
       own: it is neither bad input to a core nor an unreachable core)
   10  try refresh
   11  unauthorised
   12  token theft
  130  interrupted (Ctrl+C)
  141  stdout closed early (e.g. | head): exits quietly, as a tool cut off by SIGPIPE"""
