"""Every adapter offers the same options under the same names, with the same defaults."""

from __future__ import annotations

import inspect
from typing import Any, Callable

import pytest

from tests.integrations import django_apps

django_apps.configure()

from authclient.integrations import asgi, django, drf, fastapi, flask, starlette, wsgi  # noqa: E402

VERIFIERS: dict[str, Callable[..., Any]] = {
    "fastapi": fastapi.verify_session,
    "starlette": starlette.verify_session,
    "flask": flask.verify_session,
    "django": django.verify_session,
}
CREATORS: dict[str, Callable[..., Any]] = {
    "fastapi": fastapi.create_new_session,
    "starlette": starlette.create_new_session,
    "flask": flask.create_new_session,
    "django": django.create_new_session,
    "django async": django.acreate_new_session,
}
MIDDLEWARE_INITS: dict[str, Callable[..., Any]] = {
    "asgi": asgi.AuthMiddleware.__init__,
    "wsgi": wsgi.AuthMiddleware.__init__,
    "flask extension": flask.FlaskAuth.__init__,
}


def options(function: Callable[..., Any], skip: int = 0) -> list[tuple[str, str, Any]]:
    """Name, kind and default of each parameter (the first ``skip`` left out)."""
    parameters = list(inspect.signature(function).parameters.values())[skip:]
    return [(p.name, p.kind.name, p.default) for p in parameters]


REFERENCE = options(fastapi.verify_session)


def test_the_reference_is_the_documented_signature() -> None:
    """verify_session(session_required=True, anti_csrf_check=None, check_database=False,
    override_global_claim_validators=None), as API.md fixes it."""
    assert [(name, default) for name, _, default in REFERENCE] == [
        ("session_required", True),
        ("anti_csrf_check", None),
        ("check_database", False),
        ("override_global_claim_validators", None),
    ]


@pytest.mark.parametrize("adapter", sorted(VERIFIERS))
def test_verify_session_has_the_same_options_everywhere(adapter: str) -> None:
    """Each adapter's verify_session: the same names, kinds and defaults."""
    assert options(VERIFIERS[adapter]) == REFERENCE


def test_drf_authentication_has_verify_sessions_options_as_attributes() -> None:
    """SessionAuthentication's class attributes are verify_session's options but
    session_required (permission classes require the session), with the same defaults."""
    expected = {name: default for name, _, default in REFERENCE[1:]}
    found = {name: getattr(drf.SessionAuthentication, name) for name in expected}
    assert found == expected


def test_starlette_backend_has_verify_sessions_options() -> None:
    """SessionBackend(...) takes verify_session's options but session_required, keyword-only."""
    found = options(starlette.SessionBackend.__init__, skip=1)
    assert [(name, default) for name, _, default in found] == [
        (name, default) for name, _, default in REFERENCE[1:]
    ]


@pytest.mark.parametrize("adapter", sorted(CREATORS))
def test_create_new_session_takes_the_request_first_and_the_same_options(adapter: str) -> None:
    """create_new_session(request, user_id, ...): the same parameters after the request."""
    creator = CREATORS[adapter]
    assert next(iter(inspect.signature(creator).parameters)) == "request"
    assert options(creator, skip=1) == options(fastapi.create_new_session, skip=1)


@pytest.mark.parametrize("name", sorted(MIDDLEWARE_INITS))
def test_the_middlewares_take_the_same_settings(name: str) -> None:
    """config, client, overrides and error_handlers, keyword-only, with the same defaults."""
    assert options(MIDDLEWARE_INITS[name], skip=2) == options(MIDDLEWARE_INITS["asgi"], skip=2)


def test_request_sessions_verify_the_same_way_in_both_flavors() -> None:
    """The WSGI and ASGI per-request objects take the same verify options."""
    assert options(wsgi.RequestSessions.verify_session) == options(
        asgi.RequestSessions.verify_session
    )
