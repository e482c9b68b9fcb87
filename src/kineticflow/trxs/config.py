"""Cross-key checks of the ``trxs`` config section that a JSON Schema cannot express."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kineticflow.config import ConfigError
from kineticflow.trxs.pulses import PulseProfileError, read_pulse_profile

#: Largest TRXS grid, n_t × (n_r + n_q) values (≈ 1.6 GB per float64 array).
MAX_GRID_POINTS = 2e8


def check_trxs(trxs: Mapping[str, Any], workdir: str | os.PathLike[str] = ".") -> None:
    """Checks across keys of the ``trxs`` section that a JSON Schema cannot express.

    Raises
    ------
    ConfigError
        For q_min ≥ q_max, r_min ≥ r_max, t_min ≥ t_max, τ outside the time grid, a time
        step too coarse for the shortest pulse (> FWHM/10), or an unreadable pulse profile.
    """
    _check_grid(trxs)
    _check_delays_and_pulse(trxs, workdir)
    _check_measurement(trxs)


def _widest_pulse(trxs: Mapping[str, Any]) -> float:
    """Effective FWHM of the widest pulse under the largest jitter, ps (Eq. 8)."""
    return float(max(trxs["pulse"]["fwhm_ps"]) * (1 + max(trxs["jitter"]["fractions"]) ** 2) ** 0.5)


def _check_grid(trxs: Mapping[str, Any]) -> None:
    g = trxs["grid"]
    for lo, hi in (("q_min", "q_max"), ("r_min", "r_max"), ("t_min_ps", "t_max_ps")):
        if not g[lo] < g[hi]:
            raise ConfigError(f"config key 'trxs.grid.{lo}' = {g[lo]} must be < 'trxs.grid.{hi}' = {g[hi]}")
    if g["q_step"] > (g["q_max"] - g["q_min"]) / 4:
        raise ConfigError(f"config key 'trxs.grid.q_step' = {g['q_step']} is too coarse; allowed: <= (q_max - q_min)/4")
    if g["r_step"] > (g["r_max"] - g["r_min"]) / 4:
        raise ConfigError(f"config key 'trxs.grid.r_step' = {g['r_step']} is too coarse; allowed: <= (r_max - r_min)/4")
    fwhm = trxs["pulse"]["fwhm_ps"]
    shortest = min(fwhm)
    if g["t_step_ps"] > shortest / 10:
        raise ConfigError(
            f"config key 'trxs.grid.t_step_ps' = {g['t_step_ps']} is too coarse for the shortest pulse "
            f"(fwhm_ps = {shortest}); allowed: <= {shortest / 10:g}"
        )
    n_t = (g["t_max_ps"] - g["t_min_ps"]) / g["t_step_ps"] + 1
    n_rq = (g["r_max"] - g["r_min"]) / g["r_step"] + (g["q_max"] - g["q_min"]) / g["q_step"] + 2
    if n_t * n_rq > MAX_GRID_POINTS:
        raise ConfigError(
            f"config keys 'trxs.grid.*_step' give {n_t:.3g} times x {n_rq:.3g} r+q points = {n_t * n_rq:.3g} values "
            f"(~{n_t * n_rq * 8 / 1e9:.1f} GB per array); allowed: <= {MAX_GRID_POINTS:.0e}: use coarser steps"
        )
    if g["t_min_ps"] > 0:
        raise ConfigError(f"config key 'trxs.grid.t_min_ps' = {g['t_min_ps']} must be <= 0 (the pump is at t = 0)")
    inv = trxs["inversion"]
    if not (g["q_min"] <= inv["q_min"] < inv["q_max"] <= g["q_max"]):
        raise ConfigError(
            f"config keys 'trxs.inversion.q_min'/'q_max' = [{inv['q_min']}, {inv['q_max']}] must satisfy "
            f"trxs.grid.q_min ({g['q_min']}) <= q_min < q_max <= trxs.grid.q_max ({g['q_max']})"
        )


def _check_delays_and_pulse(trxs: Mapping[str, Any], workdir: str | os.PathLike[str]) -> None:
    g, d = trxs["grid"], trxs["delays"]
    if not d["tau_min_ps"] < d["tau_max_ps"]:
        raise ConfigError(
            f"config key 'trxs.delays.tau_min_ps' = {d['tau_min_ps']} must be < 'trxs.delays.tau_max_ps' = {d['tau_max_ps']}"
        )
    widest = _widest_pulse(trxs)
    lo_needed = d["tau_min_ps"] - 2.5 * widest
    hi_needed = d["tau_max_ps"] + 2.5 * widest
    if g["t_min_ps"] > lo_needed or g["t_max_ps"] < hi_needed:
        raise ConfigError(
            f"config keys 'trxs.grid.t_min_ps'/'t_max_ps' = [{g['t_min_ps']}, {g['t_max_ps']}] must cover the delays "
            f"plus 2.5 effective FWHM of the widest pulse: allowed t_min_ps <= {lo_needed:g} and t_max_ps >= {hi_needed:g}"
        )
    seed = trxs["jitter"]["seed"]
    if seed > 2**32 - 1:
        raise ConfigError(f"config key 'trxs.jitter.seed' = {seed} is out of range; allowed: 0 <= seed <= {2**32 - 1}")
    p = trxs["pulse"]
    if p["shape"] == "measured":
        path = Path(p["profile_file"])
        if not path.is_absolute():
            path = Path(workdir) / path
        try:
            read_pulse_profile(path)
        except PulseProfileError as exc:
            raise ConfigError(f"config key 'trxs.pulse.profile_file' = '{p['profile_file']}': {exc}") from None


def _check_measurement(trxs: Mapping[str, Any]) -> None:
    g, widest = trxs["grid"], _widest_pulse(trxs)
    meas = trxs.get("measurement", {})
    extra = sorted(set(meas.get("jitter_fractions", [])) - set(trxs["jitter"]["fractions"]))
    if extra:
        raise ConfigError(
            f"config key 'trxs.measurement.jitter_fractions' has {extra} not in 'trxs.jitter.fractions' = "
            f"{trxs['jitter']['fractions']}; allowed: a subset of trxs.jitter.fractions"
        )
    if meas.get("delays_ps"):
        lo_ok = g["t_min_ps"] + 2.5 * widest
        hi_ok = g["t_max_ps"] - 2.5 * widest
        bad = [d for d in meas["delays_ps"] if not lo_ok <= d <= hi_ok]
        if bad:
            raise ConfigError(
                f"config key 'trxs.measurement.delays_ps' has {bad[:3]} outside the time grid less 2.5 effective FWHM; "
                f"allowed: {lo_ok:g} <= delay <= {hi_ok:g} ps"
            )
    dec = trxs.get("deconvolution", {})
    if "lambda_min_rel" in dec and "lambda_max_rel" in dec and not dec["lambda_min_rel"] < dec["lambda_max_rel"]:
        raise ConfigError(
            f"config key 'trxs.deconvolution.lambda_min_rel' = {dec['lambda_min_rel']} must be < "
            f"'trxs.deconvolution.lambda_max_rel' = {dec['lambda_max_rel']}"
        )


def check(section: Mapping[str, Any], config: Mapping[str, Any], workdir: str | os.PathLike[str] = ".") -> None:
    """The branch's config check as :mod:`kineticflow.branches` calls it (``config``: the whole config).

    Raises
    ------
    ConfigError
        One line naming key, value and allowed range.
    """
    check_trxs(section, workdir)
