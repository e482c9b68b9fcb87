"""Noise-weighted SVD: the noise edge, the significance threshold and the rank of known data."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from kineticflow.core.attrs import check_registered, coord
from kineticflow.core.svd import noise_edge, significance_threshold, weighted_svd

N_Q, N_TAU = 60, 30
Q = np.linspace(0.5, 4.5, N_Q)
TAU = np.concatenate([[-100.0, 0.0], np.geomspace(10.0, 1e4, N_TAU - 2)])


def as_map(values: np.ndarray) -> xr.DataArray:
    return xr.DataArray(values, dims=("q", "tau"), coords={"q": coord("q", Q), "tau": coord("tau", TAU)})


def heteroscedastic_sigma() -> np.ndarray:
    """σ varying tenfold across the map: only the weighting makes the noise white."""
    return np.outer(0.2 + Q, 1.0 + 0.5 * np.cos(np.arange(N_TAU)))


def rank_two_signal() -> np.ndarray:
    u1, u2 = np.sin(2.5 * Q) / Q, np.cos(1.5 * Q) * np.exp(-0.1 * Q**2)
    v1, v2 = np.exp(-np.clip(TAU, 0, None) / 100.0) * (TAU >= 0), (TAU >= 0) * 1.0
    return np.outer(u1, v1) + 0.5 * np.outer(u2, v2)


def test_noise_edge_and_threshold_values():
    assert noise_edge(100, 25) == 15.0
    # the threshold is above the asymptotic edge and grows with the confidence asked for
    t10, t05, t01 = (significance_threshold(200, 40, lv) for lv in (0.1, 0.05, 0.01))
    assert noise_edge(200, 40) < t10 < t05 < t01
    assert significance_threshold(40, 200) == significance_threshold(200, 40)
    with pytest.raises(ValueError, match="level"):
        significance_threshold(10, 10, level=0.2)


def test_pure_noise_has_no_significant_component():
    sigma = heteroscedastic_sigma()
    counts = []
    for seed in range(100):
        noise = np.random.default_rng(seed).standard_normal((N_Q, N_TAU)) * sigma
        counts.append(int(weighted_svd(as_map(noise), as_map(sigma))["n_significant"]))
    assert counts.count(0) >= 95


def test_false_alarm_rate_matches_the_level():
    """At level 0.05 about 5 % of pure-noise maps exceed the threshold (Johnstone 2001)."""
    threshold = significance_threshold(30, 20, level=0.05)
    rng = np.random.default_rng(1000)
    largest = [np.linalg.svd(rng.standard_normal((30, 20)), compute_uv=False)[0] for _ in range(400)]
    assert 0.02 <= np.mean(np.array(largest) > threshold) <= 0.08


def test_the_asymptotic_edge_alone_would_overcount():
    """Counting above √n + √m instead of the threshold finds a noise component in ~15 % of maps."""
    rng = np.random.default_rng(7)
    largest = np.array([np.linalg.svd(rng.standard_normal((N_Q, N_TAU)), compute_uv=False)[0] for _ in range(200)])
    assert np.mean(largest > noise_edge(N_Q, N_TAU)) > 0.08
    assert np.mean(largest > significance_threshold(N_Q, N_TAU)) < 0.03


def test_rank_two_data_at_snr_20_gives_two():
    clean = rank_two_signal()
    sigma = np.full(clean.shape, np.abs(clean).max() / 20.0)
    for seed in range(20):
        data = clean + np.random.default_rng(seed).standard_normal(clean.shape) * sigma
        assert int(weighted_svd(as_map(data), as_map(sigma))["n_significant"]) == 2


def test_vectors_reconstruct_the_weighted_map_and_are_registered():
    sigma = heteroscedastic_sigma()
    data = rank_two_signal() + np.random.default_rng(3).standard_normal((N_Q, N_TAU)) * sigma
    out = weighted_svd(as_map(data), as_map(sigma))
    u, s, v = out["left_vector"].values, out["singular_value"].values, out["right_vector"].values
    np.testing.assert_allclose((u * s) @ v.T, data / sigma, atol=1e-12)
    np.testing.assert_allclose(u.T @ u, np.eye(N_TAU), atol=1e-12)
    assert np.all(np.diff(s) <= 0)
    # sign convention: the largest entry of each left vector is positive
    assert np.all(u[np.argmax(np.abs(u), axis=0), np.arange(N_TAU)] > 0)
    assert out["left_vector"].dims == ("q", "component") and out["right_vector"].dims == ("tau", "component")
    check_registered(out, "svd")
    short = weighted_svd(as_map(data), as_map(sigma), n_components=3)
    assert short.sizes["component"] == 3 and int(short["n_significant"]) == int(out["n_significant"])


def test_sigma_must_be_positive():
    with pytest.raises(ValueError, match="sigma"):
        weighted_svd(as_map(np.ones((N_Q, N_TAU))), as_map(np.zeros((N_Q, N_TAU))))
