"""Settings and cross-key checks of the OCP / Yukawa OCP part of the ``plasma`` config section.

The frozen dataclasses are what the rules' ``params`` carry (as plain dicts, ``asdict``, so that
Snakemake sees a changed value; the scripts rebuild them with ``Settings(**params)``), built by
:class:`kineticflow.plasma.config.Params`; :func:`check_ocp` is the part of
:func:`kineticflow.plasma.config.check` that a JSON Schema cannot express.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kineticflow.config import ConfigError
from kineticflow.plasma.md.schedule import pair_cutoff
from kineticflow.plasma.ocp.reference import gamma_melting

#: Keys of ``plasma.md`` / ``plasma.mixtures.md`` that are scheduling, not physics: they become the
#: MD rules' Snakemake ``threads`` and ``resources`` and never their ``params`` (a changed wall-time
#: limit or rank count must not rerun MD).
RESOURCE_KEYS = ("threads", "runtime_min")


@dataclass(frozen=True)
class GreenKuboSettings:
    """How D* is taken from the VACFs (``plasma.green_kubo``; rule ``green_kubo``).

    Attributes
    ----------
    tail_correction : bool
        Add the exponential VACF tail beyond the window.
    msd_fit_from : float
        Start of the Einstein fit as a fraction of the window.
    max_msd_mismatch : float
        Relative Green–Kubo/Einstein difference above which a point is flagged.
    """

    tail_correction: bool = True
    msd_fit_from: float = 0.5
    max_msd_mismatch: float = 0.1

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> GreenKuboSettings:
        """From a ``plasma.green_kubo`` section (defaults filled in)."""
        return cls(bool(section["tail_correction"]), float(section["msd_fit_from"]), float(section["max_msd_mismatch"]))


@dataclass(frozen=True)
class FitSettings:
    """Ranges, weights and abscissa of the model fits (``plasma.fits``, ``plasma.mixtures.fits``).

    Attributes
    ----------
    cs_gamma_max : float
        Eq. 2 (mixtures: Eq. 5) fitted over Γ ≤ this.
    eyring_gamma_min : float
        Eq. 4 (mixtures: Eq. 6) fitted over Γ ≥ this (and ≤ Γ_m(κ) for the OCP).
    min_relative_error : float
        Floor of the relative D* error used as fit weight.
    use_measured_gamma : bool
        Fit at Γ = 1/⟨k_B T⟩ of the NVE run instead of the nominal Γ.
    """

    cs_gamma_max: float = 2.0
    eyring_gamma_min: float = 50.0
    min_relative_error: float = 0.005
    use_measured_gamma: bool = True

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> FitSettings:
        """From a ``plasma.fits`` or ``plasma.mixtures.fits`` section (defaults filled in)."""
        return cls(
            float(section["cs_gamma_max"]),
            float(section["eyring_gamma_min"]),
            float(section["min_relative_error"]),
            bool(section.get("use_measured_gamma", True)),
        )


def md_physics(md: Mapping[str, Any]) -> dict[str, Any]:
    """The MD settings without the scheduling keys (:data:`RESOURCE_KEYS`): what an MD rule's params hold.

    Parameters
    ----------
    md : mapping
        A ``plasma.md`` section or merged MD settings (:func:`kappa_md`).

    Returns
    -------
    dict
        ``md`` minus ``threads`` and ``runtime_min``.
    """
    return {k: v for k, v in md.items() if k not in RESOURCE_KEYS}


def kappa_md(plasma: Mapping[str, Any], kappa: float) -> dict[str, Any]:
    """MD settings of the runs at one κ: that ``plasma.runs`` entry's ``md`` overrides merged over ``plasma.md``.

    Strongly screened liquids move slowly in plasma periods (the Einstein frequency of the
    Yukawa OCP falls well below ω_p as κ grows), so an entry may lengthen its own runs without
    changing the others (config/config.yaml: κ a = 4).

    Parameters
    ----------
    plasma : mapping
        The ``plasma`` config section (``runs`` and ``md``).
    kappa : float
        Screening κ a of one ``plasma.runs`` entry.

    Returns
    -------
    dict
        The merged MD settings.

    Raises
    ------
    KeyError
        If no ``plasma.runs`` entry has this κ.

    Examples
    --------
    >>> plasma = {"md": {"equilibrate_wp": 100.0, "dt_wp": 0.05},
    ...           "runs": [{"kappa": 4, "gammas": [1], "md": {"equilibrate_wp": 1500.0}}]}
    >>> kappa_md(plasma, 4.0)
    {'equilibrate_wp': 1500.0, 'dt_wp': 0.05}
    """
    for run in plasma.get("runs", []):
        if float(run["kappa"]) == float(kappa):
            return {**plasma.get("md", {}), **(run.get("md") or {})}
    raise KeyError(f"no plasma.runs entry has kappa = {kappa:g}")


def _check_cutoff(plasma: Mapping[str, Any], i: int, k: float) -> None:
    """A Yukawa cut-off (limited to half the box) shorter than 5/κ names the key that sets it."""
    merged = kappa_md(plasma, k)
    rc = pair_cutoff(k, merged)
    if k * rc < 5.0:
        # name the key that sets the cut-off for this κ: the entry's own override, if any
        r = plasma["runs"][i]
        key = f"plasma.runs[{i}].md.cutoff" if "cutoff" in r.get("md", {}) else "plasma.md.cutoff"
        raise ConfigError(
            f"config key '{key}' = {merged['cutoff']} (limited to half the box, {rc:.3g}) is too short for "
            f"kappa = {k:g}; allowed: kappa * cutoff >= 5, i.e. cutoff >= {5.0 / k:.3g} and n_particles >= "
            f"{math.ceil((3.0 / (4.0 * math.pi)) * (2 * 5.0 / k) ** 3)}"
        )


def check_ocp(plasma: Mapping[str, Any]) -> None:
    """Check the OCP / Yukawa keys of the ``plasma`` section (defaults already filled in).

    Parameters
    ----------
    plasma : mapping
        The ``plasma`` config section.

    Raises
    ------
    ConfigError
        One line naming key, value and allowed range, for: a κ listed twice; Γ above the
        melting coupling Γ_m(κ) (:func:`kineticflow.plasma.ocp.reference.gamma_melting`: the
        liquid is metastable beyond, the fits stop there); a Yukawa cut-off shorter than 5/κ
        once limited to half the box; a Chapman–Spitzer range that overlaps the Eyring range.
    """
    runs = plasma.get("runs", [])
    kappas = [float(r["kappa"]) for r in runs]
    if len(set(kappas)) != len(kappas):
        raise ConfigError(f"config key 'plasma.runs' lists kappa = {kappas}; each kappa may appear once")
    for i, r in enumerate(runs):
        k = float(r["kappa"])
        gm = gamma_melting(k)
        for g in r["gammas"]:
            if g > gm * 1.0001:
                raise ConfigError(
                    f"config key 'plasma.runs[{i}].gammas' = {g} is above melting for kappa = {k:g}; "
                    f"allowed: 0 < gamma <= {gm:g} (Gamma_m, Hamaguchi et al., PRE 56, 4671 (1997))"
                )
        if k > 0 and plasma.get("md", {}):
            _check_cutoff(plasma, i, k)
    fits = plasma.get("fits", {})
    if fits and not fits["cs_gamma_max"] < fits["eyring_gamma_min"]:
        raise ConfigError(
            f"config key 'plasma.fits.cs_gamma_max' = {fits['cs_gamma_max']} must be < "
            f"'plasma.fits.eyring_gamma_min' = {fits['eyring_gamma_min']}"
        )
