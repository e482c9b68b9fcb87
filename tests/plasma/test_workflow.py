"""The plasma branch run by Snakemake on config/test.yaml (tiny MD): outputs checked."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kineticflow.core.io import read_dataset

pytestmark = [pytest.mark.workflow, pytest.mark.md]


def test_md_outputs_are_physical(workflow_run):
    files = sorted((workflow_run / "results/plasma/md").glob("kappa-*_seed-*.nc"))
    assert len(files) == 3
    for path in files:
        ds = read_dataset(path, required=["vacf", "msd", "total_energy", "temperature_mean"], dims=["lag"])
        gamma = float(ds.attrs["gamma"])
        assert float(ds["temperature_mean"]) == pytest.approx(1 / gamma, rel=0.1)
        assert float(ds["energy_drift"]) < 0.02 and int(ds["n_lost"]) == 0
        assert ds.attrs["seed"] == 1
        for name, var in list(ds.data_vars.items()) + list(ds.coords.items()):
            assert "units" in var.attrs and "long_name" in var.attrs, f"{path.name}:{name}"
        text = (path.parent / (path.name[:-3] + ".in.lammps")).read_text()
        assert "units           lj" in text and f"variable        Gamma  equal {gamma:g}" in text
        assert "Loop time" in (path.parent / (path.name[:-3] + ".log.lammps")).read_text()


def test_diffusion_and_fits(workflow_run):
    d = read_dataset(
        workflow_run / "results/plasma/diffusion.nc",
        required=["d_star", "d_star_stderr", "d_star_msd"],
        dims=["kappa", "gamma"],
    )
    ds = d["d_star"].sel(kappa=0.0).values
    assert np.all(np.isfinite(ds)) and np.all(ds > 0)
    assert np.all(d["d_star_stderr"].sel(kappa=0.0).values > 0)
    # D* falls with coupling by two orders of magnitude between Γ = 1 and Γ = 100
    assert ds[0] > 50 * ds[-1]
    fits = read_dataset(workflow_run / "results/plasma/fits.nc", required=["alpha", "C", "alpha_ref"], dims=["kappa"])
    assert float(fits["alpha_ref"].sel(kappa=0.0)) == 0.647
    table = pd.read_csv(workflow_run / "results/plasma/fits.csv")
    assert {"fitted", "fitted_stderr", "published", "rel_diff", "note"} <= set(table.columns)
    assert (workflow_run / "results/plasma/figures/d_star_kappa-0.png").stat().st_size > 10_000


def test_observed_table_fits_have_our_columns(workflow_run):
    """config/test.yaml's plasma.observations.example-table: fits.csv and d_star.csv as ours, provenance."""
    folder = workflow_run / "results/plasma/observed/example-table"
    for name in ("fits.csv", "d_star.csv"):
        assert list(pd.read_csv(folder / name).columns) == list(
            pd.read_csv(workflow_run / "results/plasma" / name).columns
        )
    table = pd.read_csv(folder / "fits.csv")
    assert np.isfinite(table["fitted"]).all() and set(table["kappa"]) == {0.0, 2.0}
    prov = pd.read_csv(folder / "provenance.csv")
    assert prov["reader"].item() == "table" and len(prov["source_file_sha256"].item()) == 64
    assert (folder / "figures/d_star_all_kappa.png").stat().st_size > 10_000
