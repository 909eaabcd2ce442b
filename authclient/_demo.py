"""``authclient demo``: a local core on a free loopback port, and a walk through both flavors."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import authclient.asyncio as aio
import authclient.syncio as sync
from authclient.errors import TokenTheftError
from authclient.localcore import start_in_thread
from authclient.types import Overrides, RequestInfo


class CallCounter:
    """Counts the calls a client makes to the core (an ``on_request`` hook)."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    def __call__(self, info: RequestInfo) -> None:
        self.paths.append(f"{info.method} /{info.url.split('?')[0].split('/', 3)[-1]}")

    def since(self, mark: int) -> str:
        new = self.paths[mark:]
        return "no core call" if not new else f"core calls: {', '.join(new)}"


def heading(text: str) -> None:
    print(f"\n== {text}")


def show(call: str, result: Any) -> None:
    print(f"  {call}\n      -> {result}")


def short(token: str) -> str:
    return f"<{len(token)}-char token …{token[-6:]}>"


async def metadata_async(url: str) -> None:
    heading("User metadata, async: from authclient.asyncio import ...")
    aio.init(url)
    show("await get_user_metadata('alice')", (await aio.get_user_metadata("alice")).metadata)
    update: dict[str, Any] = {"theme": "dark", "prefs": {"lang": "en"}}
    result = await aio.update_user_metadata("alice", update)
    show(f"await update_user_metadata('alice', {update})", result.metadata)
    update = {"theme": None, "prefs": {"tz": "UTC"}}
    result = await aio.update_user_metadata("alice", update)
    show(f"await update_user_metadata('alice', {update})  # shallow; None deletes", result.metadata)


def metadata_sync(url: str) -> None:
    heading("The same, sync: from authclient.syncio import ... (same names, no await)")
    sync.init(url)
    show("get_user_metadata('alice')", sync.get_user_metadata("alice").metadata)
    sync.clear_user_metadata("alice")
    show(
        "clear_user_metadata('alice'); get_user_metadata('alice')",
        sync.get_user_metadata("alice").metadata,
    )


async def sessions_async(url: str) -> None:
    heading("Sessions, async: create, verify locally, refresh, detect theft")
    calls = CallCounter()
    async with aio.AsyncClient(url, on_request=calls) as client:
        session = await client.create_new_session("alice", {"role": "admin"})
        show(
            "session = await client.create_new_session('alice', {'role': 'admin'})",
            f"handle {session.handle}, access {short(session.tokens.access_token)}, "
            f"refresh {short(session.tokens.refresh_token or '')}",
        )
        await client.prefetch()
        mark = len(calls.paths)
        verified = await client.get_session(session.tokens.access_token)
        assert verified is not None
        show(
            "await client.get_session(access_token)",
            f"user {verified.user_id}, payload {verified.access_token_payload} ({calls.since(mark)})",
        )
        old_refresh = session.tokens.refresh_token or ""
        refreshed = await client.refresh_session(old_refresh)
        show(
            "await client.refresh_session(refresh_token)",
            f"new access {short(refreshed.tokens.access_token)}",
        )
        mark = len(calls.paths)
        first = await client.get_session(refreshed.tokens.access_token)
        assert first is not None
        show(
            "await client.get_session(new access token)  # first use after a refresh",
            f"access_token_updated={first.tokens.access_token_updated} ({calls.since(mark)})",
        )
        await client.refresh_session(refreshed.tokens.refresh_token or "")
        try:
            await client.refresh_session(old_refresh)
        except TokenTheftError as theft:
            show("await client.refresh_session(the OLD refresh token)", f"TokenTheftError: {theft}")
        revoked = await client.revoke_all_sessions_for_user("alice")
        show("await client.revoke_all_sessions_for_user('alice')", revoked)


def sessions_sync(url: str) -> None:
    heading("Sessions, sync: the session object")
    with sync.Client(url) as client:
        session = client.create_new_session("bob", {"plan": "free"}, {"cart": []})
        session.merge_into_access_token_payload({"plan": "pro"})
        show(
            "session.merge_into_access_token_payload({'plan': 'pro'})",
            f"payload {session.access_token_payload}, new token: {session.tokens.access_token_updated}",
        )
        session.update_session_data_in_database({"cart": ["book"]})
        show("session.get_session_data_from_database()", session.get_session_data_from_database())
        session.revoke_session()
        show(
            "session.revoke_session(); client.get_session_information(handle)",
            client.get_session_information(session.handle),
        )


async def user_context_example(url: str) -> None:
    heading("User context: an override makes no session on sign-up (documented example)")

    def no_session_on_sign_up(original: aio.AsyncSessionRecipe) -> aio.AsyncSessionRecipe:
        original_create = original.create_new_session

        async def create_new_session(
            user_id: str,
            access_token_payload: dict[str, Any],
            session_data_in_database: dict[str, Any],
            tenant_id: str,
            disable_anti_csrf: bool,
            user_context: dict[str, Any],
        ) -> aio.AsyncSession:
            if user_context.get("is_sign_up"):
                return aio.AsyncEmptySession(original, user_id, tenant_id)
            return await original_create(
                user_id,
                access_token_payload,
                session_data_in_database,
                tenant_id,
                disable_anti_csrf,
                user_context,
            )

        original.create_new_session = create_new_session  # type: ignore[method-assign]
        return original

    async with aio.AsyncClient(url, overrides=Overrides(session=no_session_on_sign_up)) as client:
        signed_up = await client.create_new_session("carol", user_context={"is_sign_up": True})
        show("create_new_session('carol', user_context={'is_sign_up': True})", f"{signed_up!r}")
        signed_in = await client.create_new_session("carol")
        show("create_new_session('carol')", f"{signed_in!r}")
        handles = await client.get_all_session_handles_for_user("carol")
        show("get_all_session_handles_for_user('carol')", json.dumps(handles))


def run_demo() -> None:
    with start_in_thread() as core:
        print(f"authclient demo: a local core serving real HTTP on {core.url} (in memory)")
        asyncio.run(metadata_async(core.url))
        metadata_sync(core.url)
        asyncio.run(sessions_async(core.url))
        sessions_sync(core.url)
        asyncio.run(user_context_example(core.url))
    print(
        "\nDone. Run `authclient --help` for the command line, `authclient localcore serve` for a core."
    )
