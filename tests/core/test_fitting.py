"""core.fitting: the lmfit helper against the closed-form weighted linear regression."""

from __future__ import annotations

import numpy as np
import pytest

from kineticflow.core.fitting import FitError, weighted_fit


def line(x, a, b):
    return a + b * x


def test_weighted_line_matches_closed_form():
    rng = np.random.default_rng(3)
    x = np.linspace(0.0, 10.0, 25)
    sigma = 0.1 + 0.05 * x
    y = 1.5 + 0.7 * x + rng.normal(0.0, sigma)
    res = weighted_fit(line, x, y, sigma, {"a": 0.0, "b": 1.0})
    # normal equations of chi^2 = sum ((y - a - b x)/sigma)^2
    w = 1.0 / sigma**2
    s, sx, sy, sxx, sxy = w.sum(), (w * x).sum(), (w * y).sum(), (w * x * x).sum(), (w * x * y).sum()
    det = s * sxx - sx**2
    a, b = (sxx * sy - sx * sxy) / det, (s * sxy - sx * sy) / det
    chi2 = float(np.sum(w * (y - a - b * x) ** 2))
    redchi = chi2 / (x.size - 2)
    assert res.values["a"] == pytest.approx(a, rel=1e-7)
    assert res.values["b"] == pytest.approx(b, rel=1e-7)
    # lmfit scales the covariance by chi^2_red: sigma_a^2 = redchi sxx/det
    assert res.stderr["a"] == pytest.approx(np.sqrt(redchi * sxx / det), rel=1e-4)
    assert res.stderr["b"] == pytest.approx(np.sqrt(redchi * s / det), rel=1e-4)
    assert res.redchi == pytest.approx(redchi, rel=1e-7)
    assert res.n_points == x.size


def test_bounds_and_bad_input():
    x = np.arange(5.0)
    res = weighted_fit(line, x, 2.0 - x, np.ones(5), {"a": 1.0, "b": 0.5}, bounds={"b": (0.0, np.inf)})
    assert res.values["b"] >= 0.0  # the unconstrained slope is -1
    with pytest.raises(FitError, match="errors must be > 0"):
        weighted_fit(line, x, x, np.r_[np.ones(4), 0.0], {"a": 0.0, "b": 1.0})
    with pytest.raises(FitError, match="need >= 2 points"):
        weighted_fit(line, x[:1], x[:1], np.ones(1), {"a": 0.0, "b": 1.0})
