"""Fixtures of the browser tests: a local core, the website, the backends and a browser.

Everything heavy is imported inside the fixtures: test_browser.py decides first whether these
tests run at all (see prerequisites.py), so this file must import in any test environment.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Union

import httpx
import pytest

from authclient.localcore import start_in_thread
from authclient.syncio import Client

if TYPE_CHECKING:
    from selenium.webdriver import Chrome

    from tests.browser.page import ExamplePage
    from tests.browser.servers import Backend, Served

APP_ID = "browser"
# Seconds: the access tokens expire within a test, so the frontend SDK has to refresh.
ACCESS_TOKEN_VALIDITY = 2
BACKENDS = ("supertokens-python", "authclient", "authclient-flask")
WSGI_BACKENDS = ("authclient-flask",)  # served by a WSGI server, the others by uvicorn
MODES = ("cookie", "header")
ADAPTER_MODULES = ("authclient.integrations", "authclient.web")


@pytest.fixture(scope="module")
def core_url() -> Iterator[str]:
    """The connection URI of an app on a local core whose access tokens live 2 seconds."""
    with start_in_thread() as running:
        answer = httpx.put(
            f"{running.url}/recipe/multitenancy/app/v2",
            json={"appId": APP_ID, "coreConfig": {"access_token_validity": ACCESS_TOKEN_VALIDITY}},
        )
        assert answer.json()["status"] == "OK", answer.text
        yield f"{running.url}/appid-{APP_ID}"


@pytest.fixture(scope="module")
def core_client(core_url: str) -> Iterator[Client]:
    with Client(core_url) as client:
        yield client


@pytest.fixture(scope="module")
def website() -> Iterator[Served]:
    """examples/web with the frontend SDK, on its own port (another origin than the API's)."""
    from examples.website import create_website
    from tests.browser.servers import Served, listen

    served = Served(create_website(), listen(), "website")
    yield served
    served.stop()


def _app_factory(name: str) -> tuple[Callable[[str, str, str], Any], Callable[[], None]]:
    """``create(core_url, api_domain, website_domain)`` of a backend (an ASGI app, or a WSGI
    one for ``WSGI_BACKENDS``), and what undoes it."""
    if name == "supertokens-python":
        from tests.browser.official_app import create_official_app, reset_official_sdk

        return create_official_app, reset_official_sdk
    try:
        if name in WSGI_BACKENDS:
            from examples.flask_app import create_app as create_flask_app

            return create_flask_app, lambda: None
        from examples.fastapi_app import create_app
    except ModuleNotFoundError as error:
        if not (error.name or "").startswith(ADAPTER_MODULES):
            raise
        pytest.skip(
            f"authclient's web adapters are not in this checkout ({error}): "
            "the examples need authclient.integrations and authclient.web"
        )
    return create_app, lambda: None


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest, core_url: str, website: Served) -> Iterator[Backend]:
    """The seed's routes served on their own port, every exchange recorded."""
    from tests.browser.servers import (
        Backend,
        Recorder,
        Served,
        ServedWSGI,
        WSGIRecorder,
        listen,
        url_of,
    )

    name = str(request.param)
    create, cleanup = _app_factory(name)
    listener = listen()
    try:
        app = create(core_url, url_of(listener), website.url)
        served: Union[Served, ServedWSGI]
        recorder: Union[Recorder, WSGIRecorder]
        if name in WSGI_BACKENDS:
            recorder = WSGIRecorder(app)
            served = ServedWSGI(recorder, listener, name)
        else:
            recorder = Recorder(app)
            served = Served(recorder, listener, name)
    except BaseException:
        listener.close()
        cleanup()
        raise
    try:
        yield Backend(name, served.url, recorder)
    finally:
        served.stop()
        cleanup()


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    """The frontend SDK's tokenTransferMethod."""
    return str(request.param)


@pytest.fixture
def user_id(core_client: Client, mode: str) -> str:
    """A new user whose metadata holds preferences."""
    user = f"browser-{uuid.uuid4()}"
    core_client.update_user_metadata(user, {"preferences": {"theme": "dark", "mode": mode}})
    return user


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chrome]:
    """One headless Chromium with a new, empty profile for the module."""
    from tests.browser.page import start_chromium

    driver = start_chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


@pytest.fixture
def page(chromium: Chrome, website: Served, backend: Backend, mode: str) -> Iterator[ExamplePage]:
    """The example page for this backend and mode (not opened yet), in a browser with no state."""
    from tests.browser.page import ExamplePage, forget_everything

    forget_everything(chromium, website.url)
    yield ExamplePage(chromium, f"{website.url}/?api={backend.url}&mode={mode}")
    forget_everything(chromium, website.url)
