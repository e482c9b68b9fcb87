"""The ``trxs`` config section: its cross-key checks and the rules' parameters as frozen dataclasses.

The one place besides ``workflow/schemas/trxs.schema.yaml`` that knows the YAML nesting:
:meth:`Params.from_config` turns the (schema-filled) section into :class:`Params`, whose fields
are the ``params:`` of the rules in ``workflow/rules/trxs.smk``. Keys, units and ranges:
``config/README.md``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from kineticflow.core.noise import format_snr
from kineticflow.core.params import Section
from kineticflow.core.targets import fmt
from kineticflow.trxs.config_observed import check_observations
from kineticflow.trxs.model import DiatomicModel
from kineticflow.trxs.pulses import PulseProfileError, read_pulse_profile


def _error(message: str) -> Exception:
    """A :class:`kineticflow.config.ConfigError` (imported here: jobs that only build parameters skip jsonschema)."""
    from kineticflow.config import ConfigError  # noqa: PLC0415

    return ConfigError(message)


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
            raise _error(f"config key 'trxs.grid.{lo}' = {g[lo]} must be < 'trxs.grid.{hi}' = {g[hi]}")
    if g["q_step"] > (g["q_max"] - g["q_min"]) / 4:
        raise _error(f"config key 'trxs.grid.q_step' = {g['q_step']} is too coarse; allowed: <= (q_max - q_min)/4")
    if g["r_step"] > (g["r_max"] - g["r_min"]) / 4:
        raise _error(f"config key 'trxs.grid.r_step' = {g['r_step']} is too coarse; allowed: <= (r_max - r_min)/4")
    fwhm = trxs["pulse"]["fwhm_ps"]
    shortest = min(fwhm)
    if g["t_step_ps"] > shortest / 10:
        raise _error(
            f"config key 'trxs.grid.t_step_ps' = {g['t_step_ps']} is too coarse for the shortest pulse "
            f"(fwhm_ps = {shortest}); allowed: <= {shortest / 10:g}"
        )
    n_t = (g["t_max_ps"] - g["t_min_ps"]) / g["t_step_ps"] + 1
    n_rq = (g["r_max"] - g["r_min"]) / g["r_step"] + (g["q_max"] - g["q_min"]) / g["q_step"] + 2
    if n_t * n_rq > MAX_GRID_POINTS:
        raise _error(
            f"config keys 'trxs.grid.*_step' give {n_t:.3g} times x {n_rq:.3g} r+q points = {n_t * n_rq:.3g} values "
            f"(~{n_t * n_rq * 8 / 1e9:.1f} GB per array); allowed: <= {MAX_GRID_POINTS:.0e}: use coarser steps"
        )
    if g["t_min_ps"] > 0:
        raise _error(f"config key 'trxs.grid.t_min_ps' = {g['t_min_ps']} must be <= 0 (the pump is at t = 0)")
    inv = trxs["inversion"]
    if not (g["q_min"] <= inv["q_min"] < inv["q_max"] <= g["q_max"]):
        raise _error(
            f"config keys 'trxs.inversion.q_min'/'q_max' = [{inv['q_min']}, {inv['q_max']}] must satisfy "
            f"trxs.grid.q_min ({g['q_min']}) <= q_min < q_max <= trxs.grid.q_max ({g['q_max']})"
        )


def _check_delays_and_pulse(trxs: Mapping[str, Any], workdir: str | os.PathLike[str]) -> None:
    g, d = trxs["grid"], trxs["delays"]
    if not d["tau_min_ps"] < d["tau_max_ps"]:
        raise _error(
            f"config key 'trxs.delays.tau_min_ps' = {d['tau_min_ps']} must be < 'trxs.delays.tau_max_ps' = {d['tau_max_ps']}"
        )
    widest = _widest_pulse(trxs)
    lo_needed = d["tau_min_ps"] - 2.5 * widest
    hi_needed = d["tau_max_ps"] + 2.5 * widest
    if g["t_min_ps"] > lo_needed or g["t_max_ps"] < hi_needed:
        raise _error(
            f"config keys 'trxs.grid.t_min_ps'/'t_max_ps' = [{g['t_min_ps']}, {g['t_max_ps']}] must cover the delays "
            f"plus 2.5 effective FWHM of the widest pulse: allowed t_min_ps <= {lo_needed:g} and t_max_ps >= {hi_needed:g}"
        )
    seed = trxs["jitter"]["seed"]
    if seed > 2**32 - 1:
        raise _error(f"config key 'trxs.jitter.seed' = {seed} is out of range; allowed: 0 <= seed <= {2**32 - 1}")
    p = trxs["pulse"]
    if p["shape"] == "measured":
        path = Path(p["profile_file"])
        if not path.is_absolute():
            path = Path(workdir) / path
        try:
            read_pulse_profile(path)
        except PulseProfileError as exc:
            raise _error(f"config key 'trxs.pulse.profile_file' = '{p['profile_file']}': {exc}") from None


def _check_measurement(trxs: Mapping[str, Any]) -> None:
    g, widest = trxs["grid"], _widest_pulse(trxs)
    meas = trxs.get("measurement", {})
    extra = sorted(set(meas.get("jitter_fractions", [])) - set(trxs["jitter"]["fractions"]))
    if extra:
        raise _error(
            f"config key 'trxs.measurement.jitter_fractions' has {extra} not in 'trxs.jitter.fractions' = "
            f"{trxs['jitter']['fractions']}; allowed: a subset of trxs.jitter.fractions"
        )
    if meas.get("delays_ps"):
        lo_ok = g["t_min_ps"] + 2.5 * widest
        hi_ok = g["t_max_ps"] - 2.5 * widest
        bad = [d for d in meas["delays_ps"] if not lo_ok <= d <= hi_ok]
        if bad:
            raise _error(
                f"config key 'trxs.measurement.delays_ps' has {bad[:3]} outside the time grid less 2.5 effective FWHM; "
                f"allowed: {lo_ok:g} <= delay <= {hi_ok:g} ps"
            )
    dec = trxs.get("deconvolution", {})
    if "lambda_min_rel" in dec and "lambda_max_rel" in dec and not dec["lambda_min_rel"] < dec["lambda_max_rel"]:
        raise _error(
            f"config key 'trxs.deconvolution.lambda_min_rel' = {dec['lambda_min_rel']} must be < "
            f"'trxs.deconvolution.lambda_max_rel' = {dec['lambda_max_rel']}"
        )


def check(section: Mapping[str, Any], config: Mapping[str, Any], workdir: str | os.PathLike[str] = ".") -> None:
    """The branch's config check as :mod:`kineticflow.branches` calls it (``config``: the whole config).

    Raises
    ------
    ConfigError
        One line naming key, value and allowed range (for an observation file: the file, the
        variable and what was expected).
    """
    check_trxs(section, workdir)
    check_observations(section, workdir)


# --------------------------------------------------------------------------------------------
# Parameters of the rules
# --------------------------------------------------------------------------------------------


def grid_axis(lo: float, hi: float, step: float) -> NDArray[np.float64]:
    """Inclusive uniform grid lo, lo + step, …, hi (hi included when it falls on the grid).

    Examples
    --------
    >>> grid_axis(0.0, 1.0, 0.25).tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    n = int(np.floor((hi - lo) / step + 1e-9)) + 1
    return np.asarray(lo + step * np.arange(n), dtype=np.float64)


@dataclass(frozen=True)
class Grid(Section):
    """Simulation grids (``trxs.grid``): r in Å, q in Å⁻¹, t in ps."""

    r_min: float = 0.0
    r_max: float = 10.0
    r_step: float = 0.02
    q_min: float = 0.5
    q_max: float = 7.0
    q_step: float = 0.02
    t_min_ps: float = -3000.0
    t_max_ps: float = 10000.0
    t_step_ps: float = 2.0

    def axes(self) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """(r, q, t) grids, Å, Å⁻¹ and ps."""
        return (
            grid_axis(self.r_min, self.r_max, self.r_step),
            grid_axis(self.q_min, self.q_max, self.q_step),
            grid_axis(self.t_min_ps, self.t_max_ps, self.t_step_ps),
        )


@dataclass(frozen=True)
class Weighting(Section):
    """Independent-atom weighting (``trxs.weighting``): ΔS(q) × f_A(q)², ΔS[r] × f_A(0)² if enabled."""

    enabled: bool = False
    element: str = "I"


@dataclass(frozen=True)
class Pulse(Section):
    """Pulse shape (``trxs.pulse`` without the list of widths)."""

    shape: str = "gaussian"
    profile_file: str = ""
    rescale_profile: bool = True


@dataclass(frozen=True)
class Delays(Section):
    """Pump–probe delays τ (``trxs.delays``), ps."""

    tau_min_ps: float = -50.0
    tau_max_ps: float = 5000.0
    tau_step_ps: float = 10.0

    def tau(self) -> NDArray[np.float64]:
        """The delays, ps."""
        return grid_axis(self.tau_min_ps, self.tau_max_ps, self.tau_step_ps)


@dataclass(frozen=True)
class Jitter(Section):
    """Monte-Carlo jitter average (``trxs.jitter`` without the list of fractions)."""

    n_shots: int = 2000
    seed: int = 20120201


@dataclass(frozen=True)
class Measurement(Section):
    """Noisy measurement (``trxs.measurement`` without the lists of jitters and SNRs)."""

    seed: int = 5
    delays_ps: tuple[float, ...] | None = None
    noise_reference: str = "instantaneous"


@dataclass(frozen=True)
class Observation(Section):
    """Parameters of rule ``observe_trxs``: the device and the labels of its output files."""

    pulse: Pulse
    delays: Delays
    jitter: Jitter
    measurement: Measurement
    fractions: tuple[str, ...]
    measured_jitters: tuple[str, ...]
    snrs: tuple[str, ...]


@dataclass(frozen=True)
class Inversion(Section):
    """Fourier inversion over the measured q range (``trxs.inversion``)."""

    q_min: float = 0.5
    q_max: float = 7.0
    modification: Literal["none", "damping", "sharpening"] = "damping"
    damping_a2: float = 0.03


@dataclass(frozen=True)
class Deconvolution(Section):
    """Tikhonov deconvolution (``trxs.deconvolution``)."""

    t_step_ps: float = 10.0
    pad_fwhm: float = 2.0
    lambda_method: str = "gcv"
    n_lambda: int = 200
    lambda_min_rel: float = 1e-9
    lambda_max_rel: float = 10.0
    wiener_nsr_floor: float = 1e-4


@dataclass(frozen=True)
class KineticFit(Section):
    """Pulse-aware kinetic fit (``trxs.kinetic_fit``); ``initial`` holds the starting values."""

    t_step_ps: float = 10.0
    pad_fwhm: float = 5.0
    max_nfev: int = 2000
    initial: dict[str, float] = field(default_factory=dict)


def _floats(section: Mapping[str, Any], *names: str) -> dict[str, float]:
    return {n: float(section[n]) for n in names}


@dataclass(frozen=True)
class Params(Section):
    """Every rule parameter of the TRXS branch, from the ``trxs`` section (:meth:`from_config`)."""

    model: DiatomicModel
    grid: Grid
    weighting: Weighting
    observation: Observation
    inversion: Inversion
    deconvolution: Deconvolution
    kinetic_fit: KineticFit
    fwhms: tuple[str, ...]
    times_ps: tuple[float, ...]
    inversion_times_ps: tuple[float, ...]
    svd_level: float = 0.01
    observed_q: tuple[float, ...] = ()

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> Params:
        """The parameters of a schema-filled ``trxs`` section (wildcard labels as in file names)."""
        g, d, m = section["grid"], section["delays"], section["measurement"]
        p, j, fit, dec = section["pulse"], section["jitter"], section["kinetic_fit"], section["deconvolution"]
        steps = ("r_min", "r_max", "r_step", "q_min", "q_max", "q_step", "t_min_ps", "t_max_ps", "t_step_ps")
        delays = None if m.get("delays_ps") is None else tuple(float(x) for x in m["delays_ps"])
        observation = Observation(
            Pulse(p["shape"], p["profile_file"], bool(p["rescale_profile"])),
            Delays(**_floats(d, "tau_min_ps", "tau_max_ps", "tau_step_ps")),
            Jitter(int(j["n_shots"]), int(j["seed"])),
            Measurement(int(m["seed"]), delays, m["noise_reference"]),
            tuple(fmt(x) for x in j["fractions"]),
            tuple(fmt(x) for x in m["jitter_fractions"]),
            tuple(format_snr(x) for x in m["snr"]),
        )
        inv = section["inversion"]
        return cls(
            model=DiatomicModel.from_config(dict(section["model"])),
            grid=Grid(**_floats(g, *steps)),
            weighting=Weighting(bool(section["weighting"]["enabled"]), section["weighting"]["element"]),
            observation=observation,
            inversion=Inversion(
                float(inv["q_min"]), float(inv["q_max"]), inv["modification"], float(inv["damping_a2"])
            ),
            deconvolution=Deconvolution(
                **_floats(dec, "t_step_ps", "pad_fwhm", "lambda_min_rel", "lambda_max_rel", "wiener_nsr_floor"),
                lambda_method=dec["lambda_method"],
                n_lambda=int(dec["n_lambda"]),
            ),
            kinetic_fit=KineticFit(
                float(fit["t_step_ps"]),
                float(fit["pad_fwhm"]),
                int(fit["max_nfev"]),
                _floats(fit["initial"], *fit["initial"]),
            ),
            fwhms=tuple(fmt(x) for x in p["fwhm_ps"]),
            times_ps=tuple(float(x) for x in section["report"]["times_ps"]),
            inversion_times_ps=tuple(float(x) for x in section["report"]["inversion_times_ps"]),
            svd_level=float(section.get("svd", {}).get("level", 0.01)),
            observed_q=tuple(float(x) for x in section["report"].get("observed_q", ())),
        )


def rule_params(section: Mapping[str, Any]) -> dict[str, Any]:
    """:class:`Params` of a ``trxs`` section as plain dicts and tuples, for the rules' ``params:``."""
    return asdict(Params.from_config(section))
