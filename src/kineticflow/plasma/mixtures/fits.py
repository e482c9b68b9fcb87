"""Per-species fits of the mixture diffusion models: Eq. 5 (α_j, C'_j) and Eq. 6 (A_j, B_j) of the plasma paper."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from kineticflow.core.io import with_attrs
from kineticflow.plasma.mixtures.diffusion import mixture_from_dataset
from kineticflow.plasma.mixtures.formulas import Mixture, eq5_d_star, eq6_d_star, units_factor

FIT_PARAMS = {
    "alpha": "Chapman-Spitzer correction alpha_j (Eq. 5)",
    "c_prime": "Coulomb logarithm constant C'_j (Eq. 5)",
    "A": "Eyring prefactor A_j (Eq. 6, units a^2 omega_p)",
    "B": "Eyring activation energy B_j (Eq. 6)",
}


def _eq5_for(mix: Mixture, species: int) -> Callable[..., np.ndarray]:
    """Eq. 5 of one species as a function of (gamma, alpha, c_prime) only (lmfit parameters)."""

    def eq5(gamma: np.ndarray, alpha: float, c_prime: float) -> np.ndarray:
        return eq5_d_star(gamma, alpha, c_prime, mix, species)

    return eq5


def _eq6(gamma: np.ndarray, A: float, B: float) -> np.ndarray:  # noqa: N803 - lmfit parameter names
    return eq6_d_star(gamma, A, B)


def fit_mixture_models(diffusion: xr.Dataset, fits: Mapping[str, Any]) -> xr.Dataset:
    """Per-species fits of Eq. 5 (α_j, C'_j; Γ ≤ ``cs_gamma_max``) and Eq. 6 (A_j, B_j; Γ ≥ ``eyring_gamma_min``).

    Weighted by the D_j errors floored at ``min_relative_error``·D_j, with lmfit (the fitter of
    :mod:`kineticflow.plasma.fits`). Eq. 6 is fitted to D_j/(a²ω_p) (mixture ω_p), as in the paper.
    Abscissa: ``gamma_measured`` if ``use_measured_gamma``; the ranges apply to the nominal Γ.
    A range with < 2 points gives NaN.

    Returns
    -------
    xarray.Dataset
        ``alpha``, ``c_prime``, ``A``, ``B`` and ``*_err`` on (mixture, species); ``cs_n_points``,
        ``eyring_n_points``, ``cs_redchi``, ``eyring_redchi``.
    """
    from kineticflow.plasma.fits import FitError, _fit

    names = [str(n) for n in diffusion["mixture"].values]
    res = {
        k: np.full((len(names), 2), np.nan)
        for k in [
            *FIT_PARAMS,
            *(f"{p}_err" for p in FIT_PARAMS),
            "cs_n_points",
            "eyring_n_points",
            "cs_redchi",
            "eyring_redchi",
        ]
    }
    for i, name in enumerate(names):
        mix = mixture_from_dataset(diffusion, name)
        sub = diffusion.sel(mixture=name)
        if fits.get("use_measured_gamma", True):
            g = np.where(np.isfinite(sub["gamma_measured"].values), sub["gamma_measured"].values, sub["gamma"].values)
        else:
            g = sub["gamma"].values.astype(float)
        for s in (1, 2):
            d = sub[f"d_{s}"].values
            e = np.maximum(sub[f"d_{s}_err"].values, fits["min_relative_error"] * np.abs(d))
            ok = np.isfinite(d) & np.isfinite(e)
            g_nom = sub["gamma"].values.astype(float)  # fit ranges by nominal Γ (measured Γ ≈ 49.9 stays "50")
            k = units_factor(mix)["to_mixture_units"]
            for model, func, params, start, sel, scale in (
                ("cs", _eq5_for(mix, s), ("alpha", "c_prime"), (0.6, 1.2), ok & (g_nom <= fits["cs_gamma_max"]), 1.0),
                ("eyring", _eq6, ("A", "B"), (1.5, 0.005), ok & (g_nom >= fits["eyring_gamma_min"]), k),
            ):
                try:
                    f = _fit(func, params, start, g[sel], d[sel] * scale, e[sel] * scale)
                    for p in params:
                        res[p][i, s - 1], res[f"{p}_err"][i, s - 1] = f.values[p], f.stderr[p]
                    res[f"{model}_redchi"][i, s - 1] = f.redchi
                except (FitError, ValueError):
                    pass
                res[f"{model}_n_points"][i, s - 1] = int(sel.sum())
    data = {}
    for key, v in res.items():
        base = key.removesuffix("_err")
        long = (
            FIT_PARAMS[base]
            if key in FIT_PARAMS
            else (f"standard error of {base}" if base in FIT_PARAMS else key.replace("_", " "))
        )
        data[key] = with_attrs(xr.DataArray(v, dims=("mixture", "species")), "1", long)
    return xr.Dataset(
        data,
        coords={
            "mixture": with_attrs(xr.DataArray(names, dims="mixture"), "1", "mixture name"),
            "species": with_attrs(xr.DataArray([1, 2], dims="species"), "1", "ionic species j"),
        },
        attrs={k: fits[k] for k in ("cs_gamma_max", "eyring_gamma_min")},
    )


def fits_table(fits: xr.Dataset) -> pd.DataFrame:
    """Long table of the per-species fit parameters: one row per (mixture, species, parameter)."""
    rows = []
    for name in fits["mixture"].values:
        for s in (1, 2):
            f = fits.sel(mixture=name, species=s)
            for p in FIT_PARAMS:
                pre = "cs" if p in ("alpha", "c_prime") else "eyring"
                rows.append(
                    {
                        "mixture": str(name),
                        "species": s,
                        "parameter": p,
                        "value": float(f[p]),
                        "stderr": float(f[f"{p}_err"]),
                        "n_points": int(f[f"{pre}_n_points"]),
                        "redchi": float(f[f"{pre}_redchi"]),
                    }
                )
    return pd.DataFrame(rows)
