"""The XFH branch run end to end by Snakemake on config/test.yaml: outputs and bad input."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from conftest import run_snakemake

from kineticflow.core.io import read_dataset

pytestmark = pytest.mark.workflow

COLUMNS = [
    "crystal", "h", "k", "l", "h_norm_inv_angstrom", "bragg_accessible", "re_f_true", "re_g",
    "re_g_background_subtracted", "sign_true", "sign_recovered",
]  # fmt: skip


def test_every_variable_has_units_and_long_name(workflow_run):
    paths = sorted((workflow_run / "results" / "xfh").rglob("*.nc"))
    # hologram, measured, reconstruction, phases for V and PbSe; measured, reconstruction, phases of observed/example
    assert len(paths) == 11
    for path in paths:
        ds = read_dataset(path)
        for name, var in list(ds.data_vars.items()) + list(ds.coords.items()):
            assert "units" in var.attrs and "long_name" in var.attrs, f"{path.name}:{name}"


def test_phases_table_and_figures(workflow_run):
    table = pd.read_csv(workflow_run / "results" / "xfh" / "phases.csv")
    assert set(COLUMNS) <= set(table.columns)
    v = table[(table.crystal == "V") & table.bragg_accessible]
    assert v[["h", "k", "l"]].values.tolist() == [[1, 1, 0], [2, 0, 0], [2, 1, 1], [2, 2, 0]]
    assert (v.re_g > 0).all() and (v.sign_recovered == v.sign_true).all()
    p = table[(table.crystal == "PbSe") & table.bragg_accessible]
    assert (p.sign_recovered == p.sign_true).mean() >= 0.9
    for crystal in ("V", "PbSe"):
        for fig in ("hologram", "g_map", "scale", "real_space"):
            assert (workflow_run / "results" / "xfh" / crystal / "figures" / f"{fig}.png").stat().st_size > 10_000


def test_observed_example_has_the_simulated_columns_and_provenance(workflow_run):
    """config/test.yaml's xfh.observations.example (the shipped text hologram of V) through the reader path."""
    folder = workflow_run / "results" / "xfh" / "observed" / "example"
    table = pd.read_csv(folder / "phases.csv")
    assert list(table.columns) == list(pd.read_csv(workflow_run / "results" / "xfh" / "phases.csv").columns)
    acc = table[table.bragg_accessible]
    assert (acc.sign_recovered == acc.sign_true).all() and set(table.crystal) == {"V"}
    prov = pd.read_csv(folder / "provenance.csv")
    assert prov["source_file"].item().endswith("resources/xfh_hologram_example.txt")
    assert prov["reader"].item() == "text" and len(prov["source_file_sha256"].item()) == 64
    assert (folder / "figures" / "g_map.png").stat().st_size > 10_000


def test_bad_observation_stops_before_any_job_and_keeps_results(workflow_run, tmp_path):
    """A hologram with negative counts: one line naming file, variable and expectation; nothing rerun or lost."""
    bad = tmp_path / "bad.txt"
    bad.write_text("# crystal: V\ntheta_deg, phi_deg, counts\n10, 20, -5\n")
    over = tmp_path / "over.yaml"
    over.write_text(yaml.safe_dump({"xfh": {"observations": {"bad": {"path": str(bad), "crystal": "V"}}}}))
    before = {p: p.stat().st_mtime_ns for p in (workflow_run / "results" / "xfh").rglob("*.nc")}
    proc = run_snakemake(workflow_run, "--configfile", str(over), check=False)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr + proc.stdout
    line = next(x for x in proc.stderr.splitlines() if "xfh.observations.bad" in x)
    assert str(bad) in line and "counts" in line and "expected" in line
    assert before == {p: p.stat().st_mtime_ns for p in (workflow_run / "results" / "xfh").rglob("*.nc")}


@pytest.mark.parametrize(
    ("override", "key"),
    [
        ({"xfh": {"run": ["V", "NaCl"]}}, "xfh.run"),
        ({"xfh": {"crystals": {"V": {"energy_kev": 5.0}}}}, "xfh.crystals.V.energy_kev"),
        ({"xfh": {"scan": {"polar_max_deg": 45}}}, "xfh.scan.polar_max_deg"),
    ],
)
def test_snakemake_rejects_bad_xfh_config_before_any_job(tmp_path, override, key):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(override))
    proc = run_snakemake(tmp_path, "--configfile", str(bad), "-n", check=False)
    assert proc.returncode != 0
    assert key in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not (tmp_path / "results").exists()
