"""Lecture <-> plain dict (the content of project.json), with schema versions and migrations."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from typing import Any

from ..errors import ProjectFormatError
from .lecture import Lecture

SCHEMA_VERSION = 1

# MIGRATIONS[n] turns a version-n dict into a version-(n+1) dict.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def lecture_to_dict(lecture: Lecture) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "lecture": dataclasses.asdict(lecture)}


def lecture_from_dict(data: dict[str, Any], where: str = "project.json") -> Lecture:
    """Build a Lecture from a project dict, migrating older schema versions forward."""
    if not isinstance(data, dict) or "lecture" not in data:
        raise ProjectFormatError(f"{where} is not a Lecture Studio project file.")
    version = data.get("schema_version", 0)
    if not isinstance(version, int):
        raise ProjectFormatError(f"{where} has an invalid schema version {version!r}.")
    if version > SCHEMA_VERSION:
        raise ProjectFormatError(
            f"{where} was saved by a newer Lecture Studio (project format {version}, this version "
            f"reads up to {SCHEMA_VERSION}); update Lecture Studio to open it."
        )
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    try:
        return _build(Lecture, data["lecture"])
    except (TypeError, ValueError, KeyError) as exc:
        raise ProjectFormatError(f"{where} is damaged ({exc}); restore it from a backup.") from exc


def _build(tp: Any, value: Any) -> Any:
    """Rebuild a value of type ``tp`` from its ``asdict`` form; unknown keys are ignored."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _build(inner[0], value)
    if origin is typing.Literal:
        if value not in typing.get_args(tp):
            raise ValueError(f"{value!r} is not one of {typing.get_args(tp)}")
        return value
    if origin is list:
        (item,) = typing.get_args(tp)
        return [_build(item, v) for v in value]
    if origin is dict:
        _, item = typing.get_args(tp)
        return {str(k): _build(item, v) for k, v in value.items()}
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise TypeError(f"expected an object for {tp.__name__}, got {type(value).__name__}")
        hints = typing.get_type_hints(tp)
        kwargs = {
            f.name: _build(hints[f.name], value[f.name])
            for f in dataclasses.fields(tp)
            if f.init and f.name in value
        }
        return tp(**kwargs)
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"expected a number, got {value!r}")
        return float(value)
    if tp in (int, str, bool):
        if not isinstance(value, tp) or (tp is int and isinstance(value, bool)):
            raise TypeError(f"expected {tp.__name__}, got {value!r}")
        return value
    return value
