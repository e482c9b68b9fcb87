"""Per-species fits of the mixture diffusion models: Eq. 5 (α_j, C'_j) and Eq. 6 (A_j, B_j) of the plasma paper.

Daligault, PRL 108, 225004 (2012). The weighted fit is the OCP's
(:func:`kineticflow.plasma.ocp.fits.fit_d_star_model`), and the fitted values are named as there:
``<param>`` and ``<param>_stderr`` in the dataset, ``fitted`` and ``fitted_stderr`` in the table.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import xarray as xr

from kineticflow.core.attrs import variable
from kineticflow.core.fitting import FitError
from kineticflow.plasma.mixtures.diffusion import mixture_from_dataset
from kineticflow.plasma.mixtures.formulas import Mixture, eq5_d_star, eq6_d_star, units_factor
from kineticflow.plasma.ocp.config import FitSettings
from kineticflow.plasma.ocp.fits import fit_d_star_model

#: The fitted parameters: name -> (long_name, model, prefix of the fit's own variables).
FIT_PARAMS = {
    "alpha": ("Chapman-Spitzer correction alpha_j (Eq. 5)", "chapman_spitzer", "cs"),
    "c_prime": ("Coulomb logarithm constant C'_j (Eq. 5)", "chapman_spitzer", "cs"),
    "A": ("Eyring prefactor A_j (Eq. 6, D in units of a^2 omega_p)", "eyring", "eyring"),
    "B": ("Eyring activation energy B_j (Eq. 6)", "eyring", "eyring"),
}
#: Per-fit quality variables: name -> long_name.
FIT_QUALITY = {
    "cs_n_points": "D_j points in the Eq. 5 fit range",
    "eyring_n_points": "D_j points in the Eq. 6 fit range",
    "cs_redchi": "reduced chi-square of the Eq. 5 fit",
    "eyring_redchi": "reduced chi-square of the Eq. 6 fit",
}


def _eq5_for(mix: Mixture, species: int) -> Callable[..., np.ndarray]:
    """Eq. 5 of one species as a function of (gamma, alpha, c_prime) only (lmfit parameters)."""

    def eq5(gamma: np.ndarray, alpha: float, c_prime: float) -> np.ndarray:
        return eq5_d_star(gamma, alpha, c_prime, mix, species)

    return eq5


def _eq6(gamma: np.ndarray, A: float, B: float) -> np.ndarray:  # noqa: N803 - lmfit parameter names
    return eq6_d_star(gamma, A, B)


def _fit_species(
    res: dict[str, np.ndarray], i: int, s: int, mix: Mixture, sub: xr.Dataset, g: np.ndarray, fits: FitSettings
) -> None:
    """Eq. 5 and Eq. 6 fits of species ``s`` of mixture ``i``, written into ``res[...][i, s - 1]``."""
    d = sub[f"d_{s}"].values
    e = np.maximum(sub[f"d_{s}_stderr"].values, fits.min_relative_error * np.abs(d))
    ok = np.isfinite(d) & np.isfinite(e)
    g_nom = sub["gamma"].values.astype(float)  # fit ranges by nominal Γ (measured Γ ≈ 49.9 stays "50")
    k = units_factor(mix)["to_mixture_units"]
    for model, func, params, start, sel, scale in (
        ("cs", _eq5_for(mix, s), ("alpha", "c_prime"), (0.6, 1.2), ok & (g_nom <= fits.cs_gamma_max), 1.0),
        ("eyring", _eq6, ("A", "B"), (1.5, 0.005), ok & (g_nom >= fits.eyring_gamma_min), k),
    ):
        try:
            f = fit_d_star_model(func, params, start, g[sel], d[sel] * scale, e[sel] * scale)
            for p in params:
                res[p][i, s - 1], res[f"{p}_stderr"][i, s - 1] = f.values[p], f.stderr[p]
            res[f"{model}_redchi"][i, s - 1] = f.redchi
        except (FitError, ValueError):
            pass
        res[f"{model}_n_points"][i, s - 1] = int(sel.sum())


def fit_mixture_models(diffusion: xr.Dataset, fits: FitSettings) -> xr.Dataset:
    """Per-species fits of Eq. 5 (α_j, C'_j; Γ ≤ ``cs_gamma_max``) and Eq. 6 (A_j, B_j; Γ ≥ ``eyring_gamma_min``).

    Weighted by the D_j errors floored at ``min_relative_error``·D_j, with lmfit (the fitter of
    :mod:`kineticflow.plasma.ocp.fits`). Eq. 6 is fitted to D_j/(a²ω_p) (mixture ω_p), as in the
    paper. Abscissa: ``gamma_measured`` if ``use_measured_gamma``; the ranges apply to the nominal
    Γ. A range with < 2 points gives NaN.

    Parameters
    ----------
    diffusion : xarray.Dataset
        Output of :func:`kineticflow.plasma.mixtures.diffusion.collect_mixture_diffusion`.
    fits : FitSettings
        The ``plasma.mixtures.fits`` settings.

    Returns
    -------
    xarray.Dataset
        ``alpha``, ``c_prime``, ``A``, ``B`` and ``*_stderr`` on (mixture, species);
        ``cs_n_points``, ``eyring_n_points``, ``cs_redchi``, ``eyring_redchi``.
    """
    names = [str(n) for n in diffusion["mixture"].values]
    keys = [*FIT_PARAMS, *(f"{p}_stderr" for p in FIT_PARAMS), *FIT_QUALITY]
    res = {k: np.full((len(names), 2), np.nan) for k in keys}
    for i, name in enumerate(names):
        mix = mixture_from_dataset(diffusion, name)
        sub = diffusion.sel(mixture=name)
        if fits.use_measured_gamma:
            g = np.where(np.isfinite(sub["gamma_measured"].values), sub["gamma_measured"].values, sub["gamma"].values)
        else:
            g = sub["gamma"].values.astype(float)
        for s in (1, 2):
            _fit_species(res, i, s, mix, sub, g, fits)
    data = {}
    for key, v in res.items():
        base = key.removesuffix("_stderr")
        long = FIT_PARAMS[key][0] if key in FIT_PARAMS else FIT_QUALITY.get(key, f"standard error of {base}")
        data[key] = variable(v, ("mixture", "species"), units="1", long_name=long)
    return xr.Dataset(
        data,
        coords={
            "mixture": variable(names, "mixture", units="1", long_name="mixture name"),
            "species": variable([1, 2], "species", units="1", long_name="ionic species j"),
        },
        attrs={"cs_gamma_max": fits.cs_gamma_max, "eyring_gamma_min": fits.eyring_gamma_min},
    )


def fits_table(fits: xr.Dataset) -> pd.DataFrame:
    """Long table of the per-species fit parameters: one row per (mixture, species, parameter).

    Parameters
    ----------
    fits : xarray.Dataset
        Output of :func:`fit_mixture_models`.

    Returns
    -------
    pandas.DataFrame
        Columns ``mixture``, ``species``, ``parameter``, ``model``, ``fitted``, ``fitted_stderr``,
        ``n_points``, ``redchi`` (the names of the OCP's table, :func:`kineticflow.plasma.ocp.fits.fits_table`).
    """
    rows = []
    for name in fits["mixture"].values:
        for s in (1, 2):
            f = fits.sel(mixture=name, species=s)
            for p, (_, model, pre) in FIT_PARAMS.items():
                rows.append(
                    {
                        "mixture": str(name),
                        "species": s,
                        "parameter": p,
                        "model": model,
                        "fitted": float(f[p]),
                        "fitted_stderr": float(f[f"{p}_stderr"]),
                        "n_points": int(f[f"{pre}_n_points"]),
                        "redchi": float(f[f"{pre}_redchi"]),
                    }
                )
    return pd.DataFrame(rows)
