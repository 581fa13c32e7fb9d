"""Settings for a run: `[tool.secreview]` in the nearest pyproject.toml, or `.secreview.toml`.

The CLI builds a `Config` from the file and then overrides it with its own options.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024


class ConfigError(ValueError):
    """A config file that cannot be used; the CLI exits 2 with this message."""


@dataclass(frozen=True, slots=True)
class Config:
    exclude: tuple[str, ...] = ()
    rules: tuple[str, ...] | None = None  # only these rules (None = all)
    skip_rules: tuple[str, ...] = ()
    fail_on: str = "low"
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    include_tests: bool = False
    nosec: bool = False  # honour Bandit's `# nosec` comments too
    taint_parameters: bool = False  # treat every function's parameters as attacker data
    jobs: int | None = None
    cache: bool = True  # reuse per-file results from the store (`--no-cache` turns it off)
    source: str | None = None  # the file the settings came from

    def merged(self, **overrides: Any) -> Config:
        """A copy with every override that is not None applied (CLI wins)."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


_KEYS = {f.name.replace("_", "-"): f.name for f in fields(Config) if f.name != "source"}


def find_config(start: Path) -> Path | None:
    """The nearest `.secreview.toml`, or pyproject.toml with a [tool.secreview] table."""
    start = start.resolve()
    for folder in [start, *start.parents] if start.is_dir() else start.parents:
        candidate = folder / ".secreview.toml"
        if candidate.is_file():
            return candidate
        at_top = (folder / ".git").exists()
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            named = _names_secreview(pyproject, must_parse=at_top)
            if named is None:
                continue  # unreadable, or not TOML: the search goes on upwards
            if named:
                return pyproject
        if at_top:
            break  # do not wander out of the repository
    return None


def _names_secreview(pyproject: Path, must_parse: bool) -> bool | None:
    """Whether `pyproject` has a [tool.secreview] table; None when it cannot be read as TOML.

    Most pyproject.toml files never mention secreview, and parsing one (tomllib included) is
    start-up time every review pays: a text that cannot name the table (no `secreview`, no
    escape that could spell it) is parsed only when `must_parse`, at a repository's top
    folder, where whether it is TOML at all decides if the search stops there."""
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not must_parse and "secreview" not in text and "\\" not in text:
        return False  # TOML or not, the search goes on upwards
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    return "secreview" in data.get("tool", {})


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML in {path}: {exc}") from exc
    table = data.get("tool", {}).get("secreview", {}) if path.name == "pyproject.toml" else data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.secreview] must be a table")
    values: dict[str, Any] = {}
    for key, value in table.items():
        name = _KEYS.get(key) or _KEYS.get(key.replace("_", "-"))
        if name is None:
            raise ConfigError(
                f"{path}: unknown setting {key!r} (known: {', '.join(sorted(_KEYS))})"
            )
        values[name] = _coerce(name, value, path)
    return Config(source=str(path), **values)


def _coerce(name: str, value: Any, path: Path) -> Any:
    if name in ("exclude", "rules", "skip_rules"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{path}: {name.replace('_', '-')} must be a list of strings")
        return tuple(value)
    if name in ("max_file_size", "jobs"):
        if not isinstance(value, int) or value <= 0:
            raise ConfigError(f"{path}: {name.replace('_', '-')} must be a positive integer")
        return value
    if name in ("include_tests", "nosec", "taint_parameters", "cache"):
        if not isinstance(value, bool):
            raise ConfigError(f"{path}: {name.replace('_', '-')} must be true or false")
        return value
    if name == "fail_on":
        if value not in ("low", "medium", "high", "critical", "never"):
            raise ConfigError(f"{path}: fail-on must be low, medium, high, critical or never")
        return value
    return value
