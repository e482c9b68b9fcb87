"""The observed-data keys of the ``trxs`` section: ``observations``, ``kinetic_model``, ``svd``.

Measured (or simulated) difference curves enter the analysis as the observation contract
(:mod:`kineticflow.trxs.observation`). This module turns the keys into the parameters of the
rules of the observed analysis (``observe_file``, ``observe_simulated``, ``svd_observation``,
``fit_observation_kinetics``, ``deconvolve_observation``, ``plot_observation``) and checks them,
reading every configured file at config-check time, so that a bad file stops the run before any
job. Keys, units and ranges: ``config/README.md``; the contract: docs/trxs.md, "Your own data".
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from kineticflow.core.noise import format_snr, parse_snr
from kineticflow.core.targets import fmt

#: The observation made from the simulated path when ``trxs.observations`` is empty (reserved name).
SIMULATED = "simulated"
#: Figures of rule ``plot_observation`` (file stems), in the order it draws them.
OBSERVED_FIGURES = ("singular_values", "singular_vectors", "das", "data_fit", "residual_map")
#: Keys of an entry of ``trxs.observations`` that configure the reader (the rest: ``kinetic_model``).
READER_KEYS = ("path", "format", "variables", "q_unit", "delay_unit", "sample")


def _error(message: str) -> Exception:
    from kineticflow.config import ConfigError  # noqa: PLC0415 - as kineticflow.trxs.config

    return ConfigError(message)


@dataclass(frozen=True)
class Reader:
    """How to read one file into the contract (an entry of ``trxs.observations``)."""

    path: str
    format: str | None = None
    variables: dict[str, str] = field(default_factory=dict)
    q_unit: str = "1/angstrom"
    delay_unit: str = "ps"
    sample: str | None = None


@dataclass(frozen=True)
class KineticModel:
    """The global kinetic model of one observation (``trxs.kinetic_model``, merged with its override).

    ``model``: ``exponentials`` (``n_exponentials`` step-exponentials from t₀, plus a constant
    ``offset`` if set, starting time constants ``time_constants_ps`` (ps) or None for log-spaced
    ones) or ``diatomic`` (TRXS Eqs 3–6, starting values ``trxs.kinetic_fit.initial``). Both are
    convolved with the instrument response: ``pulse_shape`` ``gaussian`` of FWHM ``fwhm_ps`` (ps)
    or the ``measured`` profile ``trxs.pulse.profile_file`` (stretched to ``fwhm_ps`` if given),
    averaged over a Gaussian jitter of FWHM ``jitter`` × FWHM. t₀ (ps) is fitted if ``fit_t0``,
    from ``t0_ps`` (diatomic: from ``trxs.kinetic_fit.initial.t0_ps``), else held at ``t0_ps``.
    """

    model: str = "exponentials"
    n_exponentials: int = 2
    offset: bool = True
    time_constants_ps: tuple[float, ...] | None = None
    t0_ps: float = 0.0
    fit_t0: bool = True
    pulse_shape: str = "gaussian"
    fwhm_ps: float | None = None
    jitter: float = 0.0


@dataclass(frozen=True)
class SimulatedObservation:
    """Which simulated measurement becomes the observation ``simulated`` (file labels)."""

    fwhm: str
    jitter: str
    snr: str

    def path(self) -> str:
        """``results/trxs/measured/fwhm-F ps_jitter-J_snr-S.nc`` of this measurement."""
        return f"results/trxs/measured/fwhm-{self.fwhm}ps_jitter-{self.jitter}_snr-{self.snr}.nc"


def simulated_observation(section: Mapping[str, Any]) -> SimulatedObservation | None:
    """The first pulse width, the first measured jitter and the smallest finite SNR; None without noise.

    A noise-free measurement has σ = 0, which the contract refuses (σ > 0), so with only
    ``inf`` in ``trxs.measurement.snr`` there is no simulated observation.
    """
    finite = [s for s in (parse_snr(x) for x in section["measurement"]["snr"]) if not math.isinf(s)]
    if not finite:
        return None
    return SimulatedObservation(
        fmt(section["pulse"]["fwhm_ps"][0]), fmt(section["measurement"]["jitter_fractions"][0]), format_snr(min(finite))
    )


def observation_names(section: Mapping[str, Any]) -> list[str]:
    """The ``{observation}`` wildcards: the configured names, or ``simulated`` when there are none.

    ``simulated`` may also be listed beside files (with only a ``kinetic_model``): the simulated
    measurement then runs through the same analysis.
    """
    names = list(section.get("observations") or {})
    if names:
        return names
    return [SIMULATED] if simulated_observation(section) is not None else []


def reader(section: Mapping[str, Any], name: str) -> Reader:
    """The reader settings of the configured observation ``name`` (defaults filled in)."""
    entry = section["observations"][name]
    values = {k: entry[k] for k in READER_KEYS if entry.get(k) is not None}
    return Reader(**{**values, "variables": dict(entry.get("variables") or {})})


def kinetic_model(section: Mapping[str, Any], name: str) -> KineticModel:
    """``trxs.kinetic_model`` merged with the observation's ``kinetic_model``, the pulse resolved.

    For ``simulated``, unset pulse keys take the simulated device's: ``trxs.pulse.shape``, the
    pulse width (unless a measured profile is used as measured) and the jitter fraction.
    """
    override = ((section.get("observations") or {}).get(name) or {}).get("kinetic_model") or {}
    km = {**section["kinetic_model"], **{k: v for k, v in override.items() if v is not None}}
    sim = simulated_observation(section) if name == SIMULATED else None
    shape = km.get("pulse_shape") or (section["pulse"]["shape"] if sim else "gaussian")
    fwhm = km.get("fwhm_ps")
    if fwhm is None and sim is not None and (shape == "gaussian" or section["pulse"]["rescale_profile"]):
        fwhm = float(sim.fwhm)
    jitter = km.get("jitter")
    if jitter is None:
        jitter = float(sim.jitter) if sim is not None else 0.0
    constants = km.get("time_constants_ps")
    return KineticModel(
        model=km["model"],
        n_exponentials=int(km["n_exponentials"]),
        offset=bool(km["offset"]),
        time_constants_ps=None if constants is None else tuple(float(x) for x in constants),
        t0_ps=float(km["t0_ps"]),
        fit_t0=bool(km["fit_t0"]),
        pulse_shape=shape,
        fwhm_ps=None if fwhm is None else float(fwhm),
        jitter=float(jitter),
    )


def starting_time_constants(km: KineticModel, tau_ps: NDArray[np.float64], width_ps: float) -> tuple[float, ...]:
    """``km.time_constants_ps``, or n log-spaced values from the response width to a third of the last delay, ps.

    The lower end is the larger of the response width (FWHM, ps) and the first positive delay
    (shorter time constants are not resolved); the upper end at least 10 times the lower.

    Examples
    --------
    >>> km = KineticModel(n_exponentials=2)
    >>> [round(x) for x in starting_time_constants(km, np.array([-50.0, 10.0, 20.0, 3000.0]), 100.0)]
    [100, 1000]
    """
    if km.time_constants_ps is not None:
        return km.time_constants_ps
    lo = max(width_ps, float(np.min(tau_ps[tau_ps > 0], initial=width_ps)))
    hi = max(float(np.max(tau_ps)) / 3.0, 10.0 * lo)
    return tuple(float(x) for x in np.geomspace(lo, hi, km.n_exponentials))


def resolve_input(path: str, basedir: str | os.PathLike[str]) -> str:
    """A configured input file: absolute, else from the working directory if it is there, else from ``basedir``."""
    if os.path.isabs(path) or os.path.exists(path):
        return path
    return os.path.join(basedir, path)


def rule_params(section: Mapping[str, Any], name: str) -> dict[str, Any]:
    """The plain-dict parameters of the observed rules for one observation (``reader``, ``kinetic_model``)."""
    out: dict[str, Any] = {"kinetic_model": asdict(kinetic_model(section, name))}
    if name != SIMULATED:
        out["reader"] = asdict(reader(section, name))
    return out


def check_observations(section: Mapping[str, Any], workdir: str | os.PathLike[str] = ".") -> None:
    """Every configured observation is readable into the contract and its kinetic model is complete.

    Each file is read in full (:func:`kineticflow.trxs.observation.read_observation`), so a missing
    dataset, mismatched shapes, a non-monotonic axis, NaN in ΔS, σ ≤ 0 or an unknown unit stop the
    run before any job.

    Raises
    ------
    ConfigError
        One line: the key, the file, the variable and what was expected.
    """
    from kineticflow.trxs.observation import ObservationError, read_observation  # noqa: PLC0415

    observations = section.get("observations") or {}
    if SIMULATED in observations:
        extra = sorted(k for k, v in (observations[SIMULATED] or {}).items() if k != "kinetic_model" and v)
        if extra:
            raise _error(
                f"config key 'trxs.observations.{SIMULATED}' has {extra}: the name is the simulated observation; "
                "allowed: only kinetic_model (or another name for a file)"
            )
        if simulated_observation(section) is None:
            raise _error(
                f"config key 'trxs.observations.{SIMULATED}': trxs.measurement.snr = {section['measurement']['snr']} "
                "has no finite SNR, so there is no noisy simulated measurement; allowed: a finite SNR in the list"
            )
    for name in (n for n in observations if n != SIMULATED):
        if not (observations[name] or {}).get("path"):
            raise _error(f"config key 'trxs.observations.{name}.path' is missing; allowed: the file to read")
        r = reader(section, name)
        path = resolve_input(r.path, workdir)
        if not os.path.exists(path):
            raise _error(f"config key 'trxs.observations.{name}.path' = '{r.path}': file not found")
        try:
            read_observation(path, r.format, r.variables or None, r.q_unit, r.delay_unit, r.sample)
        except (ObservationError, ValueError) as exc:
            raise _error(f"config key 'trxs.observations.{name}': {exc}") from None
    for name in observation_names(section):
        _check_kinetic_model(section, name, workdir)


def _check_kinetic_model(section: Mapping[str, Any], name: str, workdir: str | os.PathLike[str]) -> None:
    km = kinetic_model(section, name)
    key = f"trxs.observations.{name}.kinetic_model" if name != SIMULATED else "trxs.kinetic_model"
    if km.time_constants_ps is not None and len(km.time_constants_ps) != km.n_exponentials:
        raise _error(
            f"config key '{key}.time_constants_ps' = {list(km.time_constants_ps)} has {len(km.time_constants_ps)} "
            f"value(s); allowed: n_exponentials = {km.n_exponentials} values (or null)"
        )
    if km.pulse_shape == "gaussian" and km.fwhm_ps is None:
        raise _error(
            f"config key '{key}.fwhm_ps' = null: the Gaussian instrument response of observation '{name}' needs "
            "its FWHM; allowed: a number > 0 (ps), or pulse_shape: measured"
        )
    if km.pulse_shape == "measured":
        from kineticflow.trxs.pulses import PulseProfileError, read_pulse_profile  # noqa: PLC0415

        profile = str(section["pulse"]["profile_file"])
        try:
            read_pulse_profile(resolve_input(profile, workdir))
        except PulseProfileError as exc:
            raise _error(
                f"config key 'trxs.pulse.profile_file' = '{profile}' (pulse of observation '{name}'): {exc}"
            ) from None
