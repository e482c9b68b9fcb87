"""Cross-key checks of the ``xfh`` config section that a JSON Schema cannot express."""

from __future__ import annotations

import os

from collections.abc import Mapping
from typing import Any

from kineticflow.config import ConfigError
from kineticflow.xfh.crystals import KNOWN_CRYSTALS, k_edge_kev, make_crystal
from kineticflow.xfh.measurement import covering_polar_angle, point_group_m3m


def check_xfh(section: Mapping[str, Any]) -> None:
    """Checks across keys of the ``xfh`` section.

    Raises
    ------
    ConfigError
        For an unknown crystal, an inside-detector energy missing or not above the emitter's K
        edge, or a polar cap (``xfh.scan.polar_max_deg``) too small for its images under m-3m to
        cover the sphere from a crystal's surface normal.
    """
    crystals = section.get("crystals", {})
    for name in section.get("run", list(crystals)):
        key = f"xfh.crystals.{name}"
        if name not in KNOWN_CRYSTALS or name not in crystals:
            raise ConfigError(
                f"config key 'xfh.run' names an unknown crystal '{name}'; allowed: {', '.join(KNOWN_CRYSTALS)}"
            )
        c = crystals[name]
        emitter = make_crystal(name, c["lattice_constant"]).emitter
        if c["mode"] == "inside_detector":
            edge = k_edge_kev(emitter)
            energy = c.get("energy_kev")
            if energy is None or not energy > edge:
                raise ConfigError(
                    f"config key '{key}.energy_kev' = {energy} must be above the {emitter} K edge in inside_detector mode; "
                    f"allowed: > {edge:.4g} keV"
                )
        normal = c["surface_normal"]
        if not any(normal):
            raise ConfigError(
                f"config key '{key}.surface_normal' = {normal} is the zero vector; allowed: any nonzero [h, k, l]"
            )
        need = covering_polar_angle(normal, point_group_m3m())
        cap = section["scan"]["polar_max_deg"]
        if cap < need:
            raise ConfigError(
                f"config key 'xfh.scan.polar_max_deg' = {cap} is too small to fill the sphere under m-3m from the "
                f"{key} surface normal {list(normal)}; allowed: >= {need:.2f}"
            )


def check(section: Mapping[str, Any], config: Mapping[str, Any], workdir: str | os.PathLike[str] = ".") -> None:
    """The branch's config check as :mod:`kineticflow.branches` calls it (``config``: the whole config).

    Raises
    ------
    ConfigError
        One line naming key, value and allowed range.
    """
    check_xfh(section)
