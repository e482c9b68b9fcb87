"""Our static-exchange atoms against ELSEPA (Dirac, Dirac-Fock density) reference values."""

import numpy as np
import pytest

from kineticflow.core.data import read_csv
from kineticflow.escatter import partial_waves as pw
from kineticflow.escatter import potentials as pot

REF = read_csv("kineticflow.escatter.data", "elsepa_static_exchange.csv")


@pytest.mark.parametrize("row", REF.to_dict("records"), ids=lambda r: f"{r['element']}-{r['energy_ev']:g}eV")
def test_static_exchange_matches_elsepa(row):
    """σ_el within 10 % (H: 1 %), DCS at 30°, 60°, 150° within 15 %: the density fit differs (Salvat 1987
    analytic DHFS vs ELSEPA's Dirac–Fock), the solver does not."""
    at = pot.atom(row["element"])
    e = row["energy_ev"] / pot.HARTREE_EV
    res = pw.solve(lambda r: pot.static_potential(r, at) + pot.exchange_potential(r, at, e) + 0j, np.sqrt(2 * e))
    a2 = pot.BOHR_ANGSTROM**2
    tol = 0.01 if row["element"] == "H" else 0.10
    assert pw.cross_sections(res)["elastic"] * a2 == pytest.approx(row["ics_elastic"], rel=tol)
    dcs = np.abs(pw.amplitude(res, [30.0, 60.0, 150.0])) ** 2 * a2
    ref = np.array([row["dcs_30"], row["dcs_60"], row["dcs_150"]])
    # inside a deep diffraction minimum (Cl, 50 eV, 60°: 0.03) its depth follows the density: skip
    keep = (ref > 0.05) | (row["element"] == "H")
    np.testing.assert_allclose(dcs[keep], ref[keep], rtol=0.15)
