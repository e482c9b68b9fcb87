"""Cross-key checks of the ``halpha`` config section that a JSON Schema cannot express."""

from __future__ import annotations

import os

from collections.abc import Mapping, Sequence
from typing import Any

from kineticflow.config import ConfigError
from kineticflow.halpha import lines


def _ascending(key: str, values: Sequence[float]) -> None:
    if len(values) < 2 or any(v <= 0 for v in values) or any(b <= a for a, b in zip(values, values[1:], strict=False)):
        raise ConfigError(
            f"config key 'halpha.{key}' = {list(values)} must be >= 2 positive values in increasing order"
        )


def _inside(key: str, value: float, grid: Sequence[float], grid_key: str) -> None:
    if not min(grid) <= value <= max(grid):
        raise ConfigError(
            f"config key 'halpha.{key}' = {value:g} is outside the profile grid 'halpha.{grid_key}'; allowed: [{min(grid):g}, {max(grid):g}]"
        )


def check_halpha(section: Mapping[str, Any]) -> None:
    """Checks across keys of the ``halpha`` section.

    Raises
    ------
    ConfigError
        For a P0 or F20 grid that is not increasing, a kernel's ``p0_peak``/``f20_peak`` outside the
        grid or ``p0_fill_fraction`` outside (0, 1], an observed wavelength range (plus the largest
        Doppler shift and 3 slit FWHM) outside the computed profiles, a negative HXR rate, mismatched
        episode lists, a kernel outside the field of view, or bisector levels outside (0, 1).
    """
    _ascending("p0_grid", section["p0_grid"])
    _ascending("f20_grid", section["f20_grid"])
    inst, flare, scan = section["instrument"], section["flare"], section["scan"]
    hxr = flare["hxr"]
    if hxr["background"] < 0 or any(p < 0 for p in hxr["peaks"]):
        raise ConfigError(
            f"config key 'halpha.flare.hxr' has a negative count rate (background = {hxr['background']}, peaks = {list(hxr['peaks'])}); allowed: >= 0"
        )
    if len(hxr["times_s"]) != len(hxr["peaks"]):
        raise ConfigError(
            f"config key 'halpha.flare.hxr.peaks' has {len(hxr['peaks'])} values but 'times_s' has {len(hxr['times_s'])}; allowed: the same length"
        )
    v_max = 0.0
    for name, k in flare["kernels"].items():
        _inside(f"flare.kernels.{name}.p0_peak", float(k["p0_peak"]), section["p0_grid"], "p0_grid")
        _inside(f"flare.kernels.{name}.f20_peak", float(k["f20_peak"]), section["f20_grid"], "f20_grid")
        fill = float(k.get("p0_fill_fraction", 1.0))
        if not 0.0 < fill <= 1.0:
            raise ConfigError(
                f"config key 'halpha.flare.kernels.{name}.p0_fill_fraction' = {fill:g}; allowed: (0, 1] (fraction of the HXR counts)"
            )
        ep = k["episodes"]
        if not len(ep["times_s"]) == len(ep["velocity_kms"]) == len(ep["decay_s"]):
            raise ConfigError(
                f"config key 'halpha.flare.kernels.{name}.episodes' needs times_s, velocity_kms and decay_s of the same length"
            )
        if not (0 <= k["y"] < scan["pixels_along_slit"] and 0 <= k["x"] < scan["slit_positions"]):
            raise ConfigError(
                f"config key 'halpha.flare.kernels.{name}' at (y={k['y']}, x={k['x']}) is outside the field of view {scan['pixels_along_slit']} x {scan['slit_positions']}"
            )
        v_max = max([v_max, *(abs(v) for v in ep["velocity_kms"])])
    need = float(inst["half_range_a"]) + float(lines.shift_from_velocity(v_max)) + 3.0 * float(inst["slit_fwhm_a"])
    if need > float(section["profile_half_range_a"]):
        raise ConfigError(
            f"config key 'halpha.instrument.half_range_a' = {inst['half_range_a']} plus the largest Doppler shift and 3 slit FWHM "
            f"needs profiles to +-{need:.2f} A, but 'halpha.profile_half_range_a' = {section['profile_half_range_a']}; allowed: half_range_a <= {float(section['profile_half_range_a']) - need + float(inst['half_range_a']):.2f}"
        )
    levels = section["measure"]["bisector_levels"]
    if any(not 0 < v < 1 for v in levels):
        raise ConfigError(f"config key 'halpha.measure.bisector_levels' = {list(levels)}; allowed: values in (0, 1)")


def check(section: Mapping[str, Any], config: Mapping[str, Any], workdir: str | os.PathLike[str] = ".") -> None:
    """The branch's config check as :mod:`kineticflow.branches` calls it (``config``: the whole config).

    Raises
    ------
    ConfigError
        One line naming key, value and allowed range.
    """
    check_halpha(section)
