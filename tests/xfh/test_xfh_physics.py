"""XFH formulas against closed forms and an independent library (xraylib)."""

from __future__ import annotations

import numpy as np
import pytest
import xraylib
from scipy import integrate

from kineticflow.xfh import crystals as cr
from kineticflow.xfh.kernels import hologram, kernel, normalisation_ab, normalisation_ab_sphere, paper_kernel
from kineticflow.xfh.phases import families, im_g_expected, recovered_sign
from kineticflow.xfh.reconstruction import reconstruct_real, reconstruct_real_line, reconstruct_reciprocal

V = cr.make_crystal("V", 3.03)
PBSE = cr.make_crystal("PbSe", 6.12)
K_V = float(cr.wavenumber(6.3))


def fibonacci_sphere(n: int) -> np.ndarray:
    i = np.arange(n) + 0.5
    z = 1 - 2 * i / n
    phi = np.pi * (1 + 5**0.5) * i
    return np.stack([np.sqrt(1 - z * z) * np.cos(phi), np.sqrt(1 - z * z) * np.sin(phi), z], axis=1)


def xraylib_cubic(crystal: cr.Crystal) -> dict:
    """The same structure as an xraylib crystal record (xraylib computes d, θ_B and F itself)."""
    z = {"V": 23, "Se": 34, "Pb": 82}
    atoms = [{"Zatom": z[el], "fraction": 1.0, "x": x, "y": y, "z": w} for el, (x, y, w) in crystal.sites]
    a = crystal.a
    return {
        "name": crystal.name,
        "a": a,
        "b": a,
        "c": a,
        "alpha": 90.0,
        "beta": 90.0,
        "gamma": 90.0,
        "volume": a**3,
        "n_atom": len(atoms),
        "atom": atoms,
    }


def test_v_bragg_accessible_families_at_6p3_kev() -> None:
    hkl = cr.reciprocal_lattice(V, 2 * K_V)
    reps, mult = families(hkl)
    assert reps.tolist() == [[1, 1, 0], [2, 0, 0], [2, 1, 1], [2, 2, 0]]
    assert mult.tolist() == [12, 6, 24, 12]
    assert np.all(np.sum(hkl, axis=1) % 2 == 0)  # bcc: h + k + l even
    # the next family (310) at 2π√10/a = 6.56 Å⁻¹ lies beyond 2k = 6.385 Å⁻¹
    assert 2 * np.pi * np.sqrt(10) / 3.03 > 2 * K_V > 2 * np.pi * np.sqrt(8) / 3.03


def test_pbse_lattice_and_signs_with_se_at_origin() -> None:
    hkl = cr.reciprocal_lattice(PBSE, 8.0)
    parity = np.mod(hkl, 2)
    assert np.all((parity.sum(axis=1) == 0) | (parity.sum(axis=1) == 3))  # fcc: unmixed
    s = cr.structure_factor_s(PBSE, hkl, 11.2)
    even = parity.sum(axis=1) == 0
    assert np.all(s.real[even] > 0) and np.all(s.real[~even] < 0)
    np.testing.assert_allclose(s, cr.structure_factor_s(PBSE, -hkl, 11.2), rtol=1e-12)
    f = cr.structure_factor_f(s, PBSE.volume)
    np.testing.assert_allclose(f, -2.8179403e-5 / 6.12**3 * s, rtol=1e-8)  # r_e, CODATA


@pytest.mark.parametrize(
    ("crystal", "energy", "hkl"),
    [(V, 6.3, (1, 1, 0)), (V, 6.3, (2, 1, 1)), (PBSE, 11.21, (1, 1, 1)), (PBSE, 11.21, (4, 2, 0))],
)
def test_structure_factor_against_xraylib(crystal: cr.Crystal, energy: float, hkl: tuple) -> None:
    ours = cr.structure_factor_s(crystal, [hkl], energy)[0]
    theirs = xraylib.Crystal_F_H_StructureFactor(xraylib_cubic(crystal), energy, *hkl, 1.0, 1.0)
    # different f0, f′ tabulations (Waasmaier-Kirfel + Henke vs xraylib): ≤ 1.5 % of Σ|f_j| (PbSe 420: 1.1 %)
    q = 2 * np.pi * np.linalg.norm(hkl) / crystal.a
    total = sum(abs(cr.scattering_factor(el, q, energy)) for el, _ in crystal.sites)
    assert abs(ours.real - theirs.real) < 0.015 * total
    assert np.sign(ours.real) == np.sign(theirs.real)
    assert np.sign(ours.imag) == np.sign(theirs.imag)


def test_bragg_angles_against_xraylib() -> None:
    """Kossel cone angles 2θ_B from |h| < 2k against xraylib's Bragg_angle (its own d-spacing, hc)."""
    for crystal, energy in ((V, 6.3), (PBSE, 11.21)):
        k = float(cr.wavenumber(energy))
        hkl = cr.reciprocal_lattice(crystal, 2 * k)
        ours = cr.bragg_angle(np.linalg.norm(cr.h_vectors(crystal, hkl), axis=1), k)
        xc = xraylib_cubic(crystal)
        theirs = np.array([xraylib.Bragg_angle(xc, energy, *map(int, m)) for m in hkl])
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    # the library's own rock-salt lattice (NaCl, a from xraylib's table) indexes like ours
    nacl = xraylib.Crystal_GetCrystal("NaCl")
    ours = cr.bragg_angle(
        np.linalg.norm(cr.h_vectors(cr.make_crystal("PbSe", nacl["a"]), [[2, 0, 0]]), axis=1), float(cr.wavenumber(8.0))
    )
    assert ours[0] == pytest.approx(xraylib.Bragg_angle(nacl, 8.0, 2, 0, 0), rel=1e-6)
    assert np.isnan(cr.bragg_angle([7.0], 3.0)[0])


def test_absorption_k_i_against_xraylib_photo_cross_section() -> None:
    k_i = cr.absorption_k_i(V, 6.3)
    density = 2 * 50.9415 / 6.02214076e23 / (3.03e-8) ** 3  # g/cm³ of the a = 3.03 Å cell
    mu = xraylib.CS_Photo(23, 6.3) * density * 1e-8  # Å⁻¹
    assert k_i == pytest.approx(mu / 2, rel=0.05)
    assert k_i / K_V < 1e-5  # pure photo-absorption: far below the effective 1e-2


def test_edges_and_lines() -> None:
    assert cr.k_edge_kev("V") == pytest.approx(5.465, abs=2e-3)
    assert cr.k_alpha_kev("V") == pytest.approx(4.95, abs=5e-3)
    assert cr.k_alpha_kev("Se") == pytest.approx(11.21, abs=1e-2)


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
    from kineticflow.xfh.measurement import point_group_m3m

    hkl = cr.reciprocal_lattice(V, 1.5 * 2 * K_V)
    f = cr.structure_factor_f(cr.structure_factor_s(V, hkl, 6.3), V.volume)
    d = fibonacci_sphere(500)
    chi = hologram(f, cr.h_vectors(V, hkl), d, K_V, 0.01 * K_V, dtype=np.float64)
    for g in point_group_m3m():
        np.testing.assert_allclose(
            hologram(f, cr.h_vectors(V, hkl), d @ g.T, K_V, 0.01 * K_V, dtype=np.float64), chi, rtol=1e-9, atol=1e-14
        )


def test_sign_of_re_g_single_reflection() -> None:
    """χ = 2Re(F K_h) alone: Re G(h) = −8π a(h) Re F_h exactly (real F), so sign F = −sign Re G."""
    d = fibonacci_sphere(200_000)
    w = np.ones(len(d))
    k_r, k_i = K_V, 0.01 * K_V
    h = cr.h_vectors(V, [[1, 1, 0]])
    for f in (3e-5, -3e-5):
        chi = hologram([f], h, d, k_r, k_i, dtype=np.float64)
        g = reconstruct_reciprocal(chi, d, w, h, k_r, k_i, dtype=np.float64)[0]
        a, _ = normalisation_ab(h, d, w, k_r, k_i)
        assert g.real == pytest.approx(-8 * np.pi * a[0] * f, rel=1e-9)
        assert recovered_sign([g.real])[0] == np.sign(f)


def test_one_reflection_reconstructs_to_one_peak() -> None:
    d = fibonacci_sphere(200_000)
    w = np.ones(len(d))
    k_r, k_i = K_V, 0.01 * K_V
    h = cr.h_vectors(V, [[2, 1, 1]])[0]
    chi = hologram([-4e-5], h[None, :], d, k_r, k_i)
    # every lattice vector within 2k plus a cubic grid of off-lattice points
    g1 = np.linspace(-6.0, 6.0, 13)
    grid = np.stack(np.meshgrid(g1, g1, g1, indexing="ij"), axis=-1).reshape(-1, 3)
    pts = np.vstack([cr.h_vectors(V, cr.reciprocal_lattice(V, 2 * K_V)), grid[np.linalg.norm(grid, axis=1) > 0.5]])
    re_g = reconstruct_reciprocal(chi, d, w, pts, k_r, k_i).real
    best = np.argmax(np.abs(re_g))
    np.testing.assert_allclose(pts[best], h, atol=1e-12)
    assert re_g[best] > 0  # F < 0 (like −r_e S/V) gives a positive peak
    # elsewhere only where another point's Kossel cone crosses the cone of h: ≤ 16 % measured
    others = np.delete(np.abs(re_g), best)
    assert others.max() < 0.2 * abs(re_g[best])


def test_im_g_with_object_term() -> None:
    d = fibonacci_sphere(300_000)
    w = np.ones(len(d))
    k_r, k_i = K_V, 0.01 * K_V
    h = cr.h_vectors(V, [[2, 0, 0]])
    f = np.array([-3e-3 + 1e-3j])  # large |F| so the object term is visible
    for obj in (False, True):
        chi = hologram(f, h, d, k_r, k_i, object_term=obj, dtype=np.float64)
        g = reconstruct_reciprocal(chi, d, w, h, k_r, k_i, dtype=np.float64)[0]
        _, b = normalisation_ab(h, d, w, k_r, k_i)
        assert g.imag == pytest.approx(im_g_expected(b, f, k_r, k_i, obj)[0], rel=0.02)


def test_real_space_line_matches_direct_sum() -> None:
    d = fibonacci_sphere(50_000)
    w = np.ones(len(d))
    hkl = cr.reciprocal_lattice(V, 2 * K_V)
    chi = hologram(
        cr.structure_factor_f(cr.structure_factor_s(V, hkl, 6.3), V.volume), cr.h_vectors(V, hkl), d, K_V, 0.01 * K_V
    )
    radius = np.linspace(0.5, 6.0, 40)
    line = reconstruct_real_line(chi, d, w, (1, 1, 1), radius, K_V)
    direct = reconstruct_real(chi, d, w, radius[:, None] * np.ones(3) / np.sqrt(3), K_V)
    np.testing.assert_allclose(line, direct, rtol=0, atol=2e-3 * np.abs(direct).max())


def test_kinematic_ratio_effective_and_pure_absorption() -> None:
    """|F_h|/(2k_rk_i): ≪ 1 with the effective k_i/k_r = 0.01, ≈ 0.4 for V (110) with photo-absorption alone."""
    from kineticflow.xfh.kernels import kinematic_ratio

    f110 = cr.structure_factor_f(cr.structure_factor_s(V, [[1, 1, 0]], 6.3), V.volume)
    assert kinematic_ratio(f110, K_V, 0.01 * K_V)[0] == pytest.approx(abs(f110[0]) / (2 * 0.01 * K_V**2), rel=1e-12)
    assert kinematic_ratio(f110, K_V, 0.01 * K_V)[0] < 2e-4
    assert 0.3 < kinematic_ratio(f110, K_V, cr.absorption_k_i(V, 6.3))[0] < 0.5
