"""The ``halpha.observations`` config: one frozen :class:`Observation` per file, and its check before any job.

Each entry of ``halpha.observations`` names an observation (the ``{name}`` wildcard of the rules
whose results go under ``results/halpha/observed/{name}/``): its file(s) and reader, the quiet-Sun
reference, what the analysis needs of the instrument, the tracked kernels, and optionally a hard
X-ray light curve. :func:`observations_from_config` builds the dataclasses the rules pass on (as
:func:`dataclasses.asdict` dicts); :func:`check_observations` reads every configured file's headers
(:func:`kineticflow.halpha.observation.check_observation_file`) and HXR curve when the workflow
starts, so that a bad file stops the run in one line before any job. The contract itself:
:mod:`kineticflow.halpha.observation` and ``docs/halpha.md`` ("Your own data").
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kineticflow.config import ConfigError
from kineticflow.core.params import Section


@dataclass(frozen=True)
class Quiet(Section):
    """The quiet-Sun reference: a pre-flare ``scan``, a pixel ``box`` [y0, y1, x0, x1] (with or without a scan), or a ``level``."""

    scan: int | None = None
    box: tuple[int, ...] | None = None
    level: float | None = None

    def mapping(self) -> dict[str, Any]:
        """The ``quiet`` argument of :func:`kineticflow.halpha.observation.read_observation`."""
        out: dict[str, Any] = {"scan": self.scan, "box": None if self.box is None else list(self.box)}
        out["level"] = self.level
        return {k: v for k, v in out.items() if v is not None}


@dataclass(frozen=True)
class ObservedKernel(Section):
    """A tracked pixel of an observation: name, centre (y, x) and the start times [s] of its redshift episodes."""

    name: str
    y: int
    x: int
    episode_times_s: tuple[float, ...]


@dataclass(frozen=True)
class HxrFile(Section):
    """A hard X-ray light curve: the file and its format (``csv`` or ``fits``; None: from the suffix)."""

    path: str
    format: str | None = None


@dataclass(frozen=True)
class Observation(Section):
    """One entry of ``halpha.observations`` (keys, units and defaults in ``config/README.md``)."""

    name: str
    paths: tuple[str, ...]
    format: str
    kernels: tuple[ObservedKernel, ...]
    quiet: Quiet | None = None
    wing_a: float | None = None
    level_ic: float = 1.0
    slit_fwhm_a: float | None = None
    continuum_counts: float | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    hxr: HxrFile | None = None
    region: tuple[int, ...] | None = None

    @property
    def tracked(self) -> tuple[tuple[str, int, int], ...]:
        """``(name, y, x)`` of each tracked kernel."""
        return tuple((k.name, k.y, k.x) for k in self.kernels)

    def reader_arguments(self) -> dict[str, Any]:
        """Keyword arguments of :func:`kineticflow.halpha.observation.read_observation` (after path and format)."""
        return {
            "quiet": None if self.quiet is None else self.quiet.mapping(),
            "wing_a": self.wing_a,
            "level_ic": self.level_ic,
            "slit_fwhm_a": self.slit_fwhm_a,
            "continuum_counts": self.continuum_counts,
            **dict(self.options),
        }


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def observation_from_config(name: str, entry: Mapping[str, Any]) -> Observation:
    """The :class:`Observation` of one (schema-validated) entry of ``halpha.observations``."""
    path = entry["path"]
    quiet = entry.get("quiet")
    hxr = entry.get("hxr")
    return Observation(
        name=str(name),
        paths=(str(path),) if isinstance(path, (str, os.PathLike)) else tuple(str(p) for p in path),
        format=str(entry["format"]),
        kernels=tuple(
            ObservedKernel(str(k), int(v["y"]), int(v["x"]), tuple(float(t) for t in v["episodes"]["times_s"]))
            for k, v in entry["kernels"].items()
        ),
        quiet=None
        if quiet is None
        else Quiet(
            scan=None if quiet.get("scan") is None else int(quiet["scan"]),
            box=None if quiet.get("box") is None else tuple(int(v) for v in quiet["box"]),
            level=_optional_float(quiet.get("level")),
        ),
        wing_a=_optional_float(entry.get("wing_a")),
        level_ic=float(entry.get("level_ic", 1.0)),
        slit_fwhm_a=_optional_float(entry.get("slit_fwhm_a")),
        continuum_counts=_optional_float(entry.get("continuum_counts")),
        options=dict(entry.get("options") or {}),
        hxr=None
        if hxr is None
        else HxrFile(str(hxr["path"]), None if hxr.get("format") is None else str(hxr["format"])),
        region=None if entry.get("region") is None else tuple(int(v) for v in entry["region"]),
    )


def observations_from_config(section: Mapping[str, Any]) -> tuple[Observation, ...]:
    """Every configured observation, in config order (empty: the simulated observation only)."""
    return tuple(observation_from_config(n, e) for n, e in (section.get("observations") or {}).items())


def resolve(path: str | os.PathLike[str], basedir: str | os.PathLike[str]) -> str:
    """A configured file: as given if it exists (absolute, or relative to the working directory), else under ``basedir``.

    ``basedir`` is the workflow's folder, where the shipped examples (``resources/``) are.
    """
    p = Path(path)
    if p.is_absolute() or p.exists():
        return str(p)
    return str(Path(basedir) / p)


def _error(key: str, message: str) -> ConfigError:
    return ConfigError(f"config key 'halpha.observations.{key}': {' '.join(str(message).split())}")


def _check_inside(obs: Observation, sizes: Mapping[str, int]) -> None:
    """Kernels and the region inside the field of view (after any crop)."""
    n_y, n_x = int(sizes["y"]), int(sizes["x"])
    for k in obs.kernels:
        if not (0 <= k.y < n_y and 0 <= k.x < n_x):
            raise _error(
                f"{obs.name}.kernels.{k.name}",
                f"(y={k.y}, x={k.x}) is outside the field {n_y} x {n_x}; expected 0 <= y < {n_y}, 0 <= x < {n_x}",
            )
    if obs.region is not None:
        y0, y1, x0, x1 = obs.region
        if not (0 <= y0 < y1 <= n_y and 0 <= x0 < x1 <= n_x):
            raise _error(
                f"{obs.name}.region", f"{list(obs.region)}; expected 0 <= y0 < y1 <= {n_y}, 0 <= x0 < x1 <= {n_x}"
            )
    if int(sizes["scan"]) < 2:
        raise _error(f"{obs.name}.path", f"{sizes['scan']} scan(s); expected >= 2 (scan 0 is the pre-flare reference)")


def _check_range(obs: Observation, probe: Any, profile_half_range_a: float) -> None:
    """The observed range plus 3 slit FWHM inside the synthesised profiles (the grid match convolves them)."""
    dl = probe["delta_wavelength"].values
    need = max(abs(float(dl[0])), abs(float(dl[-1]))) + 3.0 * float(probe.attrs["slit_fwhm_a"])
    if need > profile_half_range_a:
        raise _error(
            f"{obs.name}.path",
            f"the observed range ±{max(abs(float(dl[0])), abs(float(dl[-1]))):.2f} A plus 3 slit FWHM needs profiles to "
            f"±{need:.2f} A; 'halpha.profile_half_range_a' = {profile_half_range_a}; expected a profile range >= {need:.2f} A",
        )


def check_observations(section: Mapping[str, Any], workdir: str | os.PathLike[str] = ".") -> None:
    """Read the headers of every configured observation and its HXR curve; raise on the first bad one.

    Parameters
    ----------
    section : mapping
        The ``halpha`` section (schema-validated).
    workdir : str or path
        The workflow's folder (relative paths not found in the working directory resolve there).

    Raises
    ------
    ConfigError
        One line: the config key, then the file, the variable or axis and what was expected (a
        missing axis or dataset, an unknown unit, a non-monotonic wavelength, a bad quiet
        reference, ...), or a kernel or region outside the field, fewer than 2 scans, or an observed
        range the profiles do not cover.
    """
    from kineticflow.halpha.hxr_curve import read_hxr  # astropy: only when observations are configured
    from kineticflow.halpha.observation import ObservationError, check_observation_file

    for obs in observations_from_config(section):
        paths = [resolve(p, workdir) for p in obs.paths]
        try:
            probe = check_observation_file(paths if len(paths) > 1 else paths[0], obs.format, **obs.reader_arguments())
        except (ObservationError, TypeError) as exc:
            raise _error(f"{obs.name}.path", str(exc)) from None
        _check_inside(obs, {str(k): int(v) for k, v in probe.sizes.items()})
        _check_range(obs, probe, float(section["profile_half_range_a"]))
        if obs.hxr is not None:
            try:
                read_hxr(resolve(obs.hxr.path, workdir), obs.hxr.format, date_obs=probe.attrs.get("date_obs") or None)
            except ObservationError as exc:
                raise _error(f"{obs.name}.hxr.path", str(exc)) from None
