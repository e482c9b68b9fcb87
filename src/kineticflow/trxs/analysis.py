"""The two analyses of a noisy TRXS measurement, as datasets: deconvolution and kinetic fit.

Beyond the TRXS paper (docs/trxs.md, "Beyond the paper"): the measured ΔS(q, τ) of
:func:`kineticflow.trxs.instrument.measure` is (1) deconvolved by Tikhonov regularisation
(:mod:`kineticflow.trxs.deconvolution`, λ by GCV or the L-curve), with Wiener filtering and "no
deconvolution" as baselines, all compared with the true ΔS_inst; (2) fitted with the
pulse-convolved model of Eqs 3–6 (:mod:`kineticflow.trxs.kinetic_fit`) and compared with the true
parameters. :func:`deconvolve_cases` and :func:`fit_cases` share what does not depend on the noise
(the Tikhonov factorisation, the forward model) between the measurements of one effective pulse;
the numbers are those of one call per measurement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike, NDArray

from kineticflow.core.attrs import coord, variable
from kineticflow.core.fitting import FitResult
from kineticflow.core.regularisation import (
    LambdaScan,
    gcv_lambda,
    l_curve_lambda,
    lambda_grid,
    lambda_scan,
    relative_rms_error,
    second_difference_matrix,
    tikhonov_factorise,
    tikhonov_solve,
    wiener_deconvolve,
)
from kineticflow.trxs.config import Deconvolution, KineticFit
from kineticflow.trxs.deconvolution import (
    error_scan,
    interpolate_time,
    interpolation_matrix,
    padded_time_grid,
    pulse_function,
    pulse_matrix,
)
from kineticflow.trxs.instrument import MEASUREMENT_ATTRS
from kineticflow.trxs.kinetic_fit import (
    FIT_PARAMETERS,
    PARAMETER_UNITS,
    KineticForwardModel,
    fit_kinetics,
    true_parameters,
)
from kineticflow.trxs.model import DiatomicModel

#: ΔS units and their squares (the GCV function is a squared residual).
SQUARED_UNITS = {"1": "1", "angstrom^3": "angstrom^6", "electrons^2 angstrom^3": "electrons^4 angstrom^6"}


def _tikhonov_setup(measured: xr.Dataset, params: Deconvolution, shared: dict[str, Any]) -> tuple[Any, Any, Any]:
    """Pulse interpolant, padded time grid and factorisation (from ``shared`` after the first call)."""
    if "fact" not in shared:
        tau = measured["tau"].values
        pulse = pulse_function(measured["t_rel"].values, measured["pulse"].values)
        t = padded_time_grid(tau, float(measured.attrs["fwhm_eff_ps"]), params.t_step_ps, params.pad_fwhm)
        fact = tikhonov_factorise(pulse_matrix(tau, t, pulse), second_difference_matrix(t.size))
        shared.update(pulse=pulse, t=t, fact=fact)
    return shared["pulse"], shared["t"], shared["fact"]


def deconvolve(
    inst: xr.Dataset, measured: xr.Dataset, params: Deconvolution, shared: dict[str, Any] | None = None
) -> xr.Dataset:
    """Tikhonov (GCV or L-curve), Wiener and no deconvolution of one measurement, against the truth.

    Parameters
    ----------
    inst : xarray.Dataset
        True ``delta_s_q(t, q)`` (rule ``simulate_trxs``).
    measured : xarray.Dataset
        :func:`kineticflow.trxs.instrument.measure`.
    params : Deconvolution
        Grid step and padding, λ method and grid, Wiener floor.
    shared : dict, optional
        Pulse interpolant, time grid and factorisation, kept for the next measurement with the same
        delays, effective pulse and ``params`` (:func:`deconvolve_cases`).

    Returns
    -------
    xarray.Dataset
        ``delta_s_q(t_padded, q)``, ``delta_s_q_at_tau``, ``delta_s_q_wiener``,
        ``delta_s_q_measured``, ``delta_s_q_true`` (tau, q); the λ scan (``gcv``,
        ``residual_norm``, ``solution_seminorm``, ``relative_error_vs_lambda``); the scalars
        ``lambda_*`` and ``rel_rms_error*`` (‖est − truth‖/‖truth‖ over the delays and all q).
    """
    tau, d = measured["tau"].values, measured["delta_s_q"].values
    pulse, t, fact = _tikhonov_setup(measured, params, {} if shared is None else shared)
    scan = lambda_scan(fact, d, lambda_grid(fact, params.n_lambda, params.lambda_min_rel, params.lambda_max_rel))
    lam_gcv, lam_lc = gcv_lambda(scan), l_curve_lambda(scan)
    lam = lam_gcv if params.lambda_method == "gcv" else lam_lc
    truth = interpolate_time(inst["delta_s_q"].values, inst["t"].values, tau)
    err_scan = error_scan(fact, d, scan.lam, interpolation_matrix(t, tau), truth)
    x = tikhonov_solve(fact, d, lam)
    x_tau = interpolate_time(x, t, tau)
    t_w = t[(t >= tau.min()) & (t <= tau.max())]
    wiener = wiener_deconvolve(d, tau, t_w, pulse, float(measured.attrs["noise_sigma"]), params.wiener_nsr_floor)
    wiener_tau = interpolate_time(wiener, t_w, tau)
    best = int(np.argmin(err_scan))
    scalars = {
        "lambda_chosen": (lam, f"lambda used ({params.lambda_method})"),
        "lambda_gcv": (lam_gcv, "lambda minimising generalised cross-validation"),
        "lambda_lcurve": (lam_lc, "lambda at the L-curve corner (maximum curvature)"),
        "lambda_best": (float(scan.lam[best]), "oracle lambda minimising the error against the truth"),
        "rel_rms_error": (relative_rms_error(x_tau, truth), "relative RMS error of Tikhonov deconvolution"),
        "rel_rms_error_best": (float(err_scan[best]), "relative RMS error at the oracle-best lambda"),
        "rel_rms_error_wiener": (relative_rms_error(wiener_tau, truth), "relative RMS error of Wiener deconvolution"),
        "rel_rms_error_no_deconvolution": (relative_rms_error(d, truth), "relative RMS error of the measured signal"),
    }
    signals = {"x": x, "x_tau": x_tau, "wiener_tau": wiener_tau, "d": d, "truth": truth, "err_scan": err_scan}
    ds = _deconvolved_dataset(measured, t, scan, signals, scalars)
    ds.attrs.update(
        source="Tikhonov regularisation, min ||A x - d||^2 + lambda^2 ||L x||^2, L = second difference; "
        "Elden standard form + one SVD for all q; lambda by GCV or L-curve",
        lambda_method=params.lambda_method,
        n_t=int(t.size),
        **{k: v for k, v in measured.attrs.items() if k in MEASUREMENT_ATTRS},
        **{k: float(v[0]) for k, v in scalars.items()},
    )
    return ds


def _deconvolved_dataset(
    measured: xr.Dataset,
    t: NDArray[np.float64],
    scan: LambdaScan,
    sig: Mapping[str, NDArray[np.float64]],
    scalars: Mapping[str, tuple[float, str]],
) -> xr.Dataset:
    """The variables of :func:`deconvolve`'s output with units and long names."""
    u = measured["delta_s_q"].attrs.get("units", "1")
    tq = ("tau", "q")
    data = {
        "delta_s_q": variable(sig["x"], ("t_padded", "q"), units=u, long_name="deconvolved Delta S_inst(q, t)"),
        "delta_s_q_at_tau": variable(sig["x_tau"], tq, units=u, long_name="deconvolved Delta S_inst(q, t = tau)"),
        "delta_s_q_wiener": variable(sig["wiener_tau"], tq, units=u, long_name="Wiener-deconvolved Delta S_inst"),
        "delta_s_q_measured": variable(sig["d"], tq, units=u, long_name="measured Delta S(q, tau) (input)"),
        "delta_s_q_true": variable(sig["truth"], tq, units=u, long_name="true Delta S_inst(q, t = tau)"),
        "gcv": variable(scan.gcv, "lam", units=SQUARED_UNITS[u], long_name="GCV function summed over q"),
        "residual_norm": variable(scan.residual_norm, "lam", units=u, long_name="residual norm ||A x - d||"),
        "solution_seminorm": variable(scan.solution_seminorm, "lam", units=u, long_name="seminorm ||L x||"),
        "relative_error_vs_lambda": variable(sig["err_scan"], "lam", units="1", long_name="relative RMS error"),
        **{k: variable(v, (), units="1", long_name=n) for k, (v, n) in scalars.items()},
    }
    coords = {
        "t_padded": coord("t_padded", t),
        "tau": measured["tau"],
        "q": measured["q"],
        "lam": coord("lam", scan.lam),
    }
    return xr.Dataset(data, coords=coords)


def fit_measured(
    measured: xr.Dataset,
    model: DiatomicModel,
    params: KineticFit,
    q_weight: ArrayLike | None = None,
    shared: dict[str, Any] | None = None,
) -> xr.Dataset:
    """Fit the measured ΔS(q, τ) with the pulse-convolved model and compare with the true parameters.

    Parameters
    ----------
    measured : xarray.Dataset
        :func:`kineticflow.trxs.instrument.measure` (``noise_sigma``, ``fwhm_eff_ps``).
    model : DiatomicModel
        The truth, and the fixed r_X, a_X, a_Y.
    params : KineticFit
        Simpson step and padding of the forward model, starting values, ``max_nfev``.
    q_weight : array_like, shape (nq,), optional
        f_A(q)² when the signals are weighted by the atomic form factor.
    shared : dict, optional
        The forward model (and its pulse matrices), kept for the next measurement with the same
        delays, q, effective pulse and parameters (:func:`fit_cases`).

    Returns
    -------
    xarray.Dataset
        Over ``parameter``: ``value``, ``stderr``, ``true_value``, ``initial``,
        ``relative_error`` ((value − true)/true; t₀: /FWHM_eff), ``relative_stderr``;
        ``correlation(parameter, parameter_b)``; ``delta_s_q_fit(tau, q)``; ``chisqr``,
        ``redchi``, ``nfev``.
    """
    fwhm_eff = float(measured.attrs["fwhm_eff_ps"])
    shared = {} if shared is None else shared
    if "forward" not in shared:
        tau = measured["tau"].values
        shared["forward"] = KineticForwardModel(
            q=measured["q"].values,
            tau=tau,
            pulse=pulse_function(measured["t_rel"].values, measured["pulse"].values),
            t_step_ps=params.t_step_ps,
            t_max_ps=float(tau.max() + params.pad_fwhm * fwhm_eff),
            base=model,
            q_weight=None if q_weight is None else np.asarray(q_weight, dtype=float),
        )
    forward = shared["forward"]
    sigma = float(measured.attrs["noise_sigma"])
    res = fit_kinetics(measured["delta_s_q"].values, forward, params.initial, sigma=sigma, max_nfev=params.max_nfev)
    names = list(FIT_PARAMETERS)
    ds = _fit_dataset(measured, res, forward(res.values), params.initial, true_parameters(model), fwhm_eff)
    ds.attrs.update(
        source="MINPACK leastsq (core.fitting.leastsq) of TRXS Eqs 3-6 convolved with the effective pulse (Eqs 1, 8)",
        parameter_units=",".join(PARAMETER_UNITS[n] for n in names),
        success=int(res.success),
        message=res.message,
        scale_covar=int(not sigma > 0),
        **{k: v for k, v in measured.attrs.items() if k in MEASUREMENT_ATTRS},
        **{f"fit.{n}": res.values[n] for n in names},
        **{f"stderr.{n}": res.stderr[n] for n in names},
    )
    return ds


def _fit_dataset(
    measured: xr.Dataset,
    res: FitResult,
    best_fit: NDArray[np.float64],
    initial: Mapping[str, float],
    truth: Mapping[str, float],
    fwhm_eff: float,
) -> xr.Dataset:
    """The variables of :func:`fit_measured`'s output, with units and long names."""
    names = list(FIT_PARAMETERS)
    norm = np.array([fwhm_eff if n == "t0_ps" else truth[n] for n in names])
    value = np.array([res.values[n] for n in names])
    err = np.array([res.stderr[n] for n in names])
    true = np.array([truth[n] for n in names])
    corr = np.eye(len(names)) if res.correlation is None else res.correlation
    mixed = {"units": "mixed"}  # one unit per parameter, in the attribute parameter_units
    p = "parameter"
    data = {
        "value": variable(value, p, **mixed, long_name="best-fit value"),
        "stderr": variable(err, p, **mixed, long_name="standard error (1 sigma) from the covariance"),
        "true_value": variable(true, p, **mixed, long_name="true value used in the simulation"),
        "initial": variable(np.array([float(initial[n]) for n in names]), p, **mixed, long_name="starting value"),
        "relative_error": variable((value - true) / norm, p, units="1", long_name="(fit - true)/true (t0: /FWHM_eff)"),
        "relative_stderr": variable(err / norm, p, units="1", long_name="stderr/true (t0: /FWHM_eff)"),
        "correlation": variable(corr, (p, "parameter_b"), units="1", long_name="correlation of parameters"),
        "delta_s_q_fit": variable(
            best_fit, ("tau", "q"), units=measured["delta_s_q"].attrs.get("units", "1"), long_name="best-fit model"
        ),
        "chisqr": variable(res.chisqr, (), units="1", long_name="chi-square (noise-weighted if sigma > 0)"),
        "redchi": variable(res.redchi, (), units="1", long_name="reduced chi-square"),
        "nfev": variable(res.nfev, (), units="1", long_name="number of model evaluations"),
    }
    coords = {
        p: coord(p, names),
        "parameter_b": coord("parameter_b", names),
        "tau": measured["tau"],
        "q": measured["q"],
    }
    return xr.Dataset(data, coords=coords)


def _pulse_key(ds: xr.Dataset) -> tuple[bytes, bytes, bytes, float]:
    """Identity of the effective pulse and delays of a measurement (what a shared object depends on)."""
    return (
        np.ascontiguousarray(ds["tau"].values).tobytes(),
        np.ascontiguousarray(ds["t_rel"].values).tobytes(),
        np.ascontiguousarray(ds["pulse"].values).tobytes(),
        float(ds.attrs["fwhm_eff_ps"]),
    )


def deconvolve_cases(inst: xr.Dataset, measured: Sequence[xr.Dataset], params: Deconvolution) -> list[xr.Dataset]:
    """:func:`deconvolve` of each measurement, one factorisation per effective pulse."""
    shared: dict[Any, Any] = {}
    return [deconvolve(inst, m, params, shared=shared.setdefault(_pulse_key(m), {})) for m in measured]


def fit_cases(
    measured: Sequence[xr.Dataset], model: DiatomicModel, params: KineticFit, q_weight: ArrayLike | None = None
) -> list[xr.Dataset]:
    """:func:`fit_measured` of each measurement, one forward model per effective pulse and q grid."""
    shared: dict[Any, Any] = {}
    out = []
    for m in measured:
        key = (*_pulse_key(m), np.ascontiguousarray(m["q"].values).tobytes())
        out.append(fit_measured(m, model, params, q_weight, shared=shared.setdefault(key, {})))
    return out
