"""Cross-key checks of the ``plasma`` config section that a JSON Schema cannot express."""

from __future__ import annotations

import os

import math
from collections.abc import Mapping
from typing import Any

from kineticflow.config import ConfigError

#: Keys of ``plasma.md`` / ``mixtures.md`` that are scheduling, not physics: they become the MD rules'
#: Snakemake ``threads`` and ``resources`` and never their ``params`` (a changed wall-time limit or
#: rank count must not rerun MD).
RESOURCE_KEYS = ("threads", "runtime_min")


def md_physics(md: Mapping[str, Any]) -> dict[str, Any]:
    """The MD settings without the scheduling keys (:data:`RESOURCE_KEYS`): what an MD rule's params hold.

    Parameters
    ----------
    md : mapping
        A ``plasma.md`` section or the merged mixture settings (:func:`mixture_md`).

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


def mixture_md(mixtures_md: Mapping[str, Any], plasma_md: Mapping[str, Any]) -> dict[str, Any]:
    """MD settings of the mixtures: ``mixtures.md`` (overrides; unset = None) merged over ``plasma.md``.

    Parameters
    ----------
    mixtures_md, plasma_md : mapping
        The ``mixtures.md`` and ``plasma.md`` sections.

    Returns
    -------
    dict
        All keys of ``plasma.md``, with the ``mixtures.md`` values that are set.
    """
    return {**dict(plasma_md), **{k: v for k, v in dict(mixtures_md).items() if v is not None}}


def check_plasma(plasma: Mapping[str, Any]) -> None:
    """Check the ``plasma`` section (defaults already filled in).

    Raises
    ------
    ConfigError
        One line naming key, value and allowed range, for: a κ listed twice; Γ above the
        melting coupling Γ_m(κ) of Table I (the liquid is metastable beyond, the fits stop
        there); a Yukawa cut-off shorter than 5/κ once limited to half the box; a Chapman–
        Spitzer range that overlaps the Eyring range.
    """
    from kineticflow.plasma.md import pair_cutoff
    from kineticflow.plasma.models import gamma_melting

    runs = plasma.get("runs", [])
    kappas = [float(r["kappa"]) for r in runs]
    if len(set(kappas)) != len(kappas):
        raise ConfigError(f"config key 'plasma.runs' lists kappa = {kappas}; each kappa may appear once")
    md = plasma.get("md", {})
    for i, r in enumerate(runs):
        k = float(r["kappa"])
        gm = gamma_melting(k)
        for g in r["gammas"]:
            if g > gm * 1.0001:
                raise ConfigError(
                    f"config key 'plasma.runs[{i}].gammas' = {g} is above melting for kappa = {k:g}; allowed: 0 < gamma <= {gm:g}"
                )
        if k > 0 and md:
            merged = kappa_md(plasma, k)
            rc = pair_cutoff(k, merged)
            if k * rc < 5.0:
                # name the key that sets the cut-off for this κ: the entry's own override, if any
                key = f"plasma.runs[{i}].md.cutoff" if "cutoff" in r.get("md", {}) else "plasma.md.cutoff"
                raise ConfigError(
                    f"config key '{key}' = {merged['cutoff']} (limited to half the box, {rc:.3g}) is too short for "
                    f"kappa = {k:g}; allowed: kappa * cutoff >= 5, i.e. cutoff >= {5.0 / k:.3g} and n_particles >= "
                    f"{math.ceil((3.0 / (4.0 * math.pi)) * (2 * 5.0 / k) ** 3)}"
                )
    fits = plasma.get("fits", {})
    if fits and not fits["cs_gamma_max"] < fits["eyring_gamma_min"]:
        raise ConfigError(
            f"config key 'plasma.fits.cs_gamma_max' = {fits['cs_gamma_max']} must be < "
            f"'plasma.fits.eyring_gamma_min' = {fits['eyring_gamma_min']}"
        )
    return None


def check(section: Mapping[str, Any], config: Mapping[str, Any], workdir: str | os.PathLike[str] = ".") -> None:
    """The branch's config check as :mod:`kineticflow.branches` calls it (``config``: the whole config).

    Checks ``plasma`` and, where present, the ``mixtures`` section against ``plasma.md``.

    Raises
    ------
    ConfigError
        One line naming key, value and allowed range.
    """
    from kineticflow.plasma.mixtures_config import check_mixtures  # noqa: PLC0415

    check_plasma(section)
    if "mixtures" in config:
        check_mixtures(config["mixtures"], section.get("md"))
