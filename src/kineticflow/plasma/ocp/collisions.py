"""Collision frequency ν/ω_p = 1/(3Γ D*) of the plasma paper's model and of the MD (Fig. 1, bottom-left inset).

Daligault, PRL 108, 225004 (2012). Eq. (1), D = k_BT/(m ν), in reduced units reads
ν/ω_p = 1/(3 Γ D*) (k_BT/(m a² ω_p²) = 1/(3Γ)). With Eq. (2), ν = α ν₀ ln Λ and
ν₀/ω_p = Γ^{3/2}/√(3π) (ν₀ = (4/3)√(π/m) n q⁴/(k_BT)^{3/2}, n a³ = 3/(4π)):

    ν/ω_p = α Γ^{3/2} ln Λ / √(3π),

with three Coulomb logarithms (λ_D/r_c = 1/(√3 Γ^{3/2})):

* generalised (Eq. 2):        ln Λ = ln(1 + C λ_D/r_c);
* Chapman–Spitzer (Γ ≪ 1):    ln Λ = ln(C λ_D/r_c);
* the "Rutherford" ansatz:    ln Λ = ½ ln(1 + C² λ_D²/r_c²) (the paper's Ref. 6), which the paper shows
  to be inadequate: it falls like C²/(6 · 3Γ³) at strong coupling instead of saturating.

The paper finds ν ≈ 0.25 ω_p for 4 ≤ Γ ≤ 30 (κ = 0).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pandas as pd
import xarray as xr

from kineticflow.core.attrs import coord, variable
from kineticflow.plasma.ocp.reference import reference_parameters

#: The paper's saturation range of ν (κ = 0) and its value.
SATURATION_RANGE = (4.0, 30.0)
SATURATION_PAPER = 0.25


def nu_from_d_star(d_star: npt.ArrayLike, gamma: npt.ArrayLike) -> np.ndarray:
    r"""Collision frequency ν/ω_p = 1/(3 Γ D*) of a self-diffusion coefficient (plasma paper Eq. 1).

    Parameters
    ----------
    d_star : array_like
        D* = D/(a² ω_p) > 0.
    gamma : array_like
        Coupling Γ > 0 (broadcast against ``d_star``).

    Returns
    -------
    ndarray
        ν/ω_p.

    Notes
    -----
    .. math::

        \nu/\omega_p = \frac{1}{3\,\Gamma\,D^*}

    References
    ----------
    J. Daligault, PRL 108, 225004 (2012), Eq. (1) in reduced units.

    Examples
    --------
    >>> float(nu_from_d_star(1.0, 1.0))
    0.3333333333333333
    """
    return 1.0 / (3.0 * np.asarray(gamma, float) * np.asarray(d_star, float))


def coulomb_logarithm(gamma: npt.ArrayLike, c: float, form: str = "generalised") -> np.ndarray:
    """Coulomb logarithm ln Λ of the OCP at coupling Γ, λ_D/r_c = 1/(√3 Γ^{3/2}).

    Parameters
    ----------
    gamma : array_like
        Coupling Γ > 0.
    c : float
        The constant C.
    form : {"generalised", "chapman_spitzer", "rutherford"}
        ln(1 + C λ_D/r_c) (Eq. 2), ln(C λ_D/r_c) (Γ ≪ 1 limit; NaN where ≤ 0) or
        ½ ln(1 + C² λ_D²/r_c²) (Rutherford ansatz).

    Returns
    -------
    ndarray
        ln Λ.

    Raises
    ------
    ValueError
        If ``form`` is unknown or a Γ ≤ 0.

    References
    ----------
    J. Daligault, PRL 108, 225004 (2012), Eq. (2) and its Ref. 6 (the Rutherford ansatz).

    Examples
    --------
    >>> round(float(coulomb_logarithm(1.0, 2.159)), 4)  # ln(1 + 2.159/√3)
    0.8094
    """
    g = np.asarray(gamma, float)
    if np.any(~(g > 0)):
        raise ValueError("gamma must be > 0")
    x = c / (math.sqrt(3.0) * g**1.5)
    if form == "generalised":
        return np.log1p(x)
    if form == "chapman_spitzer":
        with np.errstate(divide="ignore", invalid="ignore"):
            lnl = np.log(x)
        return np.where(lnl > 0, lnl, np.nan)
    if form == "rutherford":
        return 0.5 * np.log1p(x**2)
    raise ValueError(f"form = {form!r}; allowed: 'generalised', 'chapman_spitzer', 'rutherford'")


def nu_model(gamma: npt.ArrayLike, alpha: float, c: float, form: str = "generalised") -> np.ndarray:
    r"""ν/ω_p = α Γ^{3/2} ln Λ/√(3π) of the generalised Chapman–Spitzer model (Eq. 2) and its variants.

    Parameters
    ----------
    gamma : array_like
        Coupling Γ > 0.
    alpha, c : float
        α and C of Eq. (2).
    form : str
        Coulomb logarithm, see :func:`coulomb_logarithm`.

    Returns
    -------
    ndarray
        ν/ω_p; equals :func:`nu_from_d_star` of the model's D* for ``form="generalised"``.

    Raises
    ------
    ValueError
        As :func:`coulomb_logarithm`.

    Notes
    -----
    .. math::

        \nu/\omega_p = \alpha\,\Gamma^{3/2}\ln\Lambda/\sqrt{3\pi}

    References
    ----------
    J. Daligault, PRL 108, 225004 (2012), Eq. (2).

    Examples
    --------
    >>> round(float(nu_model(1.0, 0.647, 2.159)), 5)  # 0.647 ln(1 + 2.159/√3)/√(3π)
    0.17058
    """
    g = np.asarray(gamma, float)
    return alpha * g**1.5 * coulomb_logarithm(g, c, form) / math.sqrt(3.0 * math.pi)


def _grid(diffusion: xr.Dataset, n: int = 200) -> np.ndarray:
    g = diffusion["gamma"].values.astype(float)
    return np.logspace(np.log10(min(g.min(), 0.1) * 0.8), np.log10(max(g.max(), 50.0)), n)


def collision_frequency(diffusion: xr.Dataset, fits: xr.Dataset) -> xr.Dataset:
    """ν/ω_p from the MD and from Eq. (2) (fitted and Table I), its Γ ≪ 1 limit and the Rutherford ansatz.

    Parameters
    ----------
    diffusion : xarray.Dataset
        ``d_star``, ``d_star_stderr``, ``gamma_measured`` on (kappa, gamma).
    fits : xarray.Dataset
        ``alpha``, ``C`` per kappa (:func:`kineticflow.plasma.ocp.fits.fit_diffusion_models`).

    Returns
    -------
    xarray.Dataset
        On (kappa, gamma): ``nu_md``, ``nu_md_stderr`` (MD error propagated), ``gamma_measured``.
        On (kappa, gamma_grid): ``nu_model_fitted``, ``nu_model_published`` (Eq. 2),
        ``nu_cs_limit_published`` (Γ ≪ 1 limit) and ``nu_rutherford_published`` (ansatz), NaN where
        the parameters are missing. All ν in units of ω_p.
    """
    kappas = diffusion["kappa"].values.astype(float)
    grid = _grid(diffusion)
    g = diffusion["gamma_measured"].values.astype(float)
    g = np.where(np.isfinite(g), g, diffusion["gamma"].values.astype(float)[None, :])
    d, e = diffusion["d_star"].values, diffusion["d_star_stderr"].values
    nu = nu_from_d_star(d, g)
    curves = {k: np.full((kappas.size, grid.size), np.nan) for k in
              ("nu_model_fitted", "nu_model_published", "nu_cs_limit_published", "nu_rutherford_published")}  # fmt: skip
    for i, kappa in enumerate(kappas):
        ref = reference_parameters(kappa)
        f = fits.sel(kappa=kappa)
        if np.isfinite(float(f["alpha"])) and np.isfinite(float(f["C"])):
            curves["nu_model_fitted"][i] = nu_model(grid, float(f["alpha"]), float(f["C"]))
        if np.isfinite(ref["alpha"]):
            for name, form in (("nu_model_published", "generalised"), ("nu_cs_limit_published", "chapman_spitzer"),
                               ("nu_rutherford_published", "rutherford")):  # fmt: skip
                curves[name][i] = nu_model(grid, ref["alpha"], ref["C"], form)
    return _collision_dataset(kappas, diffusion["gamma"].values, grid, curves, nu, nu * e / d, g)


#: Long names of the model curves of :func:`collision_frequency`.
CURVES = {
    "nu_model_fitted": "nu/omega_p of Eq. 2 with the fitted alpha, C",
    "nu_model_published": "nu/omega_p of Eq. 2 with the Table I alpha, C",
    "nu_cs_limit_published": "nu/omega_p of the Gamma << 1 (Chapman-Spitzer) limit, Table I alpha, C",
    "nu_rutherford_published": "nu/omega_p with the Rutherford ansatz ln L = 0.5 ln(1 + C^2 lambda_D^2/r_c^2)",
}


def _collision_dataset(
    kappas: np.ndarray,
    gammas: np.ndarray,
    grid: np.ndarray,
    curves: dict[str, np.ndarray],
    nu: np.ndarray,
    nu_stderr: np.ndarray,
    g: np.ndarray,
) -> xr.Dataset:
    kg, kc = ("kappa", "gamma"), ("kappa", "gamma_grid")
    data = {k: variable(v, kc, units="omega_p", long_name=CURVES[k]) for k, v in curves.items()}
    data["nu_md"] = variable(nu, kg, units="omega_p", long_name="MD collision frequency 1/(3 Gamma D*)")
    data["nu_md_stderr"] = variable(nu_stderr, kg, units="omega_p", long_name="standard error of nu_md")
    data["gamma_measured"] = variable(g, kg, units="1", long_name="coupling of the MD run (abscissa)")
    return xr.Dataset(
        data,
        coords={
            "kappa": coord("kappa", kappas),
            "gamma": coord("gamma", gammas),
            "gamma_grid": coord("gamma_grid", grid),
        },
        attrs={"saturation_range": list(SATURATION_RANGE), "saturation_paper": SATURATION_PAPER},
    )


def collision_summary(nu: xr.Dataset) -> pd.DataFrame:
    """The numbers the paper quotes about ν, per κ: saturation over 4 ≤ Γ ≤ 30 and the ansatz's failure.

    Parameters
    ----------
    nu : xarray.Dataset
        Output of :func:`collision_frequency`.

    Returns
    -------
    pandas.DataFrame
        Rows (``kappa``, ``quantity``, ``value``, ``value_stderr``, ``paper``): ``nu_saturation_md``
        (error-weighted mean of the MD ν at nominal 4 ≤ Γ ≤ 30, with its error; ``n_points`` says
        how many), ``nu_saturation_model_published`` / ``_fitted`` (mean of Eq. 2 over the range,
        ``value_min``/``value_max`` its spread), and ``rutherford_over_model_gamma_{1,10,30}``
        (ν of the ansatz over ν of Eq. 2, Table I parameters).
    """
    lo, hi = SATURATION_RANGE
    grid = nu["gamma_grid"].values
    in_range = (grid >= lo) & (grid <= hi)
    rows = []
    for kappa in nu["kappa"].values.astype(float):
        s = nu.sel(kappa=kappa)
        sel = (s["gamma"].values >= lo) & (s["gamma"].values <= hi) & np.isfinite(s["nu_md"].values)
        v, e = s["nu_md"].values[sel], s["nu_md_stderr"].values[sel]
        mean, err = (
            (float(np.sum(v / e**2) / np.sum(1 / e**2)), float(np.sum(1 / e**2) ** -0.5))
            if v.size
            else (np.nan, np.nan)
        )
        rows.append({"kappa": kappa, "quantity": "nu_saturation_md", "value": mean, "value_stderr": err,
                     "value_min": float(v.min()) if v.size else np.nan, "value_max": float(v.max()) if v.size else np.nan,
                     "n_points": int(v.size), "paper": SATURATION_PAPER if kappa == 0 else np.nan})  # fmt: skip
        for which in ("published", "fitted"):
            m = s[f"nu_model_{which}"].values[in_range]
            ok = bool(np.all(np.isfinite(m)))
            rows.append({"kappa": kappa, "quantity": f"nu_saturation_model_{which}", "value": float(m.mean()) if ok else np.nan,
                         "value_stderr": np.nan, "value_min": float(m.min()) if ok else np.nan,
                         "value_max": float(m.max()) if ok else np.nan, "n_points": int(in_range.sum()),
                         "paper": SATURATION_PAPER if kappa == 0 else np.nan})  # fmt: skip
        ref = reference_parameters(kappa)
        for g in (1.0, 10.0, 30.0):
            ratio = np.nan
            if np.isfinite(ref["alpha"]):
                ratio = float(nu_model(g, ref["alpha"], ref["C"], "rutherford") / nu_model(g, ref["alpha"], ref["C"]))
            rows.append({"kappa": kappa, "quantity": f"rutherford_over_model_gamma_{g:g}", "value": ratio,
                         "value_stderr": np.nan, "value_min": np.nan, "value_max": np.nan, "n_points": 1,
                         "paper": np.nan})  # fmt: skip
    return pd.DataFrame(rows)
