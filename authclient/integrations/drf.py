"""Sessions in Django REST framework views (``pip install 'authclient[drf]'``).

::

    REST_FRAMEWORK = {
        "DEFAULT_AUTHENTICATION_CLASSES": ["authclient.integrations.drf.SessionAuthentication"],
    }

    class UpdateInfo(APIView):
        permission_classes = [IsAuthenticated]

        def post(self, request):
            session = request.auth                  # the syncio.Session
            return Response({"userId": request.user.user_id})

``authclient.integrations.django.AuthMiddleware`` must be in ``MIDDLEWARE``: it serves the
refresh and sign-out endpoints, writes the tokens that changed into the real response (also
those a view changes behind DRF's request wrapper, e.g. ``merge_into_access_token_payload``)
and answers the session errors authentication raises (401 try refresh for an expired or
forged token, 403 for an invalid claim). A request without session tokens is unauthenticated:
permission classes decide (``IsAuthenticated`` answers 401, as the frontend expects, because
``authenticate_header`` names a scheme).

The options are class attributes, with ``verify_session``'s names and defaults (a session is
never required here: that is the permission classes' job)::

    class CheckedAuthentication(SessionAuthentication):
        check_database = True
"""

from __future__ import annotations

from typing import Any, Callable, ClassVar, Optional

from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from authclient.integrations.django import SESSION_ATTRIBUTE, request_sessions
from authclient.syncio import Session

__all__ = ["SessionAuthentication", "SessionUser"]


class SessionUser:
    """``request.user`` for a request with a session: authenticated, the session's user id."""

    is_authenticated = True
    is_anonymous = False
    is_active = True

    def __init__(self, session: Session) -> None:
        self.session = session
        self.user_id = session.user_id

    def __repr__(self) -> str:
        return f"SessionUser({self.user_id!r})"

    def __str__(self) -> str:
        return self.user_id

    @property
    def pk(self) -> str:
        """The user id (what DRF's throttles and Django's ``user.pk`` users read)."""
        return self.user_id

    id = pk


class SessionAuthentication(BaseAuthentication):
    """DRF authentication by the request's session: ``request.auth`` is the ``Session``."""

    anti_csrf_check: ClassVar[Optional[bool]] = None
    check_database: ClassVar[bool] = False
    override_global_claim_validators: ClassVar[Optional[Callable[..., Any]]] = None

    def authenticate(self, request: Request) -> Optional[tuple[SessionUser, Session]]:
        options = type(self)  # read through the class: a function stays a plain function
        session = request_sessions(request).sync_sessions.verify_session(
            request,
            session_required=False,
            anti_csrf_check=options.anti_csrf_check,
            check_database=options.check_database,
            override_global_claim_validators=options.override_global_claim_validators,
        )
        setattr(request._request, SESSION_ATTRIBUTE, session)
        if session is None:
            return None
        return SessionUser(session), session

    def authenticate_header(self, request: Request) -> str:
        """Names a scheme, so that DRF answers a missing session with 401 (not 403)."""
        return "Session"
