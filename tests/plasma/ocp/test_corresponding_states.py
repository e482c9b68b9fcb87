"""Rosenfeld's corresponding-states scaling (issue 26): the reduced D_R and the table over all κ."""

from __future__ import annotations

import math

import numpy as np
import pytest
import xarray as xr

from kineticflow.plasma.ocp.corresponding_states import corresponding_states, reduced_diffusion, table1_d_r
from kineticflow.plasma.ocp.formulas import eyring_d_star
from kineticflow.plasma.ocp.reference import gamma_melting


def test_reduced_diffusion_closed_form():
    # D_R = D n^{1/3} (m/T)^{1/2} with a = m = q = 1: n = 3/(4 pi), T = 1/Gamma, D = D* omega_p, omega_p = sqrt(3)
    gamma, d_star = np.array([1.0, 100.0, 3000.0]), np.array([2.0, 0.01, 1e-3])
    n, omega_p = 3.0 / (4.0 * math.pi), math.sqrt(3.0)
    expected = d_star * omega_p * n ** (1.0 / 3.0) * np.sqrt(gamma)
    np.testing.assert_allclose(reduced_diffusion(d_star, gamma), expected, rtol=1e-14)
    assert reduced_diffusion(1.0, 1.0) == pytest.approx(0.6204 * math.sqrt(3.0), rel=1e-4)


def test_reduced_diffusion_rejects_nonpositive_gamma():
    with pytest.raises(ValueError):
        reduced_diffusion([1.0], [0.0])


def test_table1_model_is_eyring_above_50_and_absent_without_parameters():
    g = np.array([10.0, 100.0, 1000.0])
    d_r = table1_d_r(g, 4.0)
    assert np.isnan(d_r[0])  # kappa a = 4: Eq. 4 only, from Gamma = 50
    np.testing.assert_allclose(d_r[1:], reduced_diffusion(eyring_d_star(g[1:], 5.46, 3.16e-4), g[1:]))
    assert np.isnan(table1_d_r(g, 1.0)).all()  # Table I's kappa a = 1 parameters are not legible


def _diffusion(kappa: float, gammas: np.ndarray, d_star: np.ndarray) -> xr.Dataset:
    dims = ("kappa", "gamma")
    return xr.Dataset(
        {"d_star": (dims, d_star[None]), "d_star_stderr": (dims, 0.01 * d_star[None])},
        coords={"kappa": [kappa], "gamma": gammas},
    )


def test_ocp_model_points_lie_on_the_ocp_curve_and_scaled_kappa_points_map_onto_it():
    # kappa a = 0: the Table I model itself gives ratio 1 to both models
    g0 = np.array([60.0, 100.0, 150.0])
    d0 = eyring_d_star(g0, 1.52, 0.0082)
    t0 = corresponding_states(_diffusion(0.0, g0, d0))
    np.testing.assert_allclose(t0["ratio_table1"], 1.0, rtol=1e-12)
    np.testing.assert_allclose(t0["ratio_table1_ocp"], 1.0, rtol=1e-12)
    # kappa a = 2 built to obey the scaling exactly: D_R(Gamma) = D_R,OCP(Gamma Gamma_m(0)/Gamma_m(2))
    g2 = g0 / gamma_melting(0.0) * gamma_melting(2.0)
    d2 = table1_d_r(g0, 0.0) / reduced_diffusion(1.0, g2)
    t2 = corresponding_states(_diffusion(2.0, g2, d2))
    np.testing.assert_allclose(t2["gamma_ratio"], g0 / gamma_melting(0.0))
    np.testing.assert_allclose(t2["ratio_table1_ocp"], 1.0, rtol=1e-12)
    assert not np.allclose(t2["ratio_table1"], 1.0, rtol=0.01)  # Table I's kappa a = 2 model differs
