"""Kernels K_h, the hologram sum and the normalisation a(h), b(h) against closed forms (XFH Eqs 5-11)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate

from kineticflow.xfh import crystals as cr
from kineticflow.xfh.kernels import (
    hologram,
    kernel,
    kinematic_ratio,
    normalisation_ab,
    normalisation_ab_sphere,
    paper_kernel,
)
from kineticflow.xfh.processing import fibonacci_sphere, point_group_m3m

V = cr.make_crystal("V", 3.03)
PBSE = cr.make_crystal("PbSe", 6.12)
K_V = float(cr.wavenumber(6.3))


def test_kernel_against_radial_quadrature() -> None:
    """K = ∫d³r e^{i(k_c r − q·r)}/r = (4π/q)∫₀^∞ sin(qr) e^{ik_c r} dr with q = k − h."""
    k_r, k_i = 3.0, 0.3
    h = np.array([[1.2, -0.7, 2.1]])
    khat = np.array([[0.3, 0.4, np.sqrt(1 - 0.25)]])
    q = float(np.linalg.norm(k_r * khat[0] - h[0]))
    damp = lambda r: np.exp(-k_i * r)  # noqa: E731
    # sin(qr)·e^{ik_r r} = ½[sin((q+k)r) + sin((q−k)r)] + (i/2)[cos((q−k)r) − cos((q+k)r)]
    s = lambda w: integrate.quad(damp, 0, np.inf, weight="sin", wvar=w)[0] if w else 0.0  # noqa: E731
    c = lambda w: integrate.quad(damp, 0, np.inf, weight="cos", wvar=w)[0]  # noqa: E731
    integral = 0.5 * (s(q + k_r) + s(q - k_r)) + 0.5j * (c(q - k_r) - c(q + k_r))
    numeric = 4 * np.pi / q * integral
    exact = 4 * np.pi / (q**2 - (k_r + 1j * k_i) ** 2)
    assert numeric == pytest.approx(exact, rel=1e-7)
    ours = kernel(h, khat, k_r, k_i)[0, 0]
    # Eq. 8 drops k_i² from the denominator: relative difference k_i²/|D|
    assert abs(ours - exact) / abs(exact) == pytest.approx(k_i**2 / abs(4 * np.pi / ours), rel=1e-6)
    assert paper_kernel(h, khat, k_r, k_i)[0, 0] == pytest.approx(-ours / (4 * np.pi), rel=1e-12)


def test_normalisation_full_sphere_closed_form() -> None:
    k_r, k_i = 3.2, 0.1

    def integrand(u: float, p: int, h_norm: float) -> float:
        a = h_norm**2 - 2 * h_norm * k_r * u
        return a**p / (a**2 + (2 * k_r * k_i) ** 2) ** 2

    for h_norm in (2.9, 5.9, 7.5):  # two Bragg-accessible, one not
        pole = [h_norm / (2 * k_r)] if h_norm < 2 * k_r else None
        a_num = 0.5 * integrate.quad(integrand, -1, 1, args=(2, h_norm), points=pole, limit=200)[0]
        b_num = (
            0.5 * (2 * k_r * k_i) ** 2 * integrate.quad(integrand, -1, 1, args=(0, h_norm), points=pole, limit=200)[0]
        )
        a, b = normalisation_ab_sphere(h_norm, k_r, k_i)
        assert a == pytest.approx(a_num, rel=1e-8) and b == pytest.approx(b_num, rel=1e-8)
    # and the average over directions (Fibonacci sphere) converges to it
    d = fibonacci_sphere(400_000)
    hv = (
        np.array([[2.9, 0.0, 0.0], [3.0, 3.0, 3.0]])
        / np.array([[1.0], [np.sqrt(3.0)]])
        * np.array([[1.0], [5.9 / 3.0]])
    )
    a_m, b_m = normalisation_ab(hv, d, np.ones(len(d)), k_r, k_i)
    a_s, b_s = normalisation_ab_sphere(np.linalg.norm(hv, axis=1), k_r, k_i)
    np.testing.assert_allclose(a_m, a_s, rtol=2e-3)
    np.testing.assert_allclose(b_m, b_s, rtol=2e-3)
    assert np.all(a_s > 0) and np.all(b_s > 0)


def test_hologram_chunking_precision_and_object_term() -> None:
    rng = np.random.default_rng(1)
    hkl = cr.reciprocal_lattice(V, 2 * K_V)
    hv = cr.h_vectors(V, hkl)
    f = cr.structure_factor_f(cr.structure_factor_s(V, hkl, 6.3), V.volume)
    d = rng.normal(size=(3000, 3))
    d /= np.linalg.norm(d, axis=1)[:, None]
    k_i = 0.01 * K_V
    direct = 2 * np.real(kernel(hv, d, K_V, k_i) @ f)
    np.testing.assert_allclose(
        hologram(f, hv, d, K_V, k_i, dtype=np.float64, chunk=10**7), direct, rtol=1e-10, atol=1e-15
    )
    np.testing.assert_allclose(
        hologram(f, hv, d, K_V, k_i, dtype=np.float64, chunk=100), direct, rtol=1e-10, atol=1e-15
    )
    # float32 blocks: ≤ 1e-4 of the largest |χ| (near a pole A is a small difference of large numbers)
    np.testing.assert_allclose(hologram(f, hv, d, K_V, k_i), direct, rtol=0, atol=1e-4 * np.abs(direct).max())
    obj = hologram(f, hv, d, K_V, k_i, object_term=True, dtype=np.float64) - direct
    np.testing.assert_allclose(obj, np.abs(kernel(hv, d, K_V, k_i)) ** 2 @ np.abs(f) ** 2, rtol=1e-9)


def test_hologram_is_cubic_symmetric() -> None:
    """χ(g k̂) = χ(k̂) for every m-3m operation g: the invariance symmetrisation relies on."""
    hkl = cr.reciprocal_lattice(V, 1.5 * 2 * K_V)
    f = cr.structure_factor_f(cr.structure_factor_s(V, hkl, 6.3), V.volume)
    d = fibonacci_sphere(500)
    chi = hologram(f, cr.h_vectors(V, hkl), d, K_V, 0.01 * K_V, dtype=np.float64)
    for g in point_group_m3m():
        np.testing.assert_allclose(
            hologram(f, cr.h_vectors(V, hkl), d @ g.T, K_V, 0.01 * K_V, dtype=np.float64), chi, rtol=1e-9, atol=1e-14
        )


def test_kinematic_ratio_effective_and_pure_absorption() -> None:
    """|F_h|/(2k_rk_i): ≪ 1 with the effective k_i/k_r = 0.01, ≈ 0.4 for V (110) with photo-absorption alone."""
    f110 = cr.structure_factor_f(cr.structure_factor_s(V, [[1, 1, 0]], 6.3), V.volume)
    assert kinematic_ratio(f110, K_V, 0.01 * K_V)[0] == pytest.approx(abs(f110[0]) / (2 * 0.01 * K_V**2), rel=1e-12)
    assert kinematic_ratio(f110, K_V, 0.01 * K_V)[0] < 2e-4
    assert 0.3 < kinematic_ratio(f110, K_V, cr.absorption_k_i(V, 6.3))[0] < 0.5
