"""Settings and cross-key checks of the binary-mixture part of the config (``plasma.mixtures``).

Mirrors :mod:`kineticflow.plasma.ocp.config`: :func:`mixture_md` merges the ``plasma.mixtures.md``
overrides over ``plasma.md``; :func:`check_mixtures` is the part of
:func:`kineticflow.plasma.config.check` that a JSON Schema cannot express.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kineticflow.config import ConfigError

#: Mixture names become part of file names and of a Snakemake wildcard.
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]*$")
#: Largest BIM coupling allowed (beyond the OCP melting Γ_m = 175 the liquid is metastable).
GAMMA_MAX = 200.0


def mixture_md(mixtures_md: Mapping[str, Any], plasma_md: Mapping[str, Any]) -> dict[str, Any]:
    """MD settings of the mixtures: ``plasma.mixtures.md`` (overrides; unset = None) merged over ``plasma.md``.

    Parameters
    ----------
    mixtures_md, plasma_md : mapping
        The ``plasma.mixtures.md`` and ``plasma.md`` sections.

    Returns
    -------
    dict
        All keys of ``plasma.md``, with the ``plasma.mixtures.md`` values that are set.

    Examples
    --------
    >>> mixture_md({"n_particles": 4000, "dt_wp": None}, {"n_particles": 1000, "dt_wp": 0.05})
    {'n_particles': 4000, 'dt_wp': 0.05}
    """
    return {**dict(plasma_md), **{k: v for k, v in dict(mixtures_md).items() if v is not None}}


def mixture_gammas(mixtures: Mapping[str, Any], entry: Mapping[str, Any]) -> list[float]:
    """Couplings of one ``plasma.mixtures.mixtures`` entry: its own ``gammas`` or the section's."""
    return list(entry.get("gammas") or mixtures.get("gammas", []))


def _check_names(entries: list[Mapping[str, Any]]) -> None:
    names = [str(e["name"]) for e in entries]
    for i, name in enumerate(names):
        if not NAME.match(name) or "_" in name:
            raise ConfigError(
                f"config key 'plasma.mixtures.mixtures[{i}].name' = '{name}'; "
                "allowed: letters, digits, '.' and '-' (no '_')"
            )
        if name in names[:i]:
            raise ConfigError(
                f"config key 'plasma.mixtures.mixtures[{i}].name' = '{name}' repeats "
                f"plasma.mixtures.mixtures[{names.index(name)}]; names must be unique"
            )


def check_mixtures(mixtures: Mapping[str, Any], plasma_md: Mapping[str, Any] | None = None) -> None:
    """Check the ``plasma.mixtures`` section (defaults filled in); particle counts only when ``enabled``.

    Parameters
    ----------
    mixtures : mapping
        The ``plasma.mixtures`` section.
    plasma_md : mapping, optional
        ``plasma.md`` (the settings ``plasma.mixtures.md`` overrides).

    Raises
    ------
    ConfigError
        One line naming key, value and allowed range, for: a mixture name listed twice or not
        made of letters, digits, '.' and '-'; a species with fewer particles than
        ``md.n_blocks`` (N x₂ and N (1 − x₂), the particle groups of the error estimate);
        Γ above 200 (beyond the OCP melting Γ_m = 175 the liquid is metastable).
    """
    entries = list(mixtures.get("mixtures", []))
    _check_names(entries)
    md = mixture_md(mixtures.get("md", {}), plasma_md or {})
    n = int(md.get("n_particles", 0) or 0)
    n_blocks = int(md.get("n_blocks", 2) or 2)
    for i, e in enumerate(entries):
        x2 = float(e["x2"])
        if n and mixtures.get("enabled", False):
            n2 = round(n * x2)
            n1 = n - n2
            if min(n1, n2) < n_blocks:
                need = int(-(-n_blocks // min(x2, 1 - x2)))
                raise ConfigError(
                    f"config key 'plasma.mixtures.mixtures[{i}].x2' = {x2} gives {min(n1, n2)} ions of one species "
                    f"with plasma.mixtures.md.n_particles = {n}; allowed: >= md.n_blocks = {n_blocks} per species, "
                    f"i.e. n_particles >= {need}"
                )
        for g in mixture_gammas(mixtures, e):
            if not 0 < float(g) <= GAMMA_MAX:
                raise ConfigError(
                    f"config key 'plasma.mixtures.mixtures[{i}].gammas' = {g}; allowed: 0 < gamma <= {GAMMA_MAX:g}"
                )
