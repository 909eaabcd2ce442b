"""What the framework tests share: Starlette's ``TestClient``, imported quietly.

Starlette 1.x warns when its ``TestClient`` runs on httpx rather than httpx2 (a deprecation
of Starlette's, not something these tests check), and its annotations then name httpx2, which
is not installed here: the type checkers see it as the httpx client it is.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import pytest

pytest.importorskip("starlette")

if TYPE_CHECKING:
    import httpx

    class TestClient(httpx.Client):
        def __init__(self, app: Any, base_url: str = "http://testserver") -> None: ...

else:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*starlette.testclient.* is deprecated")
        from starlette.testclient import TestClient

__all__ = ["TestClient"]
