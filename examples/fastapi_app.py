"""authclient's FastAPI example: a login route, the seed's ``POST /updateinfo``, and a page.

Run it from the repository root (``pip install -e '.[fastapi,server]'`` and ``npm ci --prefix
examples`` first)::

    python -m examples.fastapi_app                     # a local core in memory
    python -m examples.fastapi_app --core http://127.0.0.1:3567

then open http://127.0.0.1:3000/ (add ``?mode=header`` for header-based sessions). The page,
on port 3000, loads the official frontend SDK and calls the API on port 8000: another origin,
as in a real deployment, so the API allows the page's origin with credentials (CORS).
``AuthMiddleware`` serves ``POST /auth/session/refresh`` and ``POST /auth/signout`` and writes
the tokens into the responses; the SDK refreshes an expired access token by itself.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Optional

from fastapi import Depends, FastAPI, Request
from pydantic import BaseModel
from starlette.middleware.cors import CORSMiddleware

from authclient.asyncio import AsyncClient, AsyncSession
from authclient.integrations.asgi import AuthMiddleware
from authclient.integrations.fastapi import create_new_session, verify_session
from authclient.web import WebConfig, cors_allowed_headers


class Login(BaseModel):
    userId: str


def create_app(core_url: str, api_domain: str, website_domain: str) -> FastAPI:
    """The API for a page served from ``website_domain``, sessions on the core at ``core_url``."""
    client = AsyncClient(core_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with client:
            yield

    app = FastAPI(lifespan=lifespan)
    app.add_middleware(
        AuthMiddleware,
        client=client,
        config=WebConfig(api_domain=api_domain, website_domain=website_domain),
    )

    @app.post("/login")
    async def login(request: Request, body: Login) -> dict[str, str]:
        # A real app checks a password or a code first; the example trusts the user id.
        session = await create_new_session(request, body.userId)
        return {"userId": session.user_id}

    @app.post("/updateinfo")
    async def updateinfo(
        session: AsyncSession = Depends(verify_session()),  # noqa: B008
    ) -> dict[str, Any]:
        result = await client.get_user_metadata(session.user_id)
        return {"preferences": result.metadata.get("preferences")}

    # Added last, so outermost: preflights are answered before AuthMiddleware sees them.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=[website_domain],
        allow_credentials=True,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Content-Type", *cors_allowed_headers()],
    )
    return app


async def _serve(core_url: Optional[str], host: str, api_port: int, web_port: int) -> None:
    import uvicorn

    from authclient.localcore import start_in_thread
    from examples.website import create_website

    running = start_in_thread() if core_url is None else None
    core = core_url or running.url  # type: ignore[union-attr]
    api_domain, website_domain = f"http://{host}:{api_port}", f"http://{host}:{web_port}"
    servers = [
        uvicorn.Server(
            uvicorn.Config(create_app(core, api_domain, website_domain), host=host, port=api_port)
        ),
        uvicorn.Server(uvicorn.Config(create_website(), host=host, port=web_port)),
    ]
    print(f"core {core}\nAPI {api_domain}\npage {website_domain}/  (?mode=header for headers)")
    try:
        await asyncio.gather(*(server.serve() for server in servers))
    finally:
        if running is not None:
            running.stop()


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--core", help="the core's connection URI (default: a local core in memory)"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--api-port", type=int, default=8000)
    parser.add_argument("--web-port", type=int, default=3000)
    args = parser.parse_args(argv)
    asyncio.run(_serve(args.core, args.host, args.api_port, args.web_port))


if __name__ == "__main__":
    main()
