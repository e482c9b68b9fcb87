"""The ICS with each interference weighting (none = IAM-SCAR, sqrt, product) beside the paper's row."""

import numpy as np
import pytest

from kineticflow.escatter import steps
from kineticflow.escatter.molecule import INTERFERENCE

ENERGIES = [50, 100, 150, 200, 250, 300]
NUMERICS = {"angle_step_deg": 0.5, "absorption": "lda", "r_max_bohr": 20.0, "l_total": 3000, "log_step": 0.002}
MOLECULE = {"dipole_debye": 2.47, "temperature_k": 300.0}


@pytest.fixture(scope="module")
def atoms():
    return [steps.atomic_amplitudes(el, energies_ev=ENERGIES, **NUMERICS) for el in ("H", "C", "O", "F", "Cl")]


@pytest.fixture(scope="module")
def measured():
    return steps.load_measured_dcs("isoflurane_dcs.csv", energies_ev=ENERGIES)


@pytest.fixture(scope="module")
def default_run(atoms, measured):
    """theory.nc and (ics.nc, ics.csv) of the default run (interference: product)."""
    th = steps.molecular_dcs(atoms, "isoflurane.xyz", interference="product", **MOLECULE)
    return th, *steps.extrapolate_ics(measured, th, resolution_fwhm_deg=4.0)


@pytest.mark.parametrize("choice", INTERFERENCE)
def test_the_configured_choice_is_the_reported_ics_bitwise(atoms, measured, choice):
    """Whatever ``escatter.interference`` says, its row of the side-by-side ICS is the reported ICS, to
    the bit, and the theory's ``dcs_iam_scar_i`` is its row of ``dcs_by_interference``."""
    th = steps.molecular_dcs(atoms, "isoflurane.xyz", interference=choice, **MOLECULE)
    ics, table = steps.extrapolate_ics(measured, th, resolution_fwhm_deg=4.0)
    np.testing.assert_array_equal(th["dcs_by_interference"].sel(interference=choice), th["dcs_iam_scar_i"])
    np.testing.assert_array_equal(th["ics_by_interference"].sel(interference=choice), th["ics_iam_scar_i"])
    np.testing.assert_array_equal(
        ics["ics_extrapolated_by_interference"].sel(interference=choice), ics["ics_extrapolated"]
    )
    np.testing.assert_array_equal(ics["ics_theory_by_interference"].sel(interference=choice), ics["ics_theory"])
    np.testing.assert_array_equal(table[f"ics_extrapolated_{choice}"], table["ics_extrapolated"])


def test_none_is_iam_scar(default_run):
    """``none``: the IAM-SCAR DCS; its angular integral is the SCAR sum Σ s_i σ_el,i within 0.5 %."""
    th = default_run[0]
    np.testing.assert_array_equal(th["dcs_by_interference"].sel(interference="none"), th["dcs_iam_scar"])
    np.testing.assert_allclose(th["ics_by_interference"].sel(interference="none"), th["ics_iam_scar"], rtol=0.005)


def test_columns_and_order_of_the_choices(default_run):
    """ics.csv: extrapolated ICS, ratio, theory ICS and forward share for each weighting; none < product <
    sqrt at every energy in all three (s_i s_j < √(s_i s_j): less forward peak, less ICS)."""
    _, ics, table = default_run
    for q in ("ics_extrapolated", "ics_ratio", "ics_theory", "forward_share"):
        v = np.array([table[f"{q}_{w}"].values for w in ("none", "product", "sqrt")])
        assert np.all(v[0] < v[1]) and np.all(v[1] < v[2]), q
    np.testing.assert_array_equal(ics["angle_forward"], 25.0)  # the smallest measured angle of Table 1
    share = ics["forward_share_by_interference"].sel(interference="product").values
    np.testing.assert_allclose(share, [0.723, 0.780, 0.796, 0.808, 0.814, 0.819], atol=0.001)


#: docs/escatter.md, Section 6: extrapolated ICS / the paper's row, 50-300 eV
RATIOS = {
    "none": [0.762, 0.662, 0.541, 0.444, 0.652, 0.600],
    "sqrt": [1.885, 1.779, 1.167, 0.908, 1.387, 1.233],
    "product": [1.3005, 1.337, 0.991, 0.799, 1.230, 1.113],
}


def test_ratios_to_the_paper_are_as_documented(default_run):
    ics = default_run[1]
    for w, expected in RATIOS.items():
        np.testing.assert_allclose(ics["ics_ratio_by_interference"].sel(interference=w), expected, atol=0.005)


def test_where_the_paper_lies_between_none_and_product(default_run):
    """The paper's row lies between IAM-SCAR (none) and s_i s_j at 50, 100, 250 and 300 eV; at 150 eV
    it is 1 % above product, at 200 eV above all three weightings (there the data at 25–30° lie 38 % below
    the theory, s_f = 0.61–0.62, and every extrapolation is scaled down with them)."""
    r = default_run[1]["ics_ratio_by_interference"]
    none, sqrt, product = (r.sel(interference=w) for w in ("none", "sqrt", "product"))
    between = ((none < 1) & (1 < product)).values
    assert between.tolist() == [True, True, False, False, True, True]
    assert float(product.sel(energy=150)) < 1 < float(sqrt.sel(energy=150))
    assert float(sqrt.sel(energy=200)) < 1
