"""The Hα branch run end to end by Snakemake on config/test.yaml: outputs checked for physics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

from kineticflow.core.attrs import check_registered
from kineticflow.core.io import read_dataset
from kineticflow.halpha import lines
from kineticflow.halpha import observation_example as example
from kineticflow.halpha.observation_contract import file_sha256

pytestmark = pytest.mark.workflow


def test_every_variable_has_units_and_long_name(workflow_run):
    for path in sorted((workflow_run / "results" / "halpha").rglob("*.nc")):
        ds = read_dataset(path)
        for name, var in list(ds.data_vars.items()) + list(ds.coords.items()):
            assert "units" in var.attrs and "long_name" in var.attrs, f"{path.name}:{name}"
        check_registered(ds, path.name)  # every dimension and unit in core.attrs.DIMS / UNITS


def test_profile_grid_from_lightweaver(workflow_run):
    grid = read_dataset(workflow_run / "results/halpha/profiles.nc")
    assert set(grid["intensity"].dims) == {"p0", "f20", "wavelength"}
    dl = grid["delta_wavelength"].values
    low = grid["intensity"].sel(p0=30.0, f20=1e8).values
    high = grid["intensity"].sel(p0=3000.0, f20=1e8).values
    assert lines.central_reversal_depth(dl, low) > 0.2
    assert lines.central_reversal_depth(dl, high) == 0.0
    strong = grid["intensity"].sel(p0=30.0, f20=1e11).values - grid["quiet_intensity"].values
    assert lines.wing_extent(dl, strong, 0.1) > 3.0
    for name in ("temperature", "electron_density", "column_mass"):
        assert grid[name].dims == ("p0", "f20", "depth")


def test_observation_and_recovered_table(workflow_run):
    obs = read_dataset(workflow_run / "results/halpha/observed.nc")
    assert obs["intensity"].dims == ("scan", "y", "x", "wavelength") and obs.sizes["wavelength"] == 100
    assert obs["t_s"].dims == ("scan", "x")
    table = pd.read_csv(workflow_run / "results/halpha/recovered.csv")
    for col in (
        "pixel",
        "scan",
        "t_s",
        "v_true_kms",
        "v_bisector_kms",
        "v_recovered_kms",
        "p0_true",
        "p0_recovered",
        "f20_true",
        "f20_recovered",
    ):
        assert col in table.columns
    fast = table[table.v_true_kms >= 40].dropna(subset=["v_bisector_kms"])
    assert len(fast) > 0 and float(np.median(np.abs(fast.v_bisector_kms - fast.v_true_kms))) < 5.0


def test_wing_width_follows_hxr_and_line_centre_less(workflow_run):
    # Halpha paper Sect. IV / Fig. 3: the wings broaden and narrow with the HXR rate, the line centre
    # varies more slowly; both tracked pixels of the NLTE grid, at each pixel's own exposure times
    fits = read_dataset(workflow_run / "results/halpha/fits.nc")
    r, lag = fits["r_best"].to_pandas(), fits["best_lag"].to_pandas()
    assert np.all(r["wing_extent_a"] > 0.8), r["wing_extent_a"]
    assert np.all(np.abs(lag["wing_extent_a"]) <= 15.0)  # within one 15 s raster cycle
    assert np.all(r["line_centre"] < r["wing_extent_a"])


def test_observed_example_has_the_simulated_paths_files_and_columns(workflow_run):
    # config/test.yaml's halpha.observations.example: the shipped raster through the reader rules
    sim = workflow_run / "results" / "halpha"
    obs = sim / "observed" / "example"
    for name in ("recovered.csv", "fits.csv"):
        assert list(pd.read_csv(obs / name).columns) == list(pd.read_csv(sim / name).columns), name
    for name in ("diagnostics.nc", "fits.nc"):
        assert set(read_dataset(obs / name).data_vars) == set(read_dataset(sim / name).data_vars), name
    contract = read_dataset(obs / "observed.nc")
    assert contract.attrs["reader"] == "fits_raster" and contract.attrs["quiet_reference"] == "scan 0"
    assert contract["intensity"].dims == ("scan", "y", "x", "wavelength") and contract["t_s"].dims == ("scan", "x")
    for stem in ("pixel_sequences", "hxr_wing_width", "hxr_velocity", "maps_hxr_peak"):
        assert (obs / "figures" / f"{stem}.png").stat().st_size > 5_000
    table = pd.read_csv(obs / "recovered.csv")
    assert table.p0_true.isna().all() and table.hxr_rate.notna().all()
    kernel = table[(table.y == 4) & (table.x == 5) & (table.t_s > 20.0)]
    assert np.all(np.abs(kernel.v_bisector_kms - example.downflow(kernel.t_s.values)) < 1.0)


def test_observation_provenance_in_the_report_tables(workflow_run):
    prov = pd.read_csv(workflow_run / "results/halpha/observed/provenance.csv")
    assert list(prov.role) == ["observation", "hard X-ray light curve"]
    assert prov.file[0].endswith("resources/halpha_observed_raster.fits") and prov.reader[0] == "fits_raster"
    assert prov.sha256[0] == file_sha256(ROOT / "resources" / "halpha_observed_raster.fits")
    assert prov.sha256[1] == file_sha256(ROOT / "resources" / "halpha_hxr.csv")
    for table in ("observations", "observed_example_recovered", "observed_example_fits"):
        assert (workflow_run / "results" / "tables" / "Halpha" / f"{table}.html").is_file()
