"""Headless Chromium, driven with Selenium through Debian's chromedriver, on the example page."""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

# Without the background-networking flags Chromium tries to reach Google's hosts at each start,
# which this closed network refuses; nothing here leaves 127.0.0.1.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-proxy-server",
)
SCRIPT_TIMEOUT_SECONDS = 30

# Calls window.demo.<name>(...arguments) and hands back what its promise gives, or its error.
_CALL = """
const done = arguments[arguments.length - 1];
const args = Array.prototype.slice.call(arguments, 1, arguments.length - 1);
Promise.resolve()
  .then(() => window.demo[arguments[0]](...args))
  .then((value) => done({ value }), (error) => done({ error: String(error) }));
"""


class PageError(AssertionError):
    """The page's call threw (the SDK refuses a response, say)."""


def start_chromium(user_data_dir: Path) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={user_data_dir}")
    # A driver path given: Selenium Manager (which would download one) is not used.
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_script_timeout(SCRIPT_TIMEOUT_SECONDS)
    return driver


def cdp(driver: webdriver.Chrome, cmd: str, cmd_args: dict[str, Any]) -> dict[str, Any]:
    """One Chrome DevTools command (Selenium leaves its argument dict untyped)."""
    result: dict[str, Any] = driver.execute_cdp_cmd(cmd, cmd_args)  # pyright: ignore[reportUnknownMemberType]
    return result


def forget_everything(driver: webdriver.Chrome, origin: str) -> None:
    """Leave the page and drop every cookie and the site's storage: the SDK starts from nothing."""
    driver.get("about:blank")
    cdp(driver, "Network.clearBrowserCookies", {})
    cdp(driver, "Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
    assert not cdp(driver, "Network.getAllCookies", {})["cookies"]


class ExamplePage:
    """examples/web/index.html in one browser: what a person's clicks do, as calls."""

    def __init__(self, driver: webdriver.Chrome, url: str) -> None:
        self.driver = driver
        self.url = url

    def open(self) -> None:
        """Load the page and wait for the SDK's first look at the session to finish."""
        self.driver.get(self.url)
        WebDriverWait(self.driver, SCRIPT_TIMEOUT_SECONDS).until(
            lambda d: d.find_element(By.ID, "exists").text != "?"
        )

    def _call(self, name: str, *args: Any) -> Any:
        result = self.driver.execute_async_script(_CALL, name, *args)  # pyright: ignore[reportUnknownMemberType]
        if "error" in result:
            raise PageError(f"window.demo.{name} threw: {result['error']}")
        return result.get("value")

    def login(self, user_id: str) -> dict[str, Any]:
        return dict(self._call("login", user_id))

    def updateinfo(self) -> dict[str, Any]:
        return dict(self._call("updateinfo"))

    def sign_out(self) -> None:
        self._call("signOut")

    def session_exists(self) -> bool:
        return bool(self._call("sessionExists"))

    def cookies(self) -> dict[str, dict[str, Any]]:
        """Every cookie of the browser, whatever its path (sRefreshToken's is the refresh path)."""
        found = cdp(self.driver, "Network.getAllCookies", {})["cookies"]
        return {cookie["name"]: cookie for cookie in found}

    def access_token_expiry_ms(self) -> int:
        """The ``ate`` of the front token the SDK stored (ms since the epoch)."""
        value = self.cookies()["sFrontToken"]["value"]
        raw = base64.b64decode(value + "=" * (-len(value) % 4))
        return int(json.loads(raw)["ate"])
