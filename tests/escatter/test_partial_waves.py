"""Partial-wave solver against closed forms: square well, Born limit, optical theorem, unitarity."""

import numpy as np
import pytest
from scipy import special as sp

from kineticflow.escatter import partial_waves as pw
from kineticflow.escatter import potentials as pot


def _rj(l, z):
    return z * sp.spherical_jn(l, z)


def _rjp(l, z):
    return sp.spherical_jn(l, z) + z * sp.spherical_jn(l, z, derivative=True)


def _rn(l, z):
    return z * sp.spherical_yn(l, z)


def _rnp(l, z):
    return sp.spherical_yn(l, z) + z * sp.spherical_yn(l, z, derivative=True)


@pytest.mark.parametrize("v0,a,k", [(2.0, 1.5, 1.3), (-0.5, 2.0, 2.0), (8.0, 1.0, 3.0)])
def test_square_well_phase_shifts(v0, a, k):
    """tan δ_l = [β ĵ(ka) − k ĵ'(ka)]/[β n̂(ka) − k n̂'(ka)], β = K ĵ'(Ka)/ĵ(Ka), K² = k² + 2V₀."""
    l = np.arange(6)
    kin = np.sqrt(k * k + 2 * v0)
    beta = kin * _rjp(l, kin * a) / _rj(l, kin * a)
    exact = np.arctan((beta * _rj(l, k * a) - k * _rjp(l, k * a)) / (beta * _rn(l, k * a) - k * _rnp(l, k * a)))
    h = 0.002
    m = int(round(np.log(3.0 / a) / h))
    r_max = a * np.exp(m * h)  # a lies on the grid; the step takes its mean value there

    def v(r):
        return np.where(np.abs(r - a) < 1e-9 * a, -v0 / 2, np.where(r < a, -v0, 0.0)) + 0j

    got = np.arctan(pw.numerov_tan_delta(v, k, 5, r_max, h=h).real)
    np.testing.assert_allclose(got, exact, atol=2e-5)


def test_born_limit_of_yukawa_sum():
    """Weak Σ_i B_i e^{−μ_i r}/r: f → −2 Σ_i B_i/(μ_i² + q²) (first Born)."""
    lam = 1e-3
    b, mu = np.array([-3.0, 1.2]), np.array([4.0, 1.5])

    def v(r):
        return lam * np.sum([bi * np.exp(-mi * r) for bi, mi in zip(b, mu)], axis=0) / r + 0j

    k = 2.5
    th = np.array([5.0, 30.0, 60.0, 90.0, 150.0])
    res = pw.solve(v, k, r_max=25.0, l_total=200)
    q = 2 * k * np.sin(np.deg2rad(th) / 2)
    born = -2 * lam * np.sum(b[:, None] / (mu[:, None] ** 2 + q[None, :] ** 2), axis=0)
    f = pw.amplitude(res, th)
    np.testing.assert_allclose(f.real, born, rtol=5e-3)
    assert np.max(np.abs(f.imag / born)) < 5e-3  # Im f is second order


@pytest.fixture(scope="module")
def cl_300():
    at = pot.atom("Cl")
    e = 300 / pot.HARTREE_EV
    k = np.sqrt(2 * e)
    full = pw.solve(lambda r: pot.optical_potential(r, at, e), k, alpha_d=at.polarisability)
    real = pw.solve(lambda r: pot.optical_potential(r, at, e, absorption="none"), k, alpha_d=at.polarisability)
    return k, full, real


def test_optical_theorem(cl_300):
    """(4π/k) Im f(0) = σ_el + σ_abs, with σ_el from the angular integral of |f|² (not the sum)."""
    k, full, _ = cl_300
    th = np.concatenate([np.linspace(0, 10, 2001), np.linspace(10.01, 180, 4000)])
    f = pw.amplitude(full, th)
    t = np.deg2rad(th)
    sig_el = 2 * np.pi * np.trapezoid(np.abs(f) ** 2 * np.sin(t), t)
    cs = pw.cross_sections(full)
    assert sig_el == pytest.approx(cs["elastic"], rel=2e-3)
    assert 4 * np.pi / k * f[0].imag == pytest.approx(sig_el + cs["absorption"], rel=2e-3)
    assert cs["absorption"] > 0


def test_unitarity_real_potential(cl_300):
    _, full, real = cl_300
    np.testing.assert_allclose(np.abs(real.s), 1.0, atol=1e-9)
    assert np.all(np.abs(full.s) <= 1 + 1e-12) and np.min(np.abs(full.s)) < 0.9


def test_numerical_and_born_phase_shifts_join():
    """Pure −α/(2r⁴) (cut off at 1 bohr): the numerical δ_l at l ≈ k r_max/2 agree with Born."""
    alpha, d, k = 15.0, 1.0, 3.0

    def v(r):
        return -alpha / (2 * (r * r + d * d) ** 2) + 0j

    l = np.arange(20, 30)
    res = pw.solve(v, k, r_max=60.0, l_total=40)  # numerical up to l = 90 here
    num = (np.angle(res.s) / 2)[l]
    born = pw.born_polarisation_phase(l, k, alpha)
    np.testing.assert_allclose(num, born, rtol=0.05)


def test_step_convergence():
    at = pot.atom("O")
    e = 200 / pot.HARTREE_EV
    k = np.sqrt(2 * e)
    a = pw.cross_sections(pw.solve(lambda r: pot.optical_potential(r, at, e), k, alpha_d=at.polarisability, h=0.002))
    b = pw.cross_sections(pw.solve(lambda r: pot.optical_potential(r, at, e), k, alpha_d=at.polarisability, h=0.001))
    assert a["elastic"] == pytest.approx(b["elastic"], rel=2e-3)
    assert a["absorption"] == pytest.approx(b["absorption"], rel=2e-3)
