"""Validation of the workflow config: JSON Schema first, then the checks that span keys.

Every problem is reported as one line that names the key, the value and what is allowed;
:class:`ConfigError` carries that line so the Snakefile can print it without a traceback.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import os
import re
from collections.abc import Callable, Mapping, MutableMapping, Sequence
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


#: A number as a YAML 1.2 / JSON reader takes it: 1e2, -3.5E-4, .5, 7.
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _as_number(text: str, types: Sequence[str]) -> int | float | None:
    """``text`` as the number the schema asks for, or None if it is not one."""
    if not _NUMBER.fullmatch(text.strip()):
        return None
    value = float(text)
    if "number" not in types:  # integer only: 1e5 -> 100000, 2.5 stays a (rejected) string
        return int(value) if value.is_integer() else None
    return value


def _numeric_type_errors(error: jsonschema.ValidationError) -> list[jsonschema.ValidationError]:
    """The type errors, in ``error`` and the alternatives of an anyOf/oneOf, of a string where a number may go."""
    out = []
    for e in (error, *error.context):
        types = [e.validator_value] if isinstance(e.validator_value, str) else e.validator_value
        if e.validator == "type" and isinstance(e.instance, str) and {"number", "integer"} & set(types):
            out.append(e)
    return out


def coerce_numbers(config: MutableMapping[str, Any], schema: Mapping[str, Any]) -> list[str]:
    """Turn, in place, strings that are numbers into numbers where the schema wants a number.

    YAML 1.1 (PyYAML, hence Snakemake's config files) reads ``1e2`` and ``1.0e2`` as text: its
    float needs a dot and a signed exponent (``1.0e+2``). Wherever the schema's type (or one alternative of an
    ``anyOf``) is ``number`` or ``integer`` and the value is a string that a YAML 1.2 or JSON
    reader takes as a number, the number replaces it; an ``integer`` key gets an int
    (``1e5`` → 100000). Strings the schema accepts (``snr: [inf]``) and other text
    (``"fine"``) are left for :func:`check_schema` to judge.

    Parameters
    ----------
    config : mutable mapping
        The workflow config, changed in place.
    schema : mapping
        The JSON Schema of the whole config (:func:`load_schema`).

    Returns
    -------
    list of str
        The dotted keys converted, e.g. ``["trxs.model.tau_r_ps"]``.
    """
    validator = jsonschema.Draft202012Validator(schema)
    done: list[str] = []
    for _ in range(1000):  # each pass converts every value reported; a converted value is a number
        fixes = []
        for error in validator.iter_errors(config):
            for e in _numeric_type_errors(error):
                types = [e.validator_value] if isinstance(e.validator_value, str) else e.validator_value
                number = _as_number(e.instance, types)
                if number is not None:
                    fixes.append((list(e.absolute_path), number))
        if not fixes:
            break
        for path, number in fixes:
            node: Any = config
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = number
            done.append(_key(path))
    return done


def config_digest(config: Mapping[str, Any]) -> str:
    """SHA-256 of the config's content (keys sorted): equal configs, equal digests.

    The run records it (``results/config.yaml``) so that a later ``snakemake --report`` can
    tell whether it was given the config of the results, and the run summary depends on it
    instead of on the whole config.

    Returns
    -------
    str
        64 hexadecimal digits.
    """
    text = json.dumps(config, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


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
