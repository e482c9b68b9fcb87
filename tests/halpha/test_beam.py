"""Thick-target beam deposition against closed forms (Emslie 1978, beta = 0)."""

from __future__ import annotations

import numpy as np
import pytest

from kineticflow.halpha import beam


def test_all_beam_energy_is_deposited_in_a_thick_target():
    n = np.logspace(14, 26, 20001)
    for gamma_value, delta in ((beam.LAMBDA_NEUTRAL, 4.0), (beam.LAMBDA_IONISED, 5.0)):
        q = beam.beam_heating_per_h(n, np.full_like(n, gamma_value), 1e10, delta)
        total = np.trapezoid(q, n)  # erg cm^-2 s^-1
        assert total == pytest.approx(1e10, rel=0.01)


def test_deep_deposition_falls_as_column_to_minus_delta_over_two():
    n = np.logspace(22, 24, 5)
    q = beam.beam_heating_per_h(n, np.full_like(n, 10.0), 1e10, 4.0)
    slope = np.diff(np.log(q)) / np.diff(np.log(n))
    assert np.allclose(slope, -2.0, atol=1e-6)


def test_heating_scales_with_flux_and_ionisation_rate_with_36_ev():
    n = np.logspace(18, 22, 9)
    g = beam.coulomb_log(np.full_like(n, 0.5))
    q1 = beam.beam_heating_per_h(n, g, 1e9, 4.0)
    q2 = beam.beam_heating_per_h(n, g, 1e11, 4.0)
    assert np.allclose(q2, 100 * q1)
    assert np.allclose(beam.ionisation_rate(q1) * 36.0 * 1.602176634e-12, q1)


def test_bad_spectral_index_is_refused():
    with pytest.raises(ValueError, match="delta"):
        beam.beam_heating_per_h(np.array([1e20]), np.array([10.0]), 1e10, 2.0)
