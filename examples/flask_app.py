"""authclient's Flask example: a login route and the seed's ``POST /updateinfo``, blocking code.

Run it from the repository root (``pip install -e '.[flask,server]' flask-cors`` and
``npm ci --prefix examples`` first)::

    python -m examples.flask_app                     # a local core in memory
    python -m examples.flask_app --core http://127.0.0.1:3567

then open http://127.0.0.1:3000/ (add ``?mode=header`` for header-based sessions): the same
page as the FastAPI example's, on another origin than the API, so the API allows the page's
origin with credentials (flask-cors). ``FlaskAuth`` serves ``POST /auth/session/refresh`` and
``POST /auth/signout`` inside Flask (so flask-cors covers them) and writes the tokens into the
responses. The views are plain blocking functions on the sync flavor: no event loop anywhere,
so any WSGI server works, threaded or with gevent/eventlet workers::

    gunicorn -k gevent -w 4 'examples.flask_app:create_app("http://core:3567", "https://api.example.com", "https://example.com")'
"""

from __future__ import annotations

import argparse
import atexit
import threading
from typing import Any, Optional

from flask import Flask, request
from flask_cors import CORS

from authclient.integrations.flask import (
    FlaskAuth,
    create_new_session,
    current_session,
    verify_session,
)
from authclient.syncio import Client
from authclient.web import WebConfig, cors_allowed_headers


def create_app(core_url: str, api_domain: str, website_domain: str) -> Flask:
    """The API for a page served from ``website_domain``, sessions on the core at ``core_url``."""
    client = Client(core_url)
    atexit.register(client.close)

    app = Flask(__name__)
    # flask-cors first: its after_request runs last, on every answer (the endpoints' too).
    CORS(
        app,
        origins=[website_domain],
        supports_credentials=True,
        methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Content-Type", *cors_allowed_headers()],
    )
    FlaskAuth(
        app, client=client, config=WebConfig(api_domain=api_domain, website_domain=website_domain)
    )

    @app.post("/login")
    def login() -> dict[str, str]:
        # A real app checks a password or a code first; the example trusts the user id.
        user_id = str(request.get_json()["userId"])
        session = create_new_session(request, user_id)
        return {"userId": session.user_id}

    @app.post("/updateinfo")
    @verify_session()
    def updateinfo() -> dict[str, Any]:
        result = client.get_user_metadata(current_session.user_id)
        return {"preferences": result.metadata.get("preferences")}

    return app


def _serve(core_url: Optional[str], host: str, api_port: int, web_port: int) -> None:
    import uvicorn
    from werkzeug.serving import run_simple

    from authclient.localcore import start_in_thread
    from examples.website import create_website

    running = start_in_thread() if core_url is None else None
    core = core_url or running.url  # type: ignore[union-attr]
    api_domain, website_domain = f"http://{host}:{api_port}", f"http://{host}:{web_port}"
    website = uvicorn.Server(uvicorn.Config(create_website(), host=host, port=web_port))
    threading.Thread(target=website.run, name="website", daemon=True).start()
    print(f"core {core}\nAPI {api_domain}\npage {website_domain}/  (?mode=header for headers)")
    try:
        run_simple(host, api_port, create_app(core, api_domain, website_domain), threaded=True)
    finally:
        website.should_exit = True
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
    _serve(args.core, args.host, args.api_port, args.web_port)


if __name__ == "__main__":
    main()
