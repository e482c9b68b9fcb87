"""Fits of the plasma-paper diffusion models to MD D*(Γ) (Daligault, PRL 108, 225004 (2012)).

Generalised Chapman–Spitzer (Eq. 2) over Γ ≤ Γ_CS,max (2 in the paper) and Eyring (Eq. 4) over
50 ≤ Γ ≤ Γ_m, both weighted by the statistical errors of D*, with ``lmfit``; the published
Table I values are placed beside the fitted ones.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import xarray as xr

from kineticflow.core.fitting import FitError, weighted_fit
from kineticflow.core.io import with_attrs
from kineticflow.plasma.models import (
    chapman_spitzer_d_star,
    eyring_d_star,
    gamma_melting,
    piecewise_d_star,
    reference_parameters,
)


@dataclass(frozen=True)
class ModelFit:
    """Result of one weighted least-squares fit of a D*(Γ) model.

    Attributes
    ----------
    values, errors : dict
        Best-fit parameters and their standard errors (scaled by √χ²_red, lmfit default).
    redchi : float
        Reduced χ² (NaN with as many points as parameters).
    n_points : int
        Points in the fit range.
    gamma_min, gamma_max : float
        Fit range actually used.
    """

    values: dict[str, float]
    errors: dict[str, float]
    redchi: float
    n_points: int
    gamma_min: float
    gamma_max: float


def _fit(
    func: Callable[..., np.ndarray],
    names: tuple[str, str],
    p0: tuple[float, float],
    gamma: np.ndarray,
    d_star: np.ndarray,
    d_star_err: np.ndarray,
) -> ModelFit:
    """Weighted fit of a two-parameter D*(Γ) model with non-negative parameters."""
    if gamma.size < 2:
        raise FitError(f"need >= 2 D* points to fit {names}, got {gamma.size}")
    res = weighted_fit(
        func,
        gamma,
        d_star,
        d_star_err,
        dict(zip(names, p0, strict=True)),
        independent="gamma",
        bounds={n: (0.0, np.inf) for n in names},
        scale_covar=gamma.size > 2,
    )
    return ModelFit(res.values, res.stderr, res.redchi, res.n_points, float(gamma.min()), float(gamma.max()))


def fit_chapman_spitzer(
    gamma: npt.ArrayLike,
    d_star: npt.ArrayLike,
    d_star_err: npt.ArrayLike,
    gamma_max: float = 2.0,
    gamma_nominal: npt.ArrayLike | None = None,
) -> ModelFit:
    """Weighted fit of the generalised Chapman–Spitzer model (Eq. 2) for Γ ≤ ``gamma_max``.

    Parameters
    ----------
    gamma, d_star, d_star_err : array_like, shape (n,)
        Coupling, MD D* and its standard error.
    gamma_max : float
        Upper end of the fit range (paper: 2).
    gamma_nominal : array_like, shape (n,), optional
        Nominal Γ of the runs, used to pick the points in range when ``gamma`` holds the
        measured values (a run at Γ = 2 measured at 2.004 stays in the fit).

    Returns
    -------
    ModelFit
        Parameters ``alpha``, ``C``.

    Raises
    ------
    FitError
        Fewer than 2 points in range, non-positive errors, or no convergence.
    """
    g, d, e = (np.asarray(x, float) for x in (gamma, d_star, d_star_err))
    gn = g if gamma_nominal is None else np.asarray(gamma_nominal, float)
    sel = np.isfinite(d) & (gn <= gamma_max)

    def cs(gamma: np.ndarray, alpha: float, C: float) -> np.ndarray:  # noqa: N803
        return chapman_spitzer_d_star(gamma, alpha, C)

    return _fit(cs, ("alpha", "C"), (0.6, 2.0), g[sel], d[sel], e[sel])


def fit_eyring(
    gamma: npt.ArrayLike,
    d_star: npt.ArrayLike,
    d_star_err: npt.ArrayLike,
    gamma_min: float = 50.0,
    gamma_max: float = np.inf,
    gamma_nominal: npt.ArrayLike | None = None,
) -> ModelFit:
    """Weighted fit of the Eyring model (Eq. 4) for ``gamma_min`` ≤ Γ ≤ ``gamma_max`` (= Γ_m).

    Parameters
    ----------
    gamma, d_star, d_star_err : array_like, shape (n,)
        Coupling, MD D* and its standard error.
    gamma_min, gamma_max : float
        Fit range (paper: 50 ≤ Γ ≤ Γ_m).
    gamma_nominal : array_like, shape (n,), optional
        Nominal Γ used to pick the points in range (see :func:`fit_chapman_spitzer`).

    Returns
    -------
    ModelFit
        Parameters ``A``, ``B``.

    Raises
    ------
    FitError
        As :func:`fit_chapman_spitzer`.
    """
    g, d, e = (np.asarray(x, float) for x in (gamma, d_star, d_star_err))
    gn = g if gamma_nominal is None else np.asarray(gamma_nominal, float)
    sel = np.isfinite(d) & (gn >= gamma_min) & (gn <= gamma_max)

    def ey(gamma: np.ndarray, A: float, B: float) -> np.ndarray:  # noqa: N803
        return eyring_d_star(gamma, A, B)

    return _fit(ey, ("A", "B"), (1.5, 0.005), g[sel], d[sel], e[sel])


def _coupling(sub: xr.Dataset, fits: Mapping[str, Any]) -> np.ndarray:
    """Γ of the MD points: from the mean NVE temperature (``gamma_measured``) if configured."""
    if fits.get("use_measured_gamma", True) and "gamma_measured" in sub:
        return np.asarray(sub["gamma_measured"].values, float)
    return np.asarray(sub["gamma"].values, float)


PARAMS = {
    "alpha": ("1", "Chapman-Spitzer correction factor alpha (Eq. 2)"),
    "C": ("1", "generalised Coulomb logarithm constant C (Eq. 2)"),
    "A": ("1", "Eyring prefactor A (Eq. 4)"),
    "B": ("1", "Eyring activation energy B = Delta U*/(q^2/a) (Eq. 4)"),
}


def fit_diffusion_models(diffusion: xr.Dataset, fits: Mapping[str, Any]) -> xr.Dataset:
    """Fit Eq. 2 and Eq. 4 to D*(κ, Γ) for every κ, with the Table I values beside.

    Parameters
    ----------
    diffusion : xarray.Dataset
        ``d_star(kappa, gamma)`` and ``d_star_err(kappa, gamma)`` (from ``collect_diffusion``).
    fits : mapping
        ``plasma.fits`` config: ``cs_gamma_max`` (Γ ≤ this for Eq. 2), ``eyring_gamma_min``
        (Γ ≥ this and ≤ Γ_m(κ) for Eq. 4), ``min_relative_error`` (floor of the D* error used
        as weight, relative), ``use_measured_gamma`` (abscissa Γ = 1/⟨k_B T⟩ of the NVE run,
        ``gamma_measured``, instead of the nominal Γ; the run's actual state point).

    Returns
    -------
    xarray.Dataset
        Per κ: ``alpha``, ``C``, ``A``, ``B`` with ``*_err`` (standard errors), ``*_ref``
        (Table I, NaN if not published) and ``*_rel_diff`` (fit/ref − 1); ``cs_redchi``,
        ``eyring_redchi``, ``cs_n_points``, ``eyring_n_points``, fit ranges and ``gamma_m``;
        per (κ, Γ): ``d_star``, ``d_star_model_published``, ``d_star_model_fitted`` and the
        ratios ``ratio_published``, ``ratio_fitted`` (MD / model).
        A model with fewer than 2 points in range gets NaN parameters.
    """
    kappas = diffusion["kappa"].values
    df = pd.DataFrame([_fit_kappa(diffusion.sel(kappa=k), float(k), fits) for k in kappas]).set_index("kappa")
    data = {
        col: with_attrs(xr.DataArray(df[col].to_numpy(dtype=float), dims="kappa"), *_column_meta(col))
        for col in df.columns
    }
    data.update(_model_comparison(diffusion, df, fits))
    gam = diffusion["gamma"].values
    return xr.Dataset(
        data,
        coords={
            "kappa": with_attrs(
                xr.DataArray(df.index.to_numpy(float), dims="kappa"), "1", "screening parameter kappa a"
            ),
            "gamma": with_attrs(xr.DataArray(gam, dims="gamma"), "1", "coupling parameter Gamma"),
        },
        attrs={"cs_gamma_max": fits["cs_gamma_max"], "eyring_gamma_min": fits["eyring_gamma_min"]},
    )


def _fit_kappa(sub: xr.Dataset, k: float, fits: Mapping[str, Any]) -> dict[str, float]:
    """Both fits of one κ with Table I beside: one row of the per-κ table."""
    g = _coupling(sub, fits)
    d = sub["d_star"].values
    e = np.maximum(sub["d_star_err"].values, fits["min_relative_error"] * np.abs(d))
    gm = gamma_melting(k)
    ref = reference_parameters(k)
    row: dict[str, float] = {"kappa": k, "gamma_m": gm}
    for name, fitter, kw in (
        ("cs", fit_chapman_spitzer, {"gamma_max": fits["cs_gamma_max"]}),
        ("eyring", fit_eyring, {"gamma_min": fits["eyring_gamma_min"], "gamma_max": gm}),
    ):
        try:
            f = fitter(g, d, e, **kw, gamma_nominal=sub["gamma"].values)
        except FitError:
            f = None
        pnames = ("alpha", "C") if name == "cs" else ("A", "B")
        for p in pnames:
            row[p] = f.values[p] if f else np.nan
            row[f"{p}_err"] = f.stderr[p] if f else np.nan
            row[f"{p}_ref"] = ref[p]
            row[f"{p}_rel_diff"] = row[p] / ref[p] - 1.0 if f and np.isfinite(ref[p]) else np.nan
        row[f"{name}_redchi"] = f.redchi if f else np.nan
        row[f"{name}_n_points"] = f.n_points if f else 0
        row[f"{name}_gamma_min"] = f.gamma_min if f else np.nan
        row[f"{name}_gamma_max"] = f.gamma_max if f else np.nan
    return row


def _column_meta(col: str) -> tuple[str, str]:
    """(units, long_name) of a column of the per-κ fit table."""
    base = col.split("_")[0] if col.split("_")[0] in PARAMS else None
    if base and col == base:
        return PARAMS[base]
    if base and col.endswith("_err"):
        return PARAMS[base][0], f"standard error of {base}"
    if base and col.endswith("_ref"):
        return PARAMS[base][0], f"{base} published in Table I of Daligault PRL 108, 225004 (2012)"
    if base and col.endswith("_rel_diff"):
        return "1", f"relative difference fitted/published - 1 of {base}"
    if col == "gamma_m":
        return "1", "coupling at melting Gamma_m (Table I)"
    if col.endswith("redchi"):
        return "1", f"reduced chi-square of the {col.split('_')[0]} fit"
    if col.endswith("n_points"):
        return "1", f"D* points in the {col.split('_')[0]} fit range"
    return "1", f"{col.replace('_', ' ')} of the fit range"


def _model_comparison(diffusion: xr.Dataset, df: pd.DataFrame, fits: Mapping[str, Any]) -> dict[str, xr.DataArray]:
    """MD D* against the models across all Γ: Eq. 2 below the crossover, Eq. 4 above."""
    kappas = diffusion["kappa"].values
    gam = diffusion["gamma"].values
    pub = np.full((len(kappas), len(gam)), np.nan)
    fit = np.full_like(pub, np.nan)
    for i, k in enumerate(kappas):
        r = df.loc[float(k)]
        x = _coupling(diffusion.sel(kappa=k), fits)
        x = np.where(np.isfinite(x), x, gam)
        pub[i] = piecewise_d_star(x, r["alpha_ref"], r["C_ref"], r["A_ref"], r["B_ref"], fits["eyring_gamma_min"])
        fit[i] = piecewise_d_star(x, r["alpha"], r["C"], r["A"], r["B"])
    dims = ("kappa", "gamma")
    dstar = diffusion["d_star"].values
    data = {"d_star": with_attrs(xr.DataArray(dstar, dims=dims), "1", "MD self-diffusion coefficient D*")}
    if "gamma_measured" in diffusion:
        data["gamma_measured"] = with_attrs(
            xr.DataArray(diffusion["gamma_measured"].values, dims=dims),
            "1",
            "coupling from the mean NVE temperature (abscissa of fits and ratios)",
        )
    data["d_star_err"] = with_attrs(
        xr.DataArray(diffusion["d_star_err"].values, dims=dims), "1", "statistical standard error of D*"
    )
    data["d_star_model_published"] = with_attrs(
        xr.DataArray(pub, dims=dims), "1", "D* of Eqs 2/4 with Table I parameters (Eq. 2 below their crossover)"
    )
    data["d_star_model_fitted"] = with_attrs(
        xr.DataArray(fit, dims=dims), "1", "D* of Eqs 2/4 with the fitted parameters (Eq. 2 below their crossover)"
    )
    data["ratio_published"] = with_attrs(xr.DataArray(dstar / pub, dims=dims), "1", "MD D* / published model")
    data["ratio_fitted"] = with_attrs(xr.DataArray(dstar / fit, dims=dims), "1", "MD D* / fitted model")
    return data


def fits_table(fits: xr.Dataset) -> pd.DataFrame:
    """Long table of fitted vs published parameters: one row per (κ, parameter)."""
    rows = []
    for k in fits["kappa"].values:
        s = fits.sel(kappa=k)
        for p in PARAMS:
            model = "chapman_spitzer" if p in ("alpha", "C") else "eyring"
            pre = "cs" if model == "chapman_spitzer" else "eyring"
            rows.append(
                {
                    "kappa": float(k),
                    "parameter": p,
                    "model": model,
                    "fitted": float(s[p]),
                    "stderr": float(s[f"{p}_err"]),
                    "published": float(s[f"{p}_ref"]),
                    "rel_diff": float(s[f"{p}_rel_diff"]),
                    "redchi": float(s[f"{pre}_redchi"]),
                    "n_points": int(s[f"{pre}_n_points"]),
                    "gamma_min": float(s[f"{pre}_gamma_min"]),
                    "gamma_max": float(s[f"{pre}_gamma_max"]),
                }
            )
    return pd.DataFrame(rows)


def d_star_table(fits: xr.Dataset) -> pd.DataFrame:
    """D* per (κ, Γ) with its error, the model values and the MD/model ratios (report table).

    Parameters
    ----------
    fits : xarray.Dataset
        Output of :func:`fit_diffusion_models` (``d_star``, ``d_star_err``, ``gamma_measured``,
        ``d_star_model_published``, ``d_star_model_fitted``, ``ratio_published``,
        ``ratio_fitted`` on (kappa, gamma)).

    Returns
    -------
    pandas.DataFrame
        One row per simulated (κ, Γ); pairs that were not simulated are left out. Columns as
        above plus ``d_star_rel_err`` and ``ratio_published_err``, ``ratio_fitted_err`` (the MD
        error over the model value).
    """
    cols = [
        "gamma_measured",
        "d_star",
        "d_star_err",
        "d_star_model_published",
        "ratio_published",
        "d_star_model_fitted",
        "ratio_fitted",
    ]
    df = fits[[c for c in cols if c in fits]].to_dataframe().reset_index()
    df = df.dropna(subset=["d_star"])
    df.insert(3, "d_star_rel_err", df["d_star_err"] / df["d_star"])
    # the MD error carried to the ratios (the report shows ratio ± error); appended, so the
    # columns before keep their place
    for model in ("published", "fitted"):
        if f"ratio_{model}" in df:
            df[f"ratio_{model}_err"] = df["d_star_err"] / df[f"d_star_model_{model}"]
    return df.round(6)
