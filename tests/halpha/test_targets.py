"""Result files, wildcard lists and report of the Hα branch (kineticflow.halpha.targets)."""

from __future__ import annotations

import copy

import pytest
import yaml
from conftest import ROOT

from kineticflow.branches import all_targets, reports
from kineticflow.core.targets import headline_spec
from kineticflow.halpha import targets


@pytest.fixture
def config():
    return copy.deepcopy(yaml.safe_load((ROOT / "config" / "config.yaml").read_text()))


def test_profile_files_are_p0_major_and_formatted(config):
    config["halpha"]["p0_grid"] = [3.0, 30.0]
    config["halpha"]["f20_grid"] = [1.0e8, 1.0e11]
    assert targets.profile_files(config) == [
        "results/halpha/profiles/p0-3_f20-1e+08.nc",
        "results/halpha/profiles/p0-3_f20-1e+11.nc",
        "results/halpha/profiles/p0-30_f20-1e+08.nc",
        "results/halpha/profiles/p0-30_f20-1e+11.nc",
    ]
    assert targets.quiet_profile() == "results/halpha/profiles/p0-0_f20-0.nc"
    assert targets.p0_values(config) == ["3", "30"]


def test_targets_are_every_result_and_figure_or_nothing(config):
    files = targets.targets(config)
    for name in ("profiles.nc", "truth.nc", "observed.nc", "diagnostics.nc", "recovered.csv", "fits.nc", "fits.csv"):
        assert f"results/halpha/{name}" in files
    assert "results/halpha/figures/hxr_velocity.png" in files
    assert len(files) == len(set(files)) == 12
    assert set(files) <= set(all_targets(config))
    config["halpha"]["enabled"] = False
    assert targets.targets(config) == []
    assert not set(files) & set(all_targets(config))


def test_report_tables_headline_and_inputs(config):
    rep = targets.report(config)
    assert rep.category == "Halpha"
    assert dict(rep.tables) == {"recovered": "results/halpha/recovered.csv", "fits": "results/halpha/fits.csv"}
    assert headline_spec([rep]) == {
        "Halpha: redshift decay times and HXR correlations (full tables under Halpha)": [
            "results/halpha/fits.csv",
            "",
            [],
        ]
    }
    assert rep.inputs == tuple(targets.targets(config))
    assert rep in reports(config)
    config["halpha"]["enabled"] = False
    assert all(r.category != "Halpha" for r in reports(config))


def test_figures_match_the_plot_step_outputs():
    # the rule's named outputs (families, sequences, ...) are the keys of steps.plot_halpha
    smk = (ROOT / "workflow" / "rules" / "halpha.smk").read_text()
    for stem in targets.FIGURES:
        assert f"results/halpha/figures/{stem}.png" in smk
