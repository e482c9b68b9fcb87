"""The Eyring model with a free power of Γ (plasma paper, footnote 18) and the activation energy γ = B Γ_m.

Daligault, PRL 108, 225004 (2012). Eq. (4), D* = (A/Γ) e^{−BΓ}, written with the melting
temperature T_m (Γ/Γ_m = T_m/T) and a free exponent s of Γ:

    D* = (A/Γ^s) e^{−γ T_m/T} = (A/Γ^s) e^{−γ Γ/Γ_m},          γ = ΔU*/(k_B T_m) = B Γ_m,

to test the temperature dependence of the prefactor; the paper finds s = 1 ± 0.006 (footnote 18) and
ΔU* ≈ 1.2–1.4 k_B T_m (Table I: γ = 1.41, 1.37, 1.30, 1.21 for κa = 0, 1, 2, 4).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
import xarray as xr

from kineticflow.core.attrs import coord, variable
from kineticflow.core.fitting import FitError, FitResult, weighted_fit
from kineticflow.plasma.ocp.config import FitSettings
from kineticflow.plasma.ocp.reference import gamma_melting, table1

#: Footnote 18 of the plasma paper: the fitted exponent s and its error.
S_PAPER = (1.0, 0.006)


def eyring_free_exponent_d_star(gamma: npt.ArrayLike, a: float, s: float, gamma_e: float, gamma_m: float) -> np.ndarray:
    r"""D* = (A/Γ^s) exp(−γ Γ/Γ_m) (plasma paper, footnote 18; s = 1 is Eq. 4 with B = γ/Γ_m).

    Parameters
    ----------
    gamma : array_like
        Coupling Γ > 0.
    a : float
        Prefactor A.
    s : float
        Exponent of Γ in the prefactor.
    gamma_e : float
        Activation energy γ = ΔU*/(k_B T_m).
    gamma_m : float
        Coupling at melting Γ_m.

    Returns
    -------
    ndarray
        D* = D/(a² ω_p).

    Notes
    -----
    .. math::

        D^* = \frac{A}{\Gamma^s}\,e^{-\gamma\,\Gamma/\Gamma_m}

    References
    ----------
    J. Daligault, PRL 108, 225004 (2012), Eq. (4) and footnote 18.

    Examples
    --------
    >>> round(float(eyring_free_exponent_d_star(100.0, 1.52, 1.0, 0.0082 * 175, 175.0)), 6)  # (1.52/100) e^{-0.82}
    0.006695
    """
    g = np.asarray(gamma, float)
    return a / g**s * np.exp(-gamma_e * g / gamma_m)


def fit_eyring_free_exponent(
    gamma: npt.ArrayLike, d_star: npt.ArrayLike, d_star_stderr: npt.ArrayLike, gamma_m: float
) -> FitResult:
    """Weighted fit of A, s and γ of :func:`eyring_free_exponent_d_star` (lmfit).

    Parameters
    ----------
    gamma, d_star, d_star_stderr : array_like, shape (n,)
        The points to fit (already restricted to the Eyring range), D* and its standard error.
    gamma_m : float
        Γ_m of the κ (fixed).

    Returns
    -------
    FitResult
        Parameters ``A``, ``s``, ``gamma_e``; errors scaled by √χ²_red.

    Raises
    ------
    FitError
        Fewer than 4 points (three parameters and one degree of freedom for the error), or no
        convergence.
    """
    g, d, e = (np.asarray(x, float) for x in (gamma, d_star, d_star_stderr))
    if g.size < 4:
        raise FitError(f"need >= 4 D* points to fit A, s, gamma of the free-exponent Eyring model, got {g.size}")

    def model(gamma: np.ndarray, A: float, s: float, gamma_e: float) -> np.ndarray:  # noqa: N803
        return eyring_free_exponent_d_star(gamma, A, s, gamma_e, gamma_m)

    bounds = {"A": (0.0, np.inf), "s": (0.0, 5.0), "gamma_e": (0.0, 20.0)}
    return weighted_fit(model, g, d, e, {"A": 1.5, "s": 1.0, "gamma_e": 1.3}, independent="gamma", bounds=bounds)


def eyring_exponent(diffusion: xr.Dataset, fits: xr.Dataset, cfg: FitSettings) -> xr.Dataset:
    """Free-exponent Eyring fit per κ over Γ ≥ ``eyring_gamma_min`` (≤ Γ_m), beside γ = B Γ_m of Eq. 4.

    Parameters
    ----------
    diffusion : xarray.Dataset
        ``d_star``, ``d_star_stderr`` (and ``gamma_measured``) on (kappa, gamma).
    fits : xarray.Dataset
        ``B``, ``B_stderr`` per kappa (:func:`kineticflow.plasma.ocp.fits.fit_diffusion_models`).
    cfg : FitSettings
        ``eyring_gamma_min``, ``min_relative_error``, ``use_measured_gamma``: the same range,
        weights and abscissa as the two-parameter fit.

    Returns
    -------
    xarray.Dataset
        Per kappa: ``s``, ``gamma_free``, ``A_free`` with ``*_stderr``, ``redchi``, ``n_points``;
        ``gamma_eyring`` = B Γ_m with ``gamma_eyring_stderr`` (Eq. 4 fit); ``gamma_eyring_paper``
        (Table I) and ``s_paper`` (footnote 18). NaN where < 4 points.
    """
    names = ["s", "s_stderr", "gamma_free", "gamma_free_stderr", "A_free", "A_free_stderr", "redchi", "n_points",
             "gamma_eyring", "gamma_eyring_stderr", "gamma_eyring_paper", "gamma_m"]  # fmt: skip
    kappas = diffusion["kappa"].values.astype(float)
    out = {k: np.full(kappas.size, np.nan) for k in names}
    for i, kappa in enumerate(kappas):
        sub = diffusion.sel(kappa=kappa)
        gm = gamma_melting(kappa)
        g = sub["gamma"].values.astype(float)
        if cfg.use_measured_gamma and "gamma_measured" in sub:
            g = np.where(np.isfinite(sub["gamma_measured"].values), sub["gamma_measured"].values, g)
        d = sub["d_star"].values
        e = np.maximum(sub["d_star_stderr"].values, cfg.min_relative_error * np.abs(d))
        nominal = sub["gamma"].values
        sel = np.isfinite(d) & (nominal >= cfg.eyring_gamma_min) & (nominal <= gm * 1.0001)
        out["n_points"][i], out["gamma_m"][i] = sel.sum(), gm
        out["gamma_eyring_paper"][i] = _table1_gamma(kappa)
        b = fits.sel(kappa=kappa)
        out["gamma_eyring"][i], out["gamma_eyring_stderr"][i] = float(b["B"]) * gm, float(b["B_stderr"]) * gm
        try:
            f = fit_eyring_free_exponent(g[sel], d[sel], e[sel], gm)
        except FitError:
            continue
        for p, key in (("s", "s"), ("gamma_e", "gamma_free"), ("A", "A_free")):
            out[key][i], out[f"{key}_stderr"][i] = f.values[p], f.stderr[p]
        out["redchi"][i] = f.redchi
    return _exponent_dataset(kappas, out)


def _table1_gamma(kappa: float) -> float:
    t = table1()
    return float(t.loc[kappa, "gamma_eyring"]) if kappa in t.index else np.nan


def _exponent_dataset(kappas: np.ndarray, out: dict[str, np.ndarray]) -> xr.Dataset:
    longs = {
        "s": "exponent s of Gamma in D* = (A/Gamma^s) exp(-gamma Gamma/Gamma_m) (footnote 18)",
        "gamma_free": "activation energy gamma = Delta U*/(k_B T_m) of the free-exponent fit",
        "A_free": "prefactor A of the free-exponent fit",
        "redchi": "reduced chi-square of the free-exponent fit",
        "n_points": "D* points in the fit (nominal eyring_gamma_min <= Gamma <= Gamma_m)",
        "gamma_eyring": "gamma = B Gamma_m = Delta U*/(k_B T_m) from the Eq. 4 fit (s = 1)",
        "gamma_eyring_paper": "gamma = B Gamma_m of Table I",
        "gamma_m": "coupling at melting Gamma_m (Table I; Hamaguchi et al., PRE 56, 4671 (1997))",
    }
    data = {}
    for k, v in out.items():
        base = k.removesuffix("_stderr")
        long = longs[k] if k in longs else f"standard error of {base}"
        data[k] = variable(v, "kappa", units="1", long_name=long)
    data["s_paper"] = variable(np.full(kappas.size, S_PAPER[0]), "kappa", units="1", long_name="s of footnote 18")
    data["s_paper_stderr"] = variable(
        np.full(kappas.size, S_PAPER[1]), "kappa", units="1", long_name="standard error of s of footnote 18"
    )
    return xr.Dataset(data, coords={"kappa": coord("kappa", kappas)})


def exponent_table(ds: xr.Dataset) -> pd.DataFrame:
    """One row per κ: s ± stderr beside the paper's 1 ± 0.006, γ free and γ = B Γ_m beside Table I.

    Parameters
    ----------
    ds : xarray.Dataset
        Output of :func:`eyring_exponent`.

    Returns
    -------
    pandas.DataFrame
        Columns ``kappa``, ``n_points``, ``s``, ``s_stderr``, ``s_paper``, ``s_paper_stderr``,
        ``gamma_free``, ``gamma_free_stderr``, ``gamma_eyring``, ``gamma_eyring_stderr``,
        ``gamma_eyring_paper``, ``redchi``.
    """
    cols = ["n_points", "s", "s_stderr", "s_paper", "s_paper_stderr", "gamma_free", "gamma_free_stderr",
            "gamma_eyring", "gamma_eyring_stderr", "gamma_eyring_paper", "redchi"]  # fmt: skip
    return ds[cols].to_dataframe().reset_index()
