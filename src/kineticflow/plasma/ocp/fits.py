"""Fits of the plasma-paper diffusion models to MD D*(Γ) (Daligault, PRL 108, 225004 (2012)).

Generalised Chapman–Spitzer (Eq. 2) over Γ ≤ Γ_CS,max (2 in the paper) and Eyring (Eq. 4) over
50 ≤ Γ ≤ Γ_m, both weighted by the statistical errors of D*, with ``lmfit``
(:func:`kineticflow.core.fitting.weighted_fit`); the published Table I values are placed beside
the fitted ones. The mixtures fit their Eqs 5 and 6 with the same :func:`fit_d_star_model`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import xarray as xr

from kineticflow.core.attrs import coord, variable
from kineticflow.core.fitting import FitError, FitResult, weighted_fit
from kineticflow.plasma.ocp.config import FitSettings
from kineticflow.plasma.ocp.formulas import chapman_spitzer_d_star, eyring_d_star, piecewise_d_star
from kineticflow.plasma.ocp.reference import gamma_melting, published_model_note, reference_parameters


@dataclass(frozen=True)
class ModelFit(FitResult):
    """A :class:`~kineticflow.core.fitting.FitResult` of a D*(Γ) model with the Γ range it used.

    Attributes
    ----------
    gamma_min, gamma_max : float
        Smallest and largest Γ of the fitted points.
    """

    gamma_min: float = float("nan")
    gamma_max: float = float("nan")


def fit_d_star_model(
    func: Callable[..., np.ndarray],
    names: tuple[str, str],
    p0: tuple[float, float],
    gamma: np.ndarray,
    d_star: np.ndarray,
    d_star_stderr: np.ndarray,
) -> ModelFit:
    """Weighted fit of a two-parameter D(Γ) model with non-negative parameters.

    Parameters
    ----------
    func, names, p0 : callable, tuple, tuple
        ``func(gamma, p1, p2)``; the parameters' names and starting values.
    gamma, d_star, d_star_stderr : ndarray, shape (n,)
        The points in the fit range, their D and its standard error (> 0).

    Returns
    -------
    ModelFit
        Errors scaled by √χ²_red when there are more points than parameters.

    Raises
    ------
    FitError
        Fewer than 2 points, non-positive errors, or no convergence.
    """
    if gamma.size < 2:
        raise FitError(f"need >= 2 D* points to fit {names}, got {gamma.size}")
    res = weighted_fit(
        func,
        gamma,
        d_star,
        d_star_stderr,
        dict(zip(names, p0, strict=True)),
        independent="gamma",
        bounds={n: (0.0, np.inf) for n in names},
        scale_covar=gamma.size > 2,
    )
    return ModelFit(
        res.values, res.stderr, res.redchi, res.n_points, gamma_min=float(gamma.min()), gamma_max=float(gamma.max())
    )


def fit_chapman_spitzer(
    gamma: npt.ArrayLike,
    d_star: npt.ArrayLike,
    d_star_stderr: npt.ArrayLike,
    gamma_max: float = 2.0,
    gamma_nominal: npt.ArrayLike | None = None,
) -> ModelFit:
    """Weighted fit of the generalised Chapman–Spitzer model (Eq. 2) for Γ ≤ ``gamma_max``.

    Parameters
    ----------
    gamma, d_star, d_star_stderr : array_like, shape (n,)
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
    g, d, e = (np.asarray(x, float) for x in (gamma, d_star, d_star_stderr))
    gn = g if gamma_nominal is None else np.asarray(gamma_nominal, float)
    sel = np.isfinite(d) & (gn <= gamma_max)

    def cs(gamma: np.ndarray, alpha: float, C: float) -> np.ndarray:  # noqa: N803
        return chapman_spitzer_d_star(gamma, alpha, C)

    return fit_d_star_model(cs, ("alpha", "C"), (0.6, 2.0), g[sel], d[sel], e[sel])


def fit_eyring(
    gamma: npt.ArrayLike,
    d_star: npt.ArrayLike,
    d_star_stderr: npt.ArrayLike,
    gamma_min: float = 50.0,
    gamma_max: float = np.inf,
    gamma_nominal: npt.ArrayLike | None = None,
) -> ModelFit:
    """Weighted fit of the Eyring model (Eq. 4) for ``gamma_min`` ≤ Γ ≤ ``gamma_max`` (= Γ_m).

    Parameters
    ----------
    gamma, d_star, d_star_stderr : array_like, shape (n,)
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
    g, d, e = (np.asarray(x, float) for x in (gamma, d_star, d_star_stderr))
    gn = g if gamma_nominal is None else np.asarray(gamma_nominal, float)
    sel = np.isfinite(d) & (gn >= gamma_min) & (gn <= gamma_max)

    def ey(gamma: np.ndarray, A: float, B: float) -> np.ndarray:  # noqa: N803
        return eyring_d_star(gamma, A, B)

    return fit_d_star_model(ey, ("A", "B"), (1.5, 0.005), g[sel], d[sel], e[sel])


def coupling(sub: xr.Dataset, use_measured_gamma: bool) -> np.ndarray:
    """Γ of the MD points: from the mean NVE temperature (``gamma_measured``) if asked and present."""
    name = "gamma_measured" if use_measured_gamma and "gamma_measured" in sub else "gamma"
    return np.asarray(sub[name].values, float)


#: The fitted parameters: name -> (units, long_name, model, prefix of the fit's own columns).
PARAMS = {
    "alpha": ("1", "Chapman-Spitzer correction factor alpha (Eq. 2)", "chapman_spitzer", "cs"),
    "C": ("1", "generalised Coulomb logarithm constant C (Eq. 2)", "chapman_spitzer", "cs"),
    "A": ("1", "Eyring prefactor A (Eq. 4)", "eyring", "eyring"),
    "B": ("1", "Eyring activation energy B = Delta U*/(q^2/a) (Eq. 4)", "eyring", "eyring"),
}


def fit_diffusion_models(diffusion: xr.Dataset, fits: FitSettings) -> xr.Dataset:
    """Fit Eq. 2 and Eq. 4 to D*(κ, Γ) for every κ, with the Table I values beside.

    Parameters
    ----------
    diffusion : xarray.Dataset
        ``d_star(kappa, gamma)`` and ``d_star_stderr(kappa, gamma)`` (a² ω_p), optionally
        ``gamma_measured`` (:func:`kineticflow.plasma.ocp.diffusion.collect_diffusion`).
    fits : FitSettings
        Fit ranges Γ ≤ ``cs_gamma_max`` (Eq. 2) and ``eyring_gamma_min`` ≤ Γ ≤ Γ_m(κ) (Eq. 4),
        the floor ``min_relative_error`` of the relative D* error used as weight, and
        ``use_measured_gamma`` (abscissa Γ = 1/⟨k_B T⟩ of the NVE run, the run's actual state point).

    Returns
    -------
    xarray.Dataset
        Per κ: ``alpha``, ``C``, ``A``, ``B`` with ``*_stderr``, ``*_ref`` (Table I, NaN if not
        published) and ``*_rel_diff`` (fit/ref − 1); ``cs_redchi``, ``eyring_redchi``,
        ``cs_n_points``, ``eyring_n_points``, the fit ranges and ``gamma_m``; per (κ, Γ):
        ``d_star``, ``d_star_stderr``, ``d_star_model_published``, ``d_star_model_fitted`` and
        the ratios ``ratio_published``, ``ratio_fitted`` (MD / model). A model with fewer than
        2 points in range gets NaN parameters.
    """
    kappas = diffusion["kappa"].values
    df = pd.DataFrame([_fit_kappa(diffusion.sel(kappa=k), float(k), fits) for k in kappas]).set_index("kappa")
    data = {
        col: variable(
            df[col].to_numpy(dtype=float), "kappa", units=_column_meta(col)[0], long_name=_column_meta(col)[1]
        )
        for col in df.columns
    }
    data.update(_model_comparison(diffusion, df, fits))
    return xr.Dataset(
        data,
        coords={"kappa": coord("kappa", df.index.to_numpy(float)), "gamma": coord("gamma", diffusion["gamma"].values)},
        attrs={"cs_gamma_max": fits.cs_gamma_max, "eyring_gamma_min": fits.eyring_gamma_min},
    )


def _fit_kappa(sub: xr.Dataset, k: float, fits: FitSettings) -> dict[str, float]:
    """Both fits of one κ with Table I beside: one row of the per-κ table."""
    g = coupling(sub, fits.use_measured_gamma)
    d = sub["d_star"].values
    e = np.maximum(sub["d_star_stderr"].values, fits.min_relative_error * np.abs(d))
    gm = gamma_melting(k)
    ref = reference_parameters(k)
    row: dict[str, float] = {"kappa": k, "gamma_m": gm}
    for name, fitter, kw in (
        ("cs", fit_chapman_spitzer, {"gamma_max": fits.cs_gamma_max}),
        ("eyring", fit_eyring, {"gamma_min": fits.eyring_gamma_min, "gamma_max": gm}),
    ):
        try:
            f = fitter(g, d, e, **kw, gamma_nominal=sub["gamma"].values)
        except FitError:
            f = None
        for p in (p for p, meta in PARAMS.items() if meta[3] == name):
            row[p] = f.values[p] if f else np.nan
            row[f"{p}_stderr"] = f.stderr[p] if f else np.nan
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
        return PARAMS[base][0], PARAMS[base][1]
    if base and col.endswith("_stderr"):
        return PARAMS[base][0], f"standard error of {base}"
    if base and col.endswith("_ref"):
        return PARAMS[base][0], f"{base} published in Table I of Daligault PRL 108, 225004 (2012)"
    if base and col.endswith("_rel_diff"):
        return "1", f"relative difference fitted/published - 1 of {base}"
    if col == "gamma_m":
        return "1", "coupling at melting Gamma_m (Table I; Hamaguchi et al., PRE 56, 4671 (1997))"
    if col.endswith("redchi"):
        return "1", f"reduced chi-square of the {col.split('_')[0]} fit"
    if col.endswith("n_points"):
        return "1", f"D* points in the {col.split('_')[0]} fit range"
    return "1", f"{col.replace('_', ' ')} of the fit range"


def _model_curves(diffusion: xr.Dataset, df: pd.DataFrame, fits: FitSettings) -> tuple[np.ndarray, np.ndarray]:
    """D* of the published and of the fitted model at every MD point: Eq. 2 below the crossover, Eq. 4 above."""
    kappas = diffusion["kappa"].values
    gam = diffusion["gamma"].values
    pub = np.full((len(kappas), len(gam)), np.nan)
    fit = np.full_like(pub, np.nan)
    for i, k in enumerate(kappas):
        r = df.loc[float(k)]
        x = coupling(diffusion.sel(kappa=k), fits.use_measured_gamma)
        x = np.where(np.isfinite(x), x, gam)
        pub[i] = piecewise_d_star(x, r["alpha_ref"], r["C_ref"], r["A_ref"], r["B_ref"], fits.eyring_gamma_min)
        fit[i] = piecewise_d_star(x, r["alpha"], r["C"], r["A"], r["B"])
    return pub, fit


def _model_comparison(diffusion: xr.Dataset, df: pd.DataFrame, fits: FitSettings) -> dict[str, xr.DataArray]:
    """MD D* against the models across all Γ (variables on (kappa, gamma))."""
    pub, fit = _model_curves(diffusion, df, fits)
    dims, dstar, du = ("kappa", "gamma"), diffusion["d_star"].values, "a^2 omega_p"
    data = {"d_star": variable(dstar, dims, units=du, long_name="MD self-diffusion coefficient D*")}
    if "gamma_measured" in diffusion:
        data["gamma_measured"] = variable(
            diffusion["gamma_measured"].values,
            dims,
            units="1",
            long_name="coupling from the mean NVE temperature (abscissa of fits and ratios)",
        )
    data["d_star_stderr"] = variable(
        diffusion["d_star_stderr"].values, dims, units=du, long_name="statistical standard error of D*"
    )
    data["d_star_model_published"] = variable(
        pub, dims, units=du, long_name="D* of Eqs 2/4 with Table I parameters (Eq. 2 below their crossover)"
    )
    data["d_star_model_fitted"] = variable(
        fit, dims, units=du, long_name="D* of Eqs 2/4 with the fitted parameters (Eq. 2 below their crossover)"
    )
    data["ratio_published"] = variable(dstar / pub, dims, units="1", long_name="MD D* / published model")
    data["ratio_fitted"] = variable(dstar / fit, dims, units="1", long_name="MD D* / fitted model")
    return data


def _fit_note(kappa: float, row: Mapping[str, Any]) -> str:
    """Why a row of :func:`fits_table` has a blank fitted or published value ("" if none is blank)."""
    few = "" if np.isfinite(row["fitted"]) else f"fewer than 2 D* points in the {row['model']} fit range"
    published = "" if np.isfinite(row["published"]) else published_model_note(kappa)
    return "; ".join(n for n in (few, published) if n)


def fits_table(fits: xr.Dataset) -> pd.DataFrame:
    """Long table of fitted vs published parameters: one row per (κ, parameter).

    Parameters
    ----------
    fits : xarray.Dataset
        Output of :func:`fit_diffusion_models`.

    Returns
    -------
    pandas.DataFrame
        Columns ``kappa``, ``parameter``, ``model``, ``fitted``, ``fitted_stderr``,
        ``published`` (Table I), ``rel_diff`` (fitted/published − 1), ``redchi``, ``n_points``,
        ``gamma_min``, ``gamma_max`` (the fit range used) and ``note`` (why a value is blank,
        e.g. "no published model for κa = 3 (not in Table I)").
    """
    rows = []
    for k in fits["kappa"].values:
        s = fits.sel(kappa=k)
        for p, (_, _, model, pre) in PARAMS.items():
            row = {
                "kappa": float(k),
                "parameter": p,
                "model": model,
                "fitted": float(s[p]),
                "fitted_stderr": float(s[f"{p}_stderr"]),
                "published": float(s[f"{p}_ref"]),
                "rel_diff": float(s[f"{p}_rel_diff"]),
                "redchi": float(s[f"{pre}_redchi"]),
                "n_points": int(s[f"{pre}_n_points"]),
                "gamma_min": float(s[f"{pre}_gamma_min"]),
                "gamma_max": float(s[f"{pre}_gamma_max"]),
            }
            rows.append({**row, "note": _fit_note(float(k), row)})
    return pd.DataFrame(rows)


def d_star_table(fits: xr.Dataset) -> pd.DataFrame:
    """D* per (κ, Γ) with its error, the model values and the MD/model ratios (report table).

    Parameters
    ----------
    fits : xarray.Dataset
        Output of :func:`fit_diffusion_models` (``d_star``, ``d_star_stderr``, ``gamma_measured``,
        ``d_star_model_published``, ``d_star_model_fitted``, ``ratio_published``,
        ``ratio_fitted`` on (kappa, gamma)).

    Returns
    -------
    pandas.DataFrame
        One row per simulated (κ, Γ); pairs that were not simulated are left out. Columns as
        above plus ``d_star_rel_stderr``, ``ratio_published_stderr``, ``ratio_fitted_stderr``
        (the MD error over the model value) and ``note`` (why a model column is blank, e.g.
        "no published model for κa = 3 (not in Table I)").
    """
    cols = [
        "gamma_measured",
        "d_star",
        "d_star_stderr",
        "d_star_model_published",
        "ratio_published",
        "d_star_model_fitted",
        "ratio_fitted",
    ]
    df = fits[[c for c in cols if c in fits]].to_dataframe().reset_index()
    df = df.dropna(subset=["d_star"])
    if "gamma_measured" not in df:  # a user's D* table without it: the same columns, left blank
        df.insert(2, "gamma_measured", np.nan)
    df.insert(3, "d_star_rel_stderr", df["d_star_stderr"] / df["d_star"])
    # the MD error carried to the ratios (the report shows ratio ± error); appended, so the
    # columns before keep their place
    for model in ("published", "fitted"):
        if f"ratio_{model}" in df:
            df[f"ratio_{model}_stderr"] = df["d_star_stderr"] / df[f"d_star_model_{model}"]
    df = df.round(6)
    df["note"] = [_d_star_note(r) for r in df.to_dict("records")]
    return df


def _d_star_note(row: Mapping[str, Any]) -> str:
    """Why a row of :func:`d_star_table` has a blank model value ("" if none is)."""
    notes = []
    if not np.isfinite(row.get("d_star_model_published", np.nan)):
        notes.append(published_model_note(row["kappa"]) or f"Table I's model not defined at Γ = {row['gamma']:g}")
    if not np.isfinite(row.get("d_star_model_fitted", np.nan)):
        notes.append("no fitted model (fewer than 2 D* points in each fit range)")
    return "; ".join(notes)
