"""TRXS branch physics against closed forms and the paper's numbers (docs/trxs.md)."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from scipy.special import erfc

from kineticflow.core.convolution import convolve_with_pulse, lag_grid
from kineticflow.core.transforms import modification_function, sine_transform_q_to_r, sine_transform_r_to_q
from kineticflow.trxs.landmarks import positive_peak_position
from kineticflow.trxs.model import DiatomicModel, delta_s_inst_q_closed_form, delta_s_inst_r, gaussian_shell_q
from kineticflow.trxs.pulses import (
    FWHM_PER_SIGMA,
    effective_fwhm,
    gaussian_pulse,
    jitter_averaged_pulse,
    measure_fwhm,
    measured_pulse,
    monte_carlo_jitter_pulse,
    read_pulse_profile,
)

MODEL = DiatomicModel()
R = np.linspace(0.0, 10.0, 1001)


def test_landmarks_at_t0_and_late_times():
    t = np.array([0.0, 1000.0])
    da = xr.DataArray(delta_s_inst_r(R, t, MODEL), dims=("t", "r"), coords={"t": t, "r": R})
    # t = 0: positive peak at r_Y + Δr_Y = 4.5 Å, negative at r_X = 2.5 Å, unit height
    assert float(da.isel(t=0).idxmax()) == pytest.approx(4.5, abs=0.01)
    assert float(da.isel(t=0).idxmin()) == pytest.approx(2.5, abs=0.01)
    assert float(da.isel(t=0).max()) == pytest.approx(1.0, abs=1e-6)
    # after 10 τ_r the positive peak has contracted to ~3.0 Å (Fig. 3 caption), not 2.5
    peak = positive_peak_position(da, r_min=2.8)
    assert float(peak.isel(t=1)) == pytest.approx(3.0, abs=0.05)


def test_signal_is_causal():
    t = np.array([-100.0, -1e-9])
    assert np.all(delta_s_inst_r(R, t, MODEL) == 0.0)


def test_q_transform_of_gaussian_matches_closed_form():
    q = np.linspace(0.5, 7.0, 131)
    for centre, a in [(2.5, 10.0), (4.5, 10.0), (3.0, 4.0)]:
        f = np.exp(-a * (R - centre) ** 2)
        numeric = sine_transform_r_to_q(f, R, q)
        closed = gaussian_shell_q(q, centre, a)
        assert np.max(np.abs(numeric - closed)) < 1e-9 * np.max(np.abs(closed))


def test_model_q_signal_matches_closed_form():
    q = np.linspace(0.5, 7.0, 66)
    t = np.array([0.0, 50.0, 300.0, 3000.0])
    numeric = sine_transform_r_to_q(delta_s_inst_r(R, t, MODEL), R, q)
    closed = delta_s_inst_q_closed_form(q, t, MODEL)
    assert np.max(np.abs(numeric - closed)) < 1e-9 * np.max(np.abs(closed))


def test_r_to_q_to_r_is_identity_on_wide_q_range():
    q = np.linspace(0.0, 40.0, 4001)
    t = np.array([0.0, 100.0, 1000.0])
    f = delta_s_inst_r(R, t, MODEL)
    back = sine_transform_q_to_r(sine_transform_r_to_q(f, R, q), q, R)
    assert np.max(np.abs(back - f)) < 1e-6


def test_truncated_q_range_leaves_ripples():
    """With q = 0.5–7 Å⁻¹ the identity no longer holds: the measured-range artefacts exist."""
    q = np.linspace(0.5, 7.0, 651)
    f = delta_s_inst_r(R, np.array([0.0]), MODEL)
    back = sine_transform_q_to_r(sine_transform_r_to_q(f, R, q), q, R)
    assert np.max(np.abs(back - f)) > 0.05


def test_damping_broadens_gaussian_variance_by_two_alpha():
    """M = exp(−α_d q²) turns a Gaussian of variance σ² into one of σ² + 2α_d (docs/trxs.md)."""
    a, centre, alpha_d = 10.0, 4.0, 0.03
    q = np.linspace(0.0, 40.0, 4001)
    f = np.exp(-a * (R - centre) ** 2)
    damped = sine_transform_q_to_r(sine_transform_r_to_q(f, R, q), q, R, modification_function(q, "damping", alpha_d))
    # q·ΔS(q) is the 1D sine transform of r·ΔS[r], so damping convolves r·ΔS[r] with a
    # Gaussian of variance 2α_d: its variance grows by exactly 2α_d (σ² + 2α_d for a Gaussian)

    def variance(profile):
        w = R * profile
        mean = np.trapezoid(R * w, R) / np.trapezoid(w, R)
        return np.trapezoid((R - mean) ** 2 * w, R) / np.trapezoid(w, R)

    assert variance(f) == pytest.approx(1 / (2 * a), rel=0.02)
    assert variance(damped) - variance(f) == pytest.approx(2 * alpha_d, rel=1e-6)


def test_sharpening_undoes_form_factor_weighting():
    from kineticflow.core.form_factors import atomic_form_factor

    q = np.linspace(0.0, 30.0, 3001)
    f = delta_s_inst_r(R, np.array([0.0]), MODEL)
    ff = atomic_form_factor("I", np.concatenate([[0.0], q]))
    weighted = sine_transform_r_to_q(f, R, q) * ff[1:] ** 2
    m = modification_function(q, "sharpening", 0.0, ff)
    back = sine_transform_q_to_r(weighted, q, R, m)
    assert ff[0] == pytest.approx(53.0, abs=0.1)  # f_I(0) ≈ Z
    assert np.max(np.abs(back - ff[0] ** 2 * f)) < 1e-6 * ff[0] ** 2


def emg(tau, tau0, sigma):
    """Step–exponential θ(t)e^{−t/τ0} convolved with a unit-area Gaussian: exponentially modified Gaussian."""
    return 0.5 * np.exp(sigma**2 / (2 * tau0**2) - tau / tau0) * erfc((sigma**2 / tau0 - tau) / (np.sqrt(2) * sigma))


@pytest.mark.parametrize("fwhm", [100.0, 1000.0])
def test_convolution_of_step_exponential_is_emg(fwhm):
    t = np.arange(-6000.0, 12001.0, 2.0)
    tau0 = 100.0
    signal = np.where(t >= 0, np.exp(-np.clip(t, 0, None) / tau0), 0.0)
    tau = np.arange(-50.0, 5001.0, 10.0)
    out = convolve_with_pulse(signal[:, None], t, lambda s: gaussian_pulse(s, fwhm), tau)[:, 0]
    expected = emg(tau, tau0, fwhm / FWHM_PER_SIGMA)
    assert np.max(np.abs(out - expected)) < 2e-4 * expected.max()


def test_convolution_preserves_time_integral():
    t = np.arange(-3000.0, 10001.0, 2.0)
    f = delta_s_inst_r(R[::10], t, MODEL)
    out = convolve_with_pulse(f, t, lambda s: gaussian_pulse(s, 300.0), t[(t > -2000) & (t < 9000)])
    # ∫ΔS(τ)dτ = ∫ΔS_inst dt for a unit-area pulse (away from the grid ends)
    inner = (t > -2000) & (t < 9000)
    lhs = np.trapezoid(out, t[inner], axis=0)
    rhs = np.trapezoid(f, t, axis=0) - 0.5 * 2.0 * f[t == 0][0]  # causal trapezoid on [0, t_max]
    assert np.allclose(lhs, rhs, atol=1e-3 * np.abs(rhs).max())


def test_pulse_is_unit_area_with_requested_fwhm():
    s = np.arange(-2000.0, 2000.0, 0.5)
    p = gaussian_pulse(s, 100.0)
    assert np.trapezoid(p, s) == pytest.approx(1.0, rel=1e-9)
    assert measure_fwhm(s, p) == pytest.approx(100.0, rel=1e-4)


@pytest.mark.parametrize("fraction,expected", [(0.2, 101.98), (0.5, 111.80)])
def test_effective_fwhm_matches_paper_landmarks(fraction, expected):
    assert effective_fwhm(100.0, fraction * 100.0) == pytest.approx(expected, abs=0.005)
    s = np.arange(-1000.0, 1000.0, 0.25)
    p = jitter_averaged_pulse(s, 100.0, fraction * 100.0)
    assert measure_fwhm(s, p) == pytest.approx(expected, abs=0.01)
    assert np.trapezoid(p, s) == pytest.approx(1.0, rel=1e-9)  # Eq. 8 preserves the area


def test_monte_carlo_jitter_converges_as_inverse_sqrt_n():
    s = np.arange(-400.0, 400.0, 1.0)
    base = gaussian_pulse(s, 100.0)
    analytic = jitter_averaged_pulse(s, 100.0, 50.0)
    errors = []
    ns = [100, 400, 1600, 6400]
    for n in ns:
        e = [
            np.sqrt(np.mean((monte_carlo_jitter_pulse(s, s, base, 50.0, n, seed) - analytic) ** 2)) for seed in range(8)
        ]
        errors.append(np.mean(e))
    slope = np.polyfit(np.log(ns), np.log(errors), 1)[0]
    assert slope == pytest.approx(-0.5, abs=0.1)
    assert errors[-1] < 0.01 * analytic.max()


def test_monte_carlo_jitter_is_reproducible():
    s = np.arange(-400.0, 400.0, 1.0)
    base = gaussian_pulse(s, 100.0)
    a = monte_carlo_jitter_pulse(s, s, base, 20.0, 300, seed=7)
    b = monte_carlo_jitter_pulse(s, s, base, 20.0, 300, seed=7)
    c = monte_carlo_jitter_pulse(s, s, base, 20.0, 300, seed=8)
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_measured_profile_is_centred_rescaled_and_normalised(tmp_path):
    from pathlib import Path

    path = Path(__file__).parents[2] / "resources" / "pulse_profile_asymmetric.csv"
    pt, pi = read_pulse_profile(path)
    s = lag_grid(np.arange(-3000.0, 3001.0, 1.0))
    p = measured_pulse(s, pt, pi, fwhm_ps=100.0)
    assert np.trapezoid(p, s) == pytest.approx(1.0, rel=1e-9)
    assert measure_fwhm(s, p) == pytest.approx(100.0, rel=0.01)
    assert np.trapezoid(s * p, s) == pytest.approx(0.0, abs=0.5)  # centroid at zero lag
    # asymmetric: a slow tail, so the peak comes before the centroid
    assert s[np.argmax(p)] < -5.0
