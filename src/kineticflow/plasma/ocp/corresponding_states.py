"""Rosenfeld's corresponding-states (freezing-temperature) scaling of the Yukawa OCP self-diffusion.

Rosenfeld, PRE 62, 7524 (2000): in the macroscopic reduced units D_R = D n^{1/3} (m/k_B T)^{1/2}
the self-diffusion of the Yukawa OCP depends, to a good approximation, on Γ/Γ_m(κ) only. In
plasma units (D* = D/(a² ω_p), Γ = q²/(a k_B T)) D_R = (3/(4π))^{1/3} √(3Γ) D*: a check of the
κ a = 4 MD against the κ a = 0–2 MD and Table I's models (issue 26), which needs no new run.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import ArrayLike

from kineticflow.plasma.ocp.formulas import check_gamma, piecewise_d_star
from kineticflow.plasma.ocp.reference import gamma_melting, reference_parameters

#: n^{1/3} a = (3/(4π))^{1/3} = 0.6204 for the Wigner–Seitz radius a.
N_THIRD_A = (3.0 / (4.0 * math.pi)) ** (1.0 / 3.0)
#: Lower end of the Eyring range where Table I gives only Eq. (4) (κ a = 4), as in the fits.
EYRING_GAMMA_MIN = 50.0


def reduced_diffusion(d_star: ArrayLike, gamma: ArrayLike) -> np.ndarray:
    r"""Rosenfeld's reduced self-diffusion D_R from D* = D/(a² ω_p) at coupling Γ.

    .. math:: D_R = D\, n^{1/3} \left(\frac{m}{k_B T}\right)^{1/2}
              = \left(\frac{3}{4\pi}\right)^{1/3} \sqrt{3\Gamma}\, D^*

    (n a³ = 3/(4π), ω_p² = 3 q²/(m a³), k_B T = q²/(a Γ)).

    Parameters
    ----------
    d_star : array_like, shape (n,)
        D* [a² ω_p].
    gamma : array_like, shape (n,)
        Coupling Γ > 0.

    Returns
    -------
    ndarray, shape (n,)
        D_R [1].

    Raises
    ------
    ValueError
        If any Γ ≤ 0.

    References
    ----------
    Y. Rosenfeld, PRE 62, 7524 (2000), Eq. (1) and the reduced units there.

    Examples
    --------
    >>> round(float(reduced_diffusion(1.0, 1.0)), 4)
    1.0745
    """
    g = check_gamma(gamma)
    return N_THIRD_A * np.sqrt(3.0 * g) * np.asarray(d_star, dtype=float)


def table1_d_r(gamma: ArrayLike, kappa: float) -> np.ndarray:
    """D_R of Table I's model (Eq. 2 below the crossover, Eq. 4 above) of one κ at Γ; NaN without one.

    Parameters
    ----------
    gamma : array_like, shape (n,)
        Coupling Γ > 0.
    kappa : float
        κ a of a Table I row (0, 2, 4; κ a = 1 gives NaN: no legible parameters).

    Returns
    -------
    ndarray, shape (n,)
        D_R [1] (:func:`reduced_diffusion` of :func:`~kineticflow.plasma.ocp.formulas.piecewise_d_star`).

    Raises
    ------
    ValueError
        If any Γ ≤ 0.
    """
    r = reference_parameters(kappa)
    d = piecewise_d_star(gamma, r["alpha"], r["C"], r["A"], r["B"], EYRING_GAMMA_MIN)
    return reduced_diffusion(d, gamma)


def corresponding_states(diffusion: xr.Dataset) -> pd.DataFrame:
    """D_R against Γ/Γ_m at every MD point, beside Table I's model of the same κ and of the OCP.

    The abscissa is the measured coupling (``gamma_measured``, the nominal Γ where absent), as
    in the fits. The OCP comparison evaluates Table I's κ a = 0 model at the same Γ/Γ_m
    (Γ_0 = (Γ/Γ_m(κ)) Γ_m(0)): if the scaling held exactly, every κ's ratio to it would be 1.

    Parameters
    ----------
    diffusion : xarray.Dataset
        ``d_star(kappa, gamma)``, ``d_star_stderr`` [a² ω_p], optionally ``gamma_measured``.

    Returns
    -------
    pandas.DataFrame
        Columns ``kappa, gamma, gamma_m, gamma_ratio, d_star, d_star_stderr, d_r, d_r_stderr,
        d_r_table1, ratio_table1, d_r_table1_ocp, ratio_table1_ocp`` (one row per simulated point).

    References
    ----------
    Y. Rosenfeld, PRE 62, 7524 (2000); J. Daligault, PRL 108, 225004 (2012), Table I.
    """
    rows = []
    gm0 = gamma_melting(0.0)
    for k in diffusion["kappa"].values:
        d = diffusion.sel(kappa=k)
        ok = np.isfinite(d["d_star"].values)
        g = d["gamma_measured"].values if "gamma_measured" in d else d["gamma"].values
        g = np.where(np.isfinite(g), g, d["gamma"].values)[ok]
        gm = gamma_melting(float(k))
        d_r = reduced_diffusion(d["d_star"].values[ok], g)
        d_r_err = reduced_diffusion(d["d_star_stderr"].values[ok], g)
        model = table1_d_r(g, float(k))
        ocp = table1_d_r(g / gm * gm0, 0.0)
        rows.append(pd.DataFrame({
            "kappa": float(k), "gamma": d["gamma"].values[ok], "gamma_m": gm, "gamma_ratio": g / gm,
            "d_star": d["d_star"].values[ok], "d_star_stderr": d["d_star_stderr"].values[ok],
            "d_r": d_r, "d_r_stderr": d_r_err, "d_r_table1": model, "ratio_table1": d_r / model,
            "d_r_table1_ocp": ocp, "ratio_table1_ocp": d_r / ocp,
        }))  # fmt: skip
    return pd.concat(rows, ignore_index=True)
