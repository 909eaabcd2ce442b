"""CDI versions the local core speaks, and the per-app core config it understands."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
    in hours (fractions allowed) and ``refresh_token_validity`` in minutes. Other keys are
    accepted and ignored.
    """

    access_token_validity: int = 3600
    access_token_dynamic_signing_key_update_interval: float = 168.0
    refresh_token_validity: float = 144000.0

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
        )

    @property
    def access_token_validity_ms(self) -> int:
        return self.access_token_validity * 1000

    @property
    def signing_key_interval_ms(self) -> int:
        return int(self.access_token_dynamic_signing_key_update_interval * 3_600_000)

    @property
    def refresh_token_validity_ms(self) -> int:
        return int(self.refresh_token_validity * 60_000)
