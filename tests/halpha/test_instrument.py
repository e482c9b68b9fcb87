"""The slit spectrograph against closed forms: raster clock, slit function, counting noise."""

from __future__ import annotations

import numpy as np
import pytest

from kineticflow.halpha import instrument
from kineticflow.halpha.config import Instrument, Scan


def test_raster_clock_steps_through_the_slit_positions():
    t = instrument.observation_times(Scan(3, 50, 50, 4.0, 15.0, 2.0))
    assert t.shape == (3, 50)
    assert t[0, 0] == 2.0 and t[0, -1] - t[0, 0] == pytest.approx(49 / 4.0)
    assert np.all(np.diff(t[:, 7]) == 15.0)


def test_slit_function_keeps_area_and_gives_its_fwhm():
    x_in = np.arange(-400, 401) * 0.01
    x_out = instrument.pixel_offsets(100, 4.8)
    a = instrument.slit_matrix(x_out, x_in, 0.15)
    inside = np.abs(x_out) < 3.5
    assert np.allclose(a[inside].sum(axis=1), 1.0, atol=1e-6)
    # a delta line at 0 comes out as the Gaussian slit function of that FWHM
    fine = instrument.slit_matrix(x_in, x_in, 0.15) @ np.where(x_in == 0.0, 1.0 / 0.01, 0.0)
    above = x_in[fine >= 0.5 * fine.max()]
    assert above[-1] - above[0] == pytest.approx(0.15, abs=0.011)


def test_counting_noise_is_poisson_and_seeded():
    expected = np.full(20000, 0.5)
    c1 = instrument.photon_counts(expected, 1.0e4, seed=7)
    assert np.mean(c1) == pytest.approx(5000.0, rel=1e-3)
    assert np.var(c1) == pytest.approx(5000.0, rel=0.05)
    assert np.array_equal(c1, instrument.photon_counts(expected, 1.0e4, seed=7))
    # the standard error of a difference of two such spectra in units of the continuum
    assert instrument.difference_stderr(np.array(0.5), np.array(0.5), 1.0e4) == pytest.approx(0.01)


def test_seeing_blurs_space_not_wavelength():
    inst = Instrument(4, 2.0, 0.1, seeing_fwhm_arcsec=2.5, pixel_arcsec=2.5, continuum_counts=1e4)
    dl = np.arange(-300, 301) * 0.01
    spec = np.zeros((1, 9, 9, dl.size))
    spec[0, 4, 4] = 1.0
    rec = instrument.record_spectra(spec, dl, inst)
    assert rec.shape == (1, 9, 9, 4)
    assert rec[0, 4, 4, 0] < 1.0 and rec[0, 4, 5, 0] > 0.0
    assert rec[0].sum(axis=(0, 1)) == pytest.approx(np.ones(4), rel=1e-6)
