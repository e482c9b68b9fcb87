"""Global multi-exponential analysis of a measured ΔS(q, τ): decay-associated spectra.

The kinetic model ``exponentials``: ΔS(q, τ) = Σ_k DAS_k(q) f_k(τ) [+ offset(q) f_∞(τ)], where
f_k is the step-exponential of time constant T_k appearing at t₀, averaged over the instrument
response (:mod:`kineticflow.trxs.exponentials`), and DAS_k(q) are the decay-associated spectra
(van Stokkum et al. 2004). The spectra are linear and solved exactly for each trial (T, t₀)
by weighted least squares (weights 1/σ); log T (and t₀ if free) are fitted by variable projection
(:mod:`kineticflow.core.varpro`). Standard errors come from the covariance of the full problem.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from kineticflow.core.attrs import coord, variable
from kineticflow.core.varpro import VarproResult, varpro_fit
from kineticflow.trxs.exponentials import InstrumentResponse, irf_sigma, kinetic_basis, pulse_weights

SOURCE = (
    "global fit of exponentials convolved with the instrument response (TRXS paper Eqs 1 and 8); "
    "decay-associated spectra: I. H. M. van Stokkum, D. S. Larsen, R. van Grondelle, Biochim. Biophys. "
    "Acta 1657, 82 (2004); variable projection: G. H. Golub, V. Pereyra, SIAM J. Numer. Anal. 10, 413 (1973)"
)

TABLE_COLUMNS = ("parameter", "value", "stderr", "unit")


def _irf(
    fwhm_ps: float | None, jitter: float, pulse_profile: tuple[ArrayLike, ArrayLike] | None
) -> tuple[InstrumentResponse, dict[str, object]]:
    """The instrument response of the fit, and its attributes."""
    if pulse_profile is None:
        if fwhm_ps is None:
            raise ValueError("a Gaussian instrument response needs fwhm_ps (or give pulse_profile)")
        sigma = irf_sigma(fwhm_ps, jitter)
        attrs = {"irf": "gaussian", "fwhm_ps": fwhm_ps, "jitter": jitter, "irf_sigma_ps": sigma}
        return InstrumentResponse(sigma_ps=sigma), attrs
    pulse = pulse_weights(pulse_profile[0], pulse_profile[1], fwhm_ps, jitter)
    attrs = {
        "irf": "measured pulse profile",
        "fwhm_ps": "as measured" if fwhm_ps is None else fwhm_ps,
        "jitter": jitter,
    }
    return InstrumentResponse(pulse=pulse), attrs


def fit_exponentials(
    delta_s: ArrayLike,
    sigma: ArrayLike,
    tau_ps: ArrayLike,
    time_constants_ps: Sequence[float],
    *,
    irf: InstrumentResponse,
    offset: bool = True,
    t0_ps: float = 0.0,
    fit_t0: bool = False,
    absolute_sigma: bool = True,
) -> VarproResult:
    """Variable-projection fit of the ``exponentials`` model to arrays; θ = (log T_1, …, [t₀]).

    Parameters
    ----------
    delta_s, sigma : array_like, shape (n_q, n_tau)
        ΔS and its standard errors (> 0).
    tau_ps : array_like, shape (n_tau,)
        Delays, ps.
    time_constants_ps : sequence of float
        Starting time constants, ps (> 0).
    irf : kineticflow.trxs.exponentials.InstrumentResponse
        Gaussian σ or measured pulse weights.
    offset, t0_ps, fit_t0, absolute_sigma
        As for :func:`global_fit`.

    Returns
    -------
    kineticflow.core.varpro.VarproResult
        θ in (ln ps, ps); amplitudes (n_q, n_exp + offset) in the units of ΔS.
    """
    tau = np.asarray(tau_ps, dtype=float)
    n_exp = len(time_constants_ps)

    def basis(theta: NDArray[np.float64]) -> NDArray[np.float64]:
        t0 = theta[n_exp] if fit_t0 else t0_ps
        return kinetic_basis(tau, np.exp(theta[:n_exp]), t0, sigma_ps=irf.sigma_ps, pulse=irf.pulse, offset=offset)

    theta0 = np.log(np.asarray(time_constants_ps, dtype=float))
    steps = np.full(n_exp, 1e-6)
    if fit_t0:
        theta0 = np.append(theta0, t0_ps)
        steps = np.append(steps, 1e-6 * irf.width_ps)
    return varpro_fit(delta_s, sigma, basis, theta0, steps=steps, absolute_sigma=absolute_sigma)


def global_fit(
    obs: xr.Dataset,
    time_constants_ps: Sequence[float],
    *,
    fwhm_ps: float | None = None,
    jitter: float = 0.0,
    pulse_profile: tuple[ArrayLike, ArrayLike] | None = None,
    offset: bool = True,
    t0_ps: float = 0.0,
    fit_t0: bool = False,
    absolute_sigma: bool = True,
) -> xr.Dataset:
    """Global fit of n exponentials (+ offset) convolved with the instrument response to ΔS(q, τ).

    Parameters
    ----------
    obs : xarray.Dataset
        An observation (:mod:`kineticflow.trxs.observation`): ``delta_s(q, tau)`` and
        ``sigma(q, tau)``, τ in ps.
    time_constants_ps : sequence of float
        Starting time constants T_k, ps (> 0, distinct); the results are sorted ascending.
    fwhm_ps : float, optional
        FWHM of the x-ray pulse, ps: the Gaussian response (required without
        ``pulse_profile``), or the FWHM a measured profile is stretched to.
    jitter : float
        Gaussian jitter FWHM as a fraction of the pulse FWHM (TRXS Eq. 8), ≥ 0.
    pulse_profile : tuple of array_like, optional
        Measured pulse ``(time_ps, intensity)`` (e.g. :func:`kineticflow.trxs.pulses.read_pulse_profile`),
        convolved numerically.
    offset : bool
        Include a long-lived state (constant after t₀).
    t0_ps : float
        Time zero, ps (the start value if ``fit_t0``).
    fit_t0 : bool
        Fit t₀ as well.
    absolute_sigma : bool
        σ are the true standard errors (default); False scales the covariance by χ²_red.

    Returns
    -------
    xarray.Dataset
        ``time_constant(component)``, ``time_constant_stderr`` (ps); ``das(q, component)``,
        ``das_stderr`` (units of ΔS); ``offset(q)``, ``offset_stderr`` if ``offset``; scalars
        ``t0``, ``t0_stderr`` (ps; stderr 0 if fixed), ``chi2_reduced``; ``fit(q, tau)`` and the
        weighted residual map ``residual(q, tau)`` = (ΔS − fit)/σ. ``component`` is
        ``tau_1, tau_2, …`` in ascending time constant.

    Raises
    ------
    ValueError
        Without an instrument response, or with time constants that are not positive.
    kineticflow.core.varpro.VarproError
        If the problem is singular at the optimum (e.g. two time constants merged).

    References
    ----------
    I. H. M. van Stokkum, D. S. Larsen, R. van Grondelle, "Global and target analysis of
    time-resolved spectra", Biochim. Biophys. Acta 1657, 82 (2004).
    G. H. Golub and V. Pereyra, SIAM J. Numer. Anal. 10, 413 (1973).
    """
    if len(time_constants_ps) == 0 or min(time_constants_ps) <= 0:
        raise ValueError(f"time_constants_ps must be a non-empty list of values > 0, got {list(time_constants_ps)}")
    irf, irf_attrs = _irf(fwhm_ps, jitter, pulse_profile)
    obs = obs.transpose("q", "tau")
    res = fit_exponentials(
        obs["delta_s"].values,
        obs["sigma"].values,
        obs["tau"].values,
        time_constants_ps,
        irf=irf,
        offset=offset,
        t0_ps=t0_ps,
        fit_t0=fit_t0,
        absolute_sigma=absolute_sigma,
    )
    attrs = {
        "source": SOURCE,
        "model": "exponentials",
        **irf_attrs,
        "offset_included": int(offset),
        "t0_free": int(fit_t0),
        "absolute_sigma": int(absolute_sigma),
        "chi2": res.chi2,
        "dof": res.dof,
        "nfev": res.nfev,
        "converged": int(res.success),
        "optimizer_message": res.message,
    }
    return _result_dataset(obs, res, len(time_constants_ps), offset, fit_t0, t0_ps, attrs)


def _result_dataset(
    obs: xr.Dataset,
    res: VarproResult,
    n_exp: int,
    offset: bool,
    fit_t0: bool,
    t0_ps: float,
    attrs: dict[str, object],
) -> xr.Dataset:
    """The fit's dataset, time constants sorted ascending (with their spectra)."""
    log_t = res.theta[:n_exp]
    order = np.argsort(log_t)
    values = np.exp(log_t[order])
    stderr = values * np.sqrt(np.diag(res.theta_cov)[:n_exp][order])  # d T = T d(ln T)
    unit = str(obs["delta_s"].attrs.get("units", "1"))
    labels = [f"tau_{i + 1}" for i in range(n_exp)]
    t0 = float(res.theta[n_exp]) if fit_t0 else t0_ps
    t0_err = float(np.sqrt(res.theta_cov[n_exp, n_exp])) if fit_t0 else 0.0
    qt = ("q", "tau")
    data = {
        "time_constant": variable(values, "component", units="ps", long_name="time constant T_k"),
        "time_constant_stderr": variable(stderr, "component", units="ps", long_name="standard error of T_k"),
        "das": variable(
            res.amplitudes[:, order], ("q", "component"), units=unit, long_name="decay-associated spectrum DAS_k(q)"
        ),
        "das_stderr": variable(
            res.amplitudes_stderr[:, order], ("q", "component"), units=unit, long_name="standard error of DAS_k(q)"
        ),
        "t0": variable(t0, (), units="ps", long_name="time zero t0", vary=int(fit_t0)),
        "t0_stderr": variable(t0_err, (), units="ps", long_name="standard error of t0 (0 when fixed)"),
        "chi2_reduced": variable(res.chi2 / res.dof, (), units="1", long_name="reduced chi-square"),
        "fit": variable(res.model, qt, units=unit, long_name="fitted Delta S(q, tau)"),
        "residual": variable(
            (obs["delta_s"].values - res.model) / obs["sigma"].values, qt, units="1", long_name="(Delta S - fit)/sigma"
        ),
    }
    if offset:
        data["offset"] = variable(
            res.amplitudes[:, n_exp], "q", units=unit, long_name="spectrum of the long-lived state"
        )
        data["offset_stderr"] = variable(
            res.amplitudes_stderr[:, n_exp], "q", units=unit, long_name="standard error of the offset spectrum"
        )
    coords = {"q": obs["q"], "tau": obs["tau"], "component": coord("component", labels)}
    return xr.Dataset(data, coords=coords, attrs=attrs)


def global_fit_table(fit: xr.Dataset) -> pd.DataFrame:
    """The scalar results of :func:`global_fit` as a table.

    Parameters
    ----------
    fit : xarray.Dataset
        Output of :func:`global_fit`.

    Returns
    -------
    pandas.DataFrame
        Columns ``parameter, value, stderr, unit``; rows ``tau_1, tau_2, …`` (ascending), ``t0``
        (stderr NaN when t₀ was fixed), ``chi2_reduced`` (stderr NaN).
    """
    rows = [
        (str(c), float(v), float(e), "ps")
        for c, v, e in zip(fit["component"].values, fit["time_constant"].values, fit["time_constant_stderr"].values)
    ]
    t0_err = float(fit["t0_stderr"]) if int(fit["t0"].attrs.get("vary", 0)) else float("nan")
    rows.append(("t0", float(fit["t0"]), t0_err, "ps"))
    rows.append(("chi2_reduced", float(fit["chi2_reduced"]), float("nan"), "1"))
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
