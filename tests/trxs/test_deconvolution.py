"""Tikhonov / GCV / L-curve / Wiener deconvolution (trxs.deconvolution, trxs.analysis) and the noisy measurement (trxs.instrument)."""

from __future__ import annotations

import numpy as np
import pytest

from kineticflow.core.convolution import convolve_with_pulse, lag_grid
from kineticflow.core.noise import add_noise, format_snr, noise_sigma, parse_snr, stable_seed
from kineticflow.core.regularisation import (
    gcv_lambda,
    lambda_grid,
    lambda_scan,
    relative_rms_error,
    second_difference_matrix,
    tikhonov_factorise,
    tikhonov_solve,
    wiener_deconvolve,
)
from kineticflow.trxs.deconvolution import (
    error_scan,
    interpolation_matrix,
    padded_time_grid,
    pulse_function,
    pulse_matrix,
    tikhonov_deconvolve,
)
from kineticflow.trxs.pulses import gaussian_pulse

FWHM = 100.0


def gauss(s):
    return gaussian_pulse(s, FWHM)


def blur_problem(n_tau=120, step=10.0):
    """Gaussian-pulse forward operator on delays 0..(n_tau-1)·step and a padded grid."""
    tau = np.arange(n_tau) * step
    t = padded_time_grid(tau, FWHM, step, 2.0)
    return tau, t, pulse_matrix(tau, t, gauss)


def smooth_truth(t):
    """Smooth signal with two columns (two 'q'): a rise-and-decay and a damped oscillation."""
    x1 = np.exp(-(((t - 400.0) / 150.0) ** 2)) + 0.5 * np.exp(-(((t - 800.0) / 80.0) ** 2))
    x2 = np.sin(t / 120.0) * np.exp(-t / 900.0)
    return np.stack([x1, x2], axis=1)


def direct_tikhonov(a, l, d, lam):
    return np.linalg.solve(a.T @ a + lam**2 * l.T @ l, a.T @ d)


def test_second_difference_null_space():
    L = second_difference_matrix(7)
    assert L.shape == (5, 7)
    np.testing.assert_allclose(L @ np.ones(7), 0.0)
    np.testing.assert_allclose(L @ np.arange(7.0), 0.0)
    np.testing.assert_allclose(L @ np.arange(7.0) ** 2, 2.0)
    with pytest.raises(ValueError):
        second_difference_matrix(2)


def test_pulse_matrix_matches_fft_convolution():
    """A x reproduces convolve_with_pulse (trapezoid, half weight at the causal jump)."""
    t = np.arange(-500.0, 2000.0 + 1e-9, 5.0)
    x = np.where(t >= 0, np.exp(-np.clip(t, 0, None) / 300.0), 0.0)[:, None]
    tau = np.arange(-100.0, 1500.0, 50.0)
    ref = convolve_with_pulse(x, t, gaussian_pulse(lag_grid(t), FWHM), tau)
    # causal grid starting at the pump
    tc = t[t >= 0]
    got = pulse_matrix(tau, tc, gauss, causal=True) @ x[t >= 0]
    np.testing.assert_allclose(got, ref, atol=1e-12)


def test_tikhonov_exact_for_signals_in_the_penalty_null_space():
    """Known answer: a linear x has L x = 0, so x_λ = x for every λ (noise-free data)."""
    tau, t, a = blur_problem()
    x = np.stack([1.0 + 0.002 * t, -3.0 + 0.0 * t], axis=1)
    fact = tikhonov_factorise(a, second_difference_matrix(t.size))
    for lam in (1e-3, 1.0, 1e3):
        np.testing.assert_allclose(tikhonov_solve(fact, a @ x, lam), x, rtol=1e-8, atol=1e-8)


def test_tikhonov_matches_normal_equations():
    """The standard-form SVD solution equals (AᵀA + λ²LᵀL)⁻¹ Aᵀ d, for every column of d."""
    rng = np.random.default_rng(1)
    tau, t, a = blur_problem(n_tau=60)
    l = second_difference_matrix(t.size)
    d = rng.normal(size=(tau.size, 3))
    fact = tikhonov_factorise(a, l)
    for lam in (0.05, 0.5, 5.0):
        np.testing.assert_allclose(tikhonov_solve(fact, d, lam), direct_tikhonov(a, l, d, lam), rtol=1e-7, atol=1e-9)
    # 1-D right-hand side keeps its shape
    assert tikhonov_solve(fact, d[:, 0], 0.5).shape == (t.size,)


def test_lambda_scan_norms_and_gcv_match_direct_computation():
    rng = np.random.default_rng(2)
    tau, t, a = blur_problem(n_tau=50)
    l = second_difference_matrix(t.size)
    d = a @ smooth_truth(t) + rng.normal(0, 0.01, size=(tau.size, 2))
    fact = tikhonov_factorise(a, l)
    lam = np.array([0.1, 1.0])
    scan = lambda_scan(fact, d, lam)
    for k, lm in enumerate(lam):
        x = direct_tikhonov(a, l, d, lm)
        res2 = np.sum((a @ x - d) ** 2)
        np.testing.assert_allclose(scan.residual_norm[k], np.sqrt(res2), rtol=1e-8)
        np.testing.assert_allclose(scan.solution_seminorm[k], np.linalg.norm(l @ x), rtol=1e-8)
        influence = a @ np.linalg.solve(a.T @ a + lm**2 * l.T @ l, a.T)
        np.testing.assert_allclose(scan.dof[k], np.trace(influence), rtol=1e-8)
        np.testing.assert_allclose(scan.gcv[k], res2 / (tau.size - np.trace(influence)) ** 2, rtol=1e-7)


def test_error_scan_matches_explicit_solutions():
    rng = np.random.default_rng(3)
    tau, t, a = blur_problem(n_tau=50)
    truth_t = smooth_truth(t)
    d = a @ truth_t + rng.normal(0, 0.02, size=(tau.size, 2))
    fact = tikhonov_factorise(a, second_difference_matrix(t.size))
    lam = np.logspace(-2, 2, 5)
    p = interpolation_matrix(t, tau)
    truth = p @ truth_t
    explicit = [relative_rms_error(p @ tikhonov_solve(fact, d, lm), truth) for lm in lam]
    np.testing.assert_allclose(error_scan(fact, d, lam, p, truth), explicit, rtol=1e-8)


@pytest.mark.parametrize("seed", [11, 12, 13])
@pytest.mark.parametrize("noise", [0.01, 0.05])
def test_gcv_picks_lambda_within_a_decade_of_the_best(seed, noise):
    """GCV's λ is within a factor 10 of the λ that minimises the true error."""
    tau, t, a = blur_problem()
    truth_t = smooth_truth(t)
    rng = np.random.default_rng(seed)
    d = a @ truth_t + rng.normal(0, noise, size=(tau.size, 2))
    fact = tikhonov_factorise(a, second_difference_matrix(t.size))
    scan = lambda_scan(fact, d, lambda_grid(fact, 200, 1e-9, 10.0))
    p = interpolation_matrix(t, tau)
    err = error_scan(fact, d, scan.lam, p, p @ truth_t)
    lam_best = scan.lam[np.argmin(err)]
    lam_gcv = gcv_lambda(scan)
    assert abs(np.log10(lam_gcv / lam_best)) < 1.0, (lam_gcv, lam_best)
    # and the deconvolution beats the raw measurement
    assert err.min() < relative_rms_error(d, p @ truth_t)


def test_l_curve_corner_is_a_sensible_lambda():
    """The L-curve corner is inside the grid and gives an error below the raw measurement's."""
    tau, t, a = blur_problem()
    truth_t = smooth_truth(t)
    d = a @ truth_t + np.random.default_rng(5).normal(0, 0.02, size=(tau.size, 2))
    x, lam, scan = tikhonov_deconvolve(d, tau, t, gauss, method="lcurve")
    assert scan.lam[0] < lam < scan.lam[-1]
    p = interpolation_matrix(t, tau)
    assert relative_rms_error(p @ x, p @ truth_t) < relative_rms_error(d, p @ truth_t)
    with pytest.raises(ValueError):
        tikhonov_deconvolve(d, tau, t, gauss, method="magic")


def test_tikhonov_deconvolve_noise_free_recovers_smooth_signal():
    tau, t, a = blur_problem()
    truth_t = smooth_truth(t)
    x, lam, _ = tikhonov_deconvolve(a @ truth_t, tau, t, gauss)
    p = interpolation_matrix(t, tau)
    assert relative_rms_error(p @ x, p @ truth_t) < 1e-3


def test_wiener_recovers_smooth_signal_without_noise():
    tau = np.arange(0.0, 2000.0, 10.0)
    t = padded_time_grid(tau, FWHM, 10.0, 3.0)
    truth_t = smooth_truth(t)[:, :1]  # vanishes at both ends of the delay range
    d = pulse_matrix(tau, t, gauss) @ truth_t
    inner = t[(t >= tau[0]) & (t <= tau[-1])]
    np.testing.assert_allclose(inner, tau)
    x = wiener_deconvolve(d, tau, inner, gauss, noise_sigma=0.0, nsr_floor=1e-6)
    truth = smooth_truth(inner)[:, :1]
    assert relative_rms_error(x, truth) < 0.02
    assert relative_rms_error(d, truth) > 3 * relative_rms_error(x, truth)  # the blurring was undone


def test_noise_definition_and_seeding():
    clean = np.outer(np.linspace(-1, 3, 40), np.ones(5))
    noisy, sigma = add_noise(clean, 20, seed=7)
    assert sigma == pytest.approx(3.0 / 20)
    np.testing.assert_allclose(np.std(noisy - clean), sigma, rtol=0.15)
    np.testing.assert_array_equal(add_noise(clean, 20, seed=7)[0], noisy)
    assert not np.array_equal(add_noise(clean, 20, seed=8)[0], noisy)
    same, zero = add_noise(clean, "inf", seed=7)
    assert zero == 0.0 and np.array_equal(same, clean)
    assert noise_sigma(clean, None) == 0.0


def test_snr_parsing_and_stable_seed():
    assert np.isinf(parse_snr("inf")) and np.isinf(parse_snr(None)) and np.isinf(parse_snr(float("inf")))
    assert parse_snr("20") == 20.0
    assert format_snr(100.0) == "100" and format_snr(None) == "inf" and format_snr("inf") == "inf"
    with pytest.raises(ValueError):
        parse_snr(0)
    key = {"fwhm": "100", "jitter": "0.2", "snr": "20"}
    # stable across processes and machines (crc32, not the salted hash()): a fixed number
    assert stable_seed(5, key) == stable_seed(5, dict(reversed(list(key.items()))))
    assert stable_seed(5, key) == 5 + 4224022638
    assert stable_seed(5, key) != stable_seed(5, {**key, "snr": "100"})


def test_pulse_function_is_zero_outside_and_exact_on_samples():
    s = np.arange(-400.0, 401.0, 2.0)
    i = gauss(s)
    f = pulse_function(s, i)
    np.testing.assert_allclose(f(s), i, atol=1e-15)
    assert f(np.array([-500.0, 500.0])).tolist() == [0.0, 0.0]
    np.testing.assert_allclose(f(np.array([1.0, 37.3])), gauss(np.array([1.0, 37.3])), rtol=1e-5)


def _synthetic_inputs():
    """Small instantaneous and jitter-averaged datasets in the layout of the TRXS rules."""
    import xarray as xr

    from kineticflow.core.attrs import coord
    from kineticflow.trxs.model import DiatomicModel, delta_s_inst_q_closed_form

    t = np.arange(-1500.0, 3000.0 + 1e-9, 5.0)
    q = np.arange(0.5, 7.0 + 1e-9, 0.25)
    inst_q = delta_s_inst_q_closed_form(q, t, DiatomicModel())
    inst = xr.Dataset(
        {"delta_s_q": (("t", "q"), inst_q, {"units": "angstrom^3"})}, coords={"t": coord("t", t), "q": coord("q", q)}
    )
    lags = lag_grid(t)
    pulse = gaussian_pulse(lags, FWHM)
    win = np.abs(lags) <= 4 * FWHM
    tau = np.arange(-50.0, 2000.0 + 1e-9, 10.0)
    jit = xr.Dataset(
        {
            "delta_s_q": (("tau", "q"), convolve_with_pulse(inst_q, t, pulse, tau), {"units": "angstrom^3"}),
            "pulse_analytic": (("t_rel",), pulse[win]),
        },
        coords={"tau": coord("tau", tau), "q": coord("q", q), "t_rel": coord("t_rel", lags[win])},
        attrs={"fwhm_ps": FWHM, "fwhm_eff_ps": FWHM, "jitter_fraction": 0.0},
    )
    return inst, jit


def test_measure_on_a_delay_list_matches_the_grid_and_adds_the_configured_noise():
    from kineticflow.trxs.instrument import measure

    inst, jit = _synthetic_inputs()
    delays = [0.0, 20.0, 100.0, 300.0, 1000.0, 2000.0, -50.0]
    m = measure(inst, jit, "inf", 1, delays)
    np.testing.assert_allclose(m["tau"].values, sorted(delays))
    ref = jit["delta_s_q"].sel(tau=sorted(delays)).values
    np.testing.assert_allclose(m["delta_s_q"].values, ref, atol=1e-9 * np.abs(ref).max())
    noisy = measure(inst, jit, 20, 1)  # the jitter file's own delays
    expected_sigma = np.abs(inst["delta_s_q"].values).max() / 20
    assert float(noisy.attrs["noise_sigma"]) == pytest.approx(expected_sigma)
    np.testing.assert_allclose(
        np.std(noisy["delta_s_q"].values - noisy["delta_s_q_clean"].values), expected_sigma, rtol=0.05
    )
    rel = measure(inst, jit, 20, 1, noise_reference="measured")
    assert float(rel.attrs["noise_sigma"]) == pytest.approx(np.abs(jit["delta_s_q"].values).max() / 20)
    with pytest.raises(ValueError):
        measure(inst, jit, 20, 1, [0.0, 10.0, 20.0, 30.0, 2900.0])  # too close to the grid end


def test_deconvolve_dataset_reports_errors_and_lambdas():
    from kineticflow.core.attrs import unregistered
    from kineticflow.trxs.analysis import deconvolve
    from kineticflow.trxs.config import Deconvolution
    from kineticflow.trxs.instrument import measure

    inst, jit = _synthetic_inputs()
    m = measure(inst, jit, 50, 4)
    params = Deconvolution(t_step_ps=10.0, pad_fwhm=2.0, lambda_method="gcv", n_lambda=60)
    ds = deconvolve(inst, m, params)
    assert ds["gcv"].attrs["units"] == "angstrom^6"  # a squared residual of Delta S(q) in angstrom^3
    assert unregistered(ds) == [] and unregistered(m) == []
    assert float(ds["lambda_chosen"]) == float(ds["lambda_gcv"])
    assert abs(np.log10(float(ds["lambda_gcv"]) / float(ds["lambda_best"]))) < 1.0
    assert float(ds["rel_rms_error_best"]) <= float(ds["rel_rms_error"]) + 1e-12
    assert float(ds["rel_rms_error"]) < float(ds["rel_rms_error_no_deconvolution"])
    for name in ("delta_s_q", "delta_s_q_at_tau", "delta_s_q_wiener", "gcv"):
        assert np.all(np.isfinite(ds[name].values))
