"""Another molecule runs unchanged: CH2F2 (difluoromethane) from the shipped atoms C, F, H.

No licensed measured table of a sister molecule (sevoflurane, halothane) was at hand, so the shipped
``ch2f2_synthetic_dcs.csv`` is synthetic: our own default theory (product weights, 1.97 D, 300 K),
seen through the 4° resolution at 25–125° and given 5 % Gaussian noise (seed below) and 10 % stated
uncertainties (:func:`kineticflow.escatter.instrument.synthetic_measurement`). It has no ICS row.
"""

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import TEST_CONFIG, run_snakemake

from kineticflow.core.data import read_csv
from kineticflow.escatter import instrument, steps

SEED = 20261207
ENERGIES = [100, 200]
ANGLES = np.arange(25.0, 126.0, 5.0)
THEORY = {"angle_step_deg": 0.5, "absorption": "lda", "r_max_bohr": 20.0, "l_total": 3000, "log_step": 0.002}
MOLECULE = {"dipole_debye": 1.97, "temperature_k": 300.0, "interference": "product"}
NOISE = {"fwhm_deg": 4.0, "rel_noise": 0.05, "rel_uncertainty": 0.10}


def synthetic_table():
    """The shipped table regenerated, and the theory it was drawn from (CH2F2, default numerics)."""
    atoms = [steps.atomic_amplitudes(el, energies_ev=ENERGIES, **THEORY) for el in ("C", "F", "H")]
    th = steps.molecular_dcs(atoms, "ch2f2.xyz", **MOLECULE)
    rng = np.random.default_rng(SEED)
    rows = []
    for e in ENERGIES:
        t = th.sel(energy=e)
        y, u = instrument.synthetic_measurement(t["dcs"].values, t["angle"].values, ANGLES, rng=rng, **NOISE)
        rows += [{"energy_ev": e, "angle_deg": a, "dcs": yy, "uncertainty": uu} for a, yy, uu in zip(ANGLES, y, u)]
    return pd.DataFrame(rows), th


@pytest.fixture(scope="module")
def regenerated():
    return synthetic_table()


def test_shipped_table_is_the_documented_synthetic_one(regenerated):
    """The shipped numbers (4 significant digits) come from the generator above: provenance checked."""
    table, _ = regenerated
    shipped = read_csv("kineticflow.escatter.data", "ch2f2_synthetic_dcs.csv")
    assert shipped[["energy_ev", "angle_deg"]].values.tolist() == table[["energy_ev", "angle_deg"]].values.tolist()
    np.testing.assert_allclose(shipped["dcs"], table["dcs"], rtol=6e-4)
    np.testing.assert_allclose(shipped["uncertainty"], table["uncertainty"], rtol=6e-4)
    assert (shipped["note"] == "synthetic").all()


@pytest.mark.workflow
def test_workflow_runs_ch2f2_unchanged(regenerated, tmp_path):
    """The workflow on config/test.yaml with only data_file, molecule, energies and dipole changed: three
    atom jobs (C, F, H), and the ICS of the theory the data were drawn from recovered within the noise
    (the extrapolation scales the theory to 2 points at each end: 5 %/√2 each)."""
    _, th = regenerated
    config = yaml.safe_load(TEST_CONFIG.read_text(encoding="utf-8"))
    config["escatter"].update(
        data_file="ch2f2_synthetic_dcs.csv", molecule="ch2f2.xyz", energies_ev=ENERGIES, dipole_debye=1.97
    )
    (tmp_path / "ch2f2.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    run_snakemake(tmp_path, "results/escatter/ics.csv", "--configfile", str(tmp_path / "ch2f2.yaml"))
    res = tmp_path / "results" / "escatter"
    assert sorted(p.stem for p in (res / "atoms").glob("*.nc")) == ["C", "F", "H"]
    df = pd.read_csv(res / "ics.csv")
    assert df["energy_ev"].tolist() == [100.0, 200.0] and df["ics_paper"].isna().all()
    assert df["ics_ratio_product"].isna().all() and df["ics_extrapolated_none"].notna().all()
    np.testing.assert_allclose(df["scale_factor"], 1.0, atol=0.05)
    np.testing.assert_allclose(df["ics_extrapolated"], th["ics"].values, rtol=0.10)
