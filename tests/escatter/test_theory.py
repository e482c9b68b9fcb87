"""The theory steps: the model's energy range (checked once) and atoms aligned by name."""

import numpy as np
import pytest
import xarray as xr

from kineticflow.escatter import molecule, steps, theory

COARSE = {"angle_step_deg": 5.0, "absorption": "none", "r_max_bohr": 15.0, "l_total": 300, "log_step": 0.005}
MOLECULE = {"dipole_debye": 2.47, "temperature_k": 300.0, "interference": "product"}


@pytest.fixture(scope="module")
def atoms():
    """Coarse amplitudes of isoflurane's five elements at two energies."""
    return [steps.atomic_amplitudes(el, energies_ev=[100, 300], **COARSE) for el in ("C", "Cl", "F", "H", "O")]


def test_energy_outside_model_range():
    with pytest.raises(theory.EnergyRangeError, match=r"'escatter.energies_ev' = 5 eV is outside .* 20-2000 eV"):
        steps.atomic_amplitudes("C", energies_ev=[5], **COARSE)
    theory.check_energies([20, 2000])


def test_atoms_are_matched_by_element_not_by_order(atoms):
    """The molecule's atoms take their amplitudes by element; the order of the atom files does not matter."""
    a = steps.molecular_dcs(atoms, "isoflurane.xyz", **MOLECULE)
    b = steps.molecular_dcs(atoms[::-1], "isoflurane.xyz", **MOLECULE)
    xr.testing.assert_identical(a.drop_attrs(), b.drop_attrs())
    labels = a["atom"].values.tolist()
    assert labels == ["F0", "C1", "F2", "F3", "C4", "Cl5", "O6", "C7", "F8", "F9", "H10", "H11"]
    assert a["scar_coefficient"].dims == ("energy", "atom")
    # each label carries its own atom's coefficient, from its element's total cross section
    geom = molecule.read_xyz("isoflurane.xyz")
    by_el = {d.attrs["element"]: d.sel(energy=100) for d in atoms}
    sigma = [float(by_el[e]["ics_elastic"] + by_el[e]["ics_absorption"]) for e in geom.symbols]
    expected = molecule.scar_coefficients(sigma, geom.distances())
    for label, value in zip(molecule.atom_labels(geom), expected):
        assert float(a["scar_coefficient"].sel(energy=100, atom=label)) == pytest.approx(value, rel=1e-12)


def test_atom_table_refuses_a_missing_element_or_another_grid(atoms):
    with pytest.raises(KeyError, match="no atomic amplitudes for element\\(s\\) Cl"):
        steps.molecular_dcs([a for a in atoms if a.attrs["element"] != "Cl"], "isoflurane.xyz", **MOLECULE)
    shifted = [a.assign_coords(energy=a["energy"] + 1.0) if a.attrs["element"] == "O" else a for a in atoms]
    with pytest.raises(ValueError):
        steps.molecular_dcs(shifted, "isoflurane.xyz", **MOLECULE)


def test_units_are_registered(atoms):
    from kineticflow.core.attrs import unregistered

    theory_ds = steps.molecular_dcs(atoms, "isoflurane.xyz", **MOLECULE)
    assert unregistered(atoms[0]) == [] and unregistered(theory_ds) == []
    assert theory_ds["dcs"].attrs["units"] == "angstrom^2/sr" and theory_ds["ics"].attrs["units"] == "angstrom^2"
    assert atoms[0]["amplitude_real"].attrs["units"] == "angstrom"
    assert np.isfinite(theory_ds["dcs"].values).all()
