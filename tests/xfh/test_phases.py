"""Families, background points, the sign rule and the scale fit of Re G = c a(h) Re F_h (XFH Eq. 11)."""

from __future__ import annotations

import numpy as np
import pytest

from kineticflow.xfh.phases import background_points, families, fit_scale, im_g_expected, recovered_sign


def test_families_of_m3m_with_multiplicities() -> None:
    hkl = np.array([[1, 1, 0], [0, -1, 1], [2, 0, 0], [-1, 0, -1], [0, 0, -2], [2, 1, 1]])
    reps, mult = families(hkl)
    assert reps.tolist() == [[1, 1, 0], [2, 0, 0], [2, 1, 1]]
    assert mult.tolist() == [3, 2, 1]


def test_background_points_surround_h() -> None:
    pts = background_points([[1.0, 2.0, 3.0]], 0.1)
    assert pts.shape == (6, 1, 3)
    np.testing.assert_allclose(pts.mean(axis=0), [[1.0, 2.0, 3.0]])
    np.testing.assert_allclose(np.linalg.norm(pts - [1.0, 2.0, 3.0], axis=-1), 0.1)


def test_sign_rule_and_scale_fit() -> None:
    """sign F = −sign Re G; the weighted fit returns the slope; its standard error does not depend on a uniform σ (scaled by √χ²_red)."""
    assert recovered_sign([2.0, -1e-9, 0.5]).tolist() == [-1, 1, -1]
    x = np.array([-3.0, -2.0, -1.0, 1.0, 2.0])
    noise = np.array([0.1, -0.05, 0.02, -0.08, 0.04])
    y = -8 * np.pi * x + noise
    fit = fit_scale(x, y, np.full(5, 0.1))
    assert fit.values["scale"] == pytest.approx(-8 * np.pi, abs=0.05)
    assert 0 < fit.stderr["scale"] < 0.05
    assert fit_scale(x, y, np.full(5, 0.01)).stderr["scale"] == pytest.approx(fit.stderr["scale"], rel=1e-6)
    exact = fit_scale(x, -8 * np.pi * x, np.full(5, 0.1))
    assert exact.values["scale"] == pytest.approx(-8 * np.pi, rel=1e-9)


def test_im_g_expected_object_term_sign() -> None:
    """Without the object term only −8π b Im F; with it +16π²|F|² b/(2k_rk_i) (docs/xfh.md)."""
    f = np.array([-1e-3 + 2e-4j])
    base = im_g_expected([2.0], f, 3.0, 0.03, False)[0]
    assert base == pytest.approx(-8 * np.pi * 2.0 * 2e-4)
    obj = im_g_expected([2.0], f, 3.0, 0.03, True)[0] - base
    assert obj == pytest.approx(16 * np.pi**2 * abs(f[0]) ** 2 * 2.0 / (2 * 3.0 * 0.03))
