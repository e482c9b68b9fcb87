"""IAM / SCAR limits and the rotational Born closed form."""

import math

import numpy as np
import pytest

from kineticflow.escatter import molecule, rotation


def test_homonuclear_diatomic_interference():
    """Two identical atoms at distance r: dσ/dΩ = 2|f|²(1 + sin qr/qr)."""
    rng = np.random.default_rng(7)
    f1 = rng.normal(size=50) + 1j * rng.normal(size=50)
    q = np.linspace(0.0, 8.0, 50)
    r = np.array([[0.0, 1.1], [1.1, 0.0]])
    got = molecule.interference_dcs(np.vstack([f1, f1]), r, q)
    np.testing.assert_allclose(got, 2 * np.abs(f1) ** 2 * (1 + np.sinc(q * 1.1 / np.pi)), rtol=1e-12)


@pytest.mark.parametrize("n", [2, 3, 5, 8])
def test_scar_n_atoms_at_one_point(n):
    """N identical atoms on one site: s_i = 1/N, σ_mol = Σ s_i σ = σ_atom."""
    sigma = np.full(n, 3.7)
    s = molecule.scar_coefficients(sigma, np.zeros((n, n)))
    np.testing.assert_allclose(s, 1.0 / n, rtol=1e-12)
    assert float(np.dot(s, sigma)) == pytest.approx(3.7, rel=1e-12)


def test_scar_far_apart_and_two_atom_closed_form():
    sigma = np.array([2.0, 5.0, 9.0])
    far = np.full((3, 3), 1e6) - np.diag([1e6] * 3)
    np.testing.assert_allclose(molecule.scar_coefficients(sigma, far), 1.0, atol=1e-10)
    # N = 2: s_i = 1 − α_j/(2 α_ij), α = σ/4π, α_ij = max(r², α_i, α_j)
    sig = np.array([4.0, 10.0])
    r = 0.6
    a = sig / (4 * math.pi)
    aij = max(r * r, *a)
    s = molecule.scar_coefficients(sig, np.array([[0, r], [r, 0]]))
    np.testing.assert_allclose(s, [1 - a[1] / (2 * aij), 1 - a[0] / (2 * aij)], rtol=1e-12)
    assert np.all((s > 0) & (s <= 1))


def test_isoflurane_structure():
    g = molecule.read_xyz("isoflurane.xyz")
    assert sorted(g.symbols) == sorted(["C"] * 3 + ["F"] * 5 + ["H"] * 2 + ["Cl", "O"])
    d = g.distances()
    cl = g.symbols.index("Cl")
    assert np.sort(d[cl])[1] == pytest.approx(1.79, abs=0.05)  # C–Cl
    b = molecule.rotational_constant(g) * 219474.63
    assert 0.02 < b < 0.06  # cm^-1, a ~180 u molecule


def test_malformed_xyz(tmp_path):
    p = tmp_path / "bad.xyz"
    p.write_text("2\ncomment\nC 0 0 0\nF 0 zero 1\n")
    with pytest.raises(molecule.GeometryError, match=r"bad.xyz: line 4"):
        molecule.read_xyz(p)


def test_rotational_born_integral_equals_closed_form():
    """2π∫ dσ/dΩ sinθ dθ of J → J±1 = (8π/3)(D²/k²) J_>/(2J+1) ln[(k+k')/|k−k'|]."""
    k, dip, b = 1.5, 0.97, 2e-4  # large B: the forward peak is resolvable
    th = np.concatenate([[0.0], np.logspace(-6, np.log10(180.0), 20000)])
    t = np.deg2rad(th)
    for j, dj in ((0, 1), (5, 1), (5, -1), (40, -1)):
        dcs = rotation.transition_dcs(th, k, dip, j, dj, b)
        num = 2 * np.pi * np.trapezoid(dcs * np.sin(t), t)
        assert num == pytest.approx(rotation.transition_ics(k, dip, j, dj, b), rel=1e-4)


def test_rotational_weights_and_thermal_average():
    p = rotation.populations(0.03 / 219474.63, 300.0)
    assert p.sum() == pytest.approx(1.0)
    # far from 0 deg, k' ≈ k: Σ_J P_J [w+ + w−] = 1, so dσ/dΩ → (4/3) D²/K²
    k, dip = 2.7, 0.97
    th = np.array([30.0, 90.0])
    dcs, _ = rotation.thermal_dcs_ics(th, k, dip, 0.03 / 219474.63, 300.0)
    kk = 4 * k * k * np.sin(np.deg2rad(th) / 2) ** 2
    np.testing.assert_allclose(dcs, 4 / 3 * dip**2 / kk, rtol=1e-4)
    with pytest.raises(ValueError, match="not dipole-allowed"):
        rotation.transition_dcs(th, k, dip, 0, -1, 1e-4)


@pytest.mark.parametrize("weights", ["sqrt", "product"])
def test_scar_interference_limits(weights):
    """s = 1: the plain IAM; any s: the diagonal (q r_ij → large, j0 → 0) is the SCAR sum Σ s_i|f_i|²."""
    rng = np.random.default_rng(3)
    f = rng.normal(size=(3, 40)) + 1j * rng.normal(size=(3, 40))
    r = np.array([[0, 1.2, 2.0], [1.2, 0, 1.5], [2.0, 1.5, 0]])
    q = np.linspace(0.1, 5, 40)
    np.testing.assert_allclose(
        molecule.scar_interference_dcs(f, r, q, np.ones(3), weights), molecule.interference_dcs(f, r, q)
    )
    s = np.array([0.5, 0.7, 0.9])
    far = molecule.scar_interference_dcs(f, r * 1e9, q, s, weights)
    np.testing.assert_allclose(far, molecule.scar_dcs(f, s), rtol=1e-6)


def test_interference_none_is_iam_scar_and_sits_below_the_weighted_forward_peak():
    """``none`` leaves the cross terms out (IAM-SCAR); at q = 0 every cross term is f_i f_j* (j0 = 1), so
    for equal amplitudes the forward DCS orders none < product < sqrt (s_i s_j < √(s_i s_j) < 1)."""
    rng = np.random.default_rng(5)
    f = rng.normal(size=(3, 40)) + 1j * rng.normal(size=(3, 40))
    r = np.array([[0, 1.2, 2.0], [1.2, 0, 1.5], [2.0, 1.5, 0]])
    q = np.linspace(0.0, 5, 40)
    s = np.array([0.5, 0.7, 0.9])
    np.testing.assert_array_equal(molecule.scar_interference_dcs(f, r, q, s, "none"), molecule.scar_dcs(f, s))
    same = np.ones((3, 1), dtype=complex)
    fwd = [molecule.scar_interference_dcs(same, r, [0.0], s, w)[0] for w in molecule.INTERFERENCE]
    assert fwd[0] == pytest.approx(s.sum()) and fwd[0] < fwd[2] < fwd[1]
    with pytest.raises(ValueError, match="choose one of none, sqrt, product"):
        molecule.scar_interference_dcs(f, r, q, s, "full")
