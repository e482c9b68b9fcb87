"""Crystal structures, structure factors, Bragg angles, edges and lines against xraylib."""

from __future__ import annotations

import numpy as np
import pytest
import xraylib

from kineticflow.xfh import crystals as cr
from kineticflow.xfh.phases import families

V = cr.make_crystal("V", 3.03)
PBSE = cr.make_crystal("PbSe", 6.12)
K_V = float(cr.wavenumber(6.3))


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


@pytest.mark.parametrize("name", list(cr.SUPPORTED_STRUCTURES))
def test_supported_structures_are_cubic_m3m_and_centrosymmetric_about_the_emitter(name: str) -> None:
    """The built-in structures are the known crystals; each has S_h = S_-h and the emitter at (000)."""
    assert cr.KNOWN_CRYSTALS == tuple(cr.SUPPORTED_STRUCTURES)
    crystal = cr.make_crystal(name, 5.0)
    assert crystal.sites[0] == (crystal.emitter, (0.0, 0.0, 0.0))
    hkl = cr.reciprocal_lattice(crystal, 6.0)
    np.testing.assert_allclose(cr.structure_factor_s(crystal, hkl, 10.0), cr.structure_factor_s(crystal, -hkl, 10.0))
    # m-3m: S_h is the same on every signed permutation of (h, k, l)
    s = cr.structure_factor_s(crystal, hkl, 10.0)
    canon = {tuple(sorted(np.abs(m))): v for m, v in zip(hkl, s)}
    for m, v in zip(hkl, s):
        assert v == pytest.approx(canon[tuple(sorted(np.abs(m)))], rel=1e-12)
    with pytest.raises(ValueError, match="unknown crystal"):
        cr.make_crystal("NaCl", 5.64)


def test_scattering_energy_is_the_incident_or_the_k_alpha_energy() -> None:
    assert cr.scattering_energy_kev("V", "inside_detector", 6.3) == 6.3
    assert cr.scattering_energy_kev("Se", "inside_source", None) == pytest.approx(cr.k_alpha_kev("Se"))
    assert cr.scattering_energy_kev("Se", "inside_source", 12.0) == 12.0
