"""Tikhonov deconvolution and the Eq. 2 inversion of an observation, where its delays and q range allow.

The same methods as the simulated path (docs/trxs.md, "Beyond the paper" and "Fourier inversion"),
without a truth to compare with:

* :func:`deconvolve_observation`: ΔS(q, τ) = ∫ dt I_eff(t − τ) ΔS_inst(q, t) solved for ΔS_inst on
  a uniform padded time grid by Tikhonov regularisation with the second difference, λ by GCV or
  the L-curve (Hansen, *Rank-Deficient and Discrete Ill-Posed Problems*, SIAM 1998). Not run when
  the grid would exceed :data:`MAX_DECONVOLUTION_POINTS` (delays spanning nanoseconds at a
  picosecond step).
* :func:`invert_observation`: ΔS[r, τ] = 1/(2π² r) ∫ dq q M(q) ΔS(q, τ) sin(qr) (TRXS paper
  Eq. 2) over ``trxs.inversion``'s q range. Not run when the observation does not cover it.

Either way the file is written; its attribute ``status`` is ``done`` or says why not.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from kineticflow.core.attrs import coord, variable
from kineticflow.trxs.config import Deconvolution, Inversion, Weighting

#: Largest padded time grid of the deconvolution (the factorisation costs ∝ n_t³).
MAX_DECONVOLUTION_POINTS = 2000
#: Units of ΔS[r] for the units of ΔS(q): Eq. 2 multiplies by Å⁻³.
INVERTED_UNITS = {"angstrom^3": "1", "electrons^2 angstrom^3": "electrons^2", "1": "1/angstrom^3"}


def _not_run(reason: str, **attrs: object) -> xr.Dataset:
    return xr.Dataset(attrs={"status": f"not run: {reason}", **attrs})


def deconvolve_observation(
    obs: xr.Dataset, pulse: tuple[NDArray[np.float64], NDArray[np.float64]], params: Deconvolution
) -> xr.Dataset:
    """Tikhonov deconvolution of every q of an observation with one λ (GCV or L-curve).

    Parameters
    ----------
    obs : xarray.Dataset
        The contract: ``delta_s(q, tau)``.
    pulse : tuple of ndarray
        The effective pulse: lags (ps, increasing) and I (1/ps, unit area)
        (:func:`kineticflow.trxs.observed.effective_pulse`).
    params : Deconvolution
        Grid step and padding (in effective FWHM), λ method and grid (``trxs.deconvolution``).

    Returns
    -------
    xarray.Dataset
        ``delta_s_inst(q, t_padded)``, ``delta_s_inst_at_tau(q, tau)``; over ``lam``: ``gcv``
        (relative to its minimum), ``residual_norm``, ``solution_seminorm``; scalars
        ``lambda_chosen``, ``lambda_gcv``, ``lambda_lcurve``; attribute ``status``. Without
        variables, and ``status`` saying why, when the grid exceeds :data:`MAX_DECONVOLUTION_POINTS`.
    """
    from kineticflow.core.regularisation import (
        gcv_lambda,
        l_curve_lambda,
        lambda_grid,
        lambda_scan,
        second_difference_matrix,
        tikhonov_factorise,
        tikhonov_solve,
    )
    from kineticflow.trxs.deconvolution import interpolate_time, padded_time_grid, pulse_function, pulse_matrix
    from kineticflow.trxs.pulses import measure_fwhm

    obs = obs.transpose("q", "tau")
    tau, d = obs["tau"].values, obs["delta_s"].values.T
    fwhm = measure_fwhm(*pulse)
    t = padded_time_grid(tau, fwhm, params.t_step_ps, params.pad_fwhm)
    if t.size > MAX_DECONVOLUTION_POINTS:
        return _not_run(
            f"the delays ({tau.min():g} to {tau.max():g} ps) need {t.size} points at trxs.deconvolution.t_step_ps = "
            f"{params.t_step_ps:g} ps, more than {MAX_DECONVOLUTION_POINTS}; allowed: a step >= "
            f"{(t[-1] - t[0]) / (MAX_DECONVOLUTION_POINTS - 1):.3g} ps",
            n_t=int(t.size),
        )
    fact = tikhonov_factorise(pulse_matrix(tau, t, pulse_function(*pulse)), second_difference_matrix(t.size))
    scan = lambda_scan(fact, d, lambda_grid(fact, params.n_lambda, params.lambda_min_rel, params.lambda_max_rel))
    lam_gcv, lam_lc = gcv_lambda(scan), l_curve_lambda(scan)
    lam = lam_gcv if params.lambda_method == "gcv" else lam_lc
    x = tikhonov_solve(fact, d, lam)
    unit = str(obs["delta_s"].attrs.get("units", "1"))
    data = {
        "delta_s_inst": variable(x.T, ("q", "t_padded"), units=unit, long_name="deconvolved Delta S_inst(q, t)"),
        "delta_s_inst_at_tau": variable(
            interpolate_time(x, t, tau).T, ("q", "tau"), units=unit, long_name="deconvolved Delta S_inst(q, t = tau)"
        ),
        "gcv": variable(scan.gcv / scan.gcv.min(), "lam", units="1", long_name="GCV function / its minimum"),
        "residual_norm": variable(scan.residual_norm, "lam", units=unit, long_name="residual norm ||A x - d||"),
        "solution_seminorm": variable(scan.solution_seminorm, "lam", units=unit, long_name="seminorm ||L x||"),
        "lambda_chosen": variable(lam, (), units="1", long_name=f"lambda used ({params.lambda_method})"),
        "lambda_gcv": variable(lam_gcv, (), units="1", long_name="lambda minimising GCV"),
        "lambda_lcurve": variable(lam_lc, (), units="1", long_name="lambda at the L-curve corner"),
    }
    coords = {"q": obs["q"], "tau": obs["tau"], "t_padded": coord("t_padded", t), "lam": coord("lam", scan.lam)}
    attrs = {
        "status": "done",
        "source": "Tikhonov regularisation, min ||A x - d||^2 + lambda^2 ||L x||^2, L = second difference; "
        "Elden standard form + one SVD for all q; lambda by GCV or L-curve",
        "lambda_method": params.lambda_method,
        "fwhm_eff_ps": fwhm,
        "n_t": int(t.size),
    }
    return xr.Dataset(data, coords=coords, attrs=attrs)


def inversion_range(q: NDArray[np.float64], inversion: Inversion) -> str:
    """``""`` if ``q`` covers ``inversion``'s range (to half a q step), else why not (one line)."""
    tol = 0.5 * float(np.median(np.diff(q))) if q.size > 1 else 0.0
    if q.size < 2 or q[0] > inversion.q_min + tol or q[-1] < inversion.q_max - tol:
        return (
            f"the observation covers q = {q[0]:g} to {q[-1]:g} 1/angstrom, the inversion needs trxs.inversion.q_min "
            f"to q_max = {inversion.q_min:g} to {inversion.q_max:g} 1/angstrom; allowed: a range inside the observation's"
        )
    return ""


def invert_observation(
    obs: xr.Dataset, inversion: Inversion, r: NDArray[np.float64], weighting: Weighting
) -> xr.Dataset:
    """ΔS[r, τ] of an observation by TRXS Eq. 2 over ``inversion``'s q range, where the observation covers it.

    Parameters
    ----------
    obs : xarray.Dataset
        The contract (q in 1/angstrom).
    inversion : Inversion
        q range (1/angstrom) and M(q) (``trxs.inversion``).
    r : ndarray, shape (n_r,)
        Pair distances, Å (``trxs.grid``).
    weighting : Weighting
        The element of the sharpening M(q).

    Returns
    -------
    xarray.Dataset
        ``delta_s_r(r, tau)`` with M(q), ``delta_s_r_unmodified(r, tau)``, ``m_q(q)``; attribute
        ``status``. Without variables, and ``status`` saying why, when the observation's q range
        does not cover the inversion's or its unit has no r-space unit.
    """
    from kineticflow.core.form_factors import atomic_form_factor
    from kineticflow.core.transforms import modification_function, sine_transform_q_to_r

    obs = obs.transpose("q", "tau")
    q_all = obs["q"].values
    unit = str(obs["delta_s"].attrs.get("units", "1"))
    if reason := inversion_range(q_all, inversion):
        return _not_run(reason)
    if unit not in INVERTED_UNITS:
        return _not_run(f"Delta S in {unit!r}: Eq. 2 needs one of {sorted(INVERTED_UNITS)}")
    tol = 0.5 * float(np.median(np.diff(q_all)))
    keep = (q_all >= inversion.q_min - tol) & (q_all <= inversion.q_max + tol)
    q, s_q = q_all[keep], obs["delta_s"].values[keep].T
    f = (
        atomic_form_factor(weighting.element, np.concatenate([[0.0], q]))
        if inversion.modification == "sharpening"
        else None
    )
    m_q = modification_function(q, inversion.modification, inversion.damping_a2, f)
    r_unit, rt = INVERTED_UNITS[unit], ("r", "tau")
    data = {
        "delta_s_r": variable(
            sine_transform_q_to_r(s_q, q, r, m_q).T, rt, units=r_unit, long_name=f"Eq. 2, M = {inversion.modification}"
        ),
        "delta_s_r_unmodified": variable(
            sine_transform_q_to_r(s_q, q, r).T, rt, units=r_unit, long_name="Eq. 2, M = 1"
        ),
        "m_q": variable(m_q, "q", units="1", long_name="modification function M(q)"),
    }
    coords = {"r": coord("r", r), "tau": obs["tau"], "q": coord("q", q)}
    attrs = {
        "status": "done",
        "source": "TRXS paper Eq. 2: Delta S[r,tau] = 1/(2 pi^2 r) int dq q M(q) Delta S(q,tau) sin(qr)",
        "q_min": float(q[0]),
        "q_max": float(q[-1]),
        "modification": inversion.modification,
        "damping_a2": float(inversion.damping_a2),
    }
    return xr.Dataset(data, coords=coords, attrs=attrs)
