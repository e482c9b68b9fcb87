"""Green–Kubo and Einstein estimators on synthetic data with known integrals."""

from __future__ import annotations

import numpy as np
import pytest

from kineticflow.diffusion import (
    DiffusionError,
    einstein_diffusion,
    green_kubo_diffusion,
    running_green_kubo,
)
from kineticflow.md import msd, vacf


def test_green_kubo_exponential_vacf():
    # C(t) = 3 (k_BT/m) exp(−t/τ): D = (k_BT/m) τ exactly
    kT, tau = 0.5, 2.0
    t = np.linspace(0, 20 * tau, 4001)
    c = 3 * kT * np.exp(-t / tau)
    assert green_kubo_diffusion(c, t, tail_correction=False) == pytest.approx(kT * tau, rel=1e-4)
    assert running_green_kubo(c, t)[-1] == pytest.approx(kT * tau, rel=1e-4)


def test_tail_correction_recovers_truncated_exponential():
    kT, tau = 1.0, 5.0
    t = np.linspace(0, 2.5 * tau, 2001)  # window only 2.5 τ: 8 % of the integral missing
    c = 3 * kT * np.exp(-t / tau)
    plain = green_kubo_diffusion(c, t, tail_correction=False)
    assert plain == pytest.approx(kT * tau * (1 - np.exp(-2.5)), rel=1e-4)
    assert green_kubo_diffusion(c, t, tail_correction=True) == pytest.approx(kT * tau, rel=2e-3)


def test_tail_correction_leaves_decayed_oscillating_vacf_alone():
    t = np.linspace(0, 60, 3001)
    c = 3 * np.exp(-t / 3) * np.cos(2 * t)
    exact = (1 / 3) * 3 * (1 / 3) / ((1 / 3) ** 2 + 4)  # ∫ e^{-t/3} cos 2t dt = (1/3)/((1/3)²+4)
    assert green_kubo_diffusion(c, t) == pytest.approx(exact, rel=1e-3)


def test_green_kubo_rejects_bad_input():
    with pytest.raises(DiffusionError):
        green_kubo_diffusion([1.0, 0.5], [0.0, 1.0])
    t = np.linspace(0, 1, 50)
    with pytest.raises(DiffusionError, match="lengthen"):
        green_kubo_diffusion(np.exp(-t / 100), t)


def test_einstein_matches_exponential_vacf_msd():
    D, tau = 2.0, 1.5
    t = np.linspace(0, 15, 600)
    m = 6 * D * (t - tau * (1 - np.exp(-t / tau)))
    assert einstein_diffusion(m, t) == pytest.approx(D, rel=1e-4)


def test_multi_origin_vacf_and_msd_of_ornstein_uhlenbeck():
    # Ornstein–Uhlenbeck velocities: <v(t)v(0)> = σ² e^{−t/τ} per component; D = σ² τ
    rng = np.random.default_rng(3)
    dt, tau, sigma, n_t, n_p = 0.05, 1.0, 1.0, 20000, 40
    a = np.exp(-dt / tau)
    v = np.empty((n_t, n_p, 3))
    v[0] = rng.normal(0, sigma, (n_p, 3))
    noise = rng.normal(0, sigma * np.sqrt(1 - a * a), (n_t, n_p, 3))
    for i in range(1, n_t):
        v[i] = a * v[i - 1] + noise[i]
    n_lags = 200
    c = vacf(v, n_lags).mean(axis=1)
    lag = np.arange(n_lags) * dt
    assert c[0] == pytest.approx(3 * sigma**2, rel=0.02)
    assert c[20] == pytest.approx(3 * sigma**2 * np.exp(-1.0), rel=0.05)
    assert green_kubo_diffusion(c, lag) == pytest.approx(sigma**2 * tau, rel=0.05)
    # brute-force check of the FFT correlations on one particle
    k = 7
    brute = np.mean(np.sum(v[:-k, 0] * v[k:, 0], axis=-1))
    assert vacf(v[:, :1], 10)[k, 0] == pytest.approx(brute, rel=1e-10)
    r = np.cumsum(v, axis=0) * dt
    m = msd(r, n_lags)
    brute_m = np.mean(np.sum((r[k:, 3] - r[:-k, 3]) ** 2, axis=-1))
    assert m[k, 3] == pytest.approx(brute_m, rel=1e-8)
    assert einstein_diffusion(m.mean(axis=1), lag) == pytest.approx(sigma**2 * tau, rel=0.08)
