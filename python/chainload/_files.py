"""Reading TOML data files with errors that name the file, the line and the field at fault."""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import FileFormatError, ValidationError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DATA_DIR = Path(__file__).parent / "data"


class TomlSource:
    """A parsed TOML file that remembers its text, to point errors at the right line."""

    def __init__(self, path: str | Path, text: str | None = None) -> None:
        self.path = Path(path)
        try:
            self.text = self.path.read_text(encoding="utf-8-sig") if text is None else text
        except FileNotFoundError:
            raise FileFormatError(f"{self.path}: no such file") from None
        except UnicodeDecodeError as e:
            raise FileFormatError(f"{self.path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
        except OSError as e:  # a directory, no permission ...
            raise FileFormatError(f"{self.path}: cannot read ({e.strerror or e})") from None
        try:
            self.data: dict[str, Any] = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as e:
            raise FileFormatError(f"{self.path}: malformed TOML: {e}") from None

    def line_of(self, key: str, value: object) -> int | None:
        """Line number (1-based) of the first `key = value` in the file, if it can be found."""
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=\s*['\"]?{re.escape(str(value))}['\"]?\s*(#.*)?$")
        for number, line in enumerate(self.text.splitlines(), start=1):
            if pattern.match(line):
                return number
        return None

    def line_containing(self, text: str) -> int | None:
        """Line number (1-based) of the first line containing ``text``, if any."""
        for number, line in enumerate(self.text.splitlines(), start=1):
            if text in line:
                return number
        return None

    def line_of_key(self, key: str) -> int | None:
        """Line number (1-based) of the first ``key = ...``, ``[key]`` or ``[[key]]`` (or a dotted
        ``a.key``) in the file, if it can be found."""
        k = re.escape(key)
        pattern = re.compile(rf"^\s*(?:([\w.\"'-]*\.)?[\"']?{k}[\"']?\s*=|\[\[?\s*([\w.-]*\.)?{k}\s*\]\]?)")
        for number, line in enumerate(self.text.splitlines(), start=1):
            if pattern.match(line):
                return number
        return None

    def where(self, table: str, index: int, entry: Mapping[str, Any]) -> str:
        """'file.toml line 12, [[exercise]] #3 (id 'deadlift')' for error messages."""
        ident = entry.get("id") or entry.get("exercise") or entry.get("name")
        line = self.line_of("id", ident) if "id" in entry else None
        at = f" line {line}," if line else ""
        named = f" ({ident!r})" if ident else ""
        return f"{self.path}:{at} [[{table}]] #{index + 1}{named}"


def finite_number(value: object) -> bool:
    """A real number (not a bool) that is finite; False for an int too large for a float."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def tables(data: Mapping[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    """data[key] as a list of tables (``[[key]]``; empty when absent), or a ValidationError."""
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ValidationError(f"{where}: '{key}' must be an array of tables ([[{key}]]), got {value!r:.80}")
    return value


def require(entry: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    """entry[key], checked to exist and to have the right type."""
    if key not in entry:
        raise ValidationError(f"{where}: missing field '{key}'")
    value = entry[key]
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise ValidationError(f"{where}: field '{key}' must be {_kind_name(kind)}, got {value!r}")
    if not isinstance(value, kind):
        raise ValidationError(f"{where}: field '{key}' must be {_kind_name(kind)}, got {value!r}")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(k.__name__ for k in kinds)
