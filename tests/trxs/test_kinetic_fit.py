"""Pulse-aware kinetic fit (kineticflow.trxs.kinetic_fit) through core.fitting.leastsq."""

from __future__ import annotations

import numpy as np
import pytest

from kineticflow.core.convolution import convolve_with_pulse, lag_grid
from kineticflow.core.fitting import FitResult
from kineticflow.core.noise import add_noise
from kineticflow.trxs.kinetic_fit import FIT_PARAMETERS, KineticForwardModel, fit_kinetics, true_parameters
from kineticflow.trxs.model import DiatomicModel, delta_s_inst_q_closed_form
from kineticflow.trxs.pulses import gaussian_pulse

FWHM = 100.0
TRUTH = {"tau_r_ps": 100.0, "tau_p_ps": 1000.0, "delta_r_y": 1.5, "r_y": 3.0, "amplitude": 1.0, "t0_ps": 3.0}
START = {"tau_r_ps": 130.0, "tau_p_ps": 800.0, "delta_r_y": 1.35, "r_y": 2.96, "amplitude": 0.85, "t0_ps": 15.0}


def pulse(s):
    return gaussian_pulse(s, FWHM)


def small_model(tau=None, t_step=5.0):
    q = np.arange(0.5, 7.0 + 1e-9, 0.1)
    tau = np.arange(-200.0, 1500.0 + 1e-9, 20.0) if tau is None else tau
    return KineticForwardModel(q=q, tau=tau, pulse=pulse, t_step_ps=t_step, t_max_ps=tau.max() + 5 * FWHM)


def test_forward_model_equals_simulate_then_convolve():
    """With t₀ = 0 the model is delta_s_inst_q_closed_form convolved with the pulse; Simpson's rule
    converges as h⁴ (the trapezoid reference, Richardson-extrapolated from 0.5 and 0.25 ps, as h²)."""
    values = {**TRUTH, "t0_ps": 0.0}
    fm = small_model(t_step=10.0)
    refs = []
    for step in (0.5, 0.25):
        t = np.arange(-1000.0, fm.t_max_ps + 1e-9, step)
        inst = delta_s_inst_q_closed_form(fm.q, t, DiatomicModel())
        refs.append(convolve_with_pulse(inst, t, gaussian_pulse(lag_grid(t), FWHM), fm.tau))
    ref = refs[1] + (refs[1] - refs[0]) / 3.0
    scale = np.abs(ref).max()
    err10 = np.abs(fm(values) - ref).max() / scale
    err5 = np.abs(small_model(t_step=5.0)(values) - ref).max() / scale
    assert err10 < 1e-4
    assert err10 / err5 > 10.0  # 16 for h⁴; 4 would be the trapezoid rule's h²


def test_time_zero_shifts_the_delays():
    """ΔS_model(τ; t₀) = ΔS_model(τ − t₀; 0)."""
    tau = np.arange(-200.0, 1000.0, 20.0)
    shifted = small_model(tau)({**TRUTH, "t0_ps": 7.0})
    ref = small_model(tau - 7.0)({**TRUTH, "t0_ps": 0.0})
    np.testing.assert_allclose(shifted, ref, atol=1e-12 * np.abs(ref).max())


def test_true_parameters_of_model():
    p = true_parameters(DiatomicModel(k=2.0, n0=0.5))
    assert p["amplitude"] == 1.0 and p["t0_ps"] == 0.0 and set(p) == set(FIT_PARAMETERS)


def test_noiseless_fit_recovers_true_parameters():
    """Data from the same forward model: every parameter to 1e-4 relative (t₀ to 1e-4 FWHM)."""
    fm = small_model()
    data = fm(TRUTH)
    res = fit_kinetics(data, fm, START)
    assert isinstance(res, FitResult) and res.success and res.n_points == data.size
    for name in FIT_PARAMETERS:
        scale = FWHM if name == "t0_ps" else TRUTH[name]
        assert abs(res.values[name] - TRUTH[name]) / scale < 1e-4, (name, res.values[name])
    # a start far from the truth really was corrected
    assert abs(START["tau_r_ps"] - TRUTH["tau_r_ps"]) / TRUTH["tau_r_ps"] > 0.2


def test_noisy_fit_error_bars_are_consistent():
    """At SNR 50 the fitted values lie within 4 standard errors and the reduced χ² is ≈ 1."""
    fm = small_model()
    clean = fm(TRUTH)
    noisy, sigma = add_noise(clean, 50.0, seed=3)
    res = fit_kinetics(noisy, fm, START, sigma=sigma)
    assert res.redchi == pytest.approx(1.0, abs=0.05)
    for name in FIT_PARAMETERS:
        assert np.isfinite(res.stderr[name]) and res.stderr[name] > 0
        assert abs(res.values[name] - TRUTH[name]) < 4 * res.stderr[name], name
    assert res.correlation.shape == (6, 6)
    np.testing.assert_allclose(np.diag(res.correlation), 1.0)
    assert np.all(np.abs(res.correlation) <= 1.0 + 1e-12)


def test_fit_rejects_bad_input():
    fm = small_model()
    with pytest.raises(ValueError):
        fit_kinetics(np.zeros((3, 3)), fm, START)
    with pytest.raises(ValueError):
        fit_kinetics(fm(TRUTH), fm, {k: v for k, v in START.items() if k != "r_y"})


def test_kinetic_fit_equals_lmfit():
    """The pulse-aware fit (6 parameters, τ_r and τ_p bounded below) reproduces lmfit to the bit."""
    lmfit = pytest.importorskip("lmfit")
    q = np.arange(0.5, 7.0 + 1e-9, 0.25)
    tau = np.arange(-200.0, 1500.0 + 1e-9, 40.0)
    fm = KineticForwardModel(q=q, tau=tau, pulse=pulse, t_step_ps=10.0, t_max_ps=2000.0)
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
