"""Hα line diagnostics against closed forms: Doppler width, bisectors, widths, reversal, wings."""

from __future__ import annotations

import numpy as np
import pytest

from kineticflow.halpha import lines

GRID_96 = (np.arange(100) - 49.5) * 0.096  # 100 pixels of 96 mÅ over Hα ± 4.8 Å


def test_thermal_doppler_width_at_1e4_k_is_the_papers_283_mA():
    width_ma = float(lines.doppler_width(1e4)) * 1e3
    # exact value for lambda0 = 6562.80 Å and the H-atom mass: 281.19 mÅ (paper rounds to 283)
    assert width_ma == pytest.approx(281.19, abs=0.01)
    assert width_ma == pytest.approx(283.0, rel=0.01)
    # scales as sqrt(T)
    assert float(lines.doppler_width(4e4)) == pytest.approx(2 * float(lines.doppler_width(1e4)), rel=1e-12)


@pytest.mark.parametrize("v", [-30.0, 0.0, 12.3, 40.0, 51.7, 60.0])
def test_bisector_of_shifted_gaussian_returns_its_velocity(v):
    shift = float(lines.shift_from_velocity(v))
    spec = np.exp(-(((GRID_96 - shift) / 0.6) ** 2))
    got = lines.velocity_from_shift(lines.bisector(GRID_96, spec, [0.2, 0.4, 0.6, 0.8]))
    assert np.all(np.abs(got - v) < 0.2)


def test_bisector_of_reversed_feature_is_its_centre():
    shift = float(lines.shift_from_velocity(45.0))
    x = GRID_96 - shift
    spec = np.exp(-((x / 1.0) ** 2)) - 0.5 * np.exp(-((x / 0.3) ** 2))  # two horns around the shifted centre
    got = lines.velocity_from_shift(lines.bisector(GRID_96, spec, [0.3, 0.5, 0.9]))
    assert np.all(np.abs(got - 45.0) < 0.5)


def test_bisector_nan_without_positive_peak():
    assert np.all(np.isnan(lines.bisector(GRID_96, -np.ones_like(GRID_96), [0.5])))


def test_core_fwhm_of_gaussian():
    sigma = 0.4
    spec = np.exp(-0.5 * (GRID_96 / sigma) ** 2)
    assert lines.core_fwhm(GRID_96, spec) == pytest.approx(2 * np.sqrt(2 * np.log(2)) * sigma, rel=0.01)


def test_reversal_depth_of_two_horned_and_single_peaked_lines():
    x = np.linspace(-3, 3, 601)
    single = np.exp(-((x / 0.8) ** 2))
    assert lines.central_reversal_depth(x, single) == 0.0
    horned = np.exp(-((x / 0.8) ** 2)) - 0.6 * np.exp(-((x / 0.2) ** 2))
    expected = 1 - horned[300] / horned[np.abs(x) > 0.25].max()
    assert lines.central_reversal_depth(x, horned) == pytest.approx(expected, rel=1e-6)


def test_wing_extent_of_lorentzian_excess():
    x = np.linspace(-4.8, 4.8, 961)
    gamma, amp, thr = 0.5, 2.0, 0.1
    excess = amp / (1 + (x / gamma) ** 2)
    expected = gamma * np.sqrt(amp / thr - 1)  # where amp / (1 + (x/g)^2) = thr
    assert lines.wing_extent(x, excess, thr) == pytest.approx(expected, abs=0.01)
    assert lines.wing_extent(x, excess, 10.0) == 0.0
