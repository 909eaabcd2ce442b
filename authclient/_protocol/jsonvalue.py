"""Checks that a value is plain JSON before it is sent, so nothing is silently changed or lost."""

from __future__ import annotations

import math
from typing import Any, cast

MAX_DEPTH = 64


def check_json_object(value: object, name: str) -> None:
    """Raise ``TypeError``/``ValueError`` unless ``value`` is a dict that JSON round-trips exactly.

    Rejected: non-str keys (json.dumps would turn them into strings), sets, bytes, objects,
    NaN/inf, and nesting deeper than ``MAX_DEPTH`` (which also catches circular references).
    Tuples are accepted and sent as arrays.
    """
    if not isinstance(value, dict):
        raise TypeError(f"{name} must be a dict (a JSON object), not {type(value).__name__}")
    _check(value, name, 0)


def _check(value: Any, where: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ValueError(f"{where} is nested more than {MAX_DEPTH} levels (a circular reference?)")
    if value is None or isinstance(value, (str, bool, int)):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where} is {value!r}, which JSON cannot represent")
        return
    if isinstance(value, dict):
        for key, item in cast("dict[object, object]", value).items():
            if not isinstance(key, str):
                raise TypeError(
                    f"{where} has a key {key!r} of type {type(key).__name__}; keys must be str"
                )
            _check(item, f"{where}[{key!r}]", depth + 1)
        return
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(cast("list[object]", value)):
            _check(item, f"{where}[{index}]", depth + 1)
        return
    raise TypeError(f"{where} is a {type(value).__name__}, which is not JSON-serialisable")


def check_user_id(user_id: object, name: str = "user_id") -> None:
    if not isinstance(user_id, str):
        raise TypeError(f"{name} must be a str, not {type(user_id).__name__}")
    if not user_id:
        raise ValueError(f"{name} must not be empty")
