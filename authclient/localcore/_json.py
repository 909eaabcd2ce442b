"""Reading untrusted JSON (request bodies, access-token parts) without ever failing with a 500.

Stricter than Python's ``json.loads``: ``NaN``/``Infinity``/``-Infinity`` and numbers too large
for a double (which Python would read as infinity, and then could not write back as JSON),
lone surrogate escapes such as ``"\\ud800"`` (not text: SQLite and UTF-8 cannot hold them), and
nesting deeper than ``MAX_JSON_DEPTH`` (which would otherwise end in a ``RecursionError``) are
all ``InvalidJson``.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from typing import Any, Union

MAX_JSON_DEPTH = 128
"""How deeply arrays and objects may nest in a request. The real core accepts a few thousand
levels and then fails with HTTP 500; the local core answers 400 well before that."""

_ESCAPE = re.compile(r"\\.", re.DOTALL)
_STRING = re.compile(r'"[^"]*"')
_BRACKET = re.compile(r"[\[\]{}]")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


class InvalidJson(ValueError):
    """Input that the local core does not accept as JSON."""


def _no_constants(name: str) -> Any:
    raise InvalidJson(f"{name} is not JSON")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise InvalidJson("a number is out of range")
    return value


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest in JSON text (brackets inside strings do not count).

    Linear in the length of the text (only regular expressions without backtracking and C
    loops), so that a hostile body costs no more to measure than to read.
    """
    unescaped = _ESCAPE.sub("", text)
    structure = _BRACKET.findall(_STRING.sub("", unescaped))
    return max(itertools.accumulate(map(_STEP.__getitem__, structure), initial=0))


def loads(raw: Union[bytes, str]) -> Any:
    """Parse UTF-8 JSON text; ``InvalidJson`` for anything that is not strict, sane JSON."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise InvalidJson("not UTF-8") from None
    # Counting brackets is cheap; only measure properly when there are enough to matter.
    if text.count("[") + text.count("{") > MAX_JSON_DEPTH and nesting_depth(text) > MAX_JSON_DEPTH:
        raise InvalidJson(f"nested more than {MAX_JSON_DEPTH} levels")
    try:
        value = json.loads(text, parse_constant=_no_constants, parse_float=_finite)
    except RecursionError:
        raise InvalidJson("nested too deeply") from None
    except InvalidJson:
        raise
    except ValueError as error:
        raise InvalidJson(str(error)) from None
    if _SURROGATE_ESCAPE.search(text):
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidJson("a string holds a lone surrogate") from None
    return value
