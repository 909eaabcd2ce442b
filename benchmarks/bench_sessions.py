"""How fast does ``get_session`` verify an access token locally, compared with ``jwt.decode``
and with a hand-written floor?

Usage: ``python benchmarks/bench_sessions.py [--rounds R] [--calls N] [--backend asyncio|trio]``

Measured in one interleaved run: authclient's sync and async ``get_session(token)`` (local RS256
verification against the client's cached JWKS) against a raw PyJWT
``jwt.decode(token, key, algorithms=["RS256"])`` and against the least any verifier must do
(``floor``: base64url-decode, ``json.loads``, one RSA verify with ``cryptography``, the expiry),
with the same tokens and the same public key; the floor runs twice, as a control of the noise.
"new token" contenders cycle through more distinct tokens than the client's verified-token
cache holds, so every call verifies a token it has not kept; "same token" contenders verify
one token again and again, as a web app does on every request of one user. The tokens come
from the in-process local core (``authclient.localcore``); after the warm-up the clients must
not talk to the core at all, which is checked by counting their requests with the
``on_request`` hook. It prints a table and always exits 0: a benchmark reports, it does not
assert.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import itertools
import json
import os
import platform
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Callable, Optional

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
    loop_parser,
    measure,
    parse_loop,
    sync_loop,
)
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.hashes import SHA256

from authclient.asyncio import AsyncClient
from authclient.localcore import LocalCore, LocalCoreTransport
from authclient.syncio import Client, RequestInfo, SessionConfig

CORE_URL = "http://localcore"
JWKS_PATH = "/.well-known/jwks.json"
USER_ID = "alice"
PAYLOAD = {"role": "admin"}
ALGORITHMS = ["RS256"]

SYNC_NEW = "authclient.syncio.Client, new token"
ASYNC_NEW = "authclient.asyncio.AsyncClient, new token"
SYNC_SAME = "authclient.syncio.Client, same token"
ASYNC_SAME = "authclient.asyncio.AsyncClient, same token"
PYJWT = "jwt.decode"
FLOOR = "floor (RSA verify + base64url + json)"
FLOOR_AGAIN = "the same floor, measured again"

COMPARISONS = [
    Comparison(SYNC_NEW, PYJWT, target=0.9),
    Comparison(ASYNC_NEW, PYJWT, target=0.9),
    Comparison(SYNC_NEW, FLOOR, target=0.85),
    Comparison(ASYNC_NEW, FLOOR, target=0.85),
    Comparison(SYNC_SAME, PYJWT, target=20.0),
    Comparison(ASYNC_SAME, PYJWT, target=20.0),
    Comparison(SYNC_SAME, SYNC_NEW),
    Comparison(ASYNC_SAME, ASYNC_NEW),
    # An A/A control: two copies of one contender. Its distance from 1.00 is how far this run's
    # own noise moves a ratio (read the FLOOR rows above with it).
    Comparison(FLOOR_AGAIN, FLOOR),
]


def _cache_size() -> int:
    """How many verified tokens a client keeps by default (0 in builds without the cache)."""
    size: int = getattr(SessionConfig(), "verified_token_cache_size", 0)
    return size


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
    watched: list[Watched]
    key_bits: int
    jwks_cache_control: str
    tokens: int


def _check_session(name: str, session: Any) -> None:
    """Fail loudly if a flavor does not verify the token as expected (nothing to measure then)."""
    if (
        session is None
        or session.user_id != USER_ID
        or session.access_token_payload != PAYLOAD
        or session.tokens.access_token_updated
    ):
        raise SystemExit(f"{name}.get_session returned {session!r}: not the expected session")


def _check_claims(name: str, claims: dict[str, Any]) -> None:
    if claims.get("sub") != USER_ID or claims.get("role") != PAYLOAD["role"]:
        raise SystemExit(f"{name} returned {claims!r}: not the expected claims")


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


def _b64url(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def floor_verifier(keys: dict[str, RSAPublicKey]) -> Callable[[str], dict[str, Any]]:
    """The least any local verifier does: decode the parts, check the signature and ``exp``."""
    padding, sha256 = PKCS1v15(), SHA256()

    def verify(token: str) -> dict[str, Any]:
        header, payload, signature = token.split(".")
        key = keys[json.loads(_b64url(header))["kid"]]
        key.verify(_b64url(signature), f"{header}.{payload}".encode(), padding, sha256)
        claims: dict[str, Any] = json.loads(_b64url(payload))
        if claims["exp"] < time.time():
            raise ValueError("expired")
        return claims

    return verify


def cycling(call: Callable[[str], object], tokens: list[str]) -> Callable[[], object]:
    """``call`` with the next token of ``tokens`` each time, round and round."""
    following = itertools.cycle(tokens).__next__
    return lambda: call(following())


Part = tuple[list[Contender], list[RequestCounter]]


def _sync_part(
    stack: contextlib.AsyncExitStack, transport: LocalCoreTransport, tokens: list[str]
) -> Part:
    http = stack.enter_context(httpx.Client(transport=transport))
    contenders, counters = [], []
    for name, pool in ((SYNC_NEW, tokens), (SYNC_SAME, tokens[:1])):
        counter = RequestCounter()
        client = stack.enter_context(Client(CORE_URL, http_client=http, on_request=counter))
        for token in pool:  # warm-up: fetches the JWKS, and checks every token
            _check_session(name, client.get_session(token))
        contenders.append(Contender(name, sync_loop(cycling(client.get_session, pool))))
        counters.append(counter)
    return contenders, counters


async def _async_part(
    stack: contextlib.AsyncExitStack, http: httpx.AsyncClient, tokens: list[str]
) -> Part:
    contenders, counters = [], []
    for name, pool in ((ASYNC_NEW, tokens), (ASYNC_SAME, tokens[:1])):
        counter = RequestCounter()
        client = await stack.enter_async_context(
            AsyncClient(CORE_URL, http_client=http, on_request=counter)
        )
        for token in pool:  # warm-up: fetches the JWKS, and checks every token
            _check_session(name, await client.get_session(token))
        contenders.append(Contender(name, async_loop(cycling(client.get_session, pool))))
        counters.append(counter)
    return contenders, counters


async def _benchmark(args: argparse.Namespace) -> Outcome:
    with LocalCore() as core:
        async with contextlib.AsyncExitStack() as stack:
            transport = LocalCoreTransport(core)
            http = await stack.enter_async_context(httpx.AsyncClient(transport=transport))
            maker = await stack.enter_async_context(AsyncClient(CORE_URL, http_client=http))
            # More distinct tokens than a client keeps verified: each "new token" call misses.
            count = max(64, _cache_size() * 5 // 4)
            tokens = [
                (await maker.create_new_session(USER_ID, PAYLOAD)).tokens.access_token
                for _ in range(count)
            ]
            key, cache_control = await _public_key(http, tokens[0])
            keys = {jwt.get_unverified_header(tokens[0])["kid"]: key}
            floor = floor_verifier(keys)
            for token in tokens:  # every token was signed by the one key
                _check_claims(PYJWT, jwt.decode(token, key, algorithms=ALGORITHMS))
                _check_claims(FLOOR, floor(token))

            sync_contenders, sync_counters = _sync_part(stack, transport, tokens)
            async_contenders, async_counters = await _async_part(stack, http, tokens)
            contenders = [
                *sync_contenders,
                *async_contenders,
                Contender(
                    PYJWT,
                    sync_loop(cycling(lambda t: jwt.decode(t, key, algorithms=ALGORITHMS), tokens)),
                ),
                Contender(FLOOR, sync_loop(cycling(floor, tokens))),
                Contender(FLOOR_AGAIN, sync_loop(cycling(floor_verifier(keys), tokens))),
            ]
            # From here on, no client may send anything to the core.
            watched = [
                Watched(contender.name, counter, len(counter))
                for contender, counter in zip(
                    [*sync_contenders, *async_contenders], [*sync_counters, *async_counters]
                )
            ]
            results = await measure(
                contenders,
                rounds=args.rounds,
                calls=args.calls,
                warmup_rounds=args.warmup_rounds,
            )
    return Outcome(results, watched, key.key_size, cache_control, count)


def _parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = loop_parser("authclient get_session vs raw jwt.decode.", calls=3000)
    parser.add_argument("--backend", choices=("asyncio", "trio"), default="asyncio")
    return parse_loop(parser, argv)


def _describe(args: argparse.Namespace) -> str:
    return (
        f"get_session (local RS256 verification, JWKS cached) vs jwt.decode and a floor, "
        f"same tokens and key\n"
        f"PyJWT {jwt.__version__} (its speed varies a lot between versions), "
        f"cryptography {cryptography.__version__}, Python {platform.python_version()}, "
        f"backend {args.backend}, {os.cpu_count()} CPUs; {args.rounds} rounds x {args.calls} "
        f"calls per contender (+{args.warmup_rounds} warm-up)"
    )


def _network_report(watched: list[Watched]) -> str:
    """One line if no client talked to the core while measured; a loud warning otherwise."""
    if not any(entry.extra() for entry in watched):
        return f"core requests while measured: none from the {len(watched)} clients (JWKS cached)"
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
    print(
        f"RSA key: {outcome.key_bits} bits; JWKS Cache-Control: {outcome.jwks_cache_control!r}; "
        f"new-token contenders cycle {outcome.tokens} tokens "
        f"(verified-token cache: {_cache_size()})"
    )
    print()
    print(format_table(outcome.results, COMPARISONS, section=f"get_session ({args.backend})"))
    print()
    print(_network_report(outcome.watched))
    print()
    print(LEGEND)
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
