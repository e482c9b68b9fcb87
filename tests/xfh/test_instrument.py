"""The simulated XFH instrument: the paper's spiral scan, goniometer rotation, counts and noise."""

from __future__ import annotations

import numpy as np
import pytest

from kineticflow.xfh import instrument as ins
from kineticflow.xfh import processing as pr


def test_spiral_scan_of_the_paper() -> None:
    s = ins.spiral_scan(80, 2, 3600, 320_000)
    assert s.duration == pytest.approx(40.0)  # "a full pattern of 3.2e5 pixels in about 40 s"
    assert s.dwell == pytest.approx(1.25e-4)
    assert np.degrees(s.polar).min() >= 0 and np.degrees(s.polar).max() <= 80
    turns = np.sum(np.diff(s.azimuth) < 0)
    assert turns == 399  # 3600°/s × 40 s = 400 turns, 0.2° of polar angle apart


def test_sample_rotation_and_covering_angle() -> None:
    r = ins.sample_rotation([1, 1, 1])
    np.testing.assert_allclose(r @ [0, 0, 1], np.ones(3) / np.sqrt(3), atol=1e-12)
    np.testing.assert_allclose(r.T @ r, np.eye(3), atol=1e-12)
    ops = pr.point_group_m3m()
    assert len(ops) == 48 and len({tuple(np.round(g.ravel())) for g in ops}) == 48
    need = np.degrees(np.arccos(1 / np.sqrt(3)))  # 54.74°: (001) is that far from every <111>
    for normal in ([1, 1, 1], [0, 0, 1]):
        assert pr.covering_polar_angle(normal, ops) == pytest.approx(need, abs=0.3)


def test_reference_subtraction_and_noise() -> None:
    s = ins.spiral_scan(80, 2, 3600, 20_000)
    lam = ins.expected_counts(np.zeros(20_000), s.polar, 1e4, 0.3)
    np.testing.assert_allclose(pr.subtract_reference(lam, s.polar, 4), 0.0, atol=1e-12)
    n1, n2 = ins.poisson_counts(lam, 7), ins.poisson_counts(lam, 7)
    np.testing.assert_array_equal(n1, n2)
    assert np.var(n1 - lam) / lam.mean() == pytest.approx(1.0, rel=0.05)


def test_scan_directions_turn_about_the_surface_normal() -> None:
    s = ins.spiral_scan(80, 2, 3600, 10_000)
    normal = np.array([1.0, 1.0, 1.0]) / np.sqrt(3)
    d = ins.scan_directions(s, [1, 1, 1])
    np.testing.assert_allclose(np.linalg.norm(d, axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(np.degrees(np.arccos(d @ normal)), np.degrees(s.polar), atol=1e-9)


def test_mean_counts_of_the_default_config() -> None:
    """2e6 /s x 1.25e-4 s x 300 patterns = 7.5e4 counts per pixel (docs/xfh.md)."""
    s = ins.spiral_scan(80, 2, 3600, 320_000)
    assert ins.mean_counts_per_pixel(2.0e6, s.dwell, 300) == pytest.approx(7.5e4, rel=1e-12)
