"""DRF: the seed's route and the session matrix through SessionAuthentication."""

from __future__ import annotations

import pytest

from tests.integrations import django_apps

django_apps.configure()

from tests.integrations.client_matrix import FrameworkMatrix  # noqa: E402
from tests.integrations.conftest import Frontend, no_session_headers  # noqa: E402
from tests.integrations.drf_apps import drf_app  # noqa: E402

pytestmark = pytest.mark.anyio


class TestDRF(FrameworkMatrix):
    """APIViews, a ViewSet and ``@api_view`` functions with permission classes."""

    make_send = staticmethod(drf_app)
    test_a_background_task_runs = None  # type: ignore[assignment]  # Django has none

    async def test_updateinfo_without_a_session_is_unauthorised_without_a_clear(
        self, frontend: Frontend
    ) -> None:
        """No tokens: IsAuthenticated answers 401 (DRF's body), and nothing is cleared."""
        response = await frontend.call("POST", "/updateinfo")
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Session"
        assert no_session_headers(response)
