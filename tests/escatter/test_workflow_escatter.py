"""The e-scattering rules run by Snakemake on config/test.yaml (only this branch's targets)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from conftest import run_snakemake

from kineticflow.core.attrs import unregistered
from kineticflow.core.io import read_dataset
from kineticflow.escatter.molecule import INTERFERENCE

pytestmark = pytest.mark.workflow

TARGETS = ["results/escatter/ics.csv", "results/escatter/figures/dcs.png", "results/escatter/figures/ics.png"]


@pytest.fixture(scope="module")
def escatter_run(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("escatter")
    run_snakemake(workdir, *TARGETS)
    return workdir


def test_outputs_have_units_and_dims(escatter_run):
    res = escatter_run / "results" / "escatter"
    for path in [res / "measured.nc", res / "theory.nc", res / "ics.nc", *sorted((res / "atoms").glob("*.nc"))]:
        ds = read_dataset(path)
        for name, var in list(ds.data_vars.items()) + list(ds.coords.items()):
            assert "units" in var.attrs and "long_name" in var.attrs, f"{path.name}:{name}"
        assert unregistered(ds) == [], path.name
    assert sorted(p.stem for p in (res / "atoms").glob("*.nc")) == ["C", "Cl", "F", "H", "O"]
    m = read_dataset(res / "measured.nc")
    assert m["dcs"].dims == ("energy", "angle") and m.sizes == {"energy": 6, "angle": 21}
    assert len(m.attrs["source_file_sha256"]) == 64 and m.attrs["source_file"].endswith("isoflurane_dcs.csv")
    t = read_dataset(res / "theory.nc")
    assert float(t["angle"].min()) == 0 and float(t["angle"].max()) == 180
    assert t["q"].attrs["units"] == "1/angstrom" and t["angle"].attrs["units"] == "degree"


def test_ics_table(escatter_run):
    df = pd.read_csv(escatter_run / "results/escatter/ics.csv")
    need = [
        "energy_ev",
        "scale_factor",
        "ics_measured_range",
        "ics_extrapolated",
        "ics_uncertainty",
        "extrapolated_fraction",
        "ics_paper",
    ]
    assert all(c in df.columns for c in need)
    assert df["energy_ev"].tolist() == [50.0, 100.0, 150.0, 200.0, 250.0, 300.0]  # every data energy
    assert (df["ics_extrapolated"] > df["ics_measured_range"]).all()
    assert (df["n_points"] == 21).all()
    # the ICS with each interference weighting after n_points; the default's equals the reported one
    choices = [
        f"{q}_{w}" for q in ("ics_extrapolated", "ics_ratio", "ics_theory", "forward_share") for w in INTERFERENCE
    ]
    assert df.columns.tolist()[-len(choices) :] == choices
    assert (df["ics_extrapolated_product"] == df["ics_extrapolated"]).all()
    assert (df["ics_extrapolated_none"] < df["ics_extrapolated_product"]).all()


def test_bad_config_one_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("escatter:\n  energies_ev: [100, 5000]\n")
    proc = run_snakemake(tmp_path, "--configfile", str(bad), "-n", check=False)
    assert proc.returncode != 0
    line = [ln for ln in proc.stderr.splitlines() if "invalid config" in ln]
    assert line and "escatter.energies_ev" in line[0] and "5000" in line[0]


def test_broken_data_file_stops_the_run_before_any_job(escatter_run, tmp_path):
    """A data file broken after a good run is refused when the config is checked, in one line naming the
    file, the line and the column; no job starts, so the earlier results stay together (before, the first
    job failed among Snakemake's output and deleted measured.nc beside the old ics.csv and figures)."""
    work = tmp_path / "work"
    shutil.copytree(escatter_run, work, symlinks=True)
    res = work / "results" / "escatter"
    before = {p: p.stat().st_mtime_ns for p in res.rglob("*") if p.is_file()}
    bad = tmp_path / "gas.csv"
    bad.write_text("energy_ev,angle_deg,dcs,uncertainty,note\n100,30,3.50,0.99,\n100,35,-2.51,0.71,\n")
    proc = run_snakemake(work, *TARGETS, "--config", f"escatter={{data_file: {bad}}}", check=False)
    assert proc.returncode != 0
    lines = [ln for ln in proc.stderr.splitlines() if "invalid config" in ln]
    assert lines, proc.stderr[-2000:]
    assert str(bad) in lines[0] and "line 3: dcs = -2.51 must be >= 0" in lines[0]
    assert "load_measured_dcs" not in proc.stdout + proc.stderr  # no job was scheduled
    assert {p: p.stat().st_mtime_ns for p in res.rglob("*") if p.is_file()} == before
