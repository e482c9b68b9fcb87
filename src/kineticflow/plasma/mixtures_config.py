"""Cross-key checks of the ``mixtures`` config section that a JSON Schema cannot express."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kineticflow.config import ConfigError

#: Mixture names become part of file names and of a Snakemake wildcard.
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]*$")


def check_mixtures(mixtures: Mapping[str, Any], plasma_md: Mapping[str, Any] | None = None) -> None:
    """Check the ``mixtures`` section (defaults filled in); particle counts only when ``enabled``.

    Raises
    ------
    ConfigError
        One line naming key, value and allowed range, for: a mixture name listed twice or not
        made of letters, digits, '.' and '-'; a species with fewer particles than
        ``md.n_blocks`` (N x₂ and N (1 − x₂), the particle groups of the error estimate);
        Γ above 200 (beyond the OCP melting Γ_m = 175 the liquid is metastable).
    """
    entries = mixtures.get("mixtures", [])
    names = [str(e["name"]) for e in entries]
    for i, name in enumerate(names):
        if not NAME.match(name) or "_" in name:
            raise ConfigError(
                f"config key 'mixtures.mixtures[{i}].name' = '{name}'; allowed: letters, digits, '.' and '-' (no '_')"
            )
        if names.count(name) > 1:
            raise ConfigError(
                f"config key 'mixtures.mixtures[{i}].name' = '{name}' is listed twice; names must be unique"
            )
    md = {**dict(plasma_md or {}), **{k: v for k, v in dict(mixtures.get("md", {})).items() if v is not None}}
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
                    f"config key 'mixtures.mixtures[{i}].x2' = {x2} gives {min(n1, n2)} ions of one species with "
                    f"mixtures.md.n_particles = {n}; allowed: >= md.n_blocks = {n_blocks} per species, i.e. n_particles >= {need}"
                )
        for g in e.get("gammas") or mixtures.get("gammas", []):
            if not 0 < float(g) <= 200:
                raise ConfigError(f"config key 'mixtures.mixtures[{i}].gammas' = {g}; allowed: 0 < gamma <= 200")
    return None
