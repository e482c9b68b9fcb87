"""Green–Kubo self-diffusion of the species of a binary ionic mixture, the mixing rule, and Table II.

D_j = (1/3) ∫ ⟨v_j(t)·v_j(0)⟩ dt per species from the VACFs of one run
(:func:`kineticflow.plasma.mixtures.md.simulate_mixture`), with standard errors over disjoint
particle groups; the interdiffusion coefficient by the mixing rule D₁₂ = x₂D₁ + x₁D₂ (plasma
paper, after Eq. 6) and the Chapman–Spitzer D₁₂ beside; runs collected over (mixture, Γ) and
compared with Table II. Units a₁²ω_{p,1} (:mod:`kineticflow.plasma.mixtures.formulas`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from kineticflow.core.attrs import variable
from kineticflow.core.data import read_csv
from kineticflow.plasma.md.transport import DiffusionError, green_kubo_diffusion
from kineticflow.plasma.mixtures.formulas import Mixture, chapman_spitzer_d12, interdiffusion_d12, units_factor

#: Table II of the plasma paper (impurity D₂ in isotopic BIMs, units a₁² ω_{p,1}).
TABLE2 = "daligault2012_table2.csv"  # package data, kineticflow/plasma/data


def _gk_with_error(c: np.ndarray, blocks: np.ndarray, lag: np.ndarray, tail: bool) -> tuple[float, float]:
    """Green–Kubo D of a mean VACF and its standard error over the particle-group VACFs."""
    d = green_kubo_diffusion(c, lag, tail)
    per_block: list[float] = []
    for b in blocks:
        try:
            per_block.append(green_kubo_diffusion(b, lag, tail))
        except DiffusionError:
            per_block.append(green_kubo_diffusion(b, lag, False))
    db = np.asarray(per_block)
    return float(d), float(np.std(db, ddof=1) / np.sqrt(db.size))


def _interdiffusion_gk(ds: xr.Dataset, mix: Mixture, tail: bool) -> dict[str, tuple[float, str]]:
    """D₁₂ from the Green–Kubo integral of the interdiffusion current, with its time-block error.

    D₁₂ = Φ/(3 N x₁ x₂) ∫ ⟨J(t)·J(0)⟩ dt, J = x₂J₁ − x₁J₂, with the thermodynamic factor
    Φ = x₁x₂/S_cc(0). For an isotopic mixture (Z₁ = Z₂) the species differ only in mass, the
    classical static structure does not depend on masses, and Φ = 1 exactly; for Z₁ ≠ Z₂ Φ needs
    S_cc(0), which the runs do not sample, so D₁₂ is NaN there. The error is the spread over
    contiguous time blocks of one correlation window each; a run shorter than two windows gets NaN
    (a collective current has one sample per time origin, not N: unquantified values mislead).
    Empty if the run has no current.
    """
    if "interdiffusion_acf" not in ds:
        return {}
    n1, n2 = int(ds.attrs["n_1"]), int(ds.attrs["n_2"])
    n = n1 + n2
    phi = 1.0 if mix.isotopic else np.nan
    norm = phi / (n * (n1 / n) * (n2 / n))
    lag = ds["lag"].values

    def gk(c: np.ndarray) -> float:
        try:
            return green_kubo_diffusion(c, lag, tail)
        except DiffusionError:
            try:
                return green_kubo_diffusion(c, lag, False)
            except DiffusionError:
                return np.nan

    blocks = np.array([gk(b) for b in ds["interdiffusion_acf_block"].values]) * norm
    if blocks.size < 2:  # a run shorter than two correlation windows: no error, so no value either
        d, err = np.nan, np.nan
    else:
        d = gk(ds["interdiffusion_acf"].values) * norm
        err = float(np.std(blocks, ddof=1) / np.sqrt(blocks.size))
    return {
        "d_12_gk": (
            float(d),
            "interdiffusion D12 from the Green-Kubo integral of the interdiffusion current "
            "(NaN: Z1 != Z2, or a run shorter than two correlation windows)",
        ),
        "d_12_gk_stderr": (err, "standard error of D12 (Green-Kubo) over contiguous time blocks"),
    }


def run_mixture(ds: xr.Dataset) -> Mixture:
    """The :class:`Mixture` of one run, from the dataset's attributes."""
    a = ds.attrs
    return Mixture(a["mixture"], *(float(a[k]) for k in ("z1", "z2", "m1", "m2", "x2")))


def mixture_run_diffusion(ds: xr.Dataset, tail_correction: bool = True) -> xr.Dataset:
    """D₁, D₂ and D₁₂ of one mixture run from its VACFs (Green–Kubo with errors).

    Parameters
    ----------
    ds : xarray.Dataset
        Output of :func:`kineticflow.plasma.mixtures.md.simulate_mixture` (``vacf_1``,
        ``vacf_2``, ``vacf_1_block``, ``vacf_2_block`` on ``lag``; mixture attributes).
    tail_correction : bool
        Exponential tail of the Green–Kubo integral (:func:`kineticflow.plasma.md.transport.green_kubo_diffusion`;
        a particle group whose VACF is too noisy for it is integrated without).

    Returns
    -------
    xarray.Dataset
        ``ds`` with the scalars ``d_1``, ``d_2`` (Green–Kubo, units a₁²ω_{p,1}), ``d_1_stderr``,
        ``d_2_stderr`` (standard errors over disjoint particle groups), ``d_12`` = x₂D₁ + x₁D₂,
        ``d_12_stderr`` and ``d_12_cs`` (Chapman–Spitzer, NaN where its logarithm is ≤ 0); if the run
        has the interdiffusion-current autocorrelation, ``d_12_gk`` and ``d_12_gk_stderr``
        (:func:`_interdiffusion_gk`; NaN for Z₁ ≠ Z₂).

    Raises
    ------
    DiffusionError
        A non-positive D₁ or D₂, or a VACF that cannot be integrated.
    """
    mix = run_mixture(ds)
    lag = ds["lag"].values
    d1, e1 = _gk_with_error(ds["vacf_1"].values, ds["vacf_1_block"].values, lag, tail_correction)
    d2, e2 = _gk_with_error(ds["vacf_2"].values, ds["vacf_2_block"].values, lag, tail_correction)
    if not (d1 > 0 and d2 > 0):
        where = f"mixture {mix.name}, Gamma = {float(ds.attrs['gamma']):g}, seed = {ds.attrs.get('seed')}"
        raise DiffusionError(f"MD run {where}: non-positive Green-Kubo D1 = {d1:g}, D2 = {d2:g}")
    d12 = float(interdiffusion_d12(d1, d2, mix.x2))
    e12 = float(math.hypot(mix.x2 * e1, mix.x1 * e2))
    du = "a1^2 omega_p1"
    values = {
        "d_1": (d1, "Green-Kubo self-diffusion coefficient of species 1"),
        "d_1_stderr": (e1, "standard error of D1 over particle groups"),
        "d_2": (d2, "Green-Kubo self-diffusion coefficient of species 2"),
        "d_2_stderr": (e2, "standard error of D2 over particle groups"),
        "d_12": (d12, "interdiffusion coefficient D12 = x2 D1 + x1 D2 (mixing rule)"),
        "d_12_stderr": (e12, "standard error of D12"),
        "d_12_cs": (
            float(chapman_spitzer_d12(mix, float(ds.attrs["gamma"]))),
            "Chapman-Spitzer D12, ln(4 lambda_D/r_c) (NaN if the log is <= 0)",
        ),
    }
    values.update(_interdiffusion_gk(ds, mix, tail_correction))
    out = ds.copy()
    for name, (x, long) in values.items():
        out[name] = variable(x, units=du, long_name=long)
    out.attrs["tail_correction"] = int(tail_correction)
    return out


DIFF_VARS = {
    "d_1": "self-diffusion coefficient D1 of species 1 (Green-Kubo)",
    "d_1_stderr": "standard error of D1",
    "d_2": "self-diffusion coefficient D2 of species 2 (Green-Kubo)",
    "d_2_stderr": "standard error of D2",
    "d_12": "interdiffusion D12 = x2 D1 + x1 D2",
    "d_12_stderr": "standard error of D12",
    "d_12_cs": "Chapman-Spitzer D12 with ln(4 lambda_D/r_c)",
    "d_12_gk": "interdiffusion D12 from the Green-Kubo integral of the interdiffusion current (NaN: not computed)",
    "d_12_gk_stderr": "standard error of the Green-Kubo D12",
}


def collect_mixture_diffusion(runs: Sequence[xr.Dataset]) -> xr.Dataset:
    """D₁, D₂, D₁₂(mixture, Γ) from all runs; seeds combined as :func:`kineticflow.plasma.ocp.diffusion.collect_diffusion`.

    Parameters
    ----------
    runs : sequence of xarray.Dataset
        Outputs of :func:`mixture_run_diffusion` (one per run; attributes ``mixture``, ``gamma``
        and the mixture's charges, masses and x₂).

    Returns
    -------
    xarray.Dataset
        ``d_1``, ``d_1_stderr``, ``d_2``, ``d_2_stderr``, ``d_12``, ``d_12_stderr``, ``d_12_cs`` (units a₁²ω_{p,1}),
        ``d_12_over_cs``, ``gamma_measured``, ``energy_drift``, ``n_seeds`` on (mixture, gamma), NaN
        where not simulated; per mixture the coordinates ``z1``, ``z2``, ``m1``, ``m2``, ``x2`` and
        ``to_mixture_units`` = a₁²ω_{p,1}/(a²ω_p).
    """
    per: dict[tuple[str, float], list[xr.Dataset]] = {}
    mixes: dict[str, Mixture] = {}
    for ds in runs:
        a = ds.attrs
        mixes[a["mixture"]] = Mixture(a["mixture"], *(float(a[k]) for k in ("z1", "z2", "m1", "m2", "x2")))
        per.setdefault((a["mixture"], float(a["gamma"])), []).append(ds)
    names = sorted(mixes)
    gammas = sorted({g for _, g in per})
    shape = (len(names), len(gammas))
    out = {k: np.full(shape, np.nan) for k in [*DIFF_VARS, "gamma_measured", "energy_drift", "n_seeds"]}
    for (name, g), rs in per.items():
        i, j = names.index(name), gammas.index(g)
        for sp in ("d_1", "d_2", "d_12"):
            vals = np.array([float(r[sp]) for r in rs])
            out[sp][i, j] = vals.mean()
            if len(rs) >= 3:
                out[f"{sp}_stderr"][i, j] = vals.std(ddof=1) / np.sqrt(len(rs))
            else:
                out[f"{sp}_stderr"][i, j] = math.sqrt(sum(float(r[f"{sp}_stderr"]) ** 2 for r in rs)) / len(rs)
        if all("d_12_gk" in r for r in rs):
            vals = np.array([float(r["d_12_gk"]) for r in rs])
            out["d_12_gk"][i, j] = vals.mean()
            errs = np.array([float(r["d_12_gk_stderr"]) for r in rs])
            out["d_12_gk_stderr"][i, j] = (
                vals.std(ddof=1) / np.sqrt(len(rs)) if len(rs) >= 3 else math.sqrt(np.sum(errs**2)) / len(rs)
            )
        out["d_12_cs"][i, j] = float(chapman_spitzer_d12(mixes[name], g))
        out["gamma_measured"][i, j] = np.mean([float(r["gamma_measured"]) for r in rs])
        out["energy_drift"][i, j] = max(float(r["energy_drift"]) for r in rs)
        out["n_seeds"][i, j] = len(rs)
    return _collected_dataset(out, names, gammas, mixes)


def _collected_dataset(
    out: dict[str, np.ndarray], names: list[str], gammas: list[float], mixes: dict[str, Mixture]
) -> xr.Dataset:
    """The (mixture, Γ) dataset of :func:`collect_mixture_diffusion` with the mixtures as coordinates."""
    du, mg = "a1^2 omega_p1", ("mixture", "gamma")
    data = {k: variable(out[k], mg, units=du, long_name=v) for k, v in DIFF_VARS.items()}
    data["d_12_over_cs"] = variable(
        out["d_12"] / out["d_12_cs"], mg, units="1", long_name="MD D12 (mixing rule) / Chapman-Spitzer D12"
    )
    data["gamma_measured"] = variable(
        out["gamma_measured"], mg, units="1", long_name="coupling from the mean NVE temperature"
    )
    data["energy_drift"] = variable(
        out["energy_drift"], mg, units="k_B T", long_name="largest total-energy drift of the runs, per particle"
    )
    data["n_seeds"] = variable(out["n_seeds"], mg, units="1", long_name="independent runs combined")
    coords: dict[str, Any] = {
        "mixture": variable(names, "mixture", units="1", long_name="mixture name"),
        "gamma": variable(gammas, "gamma", units="1", long_name="BIM coupling Gamma = <Z^5/3> e^2/(a k_B T)"),
    }
    for key, long in (
        ("z1", "charge number Z1"),
        ("z2", "charge number Z2"),
        ("m1", "mass m1"),
        ("m2", "mass m2"),
        ("x2", "number fraction x2 of species 2"),
    ):
        coords[key] = variable([getattr(mixes[nm], key) for nm in names], "mixture", units="1", long_name=long)
    coords["to_mixture_units"] = variable(
        [units_factor(mixes[nm])["to_mixture_units"] for nm in names],
        "mixture",
        units="1",
        long_name="a1^2 omega_p1 / (a^2 omega_p): converts D to the units of Eq. 6",
    )
    return xr.Dataset(
        data,
        coords=coords,
        attrs={"description": "D in a1^2 omega_p1; a1 = (Z1/<Z>)^(1/3) a, omega_p1 = sqrt(3 <Z> Z1/m1)"},
    )


def mixture_from_dataset(ds: xr.Dataset, name: str) -> Mixture:
    """The :class:`Mixture` stored along the ``mixture`` dimension of a collected dataset."""
    s = ds.sel(mixture=name)
    return Mixture(name, *(float(s[k]) for k in ("z1", "z2", "m1", "m2", "x2")))


@lru_cache(maxsize=2)
def _table2(path: str) -> pd.DataFrame:
    if path == TABLE2:
        return read_csv("kineticflow.plasma.data", TABLE2)
    return pd.read_csv(path, comment="#")


def table2(path: str | Path = TABLE2) -> pd.DataFrame:
    """Table II of the plasma paper: columns ``x2``, ``m2_over_m1``, ``gamma``, ``d2`` (a₁²ω_{p,1})."""
    return _table2(str(path)).copy()


def table2_comparison(diffusion: xr.Dataset, path: str | Path = TABLE2) -> pd.DataFrame:
    """Computed D₂ ± error beside Table II for every simulated (mixture, Γ).

    Parameters
    ----------
    diffusion : xarray.Dataset
        Output of :func:`collect_mixture_diffusion`.
    path : path
        Table II (default: the shipped transcription).

    Returns
    -------
    pandas.DataFrame
        One row per simulated (mixture, Γ): ``d2``, ``d2_stderr``; for isotopic mixtures whose
        (x₂, m₂/m₁, Γ) is in Table II ``d2_paper``, ``rel_diff`` = D₂/D₂(paper) − 1 and
        ``n_sigma`` = (D₂ − D₂(paper))/stderr (NaN otherwise); D₁, D₁₂ (mixing rule), D₁₂(CS) and
        D₁₂ from the interdiffusion current (``d12_gk``), each with its ``*_stderr``.
    """
    t = table2(path)
    rows = []
    for name in diffusion["mixture"].values:
        mix = mixture_from_dataset(diffusion, str(name))
        for g in diffusion["gamma"].values:
            s = diffusion.sel(mixture=name, gamma=g)
            if not np.isfinite(float(s["d_2"])):
                continue
            ref = np.nan
            if mix.isotopic:
                hit = t[
                    np.isclose(t["x2"], mix.x2)
                    & np.isclose(t["m2_over_m1"], mix.m2 / mix.m1)
                    & np.isclose(t["gamma"], g)
                ]
                if len(hit):
                    ref = float(hit["d2"].iloc[0])
            d2, e2 = float(s["d_2"]), float(s["d_2_stderr"])
            rows.append(
                {
                    "mixture": str(name),
                    "z1": mix.z1,
                    "z2": mix.z2,
                    "m2_over_m1": mix.m2 / mix.m1,
                    "x2": mix.x2,
                    "gamma": float(g),
                    "gamma_measured": float(s["gamma_measured"]),
                    "d2": d2,
                    "d2_stderr": e2,
                    "d2_paper": ref,
                    "rel_diff": d2 / ref - 1 if np.isfinite(ref) else np.nan,
                    "n_sigma": (d2 - ref) / e2 if np.isfinite(ref) and e2 > 0 else np.nan,
                    "d1": float(s["d_1"]),
                    "d1_stderr": float(s["d_1_stderr"]),
                    "d12": float(s["d_12"]),
                    "d12_stderr": float(s["d_12_stderr"]),
                    "d12_cs": float(s["d_12_cs"]),
                    "d12_gk": float(s["d_12_gk"]) if "d_12_gk" in s else np.nan,
                    "d12_gk_stderr": float(s["d_12_gk_stderr"]) if "d_12_gk_stderr" in s else np.nan,
                }
            )
    return pd.DataFrame(rows)
