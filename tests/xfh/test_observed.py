"""xfh.observations and CIF crystals in the workflow: config-time checks, targets, report and params."""

from __future__ import annotations

import copy
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from conftest import ROOT

from kineticflow.config import ConfigError, fill_defaults, load_schema
from kineticflow.xfh import targets as t
from kineticflow.xfh.cif import BUILTIN_SPACE_GROUPS, write_cif
from kineticflow.xfh.config import ReconstructParams, SimulateParams, check
from kineticflow.xfh.crystals import make_crystal

SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"
EXAMPLE = "resources/xfh_hologram_example.txt"


def config(**observations: Any) -> dict[str, Any]:
    cfg = {"xfh": copy.deepcopy(yaml.safe_load(open(ROOT / "config" / "config.yaml"))["xfh"])}
    cfg["xfh"]["observations"] = observations
    return fill_defaults(cfg, load_schema(SCHEMA))


def test_no_observations_leave_the_default_targets_and_params() -> None:
    """Empty mapping: the simulated path only, and the rules' params as before CIF crystals (no rerun)."""
    cfg = config()
    assert not any("observed" in f for f in t.targets(cfg)) and len(t.targets(cfg)) == 1 + 2 * 4
    params = t.simulate_params(cfg)(SimpleNamespace(crystal="V"))
    assert "cif" not in params and "cif_emitter" not in params
    assert SimulateParams(**params) == SimulateParams.from_config(cfg["xfh"], "V")


def test_observation_targets_report_and_params() -> None:
    cfg = config(mine={"path": EXAMPLE, "crystal": "V"})
    out = t.targets(cfg)
    for f in ("phases.csv", "provenance.csv", "figures/g_map.png"):
        assert f"results/xfh/observed/mine/{f}" in out
    assert t.crystal_of(cfg, "observed/mine") == "V" and t.crystal_of(cfg, "PbSe") == "PbSe"
    assert "observed/mine" in t.crystal_constraint(cfg).split("|")
    assert "observed" not in t.simulated_constraint(cfg)
    report = t.report(cfg)
    assert report.tables["observed_mine_provenance"] == "results/xfh/observed/mine/provenance.csv"
    rec = ReconstructParams(**t.reconstruct_params(cfg)(SimpleNamespace(crystal="observed/mine")))
    assert rec == ReconstructParams.from_config(cfg["xfh"], "V")
    wc = SimpleNamespace(observation="mine")
    assert t.observation_reader(cfg)(wc) == {"quantity": "counts", "interpolation": "none", "grid_step_deg": 1.0,
                                             "crystal": "V"}  # fmt: skip
    assert str(t.observation_file(cfg, str(ROOT))(wc)).endswith(EXAMPLE)
    cfg["xfh"]["run"] = []
    assert "results/xfh/phases.csv" not in t.targets(cfg) and "phases" not in t.report(cfg).tables


def test_example_observation_passes_the_check() -> None:
    cfg = config(mine={"path": EXAMPLE, "crystal": "V"})
    check(cfg["xfh"], cfg, workdir=ROOT)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"path": "missing.txt", "crystal": "V"}, "missing.txt: file does not exist"),
        ({"path": EXAMPLE, "crystal": "PbSe"}, "attribute 'emitter': 'V'; expected 'Se'"),
        ({"path": EXAMPLE, "crystal": "V", "energy_kev": 7.0}, "attribute 'energy_kev'"),
        ({"path": EXAMPLE, "crystal": "NaCl"}, "'xfh.observations.bad.crystal' = 'NaCl'"),
    ],
)
def test_bad_observation_stops_at_the_config_check(entry: dict[str, Any], expected: str) -> None:
    cfg = config(bad=entry)
    with pytest.raises(ConfigError) as err:
        check(cfg["xfh"], cfg, workdir=ROOT)
    msg = str(err.value)
    assert "\n" not in msg and "xfh.observations.bad" in msg and expected in msg, msg


def test_bad_file_names_file_variable_and_expectation(tmp_path: Any) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("# crystal: V\ntheta_deg, phi_deg, counts\n10, 20, -5\n")
    cfg = config(bad={"path": str(bad), "crystal": "V"})
    with pytest.raises(ConfigError) as err:
        check(cfg["xfh"], cfg, workdir=ROOT)
    msg = str(err.value)
    assert str(bad) in msg and "counts" in msg and "expected" in msg and "\n" not in msg, msg


def test_cif_crystal_is_wired_and_unsupported_groups_refused(tmp_path: Any) -> None:
    """V from a CIF gives the built-in lattice; a CIF of another space group stops the check in one line."""
    cif = write_cif(make_crystal("V", 3.03), BUILTIN_SPACE_GROUPS["V"], tmp_path / "V.cif")
    cfg = config()
    cfg["xfh"]["crystals"]["V"]["cif"] = str(cif)
    check(cfg["xfh"], cfg, workdir=ROOT)
    p = SimulateParams(**t.simulate_params(cfg)(SimpleNamespace(crystal="V")))
    assert p.cif == str(cif) and p.make_crystal().a == pytest.approx(3.03)
    assert p.make_crystal().sites == make_crystal("V", 3.03).sites
    cif.write_text(cif.read_text().replace("229", "227").replace("I m -3 m", "F d -3 m"))
    with pytest.raises(ConfigError) as err:
        check(cfg["xfh"], cfg, workdir=ROOT)
    assert "xfh.crystals.V.cif" in str(err.value) and "\n" not in str(err.value)
