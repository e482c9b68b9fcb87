"""Weighted fits of Eqs 2 and 4 recover known parameters from noisy synthetic D*."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from kineticflow.core.fitting import FitError
from kineticflow.plasma.ocp.config import FitSettings
from kineticflow.plasma.ocp.fits import fit_chapman_spitzer, fit_diffusion_models, fit_eyring, fits_table
from kineticflow.plasma.ocp.formulas import chapman_spitzer_d_star, eyring_d_star


def test_fit_chapman_spitzer_recovers_table1():
    rng = np.random.default_rng(1)
    g = np.array([0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0])
    d = chapman_spitzer_d_star(g, 0.647, 2.159)
    err = 0.01 * d
    f = fit_chapman_spitzer(g, d * (1 + 0.01 * rng.standard_normal(g.size)), err)
    assert f.values["alpha"] == pytest.approx(0.647, rel=0.05)
    assert f.values["C"] == pytest.approx(2.159, rel=0.1)
    assert 0 < f.stderr["alpha"] < 0.05 and f.n_points == 9
    assert f.redchi == pytest.approx(1.0, abs=1.0)


def test_fit_eyring_recovers_table1_and_respects_range():
    rng = np.random.default_rng(2)
    g = np.array([10.0, 50, 75, 100, 125, 150, 175, 300])
    d = eyring_d_star(g, 1.52, 0.0082)
    d[0] *= 3  # outside the range: must be ignored
    d[-1] *= 3
    f = fit_eyring(g, d * (1 + 0.01 * rng.standard_normal(g.size)), 0.01 * d, gamma_min=50, gamma_max=175)
    assert f.n_points == 6 and f.gamma_min == 50 and f.gamma_max == 175
    assert f.values["A"] == pytest.approx(1.52, rel=0.05)
    assert f.values["B"] == pytest.approx(0.0082, rel=0.1)


def test_fit_needs_two_points():
    with pytest.raises(FitError):
        fit_eyring([100.0], [0.006], [0.0001])


def test_fit_diffusion_models_dataset_puts_table1_beside():
    g = np.array([0.1, 0.5, 2.0, 10.0, 50.0, 100.0, 175.0])
    d = np.where(g <= 10, chapman_spitzer_d_star(g, 0.647, 2.159), eyring_d_star(g, 1.52, 0.0082))
    ds = xr.Dataset(
        {"d_star": (("kappa", "gamma"), d[None]), "d_star_stderr": (("kappa", "gamma"), 0.02 * d[None])},
        coords={"kappa": [0.0], "gamma": g},
    )
    fits = fit_diffusion_models(ds, FitSettings(cs_gamma_max=2.0, eyring_gamma_min=50.0, min_relative_error=0.005))
    for p, ref in (("alpha", 0.647), ("C", 2.159), ("A", 1.52), ("B", 0.0082)):
        assert float(fits[p].sel(kappa=0)) == pytest.approx(ref, rel=1e-4)
        assert float(fits[f"{p}_ref"].sel(kappa=0)) == ref
        assert abs(float(fits[f"{p}_rel_diff"].sel(kappa=0))) < 1e-4
        assert fits[p].attrs["units"] == "1" and fits[p].attrs["long_name"]
    assert int(fits["cs_n_points"].sel(kappa=0)) == 3 and int(fits["eyring_n_points"].sel(kappa=0)) == 3
    table = fits_table(fits)
    assert set(table["parameter"]) == {"alpha", "C", "A", "B"}
