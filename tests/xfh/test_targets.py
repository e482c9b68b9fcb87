"""kineticflow.xfh.targets: the branch's result files, report, wildcards, rule params and memory."""

from __future__ import annotations

import copy
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from conftest import ROOT

from kineticflow.config import fill_defaults, load_schema
from kineticflow.core.targets import headline_spec
from kineticflow.xfh import targets as t
from kineticflow.xfh.config import MeasureParams, ReconstructParams, SimulateParams

SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"


@pytest.fixture
def config() -> dict[str, Any]:
    cfg = {"xfh": copy.deepcopy(yaml.safe_load(open(ROOT / "config" / "config.yaml"))["xfh"])}
    fill_defaults(cfg, load_schema(SCHEMA))
    return cfg


def test_targets_are_the_table_and_every_figure(config: dict[str, Any]) -> None:
    out = t.targets(config)
    assert out[0] == "results/xfh/phases.csv"
    assert len(out) == 1 + 2 * 4
    assert "results/xfh/PbSe/figures/g_map.png" in out
    config["xfh"]["run"] = ["PbSe"]
    assert not any("/V/" in f for f in t.targets(config))
    config["xfh"]["enabled"] = False
    assert t.targets(config) == []


def test_report_has_the_phases_table_and_headline(config: dict[str, Any]) -> None:
    r = t.report(config)
    assert r.category == "XFH"
    assert dict(r.tables) == {"phases": "results/xfh/phases.csv"}
    assert headline_spec([r]) == {
        "XFH: sign of Re F_h from Re G at the Bragg-accessible reflections": [
            "results/xfh/phases.csv",
            "bragg_accessible",
            [
                "crystal",
                "h",
                "k",
                "l",
                "h_norm_inv_angstrom",
                "re_f_true",
                "re_g_background_subtracted",
                "sign_true",
                "sign_recovered",
            ],  # fmt: skip
        ]
    }
    assert r.inputs == tuple(t.targets(config))


def test_wildcards_and_inputs(config: dict[str, Any]) -> None:
    assert t.crystals(config) == ["V", "PbSe"]
    assert t.crystal_constraint(config) == "V|PbSe"
    assert t.crystal_constraint({}) == "V" and t.crystals({}) == []
    assert t.phases_inputs(config) == ["results/xfh/V/phases.nc", "results/xfh/PbSe/phases.nc"]


def test_params_are_plain_dicts_of_each_crystal(config: dict[str, Any]) -> None:
    """Plain values (Snakemake records them and reruns on a change), rebuilt into the dataclasses."""
    w = SimpleNamespace(crystal="PbSe")
    sim = t.simulate_params(config)(w)
    assert isinstance(sim, dict) and SimulateParams(**sim) == SimulateParams.from_config(config["xfh"], "PbSe")
    assert sim["surface_normal"] == (0, 0, 1) and sim["n_pixels"] == 160000
    rec = t.reconstruct_params(config)(w)
    assert ReconstructParams(**rec).crystal == "PbSe"
    assert MeasureParams(**t.measure_params(config)).seed == 15
    assert "chunk_elements" not in sim and "chunk_elements" not in rec
    assert t.chunk_elements(config) == 4_000_000


def test_memory_grows_with_pixels_and_attempts(config: dict[str, Any]) -> None:
    est = t.mem_mb(config)
    v, pbse = SimpleNamespace(crystal="V"), SimpleNamespace(crystal="PbSe")
    assert est(v, 1) == int(800 + 12 * 4 + 200 * 0.32)
    assert est(v, 2) == 2 * est(v, 1)
    assert est(v, 1) > est(pbse, 1)
