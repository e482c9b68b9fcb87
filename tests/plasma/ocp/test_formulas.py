"""Plasma-paper model functions (Daligault PRL 108, 225004 (2012), Eqs 2 and 4, Table I)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kineticflow.plasma.ocp.formulas import chapman_spitzer_d_star, chapman_spitzer_limit_d_star, eyring_d_star
from kineticflow.plasma.ocp.reference import estimate_d_star, gamma_melting, reference_parameters, table1


def test_chapman_spitzer_at_gamma_1_matches_paper():
    # Table I, κ = 0: α = 0.647, C = 2.159 give D*(Γ=1) ≈ 1.95 (the paper's text)
    assert chapman_spitzer_d_star(1.0, 0.647, 2.159) == pytest.approx(1.95, abs=0.01)


def test_chapman_spitzer_hand_computed():
    # Γ = 0.1: ln(1 + 2.159/(√3·0.1^1.5)) = ln(40.42); D* = √(π/3)/(0.647·0.1^2.5·ln) = 135.2
    lnl = math.log(1 + 2.159 / (math.sqrt(3) * 0.1**1.5))
    expected = math.sqrt(math.pi / 3) / (0.647 * 0.1**2.5 * lnl)
    assert expected == pytest.approx(135.2, abs=0.2)
    assert chapman_spitzer_d_star(np.array([0.1]), 0.647, 2.159)[0] == pytest.approx(expected, rel=1e-12)


def test_plain_cs_limit_agrees_at_weak_coupling_and_fails_at_strong():
    g = np.array([1e-4, 1.0, 5.0])
    full = chapman_spitzer_d_star(g, 0.647, 2.159)
    plain = chapman_spitzer_limit_d_star(g, 0.647, 2.159)
    assert plain[0] == pytest.approx(full[0], rel=2e-3)  # ln(1+x) -> ln x for x >> 1
    assert plain[1] > full[1]
    assert np.isnan(plain[2])  # ln Λ_CS < 0: meaningless


def test_eyring_hand_computed():
    # Γ = 100: (1.52/100)·exp(−0.82) = 0.0066946
    assert eyring_d_star(100.0, 1.52, 0.0082) == pytest.approx(0.0152 * math.exp(-0.82), rel=1e-12)
    assert eyring_d_star(100.0, 1.52, 0.0082) == pytest.approx(0.0066946, rel=1e-4)


def test_models_reject_nonpositive_gamma():
    with pytest.raises(ValueError, match="gamma"):
        chapman_spitzer_d_star([0.0, 1.0], 0.647, 2.159)
    with pytest.raises(ValueError, match="gamma"):
        eyring_d_star(-1.0, 1.52, 0.0082)


def test_table1_reference_data():
    t = table1()
    assert t.loc[0.0, "alpha"] == 0.647 and t.loc[0.0, "C"] == 2.159
    assert t.loc[0.0, "A"] == 1.52 and t.loc[0.0, "B"] == 0.0082
    assert t.loc[2.0, "B"] == 0.00295 and t.loc[4.0, "A"] == 5.46
    # γ = B Γ_m (Table I, last column)
    for k in (0.0, 2.0, 4.0):
        assert t.loc[k, "B"] * t.loc[k, "gamma_m"] == pytest.approx(t.loc[k, "gamma_eyring"], rel=0.02)
    assert np.isnan(reference_parameters(1.0)["alpha"])
    assert gamma_melting(0.0) == 175.0 and gamma_melting(2.0) == pytest.approx(440.1)
    assert 175.0 < gamma_melting(0.5) < 217.4


def test_sizing_estimate_follows_the_regimes():
    assert estimate_d_star(0.1, 0.0) == pytest.approx(135.2, rel=0.01)
    assert estimate_d_star(100.0, 0.0) == pytest.approx(0.0066946, rel=1e-3)
    assert estimate_d_star(1.0, 2.0) > estimate_d_star(1.0, 0.0)  # screening: fewer collisions


def test_models_merge_near_gamma_25_for_the_ocp():
    # paper: Eq. 4 "matches the data remarkably well down to Γ ~ 25 where it merges with" Eq. 2
    from kineticflow.plasma.ocp.formulas import crossover_gamma, piecewise_d_star

    gx = crossover_gamma(0.647, 2.159, 1.52, 0.0082)
    assert 15 < gx < 30
    d = piecewise_d_star(np.array([1.0, 100.0]), 0.647, 2.159, 1.52, 0.0082)
    assert d[0] == pytest.approx(1.954, abs=0.005) and d[1] == pytest.approx(0.0066946, rel=1e-4)
    assert np.isnan(piecewise_d_star([1.0], np.nan, np.nan, np.nan, np.nan)[0])
    # κ a = 4: Table I gives only A, B; Eq. 4 is not extrapolated below its fitted range
    only_eyring = piecewise_d_star([1.0, 1000.0], np.nan, np.nan, 5.46, 0.000316, eyring_gamma_min=50.0)
    assert np.isnan(only_eyring[0])
    assert only_eyring[1] == pytest.approx(5.46 / 1000 * np.exp(-0.316))


def test_landau_self_diffusion_factor_bounds_and_convergence():
    # exact weak-coupling (Landau) self-diffusion over the first Chapman–Enskog value: above the
    # second Sonine approximation 1 + (6C* − 5)²/(16A* + 40) = 1 + 9/56 (Coulomb: A* = 1,
    # C* = 1/3), below the pitch-angle-only (no energy exchange) value, converged in the grid
    from kineticflow.plasma.ocp.boltzmann import landau_self_diffusion_factor

    f = landau_self_diffusion_factor()
    assert 1 + 9 / 56 < f < 1.25
    assert f == pytest.approx(landau_self_diffusion_factor(n_grid=20000, x_max=10.0), rel=1e-6)
    assert f == pytest.approx(1.18997, abs=2e-5)
    # without energy scattering psi = -x/nu_D exactly: D = <x^2/nu_D>/3 by quadrature
    from scipy.integrate import quad
    from scipy.special import erf

    def nu_d(x: float) -> float:
        g = (erf(x) - 2 * x / math.sqrt(math.pi) * math.exp(-x * x)) / (2 * x * x)
        return (erf(x) - g) / x**3

    d = quad(lambda x: 4 / math.sqrt(math.pi) * x**4 * math.exp(-x * x) / nu_d(x), 0, 12)[0] / 3
    d_ce1 = 0.5 / (4 / (3 * math.sqrt(2 * math.pi)))
    assert landau_self_diffusion_factor(energy_scattering=False) == pytest.approx(d / d_ce1, rel=1e-5)


def test_screened_coulomb_deflection_limits():
    from kineticflow.plasma.ocp.boltzmann import screened_coulomb_deflection

    # b, β ≪ λ: Rutherford, tan(χ/2) = β/(2b), including the nearly head-on collision
    b = np.array([1e-6, 1e-5, 1e-4])
    assert screened_coulomb_deflection(b, 1e-5) == pytest.approx(2 * np.arctan(1e-5 / (2 * b)), rel=1e-4)
    # distant pass, small angle: impulse approximation χ = (q²/Eλ) K₁(b/λ) = β K₁(b/λ) (λ = 1)
    from scipy.special import k1

    assert screened_coulomb_deflection(3.0, 1e-6) == pytest.approx(1e-6 * k1(3.0), rel=1e-5)
    # no cancellation floor: a pass far outside the screening length is not deflected
    assert abs(screened_coulomb_deflection(80.0, 1e-12)) < 1e-14


def test_chapman_enskog_d_star_coulomb_limit_and_yukawa():
    from kineticflow.plasma.ocp.boltzmann import chapman_enskog_d_star

    # κ = 0, Γ → 0: first order is Eq. (2)'s CS limit with α = 1 and the closed-form constant of
    # the Debye-screened momentum-transfer cross section, C = 4 exp(−2γ_E − 1/2) = 0.7652
    c_debye = 4 * math.exp(-2 * np.euler_gamma - 0.5)
    g = np.array([1e-6, 1e-4])
    d1 = chapman_enskog_d_star(g, 0.0, order=1)
    assert d1 == pytest.approx(chapman_spitzer_limit_d_star(g, 1.0, c_debye), rel=2e-5)
    # the second Sonine order tends (slowly, as 1/ln Λ) to the Coulomb value 1 + 9/56
    ratio = chapman_enskog_d_star([1e-8, 1e-4, 0.1], 0.0) / chapman_enskog_d_star([1e-8, 1e-4, 0.1], 0.0, order=1)
    assert np.all(np.diff(ratio) < 0) and ratio[0] == pytest.approx(1 + 9 / 56, abs=0.01)
    # bare Yukawa κ = 2 (a dilute gas of screened ions): the parameter-free Boltzmann value
    # agrees with Table I's fitted Eq. (2) at Γ = 1 and 2 (3.907 vs 3.888, 1.395 vs 1.406)
    ref = reference_parameters(2.0)
    assert chapman_enskog_d_star([1.0, 2.0], 2.0) == pytest.approx(
        chapman_spitzer_d_star([1.0, 2.0], ref["alpha"], ref["C"]), rel=0.015
    )
    with pytest.raises(ValueError, match="order"):
        chapman_enskog_d_star([1.0], 0.0, order=3)
