"""How fast does ``get_session`` verify an access token locally, compared with ``jwt.decode``?

Usage: ``python benchmarks/bench_sessions.py [--rounds R] [--calls N] [--backend asyncio|trio]``

Measured in one interleaved run: authclient's sync and async ``get_session(token)`` (local RS256
verification against the client's cached JWKS) against a raw PyJWT
``jwt.decode(token, key, algorithms=["RS256"])`` with the same token and the same public key.
The token comes from the in-process local core (``authclient.localcore``); after the warm-up the
clients must not talk to the core at all, which is checked by counting their requests with the
``on_request`` hook. It prints a table and always exits 0: a benchmark reports, it does not
assert.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Optional

import anyio
import cryptography
import httpx
import jwt
from _harness import (
    Comparison,
    Contender,
    Result,
    async_loop,
    format_table,
    measure,
    sync_loop,
)
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from authclient.asyncio import AsyncClient
from authclient.localcore import LocalCore, LocalCoreTransport
from authclient.syncio import Client, RequestInfo

CORE_URL = "http://localcore"
JWKS_PATH = "/.well-known/jwks.json"
USER_ID = "alice"
PAYLOAD = {"role": "admin"}
ALGORITHMS = ["RS256"]

SYNC_AUTHCLIENT = "authclient.syncio.Client"
ASYNC_AUTHCLIENT = "authclient.asyncio.AsyncClient"
PYJWT = "jwt.decode"
TARGET = 0.9


class RequestCounter:
    """An ``on_request`` hook: remembers every request a client sends to the core."""

    def __init__(self) -> None:
        self.seen: list[RequestInfo] = []

    def __call__(self, info: RequestInfo) -> None:
        self.seen.append(info)

    def __len__(self) -> int:
        return len(self.seen)


@dataclass(frozen=True)
class Watched:
    """A client's request counter and its count when the measuring started."""

    name: str
    counter: RequestCounter
    before: int

    def extra(self) -> list[RequestInfo]:
        """Requests sent since the measuring started (there should be none)."""
        return self.counter.seen[self.before :]


@dataclass(frozen=True)
class Outcome:
    results: dict[str, Result]
    comparisons: list[Comparison]
    watched: list[Watched]
    key_bits: int
    jwks_cache_control: str


def _check_session(name: str, session: Any) -> None:
    """Fail loudly if a flavor does not verify the token as expected (nothing to measure then)."""
    if (
        session is None
        or session.user_id != USER_ID
        or session.access_token_payload != PAYLOAD
        or session.tokens.access_token_updated
    ):
        raise SystemExit(f"{name}.get_session returned {session!r}: not the expected session")


def _check_claims(claims: dict[str, Any]) -> None:
    if claims.get("sub") != USER_ID or claims.get("role") != PAYLOAD["role"]:
        raise SystemExit(f"{PYJWT} returned {claims!r}: not the expected claims")


async def _public_key(http: httpx.AsyncClient, token: str) -> tuple[RSAPublicKey, str]:
    """The key that signed ``token``, from the core's JWKS (fetched apart from the clients)."""
    response = await http.get(CORE_URL + JWKS_PATH)
    response.raise_for_status()
    kid = jwt.get_unverified_header(token)["kid"]
    jwk = next((key for key in response.json()["keys"] if key["kid"] == kid), None)
    if jwk is None:
        raise SystemExit(f"the core's JWKS has no key {kid!r}")
    key = jwt.PyJWK(jwk).key
    if not isinstance(key, RSAPublicKey):
        raise SystemExit(f"the JWKS key {kid!r} is not an RSA public key")
    return key, response.headers.get("cache-control", "")


Part = tuple[Contender, Comparison, RequestCounter]


def _sync_part(
    stack: contextlib.AsyncExitStack,
    transport: LocalCoreTransport,
    token: str,
) -> Part:
    counter = RequestCounter()
    http = stack.enter_context(httpx.Client(transport=transport))
    client = stack.enter_context(Client(CORE_URL, http_client=http, on_request=counter))
    _check_session(SYNC_AUTHCLIENT, client.get_session(token))  # warm-up: fetches the JWKS
    contender = Contender(SYNC_AUTHCLIENT, sync_loop(lambda: client.get_session(token)))
    return contender, Comparison(SYNC_AUTHCLIENT, PYJWT, target=TARGET), counter


async def _async_part(client: AsyncClient, counter: RequestCounter, token: str) -> Part:
    _check_session(ASYNC_AUTHCLIENT, await client.get_session(token))  # warm-up: the JWKS
    contender = Contender(ASYNC_AUTHCLIENT, async_loop(lambda: client.get_session(token)))
    return contender, Comparison(ASYNC_AUTHCLIENT, PYJWT, target=TARGET), counter


async def _benchmark(args: argparse.Namespace) -> Outcome:
    with LocalCore() as core:
        async with contextlib.AsyncExitStack() as stack:
            transport = LocalCoreTransport(core)
            counter = RequestCounter()
            http = await stack.enter_async_context(httpx.AsyncClient(transport=transport))
            client = await stack.enter_async_context(
                AsyncClient(CORE_URL, http_client=http, on_request=counter)
            )
            token = (await client.create_new_session(USER_ID, PAYLOAD)).tokens.access_token
            key, cache_control = await _public_key(http, token)
            _check_claims(jwt.decode(token, key, algorithms=ALGORITHMS))

            parts = [await _async_part(client, counter, token)]
            parts.insert(0, _sync_part(stack, transport, token))
            baseline = Contender(
                PYJWT, sync_loop(lambda: jwt.decode(token, key, algorithms=ALGORITHMS))
            )
            # From here on, no client may send anything to the core.
            watched = [Watched(c.name, count, len(count)) for c, _, count in parts]
            results = await measure(
                [*(contender for contender, _, _ in parts), baseline],
                rounds=args.rounds,
                calls=args.calls,
                warmup_rounds=args.warmup_rounds,
            )
    comparisons = [comparison for _, comparison, _ in parts]
    return Outcome(results, comparisons, watched, key.key_size, cache_control)


def _parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="authclient get_session vs raw jwt.decode.")
    parser.add_argument("--rounds", type=int, default=20, help="measured rounds (default 20)")
    parser.add_argument(
        "--calls", type=int, default=3000, help="calls per contender per round (default 3000)"
    )
    parser.add_argument("--warmup-rounds", type=int, default=1, help="unrecorded rounds first")
    parser.add_argument("--backend", choices=("asyncio", "trio"), default="asyncio")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.calls < 1 or args.warmup_rounds < 0:
        parser.error("need --rounds >= 1, --calls >= 1 and --warmup-rounds >= 0")
    return args


def _describe(args: argparse.Namespace) -> str:
    return (
        f"get_session (local RS256 verification, JWKS cached) vs jwt.decode, same token and key\n"
        f"PyJWT {jwt.__version__} (its speed varies a lot between versions), "
        f"cryptography {cryptography.__version__}, Python {platform.python_version()}, "
        f"backend {args.backend}, {os.cpu_count()} CPUs; {args.rounds} rounds x {args.calls} "
        f"calls per contender (+{args.warmup_rounds} warm-up)"
    )


def _network_report(watched: list[Watched]) -> str:
    """One line if no client talked to the core while measured; a loud warning otherwise."""
    if not any(entry.extra() for entry in watched):
        names = " and ".join(entry.name for entry in watched)
        return f"core requests while measured: none from {names} (JWKS cached after warm-up)"
    lines = ["!" * 78, "WARNING: a client called the core while measured: not a local-only run!"]
    for entry in watched:
        extra = entry.extra()
        urls = sorted({f"{info.method} {info.url}" for info in extra})
        lines.append(f"  {entry.name}: {len(extra)} request(s): {', '.join(urls) or '-'}")
    lines.append("The numbers above include those requests; fix the set-up before trusting them.")
    lines.append("!" * 78)
    return "\n".join(lines)


LEGEND = """\
ratio: median over the rounds of (contender calls/s / baseline calls/s in the same round);
middle half: the 25th-75th percentiles of those per-round ratios (the noise).
The baseline is PyJWT as installed: compare ratios only between runs with the same PyJWT."""


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = _parse_args(argv)
    started = time.perf_counter()
    print(_describe(args), flush=True)
    outcome = anyio.run(_benchmark, args, backend=args.backend)
    print(f"RSA key: {outcome.key_bits} bits; JWKS Cache-Control: {outcome.jwks_cache_control!r}")
    print()
    print(format_table(outcome.results, outcome.comparisons))
    print()
    print(_network_report(outcome.watched))
    print()
    print(LEGEND)
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
