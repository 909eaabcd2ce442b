"""The seed's routes on the official backend SDK, supertokens-python's FastAPI integration.

This is the reference the browser test is checked against first: the page, the frontend SDK,
the driving and the assertions must hold for it before they say anything about authclient's app.
supertokens-python keeps its configuration in globals, so there is one such app per process:
``reset_official_sdk()`` forgets it.
"""

from __future__ import annotations

import pytest
from fastapi import Depends, FastAPI, Request
from pydantic import BaseModel
from starlette.middleware.cors import CORSMiddleware
from supertokens_python import (
    InputAppInfo,
    Supertokens,
    SupertokensConfig,
    get_all_cors_headers,
    init,
)
from supertokens_python.framework.fastapi import get_middleware
from supertokens_python.post_init_callbacks import PostSTInitCallbacks
from supertokens_python.process_state import ProcessState
from supertokens_python.recipe import session, usermetadata
from supertokens_python.recipe.session import SessionContainer
from supertokens_python.recipe.session.asyncio import create_new_session
from supertokens_python.recipe.session.framework.fastapi import verify_session
from supertokens_python.recipe.usermetadata.asyncio import get_user_metadata
from supertokens_python.recipe_module import RecipeModule
from supertokens_python.types import RecipeUserId


class Login(BaseModel):
    userId: str


def create_official_app(core_url: str, api_domain: str, website_domain: str) -> FastAPI:
    init(
        app_info=InputAppInfo(
            app_name="browser",
            api_domain=api_domain,
            website_domain=website_domain,
            api_base_path="/auth",
        ),
        supertokens_config=SupertokensConfig(connection_uri=core_url),
        framework="fastapi",
        mode="asgi",
        recipe_list=[session.init(), usermetadata.init()],
        telemetry=False,
    )
    app = FastAPI()
    app.add_middleware(get_middleware())  # type: ignore[no-untyped-call]

    @app.post("/login")
    async def login(request: Request, body: Login) -> dict[str, str]:
        created = await create_new_session(request, "public", RecipeUserId(body.userId))
        return {"userId": created.get_user_id()}

    @app.post("/updateinfo")
    async def updateinfo(
        session: SessionContainer = Depends(verify_session()),  # noqa: B008
    ) -> dict[str, object]:
        result = await get_user_metadata(session.get_user_id())
        return {"preferences": result.metadata.get("preferences")}

    # Outermost, as supertokens-python's docs say; no expose_headers: the SDK sets its own.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=[website_domain],
        allow_credentials=True,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Content-Type", *get_all_cors_headers()],
    )
    return app


def reset_official_sdk() -> None:
    """Forget everything init() set up (as tests/test_interop.py does between tests)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SUPERTOKENS_ENV", "testing")  # the SDK's reset() functions require it
        _reset()


def _reset() -> None:
    pending = list(RecipeModule.__subclasses__())
    while pending:
        recipe = pending.pop()
        pending.extend(recipe.__subclasses__())
        if "reset" in vars(recipe):
            recipe.reset()  # type: ignore[attr-defined]
    Supertokens.reset()  # type: ignore[no-untyped-call]
    PostSTInitCallbacks.reset()  # type: ignore[no-untyped-call]
    ProcessState.get_instance().reset()  # type: ignore[no-untyped-call]
