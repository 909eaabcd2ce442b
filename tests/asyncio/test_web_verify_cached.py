"""The web layer's shortcut for a token the client verified before (``_verify_from_cache``).

A request whose access token is in the client's verified-token cache is answered without the
overridable layers, when nothing on them is overridden. These tests hold it to the full path:
the same outcome for every request shape, and the full path whenever anything could see the
difference (an override, claim validators, ``check_database``, a ``user_context``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any, Callable, Optional

import httpx
import pytest

import authclient.asyncio
from authclient._compat import ASYNC
from authclient.asyncio import (
    AsyncSession,
    AsyncSessionRecipe,
    AsyncWebApi,
    AsyncWebSessions,
    SessionConfig,
)
from authclient.claims import BooleanClaim
from authclient.errors import SessionError
from authclient.localcore import LocalCore, LocalCoreTransport
from authclient.types import Overrides
from authclient.web import WebConfig, WebRequest
from tests.asyncio.conftest import AppClient, new_app
from tests.asyncio.test_claims import Fetcher
from tests.asyncio.web_support import MakeWeb, login, make_web
from tests.web.wire import REFRESH_PATH, A, T, X, read, request

if ASYNC:
    pytestmark = pytest.mark.anyio

__all__ = ["make_web"]
HEADER = WebConfig(
    api_domain="http://api.example.com",
    website_domain="http://example.com",
    token_transfer_method="header",
)
Shape = Callable[[AsyncSession], WebRequest]


def _cookie(session: AsyncSession, method: str = "POST", **options: Any) -> WebRequest:
    return request(method, cookies=[("sAccessToken", session.tokens.access_token)], **options)


def _bearer(session: AsyncSession, method: str = "POST", **options: Any) -> WebRequest:
    return request(method, bearer=session.tokens.access_token, **options)


SHAPES: dict[str, tuple[WebConfig, str, Shape]] = {
    "bearer": (A, "NONE", _bearer),
    "bearer-get": (A, "NONE", lambda s: _bearer(s, "GET")),
    "cookie": (A, "NONE", _cookie),
    "cookie-cross-site-no-rid": (X, "NONE", _cookie),
    "cookie-cross-site-rid": (X, "NONE", lambda s: _cookie(s, headers=[("rid", "x")])),
    "cookie-cross-site-get": (X, "NONE", lambda s: _cookie(s, "GET")),
    "cookie-anti-csrf-missing": (T, "VIA_TOKEN", _cookie),
    "cookie-anti-csrf-wrong": (T, "VIA_TOKEN", lambda s: _cookie(s, headers=[("anti-csrf", "no")])),
    "cookie-anti-csrf-right": (
        T,
        "VIA_TOKEN",
        lambda s: _cookie(s, headers=[("anti-csrf", s.tokens.anti_csrf_token or "")]),
    ),
    "bearer-anti-csrf-exempt": (T, "VIA_TOKEN", _bearer),
    "legacy-cookie": (
        A,
        "NONE",
        lambda s: request(
            cookies=[("sAccessToken", s.tokens.access_token), ("sIdRefreshToken", "x")]
        ),
    ),
    "two-access-cookies": (
        A,
        "NONE",
        lambda s: request(
            cookies=[("sAccessToken", s.tokens.access_token), ("sAccessToken", "other")]
        ),
    ),
    "garbage-bearer-then-cookie": (
        A,
        "NONE",
        lambda s: request(bearer="garbage", cookies=[("sAccessToken", s.tokens.access_token)]),
    ),
    "cookie-to-a-header-only-app": (HEADER, "NONE", _cookie),
    "bearer-to-the-refresh-path": (A, "NONE", lambda s: _bearer(s, path=REFRESH_PATH)),
    "options": (A, "NONE", lambda s: _bearer(s, "OPTIONS")),
}


# The shapes the shortcut answers; the others it hands to the full path (which refuses them,
# refreshes, or, for a bearer token that does not parse, reads the cookie instead).
SERVED_FROM_CACHE = {
    "bearer",
    "bearer-get",
    "cookie",
    "cookie-cross-site-rid",
    "cookie-cross-site-get",
    "cookie-anti-csrf-right",
    "bearer-anti-csrf-exempt",
}


async def _outcome(web: AsyncWebSessions, shaped: WebRequest, **options: Any) -> tuple[Any, ...]:
    """What an app route sees and answers, with nothing that differs between two logins."""
    try:
        session = await web.verify_session(shaped, **options)
    except SessionError as error:
        answer = read(await web.error_response(shaped, error))
        return ("error", type(error).__name__, answer.status, answer.body)
    except RuntimeError as error:
        return ("runtime-error", str(error))
    answer = read(web.finish(shaped))
    names = sorted({name for name, _ in answer.headers})
    if session is None:
        return ("none", answer.status, names)
    return ("session", session.user_id, session.access_token_payload, answer.status, names)


@pytest.fixture
def full_path_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every token the recipe's (full) ``get_session`` gets, in any client."""
    seen: list[str] = []
    original = AsyncSessionRecipe.get_session

    async def spy(self: AsyncSessionRecipe, access_token: Any, *args: Any) -> Any:
        seen.append(access_token)
        return await original(self, access_token, *args)

    monkeypatch.setattr(AsyncSessionRecipe, "get_session", spy)
    return seen


@pytest.mark.parametrize("shape", list(SHAPES))
async def test_a_token_verified_before_gets_the_full_paths_outcome(
    make_web: MakeWeb, full_path_runs: list[str], shape: str
) -> None:
    """For every request shape: the same outcome as the full path (the cache emptied first)."""
    config, client_anti_csrf, shaped = SHAPES[shape]
    async with make_web(config, client_anti_csrf=client_anti_csrf) as web:
        mode = "cookie" if client_anti_csrf == "VIA_TOKEN" else "header"  # a token to check
        session, _ = await login(web, request(headers=[("st-auth-mode", mode)]))
        tokens = session.tokens
        warm = request(
            bearer=tokens.access_token, headers=[("anti-csrf", tokens.anti_csrf_token or "")]
        )
        kept = (await web.client()).session_recipe.verified_tokens
        kept.clear()
        full_path = await _outcome(web, shaped(session))
        assert (await web.verify_session(warm)) is not None
        assert tokens.access_token in kept
        full_path_runs.clear()
        from_cache = await _outcome(web, shaped(session))
    assert from_cache == full_path
    if shape in SERVED_FROM_CACHE:
        assert len(full_path_runs) == 0, "a token verified before went the full path"


async def test_an_override_of_verify_session_sees_every_request(make_web: MakeWeb) -> None:
    seen: list[WebRequest] = []

    def override(api: AsyncWebApi) -> AsyncWebApi:
        original = api.verify_session

        async def verify_session(request: WebRequest, *args: Any) -> Optional[AsyncSession]:
            seen.append(request)
            return await original(request, *args)

        api.verify_session = verify_session  # type: ignore[method-assign,assignment]
        return api

    async with make_web(A, overrides=override) as web:
        session, _ = await login(web, request(headers=[("st-auth-mode", "header")]))
        for _ in range(3):
            assert await web.verify_session(_bearer(session)) is not None
    assert len(seen) == 3


async def test_a_recipe_override_sees_every_verification(
    app_client: AppClient, full_path_runs: list[str]
) -> None:
    replaced: list[str] = []

    def override(original: AsyncSessionRecipe) -> AsyncSessionRecipe:
        get_session = original.get_session

        async def counting(access_token: Any, *args: Any) -> Any:
            replaced.append(access_token)
            return await get_session(access_token, *args)

        original.get_session = counting  # type: ignore[method-assign,assignment]
        return original

    async with app_client(overrides=Overrides(session=override)) as (client, _):
        web = AsyncWebSessions(client, A)
        session, _ = await login(web, request(headers=[("st-auth-mode", "header")]))
        for _ in range(3):
            assert await web.verify_session(_bearer(session)) is not None
    assert len(replaced) == 3


async def test_global_claim_validators_run_on_every_request(app_client: AppClient) -> None:
    checked: list[str] = []
    claim = BooleanClaim("verified", Fetcher(True))
    validator = claim.validators.has_value(True)
    original_validate = validator.validate

    def validate(payload: Mapping[str, Any], user_context: dict[str, Any]) -> Any:
        checked.append("validated")
        return original_validate(payload, user_context)

    validator.validate = validate  # type: ignore[method-assign]
    config = SessionConfig(global_claim_validators=[validator])
    async with app_client(session=config) as (client, _):
        web = AsyncWebSessions(client, A)
        session, _ = await login(web, request(headers=[("st-auth-mode", "header")]))
        refetched = await web.verify_session(_bearer(session))  # may refetch the claim
        assert refetched is not None
        session = refetched
        checked.clear()
        for _ in range(3):
            assert await web.verify_session(_bearer(session)) is not None
    assert len(checked) == 3


async def test_check_database_and_a_given_user_context_take_the_full_path(
    make_web: MakeWeb, full_path_runs: list[str]
) -> None:
    async with make_web(A) as web:
        session, _ = await login(web, request(headers=[("st-auth-mode", "header")]))
        assert await web.verify_session(_bearer(session)) is not None
        full_path_runs.clear()
        assert await web.verify_session(_bearer(session), check_database=True) is not None
        context: dict[str, Any] = {}
        shaped = _bearer(session, original="the framework request")
        assert await web.verify_session(shaped, user_context=context) is not None
        assert await web.verify_session(_bearer(session)) is not None  # the shortcut
    assert len(full_path_runs) == 2
    assert context["_default"]["request"] == "the framework request"


async def test_an_expired_token_verified_before_must_be_refreshed(make_web: MakeWeb) -> None:
    async with make_web(A) as web:
        session, _ = await login(web, request(headers=[("st-auth-mode", "header")]))
        assert await web.verify_session(_bearer(session)) is not None
        recipe = (await web.client()).session_recipe
        real_clock = recipe._clock  # pyright: ignore[reportPrivateUsage]
        recipe._clock = lambda: real_clock() + 7200  # pyright: ignore[reportPrivateUsage]
        outcome = await _outcome(web, _bearer(session))
    assert outcome[:3] == ("error", "TryRefreshTokenError", 401)


InitDefault = Callable[..., None]


@pytest.fixture
async def init_default(local_core: LocalCore) -> AsyncIterator[InitDefault]:
    """``init_default(**options)``: init() the default client on a fresh app of the local core
    (reset after each test)."""
    async with httpx.AsyncClient(transport=LocalCoreTransport(local_core)) as http:

        def init_default(**options: Any) -> None:
            authclient.asyncio.init(new_app(local_core), http_client=http, **options)

        init_default()
        yield init_default


async def test_the_default_client_gets_the_shortcut_once_it_is_checked(
    init_default: InitDefault, full_path_runs: list[str]
) -> None:
    """client=None: the first request makes and checks the default client on the full path;
    a token it verified is then answered from its cache, with the full path's outcome."""
    web = AsyncWebSessions(None, A)
    session, _ = await login(web, request(headers=[("st-auth-mode", "header")]))
    kept = (await web.client()).session_recipe.verified_tokens
    kept.clear()
    full_path = await _outcome(web, _bearer(session))
    assert session.tokens.access_token in kept
    full_path_runs.clear()
    for _ in range(3):
        assert await _outcome(web, _bearer(session)) == full_path
    assert full_path_runs == []


async def test_a_new_default_client_is_checked_again(
    init_default: InitDefault, full_path_runs: list[str]
) -> None:
    """After init() again, the shortcut does not answer from the old client's cache: the new
    client is checked on the full path first (here: its anti-CSRF setting is refused)."""
    web = AsyncWebSessions(None, T)  # WebConfig anti_csrf="VIA_TOKEN"
    init_default(session=SessionConfig(anti_csrf="VIA_TOKEN"))
    session, _ = await login(web, request(headers=[("st-auth-mode", "header")]))
    assert await web.verify_session(_bearer(session)) is not None
    full_path_runs.clear()
    assert await web.verify_session(_bearer(session)) is not None
    assert full_path_runs == []  # checked: the shortcut answers
    init_default()  # the core no longer mints anti-CSRF tokens: the web config is wrong now
    created = await authclient.asyncio.create_new_session("ola")
    assert await authclient.asyncio.get_session(created.tokens.access_token) is not None  # kept
    for _ in range(2):
        with pytest.raises(ValueError, match="VIA_TOKEN"):
            await web.verify_session(_bearer(created))
