"""The ``halpha`` config section: cross-key checks and the frozen parameters the rules pass on.

This module and ``workflow/schemas/halpha.schema.yaml`` are the only places that know the YAML
nesting of the section. :func:`check` refuses what a JSON Schema cannot express (one line naming the
key); :meth:`Params.from_config` turns the (schema-filled) section into frozen dataclasses, from
which the rules of ``workflow/rules/halpha.smk`` take their ``params:`` (as
:func:`dataclasses.asdict` dicts, rebuilt by :func:`from_params` in the scripts) and the functions
of :mod:`kineticflow.halpha.steps` their keyword arguments.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kineticflow.config import ConfigError
from kineticflow.core.params import Section, rebuild
from kineticflow.halpha import lines
from kineticflow.halpha.observed_config import Observation, check_observations, observations_from_config


@dataclass(frozen=True)
class Synthesis(Section):
    """Wavelength grid of the synthesised profiles: ``±half_range_a`` [Å] in steps of ``step_a`` [Å]."""

    half_range_a: float
    step_a: float


@dataclass(frozen=True)
class Beam(Section):
    """Thick-target electron beam: spectral index ``delta`` and the coronal H column [cm⁻²] it crosses."""

    delta: float
    coronal_column_cm2: float


@dataclass(frozen=True)
class Solver(Section):
    """Lightweaver ``iterate_ctx_se`` limits: iterations and relative changes of J and populations."""

    max_iterations: int
    j_tol: float
    pops_tol: float


@dataclass(frozen=True)
class Scan(Section):
    """Raster of the slit: scans, slit positions (x), pixels along the slit (y), step rate [s⁻¹], cycle and start [s]."""

    n_scans: int
    slit_positions: int
    pixels_along_slit: int
    steps_per_s: float
    cycle_s: float
    t_start_s: float


@dataclass(frozen=True)
class Instrument(Section):
    """The slit spectrograph: CCD pixels over ``±half_range_a`` [Å], slit FWHM [Å], seeing, counts at the continuum."""

    n_pixels: int
    half_range_a: float
    slit_fwhm_a: float
    seeing_fwhm_arcsec: float
    pixel_arcsec: float
    continuum_counts: float


@dataclass(frozen=True)
class Hxr(Section):
    """Hard x-ray light curve: background and spikes (times [s], peaks [counts s⁻¹], linear rise, exponential decay [s])."""

    background: float
    times_s: tuple[float, ...]
    peaks: tuple[float, ...]
    rise_s: float
    decay_s: float


@dataclass(frozen=True)
class Episodes(Section):
    """Downflow episodes of a kernel: start times [s], peak velocities [km s⁻¹], decay times [s]."""

    times_s: tuple[float, ...]
    velocity_kms: tuple[float, ...]
    decay_s: tuple[float, ...]


@dataclass(frozen=True)
class Kernel(Section):
    """A flare kernel: centre pixel, Gaussian widths [pixel], peak P0 and F20, P0 fill fraction, downflows."""

    name: str
    y: int
    x: int
    sigma_y: float
    sigma_x: float
    p0_peak: float
    f20_peak: float
    episodes: Episodes
    p0_fill_fraction: float = 1.0


@dataclass(frozen=True)
class Flare(Section):
    """The synthetic flare: its HXR light curve and its kernels (in config order; the first wins on overlap)."""

    hxr: Hxr
    kernels: tuple[Kernel, ...]

    @property
    def tracked(self) -> tuple[tuple[str, int, int], ...]:
        """``(name, y, x)`` of each kernel centre: the tracked pixels."""
        return tuple((k.name, k.y, k.x) for k in self.kernels)


@dataclass(frozen=True)
class Measure(Section):
    """Line diagnostics, grid match, decay fits and the deconvolution test (keys of ``halpha.measure``)."""

    bisector_levels: tuple[float, ...]
    min_excess_sigma: float
    wing_threshold: float
    mesh: int
    match_scale_depth: float
    match_scale_wing_a: float
    match_scale_centre: float
    velocity_sigma_kms: float
    strong_redshift_kms: float
    deconvolution_noise: tuple[float, ...]


def _floats(values: Sequence[Any]) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


def _kernel(name: str, k: Mapping[str, Any]) -> Kernel:
    ep = k["episodes"]
    return Kernel(
        name=str(name),
        y=int(k["y"]),
        x=int(k["x"]),
        sigma_y=float(k["sigma_y"]),
        sigma_x=float(k["sigma_x"]),
        p0_peak=float(k["p0_peak"]),
        f20_peak=float(k["f20_peak"]),
        episodes=Episodes(_floats(ep["times_s"]), _floats(ep["velocity_kms"]), _floats(ep["decay_s"])),
        p0_fill_fraction=float(k.get("p0_fill_fraction", 1.0)),
    )


@dataclass(frozen=True)
class Params(Section):
    """Every parameter of the Hα branch, grouped as the rules use them."""

    seed: int
    p0_grid: tuple[float, ...]
    f20_grid: tuple[float, ...]
    synthesis: Synthesis
    beam: Beam
    solver: Solver
    scan: Scan
    instrument: Instrument
    flare: Flare
    measure: Measure
    observations: tuple[Observation, ...] = ()

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> Params:
        """The parameters of a (schema-validated, defaults-filled) ``halpha`` section.

        Raises
        ------
        KeyError
            If a key the schema fills by default is missing (the section was not validated).
        """
        hxr, m = section["flare"]["hxr"], section["measure"]
        return cls(
            seed=int(section["seed"]),
            p0_grid=_floats(section["p0_grid"]),
            f20_grid=_floats(section["f20_grid"]),
            synthesis=Synthesis(float(section["profile_half_range_a"]), float(section["profile_step_a"])),
            beam=Beam(float(section["beam"]["delta"]), float(section["beam"]["coronal_column_cm2"])),
            solver=Solver(**{k: type_(section["solver"][k]) for k, type_ in _SOLVER.items()}),
            scan=Scan(**{k: type_(section["scan"][k]) for k, type_ in _SCAN.items()}),
            instrument=Instrument(**{k: type_(section["instrument"][k]) for k, type_ in _INSTRUMENT.items()}),
            flare=Flare(
                hxr=Hxr(
                    float(hxr["background"]),
                    _floats(hxr["times_s"]),
                    _floats(hxr["peaks"]),
                    float(hxr["rise_s"]),
                    float(hxr["decay_s"]),
                ),
                kernels=tuple(_kernel(name, k) for name, k in section["flare"]["kernels"].items()),
            ),
            measure=Measure(
                **{k: type_(m[k]) for k, type_ in _MEASURE.items()},
                bisector_levels=_floats(m["bisector_levels"]),
                deconvolution_noise=_floats(m["deconvolution_noise"]),
            ),
            observations=observations_from_config(section),
        )

    def observation(self, name: str) -> Observation:
        """The configured observation ``name`` (the ``{name}`` wildcard of the observed rules).

        Raises
        ------
        KeyError
            No observation of that name in ``halpha.observations``.
        """
        for obs in self.observations:
            if obs.name == name:
                return obs
        raise KeyError(f"no observation {name!r} in halpha.observations")


_SOLVER = {"max_iterations": int, "j_tol": float, "pops_tol": float}
_SCAN = {
    "n_scans": int,
    "slit_positions": int,
    "pixels_along_slit": int,
    "steps_per_s": float,
    "cycle_s": float,
    "t_start_s": float,
}
_INSTRUMENT = {
    "n_pixels": int,
    "half_range_a": float,
    "slit_fwhm_a": float,
    "seeing_fwhm_arcsec": float,
    "pixel_arcsec": float,
    "continuum_counts": float,
}
_MEASURE = {
    "min_excess_sigma": float,
    "wing_threshold": float,
    "mesh": int,
    "match_scale_depth": float,
    "match_scale_wing_a": float,
    "match_scale_centre": float,
    "velocity_sigma_kms": float,
    "strong_redshift_kms": float,
}


def from_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """A rule's ``params`` (sections as :func:`dataclasses.asdict` dicts) with the sections rebuilt.

    The rules of ``halpha.smk`` pass dicts, which Snakemake records and compares (a changed value
    reruns the job; a dataclass instance would be ignored); the scripts call this before the step.
    The observed rules' ``observation`` (one :class:`Observation`) is rebuilt too.
    """
    out = rebuild(params, Params)
    if isinstance(out.get("observation"), Mapping):
        out["observation"] = Observation.from_dict(out["observation"])
    return out


def to_attrs(params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` with dataclasses turned into dicts, for ``write_dataset(params=...)``."""
    return {
        k: dataclasses.asdict(v) if dataclasses.is_dataclass(v) and not isinstance(v, type) else v
        for k, v in params.items()
    }


# ---------------------------------------------------------------------------------------------
# cross-key checks


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


def _check_hxr(hxr: Mapping[str, Any]) -> None:
    if hxr["background"] < 0 or any(p < 0 for p in hxr["peaks"]):
        raise ConfigError(
            f"config key 'halpha.flare.hxr' has a negative count rate (background = {hxr['background']}, peaks = {list(hxr['peaks'])}); allowed: >= 0"
        )
    if len(hxr["times_s"]) != len(hxr["peaks"]):
        raise ConfigError(
            f"config key 'halpha.flare.hxr.peaks' has {len(hxr['peaks'])} values but 'times_s' has {len(hxr['times_s'])}; allowed: the same length"
        )


def _check_kernel(name: str, k: Mapping[str, Any], section: Mapping[str, Any]) -> float:
    """Check one kernel; return its largest downflow speed [km s⁻¹]."""
    scan = section["scan"]
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
    return max([0.0, *(abs(v) for v in ep["velocity_kms"])])


def _check_range(section: Mapping[str, Any], v_max: float) -> None:
    inst = section["instrument"]
    need = float(inst["half_range_a"]) + float(lines.shift_from_velocity(v_max)) + 3.0 * float(inst["slit_fwhm_a"])
    if need > float(section["profile_half_range_a"]):
        raise ConfigError(
            f"config key 'halpha.instrument.half_range_a' = {inst['half_range_a']} plus the largest Doppler shift and 3 slit FWHM "
            f"needs profiles to +-{need:.2f} A, but 'halpha.profile_half_range_a' = {section['profile_half_range_a']}; allowed: half_range_a <= {float(section['profile_half_range_a']) - need + float(inst['half_range_a']):.2f}"
        )


def check(section: Mapping[str, Any], config: Mapping[str, Any], workdir: str | os.PathLike[str] = ".") -> None:
    """Checks across keys of the ``halpha`` section, as :mod:`kineticflow.branches` calls them.

    Parameters
    ----------
    section : mapping
        The ``halpha`` section (schema-validated, defaults filled).
    config : mapping
        The whole config (not used: the section is self-contained).
    workdir : str or path
        The workflow's folder: configured observation files not found in the working directory
        resolve there (:func:`kineticflow.halpha.observed_config.resolve`).

    Raises
    ------
    ConfigError
        One line naming key, value and allowed range: a P0 or F20 grid that is not increasing, a
        kernel's ``p0_peak``/``f20_peak`` outside the grid or ``p0_fill_fraction`` outside (0, 1], an
        observed wavelength range (plus the largest Doppler shift and 3 slit FWHM) outside the
        computed profiles, a negative HXR rate, mismatched episode lists, a kernel outside the field
        of view, or bisector levels outside (0, 1); for a switched-on branch, a configured
        observation or HXR curve that cannot be read (:func:`check_observations`: the file, the
        variable and what was expected, from the headers, before any job).
    """
    _ascending("p0_grid", section["p0_grid"])
    _ascending("f20_grid", section["f20_grid"])
    _check_hxr(section["flare"]["hxr"])
    v_max = 0.0
    for name, k in section["flare"]["kernels"].items():
        v_max = max(v_max, _check_kernel(name, k, section))
    _check_range(section, v_max)
    levels = section["measure"]["bisector_levels"]
    if any(not 0 < v < 1 for v in levels):
        raise ConfigError(f"config key 'halpha.measure.bisector_levels' = {list(levels)}; allowed: values in (0, 1)")
    if section.get("enabled", True):
        check_observations(section, workdir)
