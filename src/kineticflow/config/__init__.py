"""Validation of the workflow config: JSON Schema first, then the checks that span keys.

Every problem is reported as one line that names the key, the value and what is allowed;
:class:`ConfigError` carries that line so the Snakefile can print it without a traceback.
"""

from __future__ import annotations

import copy
import math
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import yaml


class ConfigError(ValueError):
    """An invalid config value; the message is one line naming key, value and allowed range."""


def _key(path: Any) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "<config>"


def _describe(error: jsonschema.ValidationError) -> str:
    key = _key(error.absolute_path)
    v = error.validator
    s = error.validator_value
    inst = error.instance
    if v == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(inst) - set(allowed)) if isinstance(inst, Mapping) else []
        given = f" = {inst[extra[0]]!r}" if extra else ""
        return f"config key '{_key([*error.absolute_path, extra[0]] if extra else error.absolute_path)}'{given} is not known; allowed keys here: {', '.join(allowed)}"
    if v == "required":
        return f"config key '{key}' is missing the required entry: {error.message}"
    if v == "type":
        return f"config key '{key}' = {inst!r} has the wrong type; expected {s}"
    if v in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        word = {"minimum": ">=", "exclusiveMinimum": ">", "maximum": "<=", "exclusiveMaximum": "<"}[v]
        return f"config key '{key}' = {inst!r} is out of range; allowed: {word} {s}"
    if v == "enum":
        return f"config key '{key}' = {inst!r} is not allowed; choose one of {s}"
    if v == "minItems":
        return f"config key '{key}' = {inst!r} needs at least {s} item(s)"
    if v == "uniqueItems":
        return f"config key '{key}' = {inst!r} has repeated items"
    return f"config key '{key}' = {inst!r}: {error.message}"


def load_schema(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read the workflow's JSON Schema (YAML syntax), with each section's file inlined.

    A top-level property ``{"$ref": "trxs.schema.yaml", ...}`` is replaced by the content of that
    file (relative to ``path``) merged with its sibling keys, so the result is one self-contained
    schema whose error paths name the full key (``trxs.grid.q_min``).

    Raises
    ------
    FileNotFoundError
        If the schema or a referenced section file is missing.
    """
    path = Path(path)
    schema: dict[str, Any] = yaml.safe_load(path.read_text())
    return _inline_refs(schema, path.parent)


def _inline_refs(schema: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Replace each property ``{"$ref": "<file>", ...}`` by that file's schema, recursively.

    A section may hold a sub-section in a file of its own (``plasma.mixtures``).
    """
    for name, prop in list(schema.get("properties", {}).items()):
        ref = prop.get("$ref") if isinstance(prop, Mapping) else None
        if ref and not ref.startswith("#"):
            section = _inline_refs(yaml.safe_load((folder / ref).read_text()), (folder / ref).parent)
            section.pop("$schema", None)
            schema["properties"][name] = {**section, **{k: v for k, v in prop.items() if k != "$ref"}}
    return schema


def _check_no_nan(node: Any, path: tuple = ()) -> None:
    if isinstance(node, float) and math.isnan(node):
        raise ConfigError(f"config key '{_key(path)}' = nan is not a number; allowed: a finite number")
    if isinstance(node, Mapping):
        for k, v in node.items():
            _check_no_nan(v, (*path, k))
    elif isinstance(node, (list, tuple)):
        for i, v in enumerate(node):
            _check_no_nan(v, (*path, i))


def check_schema(config: Mapping[str, Any], schema: Mapping[str, Any]) -> None:
    """Validate ``config`` against ``schema`` and raise the first error as one line.

    Raises
    ------
    ConfigError
        Naming the key, the offending value and what is allowed. A NaN anywhere (YAML ``.nan``)
        is rejected first: JSON Schema range checks let it through.
    """
    _check_no_nan(config)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(
        validator.iter_errors(config), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path)))
    )
    if errors:
        raise ConfigError(_describe(errors[0]))


def fill_defaults(config: dict[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
    """Fill in, in place, every ``default`` the schema gives for a key missing from ``config``.

    Works through nested objects (a section's ``default: {}`` is filled in turn), through
    arrays of objects and through the entries of a mapping whose ``additionalProperties`` is an
    object schema. Returns ``config``.
    """
    props = schema.get("properties", {})
    for key, sub in props.items():
        if key not in config and "default" in sub:
            config[key] = copy.deepcopy(sub["default"])
        value = config.get(key)
        if isinstance(value, dict) and sub.get("type") == "object":
            fill_defaults(value, sub)
        elif isinstance(value, list) and isinstance(sub.get("items"), Mapping):
            for item in value:
                if isinstance(item, dict):
                    fill_defaults(item, sub["items"])
    extra = schema.get("additionalProperties")
    if isinstance(extra, Mapping) and extra.get("type") == "object":  # a mapping of named entries
        for key, value in config.items():
            if key not in props and isinstance(value, dict):
                fill_defaults(value, extra)
    return config


Check = Callable[[Mapping[str, Any], Mapping[str, Any]], None]


def validate_config(
    config: Mapping[str, Any], schema_path: str | os.PathLike[str], checks: Mapping[str, Check]
) -> None:
    """Run the schema and then each branch's cross-key checks (defaults already filled in).

    Parameters
    ----------
    config
        The whole workflow config.
    schema_path
        The JSON Schema (YAML syntax) of the whole config.
    checks
        ``{section: check}``; ``check(config[section], config)`` runs for each section present.
        The workflow registers the branches' checks here, so this module imports no branch.

    Raises
    ------
    ConfigError
        The first problem found, as one line.
    """
    check_schema(config, load_schema(schema_path))
    for section, check in checks.items():
        if section in config:
            check(config[section], config)
