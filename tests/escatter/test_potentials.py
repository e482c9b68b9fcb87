"""Optical-potential terms against closed forms and their defining limits."""

import numpy as np
import pytest
from scipy import integrate

from kineticflow.escatter import potentials as pot


def test_hydrogen_static_salvat_matches_exact_form():
    """Salvat et al. (1987) H parameters reproduce −(1/r + 1) e^{−2r} (the exact 1s static potential)."""
    r = np.linspace(0.02, 8.0, 400)
    np.testing.assert_allclose(pot.static_potential(r, pot.atom("H")), pot.hydrogen_static_exact(r), rtol=3e-3)


def test_hydrogen_density_is_1s():
    # the two-Yukawa fit cancels to 1e-5 at r -> 0, so the density is only 3 % good below 0.1 bohr
    r = np.linspace(0.5, 6.0, 50)
    np.testing.assert_allclose(pot.electron_density(r, pot.atom("H")), np.exp(-2 * r) / np.pi, rtol=3e-3)


@pytest.mark.parametrize("symbol", list(pot.ATOMS))
def test_density_integrates_to_z(symbol):
    at = pot.atom(symbol)
    n, _ = integrate.quad(
        lambda r: 4 * np.pi * r * r * pot.electron_density(r, at), 1e-8, 60, limit=400, points=[0.01, 0.1, 1]
    )
    assert n == pytest.approx(at.z, rel=2e-3)
    assert pot.screening_function(0.0, at) == pytest.approx(1.0)


def test_exchange_limits():
    at = pot.atom("O")
    e = 100 / pot.HARTREE_EV
    r = np.array([0.1, 1.0, 3.0, 8.0])
    vex = pot.exchange_potential(r, at, e)
    assert np.all(vex < 0)
    # far out: −πρ/(E − V_s)
    far = -np.pi * pot.electron_density(r[-1:], at) / (e - pot.static_potential(r[-1:], at))
    assert vex[-1] == pytest.approx(far[0], rel=1e-3)


def test_polarisation_tail_and_cutoff():
    at = pot.atom("Cl")
    e = 300 / pot.HARTREE_EV
    assert pot.polarisation_potential(np.array([200.0]), at, e)[0] == pytest.approx(
        -at.polarisability / (2 * 200.0**4), rel=1e-3
    )
    d = pot.polarisation_cutoff(at, e)
    b2 = (300 - 50) / 16
    assert d**4 == pytest.approx(0.5 * at.polarisability * at.z ** (-1 / 3) * b2)
    assert np.isfinite(pot.polarisation_potential(np.array([1e-6]), at, e)).all()


def test_absorption_nonpositive_and_pauli_blocked_core():
    at = pot.atom("Cl")
    e = 50 / pot.HARTREE_EV
    r = np.logspace(-3, 1.3, 200)
    w = pot.absorption_potential(r, at, e)
    assert np.all(w <= 0) and np.any(w < 0)
    # where k_F^2 > 2E - 2Delta no binary collision is allowed: zero
    kf2 = (3 * np.pi**2 * pot.electron_density(r, at)) ** (2 / 3)
    blocked = kf2 > 2 * e - 2 * at.ionisation_ev / pot.HARTREE_EV
    assert blocked.any() and np.all(w[blocked] == 0)


def test_unknown_element_one_line():
    with pytest.raises(pot.UnknownElementError) as exc:
        pot.atom("Xx")
    msg = str(exc.value)
    assert "'Xx'" in msg and "\n" not in msg and "Cl" in msg


# Salvat et al. (1987) DHFS screening parameters as coded in ELSEPA's subroutine DHFS (public source,
# src/elsepa.f of the ELSEPA distribution, Salvat, Jablonski & Powell 2005): A1, A2, alpha1-3 (1/bohr),
# A3 = 1 - A1 - A2; ELSEPA's H row carries a negligible third term A = -7.06e-6 (alpha 4.93).
ELSEPA_DHFS = {
    "C": ((0.153676, 0.846324), (8.04043, 1.49129)),
    "O": ((0.062513, 0.937487), (14.8233, 2.04035)),
    "F": ((0.036804, 0.963196), (21.4001, 2.30601)),
    "Cl": ((0.724889, -0.754809, 1.029920), (6.21183, 3.38827, 1.85964)),
    "H": ((-184.386, 185.386), (2.00272, 1.99732)),
}


@pytest.mark.parametrize("element", sorted(ELSEPA_DHFS))
def test_screening_parameters_match_elsepa_dhfs_table(element):
    a, alpha = ELSEPA_DHFS[element]
    at = pot.atom(element)
    np.testing.assert_allclose(at.a, a, rtol=5e-4, atol=5e-5)
    np.testing.assert_allclose(at.alpha, alpha, rtol=5e-4)


def test_polarisabilities_and_gaps_near_elsepa_defaults():
    """ELSEPA's defaults (elscata.f ATPOL in cm³, EIONZ in eV) against ours (bohr³, eV)."""
    atpol_a3 = {"H": 0.666, "C": 1.76, "O": 0.802, "F": 0.557, "Cl": 2.18}
    eion = {"H": 13.5984, "C": 11.2603, "O": 13.6181, "F": 17.4228, "Cl": 12.9676}
    for el, a3 in atpol_a3.items():
        at = pot.atom(el)
        assert at.polarisability == pytest.approx(a3 / 0.529177210903**3, rel=0.05)
        assert at.ionisation_ev == pytest.approx(eion[el], abs=1e-3)
