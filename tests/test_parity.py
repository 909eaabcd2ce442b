"""Both flavors expose the same public API: same names, parameters, defaults and annotations."""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest

import authclient.asyncio
import authclient.syncio


def sync_name(name: str) -> str:
    name = re.sub(r"\bAsync(?=[A-Z])", "", name)
    return {"aclose": "close", "__aenter__": "__enter__", "__aexit__": "__exit__"}.get(name, name)


def normalise(text: str) -> str:
    """An annotation or default, as the generator would write it for the sync flavor."""
    return re.sub(r"\bAsync(?=[A-Z])", "", text)


def describe(obj: Any) -> list[tuple[str, str, str, str]]:
    signature = inspect.signature(obj)
    params = [
        (p.name, str(p.kind), normalise(str(p.annotation)), repr(p.default))
        for p in signature.parameters.values()
    ]
    return [*params, ("return", "", normalise(str(signature.return_annotation)), "")]


def public_names() -> list[str]:
    return list(authclient.asyncio.__all__)


def test_same_names_in_both_flavors() -> None:
    assert sorted(sync_name(n) for n in authclient.asyncio.__all__) == sorted(
        authclient.syncio.__all__
    )


@pytest.mark.parametrize("name", public_names())
def test_same_signatures(name: str) -> None:
    async_obj = getattr(authclient.asyncio, name)
    sync_obj = getattr(authclient.syncio, sync_name(name))
    if not inspect.isclass(async_obj):
        assert inspect.iscoroutinefunction(async_obj) or name in ("init", "reset")
        assert describe(async_obj) == describe(sync_obj)
        return
    if async_obj.__module__.startswith("authclient.types"):
        assert async_obj is sync_obj  # shared, so isinstance works across flavors
        return
    assert inspect.isclass(sync_obj)
    async_methods = {
        sync_name(n): m for n, m in vars(async_obj).items() if callable(m) and not n.startswith("_")
    }
    sync_methods = {
        n: m for n, m in vars(sync_obj).items() if callable(m) and not n.startswith("_")
    }
    assert sorted(async_methods) == sorted(sync_methods)
    for method_name, method in async_methods.items():
        assert describe(method) == describe(sync_methods[method_name]), method_name
    assert describe(async_obj.__init__) == describe(sync_obj.__init__)
