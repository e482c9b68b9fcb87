"""Result files, wildcard lists and report of the Hα branch (kineticflow.halpha.targets)."""

from __future__ import annotations

import copy
from dataclasses import asdict
from types import SimpleNamespace

import pytest
import yaml
from conftest import ROOT

from kineticflow.branches import all_targets, reports
from kineticflow.core.targets import headline_spec
from kineticflow.halpha import targets
from kineticflow.halpha.config import from_params


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


EXAMPLE = {
    "path": "resources/halpha_observed_raster.fits",
    "format": "fits_raster",
    "quiet": {"scan": 0},
    "level_ic": 0.984,
    "slit_fwhm_a": 0.15,
    "hxr": {"path": "resources/halpha_hxr.csv"},
    "kernels": {"kernel": {"y": 4, "x": 5, "episodes": {"times_s": [20.0, 50.0]}}},
}


def test_no_observation_configured_adds_nothing(config):
    # the default run: the simulated observation only, no observed rule, no extra report table
    assert config["halpha"].get("observations", {}) == {}
    assert targets.observation_names(config) == [] and targets.observed_targets(config) == []
    assert not [f for f in targets.targets(config) if "/observed/" in f]
    assert set(targets.report(config).tables) == {"recovered", "fits"}


def test_each_observation_has_the_simulated_file_names_under_its_own_folder(config):
    config["halpha"]["observations"] = {"example": EXAMPLE, "nohxr": {**EXAMPLE, "hxr": None}}
    del config["halpha"]["observations"]["nohxr"]["hxr"]
    files = targets.targets(config)
    for name in ("example", "nohxr"):
        for f in ("observed.nc", "diagnostics.nc", "recovered.csv", "fits.nc", "fits.csv"):
            assert f"results/halpha/observed/{name}/{f}" in files
            assert f in targets.DATA_FILES  # the simulated path's names
        for stem in ("pixel_sequences", "hxr_wing_width", "hxr_velocity", "maps_hxr_peak"):
            assert f"results/halpha/observed/{name}/figures/{stem}.png" in files
    assert "results/halpha/observed/example/hxr.nc" in files
    assert "results/halpha/observed/nohxr/hxr.nc" not in files
    assert files.count("results/halpha/observed/provenance.csv") == 1
    assert targets.observed_with_hxr(config) == ["example"]
    tables = targets.report(config).tables
    assert tables["observed_example_fits"] == "results/halpha/observed/example/fits.csv"
    assert tables["observed_nohxr_recovered"] == "results/halpha/observed/nohxr/recovered.csv"
    assert tables["observations"] == "results/halpha/observed/provenance.csv"
    assert set(files) <= set(targets.report(config).inputs)
    config["halpha"]["enabled"] = False
    assert targets.targets(config) == [] and set(targets.report(config).tables) == {"recovered", "fits"}


def test_observation_inputs_resolve_to_the_workflow_folder_and_params_rebuild(config, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a working directory without resources/: the workflow folder's
    config["halpha"]["observations"] = {"example": EXAMPLE}
    wc = SimpleNamespace(name="example")
    assert targets.observation_input(config, str(ROOT))(wc) == [str(ROOT / EXAMPLE["path"])]
    assert targets.hxr_input(config, str(ROOT))(wc) == [str(ROOT / "resources/halpha_hxr.csv")]
    assert targets.observed_hxr(config)(wc) == ["results/halpha/observed/example/hxr.nc"]
    # an absolute or working-directory path is taken as given
    own = tmp_path / "raster.fits"
    own.write_bytes(b"")
    config["halpha"]["observations"]["example"] = {**EXAMPLE, "path": [str(own), str(own)]}
    assert targets.observation_input(config, str(ROOT))(wc) == [str(own), str(own)]
    params = targets.observation_params(config)(wc)
    obs = from_params({"observation": params})["observation"]
    assert obs.name == "example" and obs.paths == (str(own), str(own)) and obs.format == "fits_raster"
    assert obs.tracked == (("kernel", 4, 5),) and obs.kernels[0].episode_times_s == (20.0, 50.0)
    assert obs.reader_arguments()["quiet"] == {"scan": 0} and obs.hxr.path == "resources/halpha_hxr.csv"
    assert asdict(obs) == params


def test_observed_rules_are_in_the_rules_file():
    smk = (ROOT / "workflow" / "rules" / "halpha.smk").read_text()
    for stem in targets.OBSERVED_FIGURES:
        assert f"results/halpha/observed/{{name}}/figures/{stem}.png" in smk
    assert "halpha_files.PROVENANCE" in smk
