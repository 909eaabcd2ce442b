"""The example website: examples/web and the official frontend SDK, as a small ASGI app.

The SDK is the supertokens-web-js bundle pinned in examples/package.json (``npm ci --prefix
examples`` puts it in examples/node_modules). Its file names carry a content hash; the page loads
them as ``/sdk/website.js``, ``/sdk/supertokens.js`` and ``/sdk/session.js``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

HERE = Path(__file__).resolve().parent
PAGE_DIR = HERE / "web"
SDK_BUNDLE_DIR = HERE / "node_modules" / "supertokens-web-js" / "bundle"
SDK_BUNDLES = ("website", "supertokens", "session")


class MissingSDKError(FileNotFoundError):
    """The frontend SDK's bundle is not installed."""


def sdk_files(bundle_dir: Path = SDK_BUNDLE_DIR) -> dict[str, Path]:
    """The SDK bundles the page needs, by the name the page loads them under."""
    files = {}
    for name in SDK_BUNDLES:
        found = sorted(bundle_dir.glob(f"{name}.*.js"))
        if len(found) != 1:
            raise MissingSDKError(
                f"expected one {name}.<hash>.js in {bundle_dir}, found {len(found)}: "
                "run `npm ci --prefix examples` first"
            )
        files[f"/sdk/{name}.js"] = found[0]
    return files


def create_website(bundle_dir: Optional[Path] = None) -> Starlette:
    """The page at ``/`` (``?api=<API origin>&mode=cookie|header``), its script and the SDK."""
    files = {
        "/": PAGE_DIR / "index.html",
        "/app.js": PAGE_DIR / "app.js",
        **sdk_files(SDK_BUNDLE_DIR if bundle_dir is None else bundle_dir),
    }

    async def serve_file(request: Request) -> Response:
        return FileResponse(files[request.url.path], headers={"Cache-Control": "no-store"})

    return Starlette(routes=[Route(path, serve_file) for path in files])
