"""Forward-model calibration of difference-spectrum bisector velocities (kineticflow.halpha.calibrate).

A weak emission line over the deep pre-impulsive absorption (analytic grid of test_pipeline at
P0 = 100 dyn cm⁻², F20 = 10⁹): the raw bisector of the difference spectrum reads 10–25 km s⁻¹ low for
injected 40–60 km s⁻¹; the calibrated velocity must return the injected one within 2 km s⁻¹ at the
default photon noise.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
import xarray as xr
import yaml
from conftest import ROOT

from kineticflow.halpha import calibrate, lines
from kineticflow.halpha.config import Params
from kineticflow.halpha.instrument import pixel_offsets


def analytic_grid() -> xr.Dataset:
    """The analytic profile family of test_pipeline on a 2 x 2 (P0, F20) grid."""
    dl = np.arange(-140, 141) * 0.05
    quiet = 1.0 - 0.83 * np.exp(-((dl / 0.6) ** 2)) - 0.1 / (1 + (dl / 2.0) ** 2)
    p0, f20 = np.array([10.0, 1000.0]), np.array([1e8, 1e10])
    inten = np.empty((p0.size, f20.size, dl.size))
    for i, p in enumerate(p0):
        for j, f in enumerate(f20):
            core, reversal = 0.4 + 0.9 * np.log10(p), max(0.0, 0.6 - 0.25 * np.log10(p))
            emission = core * np.exp(-((dl / 0.7) ** 2)) * (1 - reversal * np.exp(-((dl / 0.25) ** 2)))
            inten[i, j] = quiet + emission + 0.1 * (f / 1e9) ** 0.5 / (1 + (dl / 1.5) ** 2)
    return xr.Dataset(
        {"intensity": (("p0", "f20", "wavelength"), inten), "quiet_intensity": ("wavelength", quiet)},
        coords={"p0": p0, "f20": f20, "wavelength": lines.HALPHA_AIR_A + dl, "delta_wavelength": ("wavelength", dl)},
    )


@pytest.fixture(scope="module")
def model():
    section = copy.deepcopy(yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["halpha"])
    grid = analytic_grid()
    inst = Params.from_config(section).instrument
    model = calibrate.VelocityCalibrator(
        grid,
        delta_wavelength=pixel_offsets(inst.n_pixels, inst.half_range_a),
        slit_fwhm_a=inst.slit_fwhm_a,
        continuum_counts=inst.continuum_counts,
        levels=section["measure"]["bisector_levels"],
    )
    return section, grid, model


def _observe(model, v, rng=None):
    section, grid, m = model
    prof = m.interp([[2.0, 9.0]])[0]
    spec = m.slit @ np.interp(m.dl_in - lines.shift_from_velocity(v), m.dl_in, prof)
    pre = m.slit @ grid["quiet_intensity"].values
    if rng is not None:
        n_c = float(section["instrument"]["continuum_counts"])
        spec, pre = rng.poisson(spec * n_c) / n_c, rng.poisson(pre * n_c) / n_c
    return calibrate.median_bisector_velocity(m.dl_out, spec - pre, m.levels), pre, spec


@pytest.mark.parametrize("v", [40.0, 45.0, 50.0, 55.0, 60.0])
def test_calibrated_velocity_without_noise(model, v):
    raw, pre, spec = _observe(model, v)
    assert v - raw > 5.0  # the raw bisector is biased towards line centre
    assert model[2].solve(100.0, 1e9, pre, raw) == pytest.approx(v, abs=0.5)
    # starting from a wrong P0, F20 (as the line diagnostics may give), the spectral refit recovers them
    v_cal, p0, f20 = model[2].calibrated(30.0, 1e10, pre, spec, raw)
    assert v_cal == pytest.approx(v, abs=0.5)
    assert p0 == pytest.approx(100.0, rel=0.05) and f20 == pytest.approx(1e9, rel=0.05)


def test_calibrated_velocity_at_default_noise(model):
    rng = np.random.default_rng(20260516)
    err_raw, err_cal = [], []
    for v in np.linspace(40.0, 60.0, 11):
        raw, pre, spec = _observe(model, v, rng)
        err_raw.append(raw - v)
        err_cal.append(model[2].calibrated(30.0, 1e10, pre, spec, raw)[0] - v)
    assert np.median(err_raw) < -5.0
    assert np.max(np.abs(err_cal)) < 2.0


def test_invert_response_picks_the_crossing():
    v = np.arange(0.0, 101.0, 10.0)
    assert calibrate.invert_response(v, 0.8 * v, 36.0) == pytest.approx(45.0)
    assert np.isnan(calibrate.invert_response(v, 0.8 * v, 90.0))  # beyond the response
    assert np.isnan(calibrate.invert_response(v, 0.8 * v, np.nan))
