"""CDI versions the local core speaks, and the per-app core config it understands."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Optional

import attrs

Version = tuple[int, ...]

SUPPORTED_CDI_VERSIONS: tuple[str, ...] = (
    *(f"2.{minor}" for minor in range(7, 22)),
    "3.0",
    "3.1",
    "4.0",
    "5.0",
    "5.1",
    "5.2",
    "5.3",
    "5.4",
)
MAX_CDI_VERSION = SUPPORTED_CDI_VERSIONS[-1]


def parse_version(text: str) -> Version:
    """``"5.4"`` -> ``(5, 4)``; ``ValueError`` for anything that is not dotted integers."""
    return tuple(int(part) for part in text.strip().split("."))


def access_token_version(cdi: Version) -> int:
    """The access-token version a request of this CDI version gets (CDI.md §3.1)."""
    if cdi >= (4, 0):
        return 5
    if cdi >= (3, 0):
        return 4
    if cdi >= (2, 21):
        return 3
    return 2


class ConfigError(ValueError):
    """A coreConfig value the local core cannot use."""


_WHITESPACE = re.compile(r"[ \t\n\x0b\f\r]")
_API_KEY = re.compile(r"[=\-0-9a-zA-Z]+")
MIN_API_KEY_LENGTH = 20


def parse_api_keys(text: str, *, min_length: int = MIN_API_KEY_LENGTH) -> tuple[str, ...]:
    """The keys of an ``api_keys`` setting, read as the real core does: comma-separated,
    whitespace anywhere dropped, each key made of ``=``, ``-``, letters and digits.

    The messages never quote a key.
    """
    keys = tuple(_WHITESPACE.sub("", text).split(","))
    for key in keys:
        if len(key) < min_length:
            raise ConfigError(
                f"One of the API keys is too short. Please use at least {min_length} characters"
            )
        if not _API_KEY.fullmatch(key):
            raise ConfigError(
                "Invalid characters in API key. Please only use '=', '-' and alpha-numeric"
                " (including capitals)"
            )
    return keys


def _api_keys(config: Mapping[str, Any]) -> Optional[tuple[str, ...]]:
    value = config.get("api_keys")
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError("'api_keys' must be a string of comma-separated keys")
    return parse_api_keys(value)


def _positive(config: Mapping[str, Any], key: str, default: float) -> float:
    value = config.get(key)
    if value is None:
        return default
    try:
        number = float(value) if isinstance(value, (str, int, float)) else float("nan")
    except ValueError:
        number = float("nan")
    if isinstance(value, bool) or not number > 0:
        raise ConfigError(f"'{key}' must be a positive number")
    return number


@attrs.frozen
class AppConfig:
    """The core-config keys that change the local core's behaviour, with the real core's defaults.

    ``access_token_validity`` is in seconds, ``access_token_dynamic_signing_key_update_interval``
    in hours (fractions allowed) and ``refresh_token_validity`` in minutes; ``api_keys``
    (comma-separated, at least 20 characters each) replaces the core's own key for the app.
    Other keys are accepted and ignored. As in the real core, all tenants of an app must agree
    on these keys.
    """

    access_token_validity: int = 3600
    access_token_dynamic_signing_key_update_interval: float = 168.0
    refresh_token_validity: float = 144000.0
    api_keys: Optional[tuple[str, ...]] = attrs.field(default=None, repr=False)

    @classmethod
    def from_core_config(cls, config: Mapping[str, Any]) -> AppConfig:
        validity = _positive(config, "access_token_validity", 3600)
        if validity != int(validity):
            raise ConfigError("'access_token_validity' must be a whole number of seconds")
        return cls(
            access_token_validity=int(validity),
            access_token_dynamic_signing_key_update_interval=_positive(
                config, "access_token_dynamic_signing_key_update_interval", 168.0
            ),
            refresh_token_validity=_positive(config, "refresh_token_validity", 144000.0),
            api_keys=_api_keys(config),
        )

    def conflict_with(self, other: AppConfig) -> Optional[str]:
        """The first setting on which two tenants of one app disagree, if any."""
        for field in attrs.fields(AppConfig):
            if getattr(self, field.name) != getattr(other, field.name):
                return field.name
        return None

    @property
    def access_token_validity_ms(self) -> int:
        return self.access_token_validity * 1000

    @property
    def signing_key_interval_ms(self) -> int:
        return int(self.access_token_dynamic_signing_key_update_interval * 3_600_000)

    @property
    def refresh_token_validity_ms(self) -> int:
        return int(self.refresh_token_validity * 60_000)
