"""MINPACK Levenberg–Marquardt with lmfit's recipe (kineticflow.trxs.minpack) against lmfit itself."""

from __future__ import annotations

import numpy as np
import pytest

from kineticflow.trxs.kinetic_fit import KineticForwardModel, fit_kinetics
from kineticflow.trxs.minpack import leastsq_bounded
from kineticflow.trxs.pulses import gaussian_pulse

lmfit = pytest.importorskip("lmfit")

X = np.linspace(0.0, 10.0, 200)
NOISE = np.random.default_rng(3).normal(0.0, 0.05, X.size)
NAMES = ("amp", "tau", "offset")
START = {"amp": 1.5, "tau": 4.0, "offset": 0.3}


def model(p):
    return p["amp"] * np.exp(-X / p["tau"]) + p["offset"]


DATA = model({"amp": 2.0, "tau": 2.5, "offset": 0.1}) + NOISE


def _lmfit(scale_covar, vary, lower):
    params = lmfit.Parameters()
    for n in NAMES:
        params.add(n, value=START[n], vary=vary.get(n, True), min=lower.get(n, -np.inf))
    out = lmfit.minimize(
        lambda p: (DATA - model(p.valuesdict())) / 0.05,
        params,
        method="leastsq",
        scale_covar=scale_covar,
        max_nfev=2000,
        ftol=1e-10,
        xtol=1e-10,
    )
    return out


@pytest.mark.parametrize("scale_covar", [True, False])
@pytest.mark.parametrize("vary", [{}, {"offset": False}])
def test_bitwise_equal_to_lmfit_leastsq(scale_covar, vary):
    """Same values, errors, correlations, chi-square and nfev as lmfit.minimize(method='leastsq')."""
    lower = {"tau": 1e-3, "amp": 0.5}
    ref = _lmfit(scale_covar, vary, lower)
    res = leastsq_bounded(
        lambda v: (DATA - model(v)) / 0.05, NAMES, START, lower, vary, scale_covar, max_nfev=2000, tol=1e-10
    )
    assert res.success and ref.success
    assert res.nfev == ref.nfev
    assert res.chisqr == ref.chisqr and res.redchi == ref.redchi
    varied = [n for n in NAMES if vary.get(n, True)]
    for i, a in enumerate(NAMES):
        assert res.values[a] == ref.params[a].value
        if a in varied:
            assert res.stderr[a] == ref.params[a].stderr
        else:
            assert np.isnan(res.stderr[a])
        for j, b in enumerate(NAMES):
            expected = (ref.params[a].correl or {}).get(b, 1.0 if i == j else 0.0)
            assert res.correlation[i, j] == expected


def test_too_many_evaluations_abort():
    res = leastsq_bounded(lambda v: (DATA - model(v)) / 0.05, NAMES, START, max_nfev=5, tol=1e-10)
    assert not res.success and res.message.startswith("Fit aborted")


def test_kinetic_fit_equals_lmfit():
    """The pulse-aware fit (6 parameters, τ_r and τ_p bounded below) reproduces lmfit to the bit."""
    q = np.arange(0.5, 7.0 + 1e-9, 0.25)
    tau = np.arange(-200.0, 1500.0 + 1e-9, 40.0)
    fm = KineticForwardModel(q=q, tau=tau, pulse=lambda s: gaussian_pulse(s, 100.0), t_step_ps=10.0, t_max_ps=2000.0)
    truth = {"tau_r_ps": 100.0, "tau_p_ps": 1000.0, "delta_r_y": 1.5, "r_y": 3.0, "amplitude": 1.0, "t0_ps": 3.0}
    start = {"tau_r_ps": 130.0, "tau_p_ps": 800.0, "delta_r_y": 1.35, "r_y": 2.96, "amplitude": 0.85, "t0_ps": 15.0}
    data = fm(truth) + np.random.default_rng(1).normal(0.0, 0.01, (tau.size, q.size))
    res = fit_kinetics(data, fm, start, sigma=0.01)
    params = lmfit.Parameters()
    for n in start:
        params.add(n, value=start[n], min=1e-3 if n in ("tau_r_ps", "tau_p_ps") else -np.inf)
    ref = lmfit.minimize(
        lambda p: ((data - fm(p.valuesdict())) * (1.0 / 0.01)).ravel(),  # as fit_kinetics scales
        params,
        method="leastsq",
        scale_covar=False,
        max_nfev=2000,
        ftol=1e-10,
        xtol=1e-10,
    )
    assert res.nfev == ref.nfev and res.chisqr == ref.chisqr
    for n in start:
        assert res.values[n] == ref.params[n].value
        assert res.stderr[n] == ref.params[n].stderr
