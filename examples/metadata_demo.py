"""A walk through user metadata in both flavors, against a stand-in core served by respx.

This runs without a core (no network): respx answers the core's metadata endpoints in-process,
the way a real core would (shallow merge, null deletes). `authclient demo` will replace it with
the embedded local core.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import respx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import authclient.asyncio
import authclient.syncio
from tests.fakecore import FakeCore

CORE_URL = "http://localhost:3567"


def show(label: str, value: object) -> None:
    print(f"  {label:<42} {json.dumps(value, ensure_ascii=False)}")


async def async_tour() -> None:
    from authclient.asyncio import clear_user_metadata, get_user_metadata, update_user_metadata

    print("authclient.asyncio (await ...):")
    show("get_user_metadata('alice')", (await get_user_metadata("alice")).metadata)
    result = await update_user_metadata("alice", {"theme": "dark", "prefs": {"lang": "en"}})
    show("update {'theme','prefs'}", result.metadata)
    result = await update_user_metadata("alice", {"theme": None, "prefs": {"tz": "UTC"}})
    show("update {'theme': None, 'prefs': {'tz'}}", result.metadata)
    await clear_user_metadata("alice")
    show("after clear_user_metadata", (await get_user_metadata("alice")).metadata)


def sync_tour() -> None:
    from authclient.syncio import Client

    print("authclient.syncio (plain calls, same names):")
    with Client(CORE_URL) as client:
        client.update_user_metadata("bob", {"plan": "pro"})
        show("client.get_user_metadata('bob')", client.get_user_metadata("bob").metadata)
        # The documented example, with only the import path changed:
        from authclient.syncio import get_user_metadata

        metadataResult = get_user_metadata("bob")
        exampleValue = metadataResult.metadata["plan"]
        show("metadataResult.metadata['plan']", exampleValue)


def main() -> None:
    core = FakeCore()
    with respx.mock(assert_all_called=False) as router:
        router.route(host="localhost").mock(side_effect=core.respx_side_effect)
        authclient.asyncio.init(CORE_URL)
        authclient.syncio.init(CORE_URL)
        asyncio.run(async_tour())
        sync_tour()
    print(f"The stand-in core saw {len(core.received)} requests.")


if __name__ == "__main__":
    main()
