"""What the web benchmarks (``bench_web.py`` for FastAPI, ``bench_flask.py``) share: the route,
the headers a browser sends, a core that counts its requests, and the overhead arithmetic."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Optional

from _harness import Result, _quartiles, record, verdict

from authclient.localcore import LocalCore, LocalRequest, LocalResponse

API_DOMAIN = "http://localhost:8000"
WEBSITE_DOMAIN = "http://localhost:3000"
ROUTE = "/updateinfo"
USER_ID = "alice"
EXPECTED_BODY = b'{"userId":"alice"}'

UNPROTECTED = "unprotected"
AUTHCLIENT = "authclient"
SUPERTOKENS = "supertokens-python"
RATE_TARGET = 0.7  # authclient req/s / unprotected req/s, at least
OVERHEAD_TARGET = 1 / 3  # the time authclient adds / the time supertokens-python adds, at most

# What a browser sends with the frontend SDK in header mode (the same for every contender).
BROWSER_HEADERS = (
    ("host", "localhost:8000"),
    ("connection", "keep-alive"),
    ("content-length", "0"),
    ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"),
    ("accept", "*/*"),
    ("origin", WEBSITE_DOMAIN),
    ("referer", WEBSITE_DOMAIN + "/"),
    ("accept-encoding", "gzip, deflate, br"),
    ("accept-language", "en-GB,en;q=0.9"),
    ("rid", "anti-csrf"),
    ("fdi-version", "4.1"),
    ("st-auth-mode", "header"),
)


def browser_headers(token: Optional[str]) -> list[tuple[str, str]]:
    """The browser's headers, with ``Authorization: Bearer <token>`` when there is a token."""
    headers = list(BROWSER_HEADERS)
    if token is not None:
        headers.append(("authorization", f"Bearer {token}"))
    return headers


class CountingCore(LocalCore):
    """A local core that remembers the method and path of every request it answers."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def handle(self, request: LocalRequest) -> LocalResponse:
        self.seen.append(f"{request.method} {request.path}")
        return super().handle(request)


def overhead_ratios(results: dict[str, Result], mine: str = AUTHCLIENT) -> list[float]:
    """Per round: (1/mine - 1/unprotected) / (1/supertokens - 1/unprotected), i.e. the time
    ``mine`` adds to a request over the time supertokens-python adds (rounds where the latter
    is not positive are left out)."""
    ratios = []
    for base, ours, theirs in zip(
        results[UNPROTECTED].rates, results[mine].rates, results[SUPERTOKENS].rates
    ):
        added_theirs = 1 / theirs - 1 / base
        if added_theirs > 0:
            ratios.append((1 / ours - 1 / base) / added_theirs)
    return ratios


def added_microseconds(results: dict[str, Result], name: str) -> float:
    """The median over rounds of the time ``name`` adds to a request, in microseconds."""
    pairs = zip(results[name].rates, results[UNPROTECTED].rates)
    return statistics.median(1e6 * (1 / mine - 1 / base) for mine, base in pairs)


def overhead_report(results: dict[str, Result], section: str, others: Sequence[str] = ()) -> str:
    """The time each session layer adds, and authclient's over supertokens-python's (recorded
    for the summary under ``section``); ``others`` are further contenders to show."""
    names = [AUTHCLIENT, SUPERTOKENS, *others]
    added = ", ".join(f"{name} {added_microseconds(results, name):.1f} us" for name in names)
    lines = [f"time added to a request (median over rounds): {added}"]
    ratios = overhead_ratios(results)
    if not ratios:
        lines.append("auth overhead ratio: no round where supertokens-python added time (noise?)")
        return "\n".join(lines)
    ratio = statistics.median(ratios)
    low, high = _quartiles(ratios)
    outcome = verdict(ratio, OVERHEAD_TARGET, at_most=True)
    record(
        section,
        "auth time added: authclient / supertokens-python",
        ratio,
        OVERHEAD_TARGET,
        at_most=True,
    )
    dropped = len(results[UNPROTECTED].rates) - len(ratios)
    lines.append(
        f"auth overhead ratio {AUTHCLIENT}/{SUPERTOKENS}: {ratio:.3f} "
        f"(middle half {low:.3f}-{high:.3f}), target <= {OVERHEAD_TARGET:.3f}  {outcome}"
        + (f"; {dropped} round(s) left out" if dropped else "")
    )
    return "\n".join(lines)


def core_report(setup_calls: list[str], measured_calls: list[str], from_authclient: int) -> str:
    """Which core requests the SDKs made before and while measuring (none expected while)."""
    setup = ", ".join(sorted(set(setup_calls)))
    lines = [f"core requests before measuring: {len(setup_calls)} ({setup})"]
    if not measured_calls:
        lines.append("core requests while measured: none (both SDKs verified locally)")
        return "\n".join(lines)
    paths = ", ".join(sorted(set(measured_calls)))
    lines += [
        "!" * 78,
        f"WARNING: the core got {len(measured_calls)} request(s) while measured ({paths}):",
        f"  {from_authclient} from {AUTHCLIENT}, {len(measured_calls) - from_authclient} from {SUPERTOKENS}.",
        "If that is more than a JWKS refetch now and then, the numbers are not local-only.",
        "!" * 78,
    ]
    return "\n".join(lines)
