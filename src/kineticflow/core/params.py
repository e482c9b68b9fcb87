"""Frozen parameter dataclasses that travel through a Snakemake rule's ``params:`` as plain dicts.

Snakemake reruns a job when a *representable* parameter changes (numbers, strings, lists, tuples,
dicts) and silently ignores anything else, a dataclass instance included. A branch's ``config.py``
therefore builds frozen :class:`Section` dataclasses from its config section, a rule passes
:func:`dataclasses.asdict` of them, and the rule's script rebuilds them with
:meth:`Section.from_dict` before calling the branch's ``steps`` function.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from typing import Any, get_type_hints


def _rebuild(kind: Any, value: Any) -> Any:
    """``value`` (from :func:`dataclasses.asdict`) as an instance of the annotated type ``kind``."""
    origin = typing.get_origin(kind)
    if isinstance(kind, type) and is_dataclass(kind) and isinstance(value, Mapping):
        if issubclass(kind, Section):
            return kind.from_dict(value)
        return kind(**value)
    if origin is tuple and isinstance(value, (list, tuple)):
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_rebuild(args[0], v) for v in value)
        if args and len(args) == len(value):
            return tuple(_rebuild(a, v) for a, v in zip(args, value, strict=True))
        return tuple(value)
    if origin in (typing.Union, types.UnionType) and value is not None:
        for arg in typing.get_args(kind):
            if isinstance(arg, type) and is_dataclass(arg) and isinstance(value, Mapping):
                return _rebuild(arg, value)
    return value


class Section:
    """Base of a frozen parameter dataclass that can be rebuilt from its ``asdict`` form."""

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> Any:
        """The dataclass of ``asdict(instance)``, nested dataclasses and tuples of them rebuilt.

        Raises
        ------
        KeyError
            If a field without a default is missing from ``values``.
        """
        hints = get_type_hints(cls)
        kwargs = {}
        for f in fields(cls):  # type: ignore[arg-type]
            if f.name in values:
                kwargs[f.name] = _rebuild(hints[f.name], values[f.name])
        return cls(**kwargs)


def rebuild(params: Mapping[str, Any], schema: type) -> dict[str, Any]:
    """A rule's ``params`` with every entry that is a field of ``schema`` rebuilt as that field's type.

    ``schema`` is a dataclass (a branch's ``Params``) whose fields name the sections a rule may pass;
    entries that are not fields (wildcard values, plain numbers) pass unchanged.
    """
    hints = get_type_hints(schema)
    return {k: _rebuild(hints[k], v) if k in hints else v for k, v in params.items()}
