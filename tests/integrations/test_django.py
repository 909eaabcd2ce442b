"""Django: the seed's route and the session matrix for sync and async views."""

from __future__ import annotations

import pytest

from tests.integrations import django_apps

django_apps.configure()

from tests.integrations.client_matrix import FrameworkMatrix  # noqa: E402

pytestmark = pytest.mark.anyio


class TestDjangoSyncViews(FrameworkMatrix):
    """Sync views through Django's test ``Client`` (WSGI): the sync flavor."""

    make_send = staticmethod(django_apps.sync_app)
    test_a_background_task_runs = None  # type: ignore[assignment]  # Django has none


class TestDjangoAsyncViews(FrameworkMatrix):
    """Async views through Django's ``AsyncClient`` (ASGI): the async flavor."""

    make_send = staticmethod(django_apps.async_app)
    test_a_background_task_runs = None  # type: ignore[assignment]  # Django has none
