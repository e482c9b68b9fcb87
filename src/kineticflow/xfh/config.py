"""The ``xfh`` config section: cross-key checks and the parameters of each rule.

Besides the schema (``workflow/schemas/xfh.schema.yaml``) this is the one place that knows the
nesting of the section: :func:`check` runs the checks a JSON Schema cannot express, and the frozen
dataclasses' ``from_config`` pick out what each rule of ``workflow/rules/xfh.smk`` depends on
(flat fields of plain values, so that ``dataclasses.asdict`` of them is a rule's ``params:``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kineticflow.config import ConfigError
from kineticflow.core.io import ObservationError
from kineticflow.xfh.cif import crystal_from_cif
from kineticflow.xfh.crystals import KNOWN_CRYSTALS, Crystal, k_edge_kev, make_crystal
from kineticflow.xfh.processing import covering_polar_angle, point_group_m3m


@dataclass(frozen=True)
class WaveParams:
    """The crystal and the wave that scatters in it (one ``xfh.crystals`` entry).

    Attributes
    ----------
    crystal : str
        Crystal name, a key of :data:`kineticflow.xfh.crystals.SUPPORTED_STRUCTURES`.
    lattice_constant : float
        Cubic lattice constant a, Å.
    mode : {"inside_detector", "inside_source"}
        Holography mode.
    energy_kev : float or None
        Incident (inside detector) or emitted (inside source) energy, keV; None: the emitter's Kα.
    k_i_over_k_r : float
        Effective imaginary wave number k_i / k_r (Eq. 8), dimensionless.
    cif : str or None
        CIF file of the crystal (``xfh.crystals.<name>.cif``); None: the built-in structure.
    cif_emitter : str or None
        Emitting element of a CIF crystal (``xfh.crystals.<name>.emitter``); None: its only element.
    """

    crystal: str
    lattice_constant: float | None
    mode: str
    energy_kev: float | None
    k_i_over_k_r: float
    cif: str | None = field(default=None, kw_only=True)
    cif_emitter: str | None = field(default=None, kw_only=True)

    def make_crystal(self) -> Crystal:
        """The crystal: read from :attr:`cif`, or the built-in structure of :attr:`crystal`."""
        if self.cif:
            return crystal_from_cif(self.cif, self.cif_emitter, name=self.crystal)
        return make_crystal(self.crystal, float(self.lattice_constant or 0.0))

    @staticmethod
    def wave_fields(section: Mapping[str, Any], crystal: str) -> dict[str, Any]:
        """The :class:`WaveParams` fields of ``crystal`` from the ``xfh`` section."""
        c = section["crystals"][crystal]
        fields = {
            "crystal": crystal,
            "lattice_constant": c.get("lattice_constant"),
            "mode": c["mode"],
            "energy_kev": c.get("energy_kev"),
            "k_i_over_k_r": section["k_i_over_k_r"],
        }
        if c.get("cif"):
            fields.update(cif=str(c["cif"]), cif_emitter=c.get("emitter"))
        return fields


@dataclass(frozen=True)
class SimulateParams(WaveParams):
    """Parameters of rule ``simulate_hologram``: the wave, the reflections and the spiral scan.

    Attributes
    ----------
    surface_normal : tuple of int
        [h, k, l] about which the spiral turns.
    n_pixels : int
        Pixels per pattern.
    h_max_over_2k : float
        Reflections of the hologram sum up to |h| = this × 2k_r.
    object_term : bool
        Add Σ|F_h|²|K_h|² (Eq. 10).
    polar_max_deg, polar_rate_deg_s, azimuth_rate_deg_s : float
        The spiral scan: θ_max (degree), θ̇ and φ̇ (degree/s).
    """

    surface_normal: tuple[int, ...]
    n_pixels: int
    h_max_over_2k: float
    object_term: bool
    polar_max_deg: float
    polar_rate_deg_s: float
    azimuth_rate_deg_s: float

    @classmethod
    def from_config(cls, section: Mapping[str, Any], crystal: str) -> SimulateParams:
        """The parameters of ``crystal`` from the validated ``xfh`` section."""
        c, s = section["crystals"][crystal], section["scan"]
        return cls(
            **cls.wave_fields(section, crystal),
            surface_normal=tuple(c["surface_normal"]),
            n_pixels=c["n_pixels"],
            h_max_over_2k=c["h_max_over_2k"],
            object_term=section["object_term"],
            polar_max_deg=s["polar_max_deg"],
            polar_rate_deg_s=s["polar_rate_deg_s"],
            azimuth_rate_deg_s=s["azimuth_rate_deg_s"],
        )


@dataclass(frozen=True)
class MeasureParams:
    """Parameters of rule ``measure_hologram``: counting, reference fit and symmetrisation grid.

    Attributes
    ----------
    seed : int
        Base seed of the counting noise (``stable_seed`` per crystal).
    polar_max_deg, polar_rate_deg_s : float
        θ_max (degree) and θ̇ (degree/s) of the spiral: the dwell time per pixel.
    noise : bool
        Poisson counting noise on.
    count_rate_hz : float
        Mean fluorescence count rate, 1/s.
    n_patterns : int
        Patterns summed.
    reference_modulation : float
        m of I_ref = 1 − m sin²θ.
    reference_degree : int
        Degree of the polynomial in cosθ fitted as I_ref.
    grid_step_deg : float
        Cell size of the symmetrised (θ, φ) grid, degree.
    """

    seed: int
    polar_max_deg: float
    polar_rate_deg_s: float
    noise: bool
    count_rate_hz: float
    n_patterns: int
    reference_modulation: float
    reference_degree: int
    grid_step_deg: float

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> MeasureParams:
        """The parameters from the validated ``xfh`` section (the same for every crystal)."""
        m, s = section["measurement"], section["scan"]
        return cls(
            seed=section["seed"],
            polar_max_deg=s["polar_max_deg"],
            polar_rate_deg_s=s["polar_rate_deg_s"],
            noise=m["noise"],
            count_rate_hz=m["count_rate_hz"],
            n_patterns=m["n_patterns"],
            reference_modulation=m["reference_modulation"],
            reference_degree=m["reference_degree"],
            grid_step_deg=m["grid_step_deg"],
        )


@dataclass(frozen=True)
class ReconstructParams(WaveParams):
    """Parameters of rule ``reconstruct_hologram`` (the ``xfh.reconstruction`` keys and the wave).

    Attributes
    ----------
    h_max_over_2k : float
        Lattice families up to |h| = this × 2k_r.
    background_offset_fraction : float
        Background points at h ± this × (shortest |h|) along x, y, z.
    plane_step_inv_angstrom : float
        Approximate G-map node spacing along [001], Å⁻¹.
    plane_extent_over_2k : float
        Half-width of the G map / 2k_r.
    r_min_angstrom, r_max_angstrom : float
        First and last radius of U(r′), Å.
    n_r : int
        Radii of U(r′) per line.
    """

    h_max_over_2k: float
    background_offset_fraction: float
    plane_step_inv_angstrom: float
    plane_extent_over_2k: float
    r_min_angstrom: float
    r_max_angstrom: float
    n_r: int

    @classmethod
    def from_config(cls, section: Mapping[str, Any], crystal: str) -> ReconstructParams:
        """The parameters of ``crystal`` from the validated ``xfh`` section."""
        return cls(**cls.wave_fields(section, crystal), **dict(section["reconstruction"]))


def rule_params(p: WaveParams) -> dict[str, Any]:
    """A rule's ``params:`` dict of a parameter dataclass: ``asdict`` without the unset CIF fields.

    Built-in crystals keep the params they had before CIF crystals (no rerun of their results).
    """
    return {k: v for k, v in asdict(p).items() if not (k in ("cif", "cif_emitter") and v is None)}


def _crystal(section: Mapping[str, Any], name: str, workdir: str | os.PathLike[str]) -> Crystal:
    """The crystal of an ``xfh.crystals`` entry; a CIF read now, refused in one line if unsupported."""
    c = section["crystals"][name]
    if not c.get("cif"):
        if name not in KNOWN_CRYSTALS:
            raise ConfigError(
                f"config key 'xfh.crystals.{name}' is neither built in nor given by a CIF; "
                f"allowed: {', '.join(KNOWN_CRYSTALS)} or an entry with 'cif'"
            )
        return make_crystal(name, c["lattice_constant"])
    path = Path(c["cif"]) if Path(c["cif"]).is_file() else Path(workdir) / c["cif"]
    if not path.is_file():
        raise ConfigError(f"config key 'xfh.crystals.{name}.cif': {path}: file does not exist; expected a CIF file")
    try:
        return crystal_from_cif(path, c.get("emitter"), name=name)
    except ObservationError as exc:
        raise ConfigError(f"config key 'xfh.crystals.{name}.cif': {exc}") from None


def _check_crystal(section: Mapping[str, Any], name: str, workdir: str | os.PathLike[str] = ".") -> None:
    """Energy above the K edge (inside detector), a nonzero normal and a large enough polar cap."""
    key = f"xfh.crystals.{name}"
    c = section["crystals"][name]
    emitter = _crystal(section, name, workdir).emitter
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


def check_xfh(section: Mapping[str, Any], workdir: str | os.PathLike[str] = ".") -> None:
    """Checks across keys of the ``xfh`` section.

    Raises
    ------
    ConfigError
        For an unknown crystal (neither built in nor a CIF of a supported space group), an
        inside-detector energy missing or not above the emitter's K edge, or a polar cap (``xfh.scan.polar_max_deg``) too small for its images under m-3m to
        cover the sphere from a crystal's surface normal.
    """
    crystals = section.get("crystals", {})
    for name in section.get("run", list(crystals)):
        if name not in crystals:
            raise ConfigError(
                f"config key 'xfh.run' names an unknown crystal '{name}'; "
                f"allowed: {', '.join(KNOWN_CRYSTALS)} or an xfh.crystals entry with a CIF"
            )
        _check_crystal(section, name, workdir)


def check(section: Mapping[str, Any], config: Mapping[str, Any], workdir: str | os.PathLike[str] = ".") -> None:
    """The branch's config check as :mod:`kineticflow.branches` calls it (``config``: the whole config).

    Raises
    ------
    ConfigError
        One line naming key, value and allowed range, or a bad observation file (the file, the
        variable and what was expected), before any job runs.
    """
    from kineticflow.xfh.observed import check_observations  # noqa: PLC0415
    from kineticflow.xfh.wave import wave_attrs as attrs_of  # noqa: PLC0415 - wave needs WaveParams

    check_xfh(section, workdir)

    def wave_attrs(crystal: str) -> dict[str, Any]:
        fields = WaveParams.wave_fields(section, crystal)
        if fields.get("cif"):
            fields["cif"] = fields["cif"] if Path(fields["cif"]).is_file() else str(Path(workdir) / fields["cif"])
        return attrs_of(WaveParams(**fields), section["object_term"])

    check_observations(section, wave_attrs, workdir)
