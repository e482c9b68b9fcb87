"""The ``xfh`` config section: cross-key checks (one line naming the key) and the rules' parameters."""

from __future__ import annotations

import copy
from dataclasses import asdict
from typing import Any

import pytest
import yaml
from conftest import ROOT, TEST_CONFIG

from kineticflow.config import ConfigError, fill_defaults, load_schema, validate_config
from kineticflow.xfh.config import MeasureParams, ReconstructParams, SimulateParams, check, check_xfh

SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"


def xfh_section(path: Any = TEST_CONFIG, **changes: Any) -> dict[str, Any]:
    cfg = {"xfh": copy.deepcopy(yaml.safe_load(open(path))["xfh"])}
    fill_defaults(cfg, load_schema(SCHEMA))
    return cfg["xfh"]


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda x: x.update(run=["V", "NaCl"]), "xfh.run"),
        (lambda x: x["crystals"]["V"].update(energy_kev=5.0), "xfh.crystals.V.energy_kev"),
        (lambda x: x["scan"].update(polar_max_deg=40), "xfh.scan.polar_max_deg"),
    ],
)
def test_bad_input_is_one_line_naming_the_key(change: Any, key: str) -> None:
    section = xfh_section()
    change(section)
    with pytest.raises(ConfigError) as err:
        check_xfh(section)
    assert key in str(err.value) and "\n" not in str(err.value)


def test_unknown_crystal_is_refused_before_any_job() -> None:
    """Any name passes the schema (a CIF crystal may have it); the check refuses one without an entry."""
    section = xfh_section()
    section["run"] = ["NaCl"]
    with pytest.raises(ConfigError, match="xfh.run"):
        validate_config({"xfh": section}, SCHEMA, {"xfh": check})


def test_check_as_branches_calls_it() -> None:
    section = xfh_section()
    check(section, {"xfh": section}, workdir=ROOT)
    section["crystals"]["PbSe"]["surface_normal"] = [0, 0, 0]
    with pytest.raises(ConfigError, match="xfh.crystals.PbSe.surface_normal"):
        check(section, {"xfh": section}, workdir=ROOT)


def test_params_pick_the_keys_of_each_rule_and_round_trip() -> None:
    section = xfh_section(ROOT / "config" / "config.yaml")
    sim = SimulateParams.from_config(section, "V")
    assert (sim.crystal, sim.energy_kev, sim.surface_normal, sim.n_pixels) == ("V", 6.3, (1, 1, 1), 320000)
    assert (sim.polar_max_deg, sim.k_i_over_k_r, sim.object_term) == (80, 0.01, False)
    rec = ReconstructParams.from_config(section, "PbSe")
    assert rec.energy_kev is None and rec.mode == "inside_source" and rec.h_max_over_2k == 1.1
    meas = MeasureParams.from_config(section)
    assert (meas.seed, meas.n_patterns, meas.grid_step_deg) == (15, 300, 0.5)
    for p in (sim, rec, meas):
        assert type(p)(**asdict(p)) == p  # the rule's params (a dict) rebuild the dataclass
    with pytest.raises(AttributeError):
        sim.n_pixels = 1  # type: ignore[misc]
    changed = copy.deepcopy(section)
    changed["measurement"]["n_patterns"] = 10  # a measurement key does not change the other rules
    assert SimulateParams.from_config(changed, "V") == sim
    assert MeasureParams.from_config(changed) != meas
