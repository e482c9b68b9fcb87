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
    assert len(paths) == 8  # hologram, measured, reconstruction, phases for V and PbSe
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
