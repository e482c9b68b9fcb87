"""Global exponential fit: the pulse-averaged exponential, the statistics of the fit, variable projection."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, optimize

from kineticflow.core.attrs import check_registered
from kineticflow.core.convolution import convolve_with_pulse
from kineticflow.core.io import read_dataset, write_dataset
from kineticflow.trxs.exponentials import (
    cell_average_exponential,
    exponential_gaussian,
    exponential_pulse,
    irf_sigma,
    kinetic_basis,
    pulse_weights,
)
from kineticflow.trxs.global_fit import TABLE_COLUMNS, global_fit, global_fit_table
from kineticflow.trxs.observation import make_observation
from kineticflow.trxs.pulses import effective_fwhm, gaussian_pulse, measure_fwhm

FWHM, JITTER = 100.0, 0.2  # ps; effective FWHM 102 ps (TRXS Eq. 8)
SIGMA = irf_sigma(FWHM, JITTER)
TAU = np.concatenate([[-400.0, -200.0, -100.0, -50.0, 0.0], np.geomspace(10.0, 2e4, 25)])  # log-spaced, negatives
TRUE_T = (50.0, 800.0)  # one shorter than the pulse, one longer


def spectra(q: np.ndarray) -> np.ndarray:
    return np.stack([np.sin(2.5 * q) / q, np.cos(1.5 * q) * np.exp(-0.1 * q**2), 0.5 * np.sin(4 * q) / q], axis=1)


def simulate(n_q: int, seed: int, snr: float = 20.0, t0: float = 0.0):
    """Two exponentials + offset through the jittered Gaussian pulse, noise σ = max|ΔS|/SNR."""
    q = np.linspace(0.5, 4.5, n_q)
    clean = spectra(q) @ kinetic_basis(TAU, TRUE_T, t0, sigma_ps=SIGMA).T
    sigma = np.full(clean.shape, np.abs(clean).max() / snr)
    noisy = clean + np.random.default_rng(seed).standard_normal(clean.shape) * sigma
    return make_observation(q, TAU, noisy, sigma, sample="synthetic"), clean


def emg_quad(tau: float, t_const: float, sigma: float) -> float:
    """∫₀^∞ e^{−t/T} N(t − τ; σ) dt by adaptive quadrature (the independent reference)."""

    def integrand(t: float) -> float:
        decay = 1.0 if math.isinf(t_const) else math.exp(-t / t_const)
        return decay * math.exp(-0.5 * ((t - tau) / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))

    hi = tau + 12 * sigma if math.isinf(t_const) else max(tau, 0.0) + 12 * sigma + 40 * t_const
    value, _ = integrate.quad(
        integrand, 0.0, max(hi, 12 * sigma), points=[max(tau, 0.0)], limit=400, epsabs=1e-15, epsrel=1e-12
    )
    return value  # the tail beyond hi is below 1e-17 of the value


@pytest.mark.parametrize("t_const", [1.0, 30.0, 100.0, 1000.0, math.inf])
def test_analytic_gaussian_convolution_equals_quadrature(t_const):
    delays = np.array([-400.0, -150.0, -40.0, 0.0, 25.0, 100.0, 400.0, 3000.0])
    analytic = exponential_gaussian(delays, t_const, SIGMA)
    reference = np.array([emg_quad(d, t_const, SIGMA) for d in delays])
    np.testing.assert_allclose(analytic, reference, rtol=1e-8, atol=1e-14)


@pytest.mark.parametrize("t_const", [30.0, 1000.0])
def test_analytic_equals_the_fft_convolution_and_the_sampled_pulse(t_const):
    t = np.arange(-1500.0, 6000.0 + 0.25, 0.25)
    delays = np.array([-300.0, -50.0, 0.0, 60.0, 500.0, 4000.0])
    fft = convolve_with_pulse(
        np.where(t >= 0, np.exp(-np.clip(t, 0, None) / t_const), 0.0), t, lambda s: gaussian_pulse(s, FWHM), delays
    )
    analytic = exponential_gaussian(delays, t_const, irf_sigma(FWHM, 0.0))
    np.testing.assert_allclose(analytic, fft, atol=2e-5)
    # the measured-pulse path (cells of the lag grid, exact kinetics per cell), on a sampled Gaussian
    profile_t = np.linspace(-400.0, 400.0, 801)
    s, w = pulse_weights(profile_t, gaussian_pulse(profile_t, FWHM), jitter=JITTER)
    np.testing.assert_allclose(
        exponential_pulse(delays, t_const, s, w), exponential_gaussian(delays, t_const, SIGMA), atol=2e-4
    )


def test_stable_for_time_constants_far_below_the_pulse_and_far_negative_delays():
    u = np.linspace(-200.0, 200.0, 41)
    tiny = 1e-3
    # T << σ: the exponential acts as a delta of area T at its mean delay T, f → T N(u − T; σ)
    gauss = np.exp(-0.5 * ((u - tiny) / SIGMA) ** 2) / (SIGMA * math.sqrt(2 * math.pi))
    np.testing.assert_allclose(exponential_gaussian(u, tiny, SIGMA) / tiny, gauss, rtol=1e-6)
    wide = exponential_gaussian(np.array([-1e5, -1e4, 1e4, 1e5]), tiny, SIGMA)
    assert np.all(np.isfinite(wide)) and np.all(wide >= 0) and wide.max() < 1e-300
    assert np.all(np.isfinite(exponential_gaussian(np.array([-1e5, 1e5]), 1e6, SIGMA)))


def test_cell_average_is_exact():
    for t_const in (0.01, 2.0, 50.0, math.inf):
        for x in (-3.0, -0.5, 0.2, 0.5, 4.0):
            a, b = max(x - 0.5, 0.0), max(x + 0.5, 0.0)
            exact = (b - a) if math.isinf(t_const) else t_const * (math.exp(-a / t_const) - math.exp(-b / t_const))
            assert cell_average_exponential(np.array([x]), t_const, 1.0)[0] == pytest.approx(
                exact, rel=1e-12, abs=1e-300
            )


def test_time_constants_and_errors_over_20_noise_seeds():
    """Truth within 2 stderr; the stderr within 30 % of the scatter of the fitted values."""
    values, errors = [], []
    for seed in range(20):
        obs, _ = simulate(40, seed)
        fit = global_fit(obs, [20.0, 300.0], fwhm_ps=FWHM, jitter=JITTER, fit_t0=True)
        values.append(fit["time_constant"].values)
        errors.append(fit["time_constant_stderr"].values)
    values, errors = np.array(values), np.array(errors)
    inside = np.abs(values - TRUE_T) < 2 * errors
    assert np.all(inside.mean(axis=0) >= 0.85), inside.mean(axis=0)
    scatter = values.std(axis=0, ddof=1)
    assert np.all(np.abs(values.mean(axis=0) - TRUE_T) < 2 * scatter / math.sqrt(20))
    np.testing.assert_allclose(np.median(errors, axis=0), scatter, rtol=0.3)


def test_variable_projection_agrees_with_the_full_nonlinear_fit():
    obs, _ = simulate(5, seed=3)
    fit = global_fit(obs, [20.0, 300.0], fwhm_ps=FWHM, jitter=JITTER, fit_t0=True)
    d, s = obs["delta_s"].values, obs["sigma"].values

    def residual(x: np.ndarray) -> np.ndarray:
        phi = kinetic_basis(TAU, np.exp(x[:2]), x[2], sigma_ps=SIGMA)
        return ((d - x[3:].reshape(5, 3) @ phi.T) / s).ravel()

    amps = np.concatenate([fit["das"].values, fit["offset"].values[:, None]], axis=1)
    start = np.concatenate(
        [np.log(fit["time_constant"].values) + [0.2, -0.2], [float(fit["t0"]) + 5.0], 1.1 * amps.ravel()]
    )
    full = optimize.least_squares(residual, start, x_scale="jac", ftol=1e-14, xtol=1e-14, gtol=1e-14)
    # the same optimum, to 1e-4 standard errors (the χ² surface is flat to ~1e-12 there)
    stderr = fit["time_constant_stderr"].values
    assert np.all(np.abs(np.exp(full.x[:2]) - fit["time_constant"].values) < 1e-4 * stderr)
    assert abs(full.x[2] - float(fit["t0"])) < 1e-4 * float(fit["t0_stderr"])
    amp_err = np.concatenate([fit["das_stderr"].values, fit["offset_stderr"].values[:, None]], axis=1)
    assert np.all(np.abs(full.x[3:].reshape(5, 3) - amps) < 1e-4 * amp_err)
    cov = np.linalg.inv(full.jac.T @ full.jac)
    err = np.sqrt(np.diag(cov))
    np.testing.assert_allclose(np.exp(full.x[:2]) * err[:2], fit["time_constant_stderr"].values, rtol=1e-3)
    assert err[2] == pytest.approx(float(fit["t0_stderr"]), rel=1e-3)
    np.testing.assert_allclose(err[3:].reshape(5, 3)[:, :2], fit["das_stderr"].values, rtol=1e-3)
    np.testing.assert_allclose(err[3:].reshape(5, 3)[:, 2], fit["offset_stderr"].values, rtol=1e-3)


def test_measured_pulse_profile_gives_the_gaussian_result():
    q = np.linspace(0.5, 4.5, 10)
    clean = spectra(q) @ kinetic_basis(TAU, TRUE_T, 0.0, sigma_ps=SIGMA).T
    obs = make_observation(q, TAU, clean, np.full(clean.shape, 1e-3), sample="noise-free")
    profile_t = np.linspace(-400.0, 400.0, 801)
    fit = global_fit(obs, [20.0, 300.0], pulse_profile=(profile_t, gaussian_pulse(profile_t, FWHM)), jitter=JITTER)
    np.testing.assert_allclose(fit["time_constant"].values, TRUE_T, rtol=2e-3)
    assert fit.attrs["irf"] == "measured pulse profile"


def test_dataset_table_and_residuals(tmp_path):
    obs, _ = simulate(12, seed=1)
    fit = global_fit(obs, [500.0, 30.0], fwhm_ps=FWHM, jitter=JITTER)  # guesses in descending order
    assert list(fit["component"].values) == ["tau_1", "tau_2"]
    assert fit["time_constant"].values[0] < fit["time_constant"].values[1]
    np.testing.assert_allclose(
        fit["residual"].values, (obs["delta_s"].values - fit["fit"].values) / obs["sigma"].values
    )
    assert float(fit["chi2_reduced"]) == pytest.approx(float((fit["residual"] ** 2).sum()) / fit.attrs["dof"])
    assert fit.attrs["dof"] == 12 * TAU.size - 2 - 12 * 3
    table = global_fit_table(fit)
    assert tuple(table.columns) == TABLE_COLUMNS
    assert list(table["parameter"]) == ["tau_1", "tau_2", "t0", "chi2_reduced"]
    assert (
        np.isnan(table.loc[2, "stderr"])
        and table.loc[2, "value"] == 0.0
        and list(table["unit"]) == ["ps", "ps", "ps", "1"]
    )
    check_registered(fit, "global fit")
    write_dataset(fit, tmp_path / "fit.nc")
    back = read_dataset(tmp_path / "fit.nc")
    np.testing.assert_array_equal(back["das"].values, fit["das"].values)


def test_an_instrument_response_is_required():
    obs, _ = simulate(4, seed=0)
    with pytest.raises(ValueError, match="fwhm_ps"):
        global_fit(obs, [20.0, 300.0])
    with pytest.raises(ValueError, match="exactly one"):
        kinetic_basis(TAU, [10.0], 0.0)


def test_relative_sigma_scales_the_errors_by_the_reduced_chi2():
    obs, _ = simulate(8, seed=5)
    obs["sigma"] = obs["sigma"] * 3.0  # σ overestimated threefold: χ²_red ≈ 1/9
    absolute = global_fit(obs, [20.0, 300.0], fwhm_ps=FWHM, jitter=JITTER)
    relative = global_fit(obs, [20.0, 300.0], fwhm_ps=FWHM, jitter=JITTER, absolute_sigma=False)
    scale = math.sqrt(float(absolute["chi2_reduced"]))
    assert 0.2 < scale < 0.5
    np.testing.assert_allclose(relative["time_constant"].values, absolute["time_constant"].values, rtol=1e-9)
    np.testing.assert_allclose(
        relative["time_constant_stderr"].values, scale * absolute["time_constant_stderr"].values, rtol=1e-6
    )
    np.testing.assert_allclose(relative["das_stderr"].values, scale * absolute["das_stderr"].values, rtol=1e-6)


def test_measured_pulse_with_large_jitter_keeps_its_grid():
    """Jitter of 5 FWHM (the config's maximum) broadens a sampled Gaussian as Eq. 8 says."""
    profile_t = np.linspace(-150.0, 150.0, 301)
    s, w = pulse_weights(profile_t, gaussian_pulse(profile_t, FWHM), jitter=5.0)
    assert s.shape == w.shape and w.sum() == pytest.approx(1.0)
    assert measure_fwhm(s, w) == pytest.approx(effective_fwhm(FWHM, 5 * FWHM), rel=2e-2)
