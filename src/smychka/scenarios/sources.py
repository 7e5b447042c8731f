"""Finding and reading scenario files: built-ins shipped with the package, or TOML paths.

Every problem becomes an InputError naming the key and what would be valid: a missing file,
malformed TOML, a wrong type or an unknown key in the file.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError
from .schema import FILE_KEYS, ScenarioFile

_PACKAGE = "smychka.scenarios"
_AT_LINE = re.compile(r"\s*\(at line (\d+), column \d+\)$")
_AT_END = re.compile(r"\s*\(at end of document\)$")


@dataclass(frozen=True)
class Source:
    label: str           # how messages and the chain name it: a built-in name or a path
    identity: str        # unique per file, to detect circular `extends`
    text: str
    folder: Path | None  # where a relative `extends` path is looked up (None: built-in)


def builtin_names() -> list[str]:
    files = resources.files(_PACKAGE).iterdir()
    return sorted(f.name[:-5] for f in files if f.name.endswith(".toml"))


def builtin_text(name: str) -> str:
    return resources.files(_PACKAGE).joinpath(f"{name}.toml").read_text(encoding="utf-8")


def _looks_like_path(ref: str) -> bool:
    return ref.endswith(".toml") or "/" in ref or "\\" in ref


def locate(ref: str | Path, folder: Path, key: str) -> Source:
    """A built-in name, or a file path (relative to `folder`)."""
    names = builtin_names()
    if isinstance(ref, str) and ref in names and not _looks_like_path(ref):
        return Source(ref, f"builtin:{ref}", builtin_text(ref), None)
    path = Path(ref) if Path(ref).is_absolute() else folder / ref
    if not path.is_file():
        raise InputError(key, f"no built-in scenario or file named {str(ref)!r}",
                         ", ".join(names) + ", or a path to a .toml file")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"scenario file {ref}", f"cannot be read: {e}") from None
    return Source(str(ref), f"file:{path.resolve()}", text, path.parent)


def parse(source: Source) -> ScenarioFile:
    """TOML text -> ScenarioFile; errors name the file (TOML) or the key path (schema)."""
    try:
        raw = tomllib.loads(source.text)
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"scenario file {source.label}", _toml_problem(str(e), source.text)) \
            from None
    try:
        return ScenarioFile.model_validate(raw)
    except ValidationError as e:
        raise validation_error(e) from None


def _toml_problem(msg: str, text: str) -> str:
    m = _AT_LINE.search(msg)
    if m:
        line = int(m.group(1))
        msg = msg[:m.start()]
    else:  # tomllib reports errors in the last line as "at end of document"
        line = max(1, len(text.splitlines()))
        msg = _AT_END.sub("", msg)
    return f"invalid TOML at line {line}: {msg[:1].lower()}{msg[1:]}"


def validation_error(err: ValidationError) -> InputError:
    """The first problem pydantic found, as one line naming its key path."""
    e = err.errors()[0]
    key = ".".join(str(part) for part in e["loc"]) or "scenario"
    if e["type"] == "extra_forbidden":
        return InputError(key, "unknown key", ", ".join(FILE_KEYS))
    if e["type"] == "missing":
        return InputError(key, "required key is missing")
    msg = e["msg"]
    return InputError(key, f"{msg[:1].lower()}{msg[1:]}")
