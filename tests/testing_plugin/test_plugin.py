"""The plugin itself: inert until used, fresh per test, one clock, cross-flavor sessions."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from authclient import asyncio as aio
from authclient import syncio
from authclient.errors import TokenTheftError, TryRefreshTokenError
from authclient.testing import AsyncAuthHelper, AuthClock, AuthHelper

pytest_plugins = ["pytester"]


def _modules_after(statement: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``statement``."""
    code = f"import sys\n{statement}\nprint('\\n'.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_importing_authclient_does_not_import_pytest() -> None:
    """authclient (and its two flavors) never import pytest."""
    loaded = _modules_after("import authclient, authclient.asyncio, authclient.syncio")
    assert "pytest" not in loaded and "_pytest" not in loaded


def test_loading_the_plugin_imports_no_client_code() -> None:
    """The plugin module imports neither httpx, the flavors, the local core nor a framework."""
    loaded = _modules_after("import authclient.testing")
    heavy = {"httpx", "anyio", "authclient.asyncio", "authclient.syncio", "authclient.localcore"}
    heavy |= {"cryptography", "jwt", "starlette", "flask", "django"}
    assert not heavy & loaded


def test_loading_the_plugin_loads_only_the_package_itself() -> None:
    """Beyond what pytest loads, the plugin adds the package and itself: no attrs, no types."""
    before = _modules_after("import pytest")
    added = _modules_after("import pytest, authclient.testing") - before
    assert added == {"authclient", "authclient.testing"}


def test_the_package_names_load_on_first_use() -> None:
    """``from authclient import SessionConfig`` still works, loading authclient.types then."""
    loaded = _modules_after("import authclient")
    assert "authclient.types" not in loaded and "attr" not in loaded
    import authclient

    assert authclient.SessionConfig is __import__("authclient.types").types.SessionConfig
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        authclient.nope  # noqa: B018


def test_a_users_project_runs_with_the_plugin(pytester: pytest.Pytester) -> None:
    """A project that loads the plugin gets a fresh core per test: nothing leaks across."""
    pytester.makepyfile(
        textwrap.dedent(
            """
            def test_seed(auth_helper):
                auth_helper.seed_metadata("alice", {"a": 1})
                assert auth_helper.client.get_user_metadata("alice").metadata == {"a": 1}

            def test_fresh(auth_client):
                assert auth_client.get_user_metadata("alice").metadata == {}
            """
        )
    )
    result = pytester.runpytest_inprocess("-p", "authclient.testing", "-p", "no:randomly")
    result.assert_outcomes(passed=2)


def test_loading_twice_is_harmless(pytester: pytest.Pytester) -> None:
    """``-p authclient.testing`` and ``pytest_plugins`` together register the plugin once."""
    pytester.makeconftest('pytest_plugins = ["authclient.testing"]')
    pytester.makepyfile("def test_core(local_core):\n    assert local_core.max_body_bytes > 0\n")
    result = pytester.runpytest_inprocess("-p", "authclient.testing")
    result.assert_outcomes(passed=1)


def test_a_project_without_the_plugin_collects_as_before(pytester: pytest.Pytester) -> None:
    """Unused, the plugin changes nothing: the project's own tests run alone."""
    pytester.makepyfile("def test_plain():\n    assert True\n")
    result = pytester.runpytest_inprocess("-p", "authclient.testing")
    result.assert_outcomes(passed=1)


def test_sync_session_verifies_with_the_async_client(
    auth_helper: AuthHelper, async_auth_client: aio.AsyncClient
) -> None:
    """A session made with auth_client verifies with async_auth_client (one core)."""
    import anyio

    made = auth_helper.session_for("alice", {"role": "admin"})
    session = anyio.run(async_auth_client.get_session, made.access_token)
    assert (session.get_user_id(), session.access_token_payload["role"]) == ("alice", "admin")


@pytest.mark.anyio
async def test_async_session_verifies_with_the_sync_client(
    async_auth_helper: AsyncAuthHelper, auth_client: syncio.Client
) -> None:
    """A session made with async_auth_client verifies with auth_client (one core)."""
    made = await async_auth_helper.session_for("bob")
    assert auth_client.get_session(made.access_token).get_user_id() == "bob"


def test_expiry_reaches_client_side_verification(
    auth_helper: AuthHelper, auth_client: syncio.Client
) -> None:
    """expire_access_token moves the clients' clock too: local verification says try refresh."""
    made = auth_helper.session_for("alice")
    auth_client.get_session(made.access_token)  # cached as verified, then expired by the clock
    auth_helper.expire_access_token(made)
    with pytest.raises(TryRefreshTokenError):
        auth_client.get_session(made.access_token)


def test_refresh_after_expiry_gives_a_valid_token(
    auth_helper: AuthHelper, auth_client: syncio.Client
) -> None:
    """After expiry, the core's refresh (on the same clock) mints a token valid again."""
    made = auth_helper.session_for("alice")
    auth_helper.expire_access_token()
    fresh = auth_helper.refresh(made)
    assert auth_client.get_session(fresh.access_token).get_user_id() == "alice"


def test_clock_is_shared_by_core_and_clients(
    auth_clock: AuthClock, auth_helper: AuthHelper
) -> None:
    """A token minted after advancing the clock expires an hour after the advanced time."""
    auth_clock.advance(86_400)
    made = auth_helper.session_for("alice")
    assert made.access_token_expiry / 1000 == pytest.approx(auth_clock() + 3600, abs=5)


def test_claim_values_age_on_the_test_clock(
    auth_clock: AuthClock, auth_helper: AuthHelper, auth_client: syncio.Client
) -> None:
    """A claim set now is stale for a max_age validator once the clock moves past it."""
    from authclient.claims import BooleanClaim
    from authclient.errors import InvalidClaimError

    def nothing(*_: object) -> None:  # a refetch finds no value
        return None

    is_admin = BooleanClaim("is_admin", fetch_value=nothing)
    session = auth_client.get_session(auth_helper.session_for("alice").access_token)
    session.set_claim_value(is_admin, True)
    fresh_enough = [is_admin.validators.is_true(max_age=300)]
    session.assert_claims(fresh_enough)
    auth_clock.advance(301)
    with pytest.raises(InvalidClaimError):
        session.assert_claims(fresh_enough)


def test_the_claims_clock_is_put_back_after_the_test() -> None:
    """Outside the plugin's fixtures claim values are stamped with the real time."""
    import time

    from authclient import claims

    assert claims._clock is time.time  # pyright: ignore[reportPrivateUsage]


def test_replayed_refresh_token_is_theft(auth_helper: AuthHelper) -> None:
    """replay_refresh_token answers TokenTheftError and the session is revoked."""
    made = auth_helper.session_for("alice")
    theft = auth_helper.replay_refresh_token(made)
    assert isinstance(theft, TokenTheftError)
    assert (theft.user_id, theft.session_handle) == ("alice", made.handle)
    assert not auth_helper.session_exists(made)


@pytest.mark.anyio
async def test_async_replayed_refresh_token_is_theft(async_auth_helper: AsyncAuthHelper) -> None:
    """The async helper detects the replay the same way."""
    made = await async_auth_helper.session_for("alice")
    theft = await async_auth_helper.replay_refresh_token(made)
    assert theft.session_handle == made.handle
    assert not await async_auth_helper.session_exists(made.handle)


def test_default_clients_use_the_core(auth_default_clients: None, auth_helper: AuthHelper) -> None:
    """With auth_default_clients the module-level functions talk to the plugin's core."""
    auth_helper.seed_metadata("alice", {"plan": "pro"})
    assert syncio.get_user_metadata("alice").metadata == {"plan": "pro"}


def test_log_in_as_refuses_unknown_clients(auth_helper: AuthHelper) -> None:
    """Something that is no known test client is a TypeError naming its type."""
    with pytest.raises(TypeError, match="cannot log a object in"):
        auth_helper.log_in_as(object(), "alice")
