"""User metadata (CDI.md §2, §6.13)."""

from __future__ import annotations

import threading
from collections.abc import Mapping

import httpx

from authclient.localcore import LocalCore
from tests.localcore._helpers import client, ok


def _update(http: httpx.Client, user_id: str, update: Mapping[str, object]) -> dict[str, object]:
    body = ok(http.put("/recipe/user/metadata", json={"userId": user_id, "metadataUpdate": update}))
    return dict(body["metadata"])


def _get(http: httpx.Client, user_id: str) -> dict[str, object]:
    return dict(ok(http.get("/recipe/user/metadata", params={"userId": user_id}))["metadata"])


def test_shallow_merge(http: httpx.Client, user_id: str) -> None:
    _update(http, user_id, {"updated": {"a": "x", "b": "y", "c": "z"}, "cleared": "…"})
    update = {"updated": {"a": None, "c": 123, "n": "v"}, "cleared": None, "new": "r"}
    expected = {"updated": {"a": None, "c": 123, "n": "v"}, "new": "r"}
    assert _update(http, user_id, update) == expected
    assert _get(http, user_id) == expected


def test_non_ascii_round_trips(http: httpx.Client, user_id: str) -> None:
    role = "ädmin äÆ \ufdfd"
    assert _update(http, user_id, {"role": role, role: [role]}) == {"role": role, role: [role]}
    assert _get(http, user_id) == {"role": role, role: [role]}


def test_unknown_users_have_empty_metadata_and_any_string_is_a_user_id(http: httpx.Client) -> None:
    for user_id in ("never-seen", "", "a/b?c=d&e", "用户"):
        assert _get(http, user_id) == {}


def test_clear_always_succeeds(http: httpx.Client, user_id: str) -> None:
    assert ok(http.post("/recipe/user/metadata/remove", json={"userId": user_id})) == {
        "status": "OK"
    }
    _update(http, user_id, {"a": 1})
    assert ok(http.post("/recipe/user/metadata/remove", json={"userId": user_id})) == {
        "status": "OK"
    }
    assert _get(http, user_id) == {}


def test_concurrent_updates_of_different_keys_lose_nothing(core: LocalCore, user_id: str) -> None:
    threads, rounds = 8, 25
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def worker(index: int) -> None:
        try:
            with client(core) as http:
                barrier.wait()
                for round_ in range(rounds):
                    _update(http, user_id, {f"key-{index}": round_})
        except BaseException as error:  # reported below, on the test's thread
            errors.append(error)

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    assert errors == []
    with client(core) as http:
        assert _get(http, user_id) == {f"key-{i}": rounds - 1 for i in range(threads)}
