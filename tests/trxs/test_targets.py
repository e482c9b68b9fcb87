"""TRXS targets, report, wildcard lists, inputs and memory estimates (kineticflow.trxs.targets)."""

from __future__ import annotations

import copy
import os

import pytest
import yaml
from conftest import ROOT

from kineticflow.config import fill_defaults, load_schema
from kineticflow.trxs import targets
from kineticflow.trxs.config import Observation, Params, rule_params


def config(**overrides):
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    fill_defaults(cfg, load_schema(ROOT / "workflow" / "schemas" / "config.schema.yaml"))
    for section, values in overrides.items():
        cfg["trxs"][section].update(values)
    return cfg


def test_targets_of_the_default_config():
    out = targets.targets(config())
    # 2 widths x 3 jitter fractions of inversions, and every figure and table of the report
    assert sum(p.startswith("results/trxs/inverted/") for p in out) == 6
    assert "results/trxs/inverted/fwhm-1000ps_jitter-0.5.nc" in out
    assert set(targets.DECONVOLUTION_FIGURES) <= set(out)
    assert {targets.FIT_TABLE, targets.DECONVOLUTION_TABLE, targets.JITTER_HTML} <= set(out)
    assert targets.inversion_figures(config()) == [
        "results/trxs/figures/inversion_fwhm-100ps.png",
        "results/trxs/figures/inversion_fwhm-1000ps.png",
    ]
    assert len(out) == len(set(out))


def test_disabled_branch_has_no_targets():
    cfg = config()
    cfg["trxs"]["enabled"] = False
    assert targets.targets(cfg) == []
    assert targets.report(cfg).inputs == ()


def test_report_tables_and_headlines():
    rep = targets.report(config())
    assert rep.category == "TRXS"
    sim = "results/trxs/observed/simulated"
    assert rep.tables == {
        "kinetic_fit": targets.FIT_TABLE,
        "deconvolution_error": targets.DECONVOLUTION_TABLE,
        "observed_simulated_kinetics": f"{sim}/kinetics.csv",
        "observed_simulated_provenance": f"{sim}/provenance.csv",
    }
    assert [h.csv for h in rep.headlines] == [
        targets.JITTER_TABLE,
        targets.FIT_TABLE,
        targets.DECONVOLUTION_TABLE,
        f"{sim}/kinetics.csv",
    ]
    assert rep.headlines[1].query == "parameter == 'tau_r_ps'"
    assert "stderr" in rep.headlines[1].columns
    assert set(rep.inputs) == set(targets.targets(config()))


def test_wildcard_lists_are_the_file_labels():
    cfg = config(pulse={"fwhm_ps": [100.0, 250.5]}, jitter={"fractions": [0.5, 0.2]})
    cfg["trxs"]["measurement"].update(jitter_fractions=[0.2], snr=["inf", 100.0, 20])
    assert targets.fwhms(cfg) == ["100", "250.5"]
    assert targets.jitters(cfg) == ["0.5", "0.2"]
    assert targets.inversion_figure_jitter(cfg) == "0.5"  # no jitter-free case: the first
    assert targets.inversion_figure_jitter(config()) == "0"
    assert targets.measured_files(cfg, "fits", "{fwhm}") == [
        "results/trxs/fits/fwhm-{fwhm}ps_jitter-0.2_snr-inf.nc",
        "results/trxs/fits/fwhm-{fwhm}ps_jitter-0.2_snr-100.nc",
        "results/trxs/fits/fwhm-{fwhm}ps_jitter-0.2_snr-20.nc",
    ]
    assert targets.jitter_files(cfg, "jitter", "{fwhm}") == [
        "results/trxs/jitter/fwhm-{fwhm}ps_jitter-0.5.nc",
        "results/trxs/jitter/fwhm-{fwhm}ps_jitter-0.2.nc",
    ]
    assert len(targets.measured_files(cfg, "measured")) == 2 * 1 * 3
    assert targets.inversion_figure_inputs(cfg) == [
        "results/trxs/inverted/fwhm-100ps_jitter-0.5.nc",
        "results/trxs/inverted/fwhm-250.5ps_jitter-0.5.nc",
    ]


def test_measured_pulse_profile_input(tmp_path, monkeypatch):
    cfg = config()
    assert targets.measured_pulse_profile(cfg, "/wf") == []  # a Gaussian pulse reads no file
    cfg["trxs"]["pulse"].update(shape="measured", profile_file="resources/pulse_profile_asymmetric.csv")
    monkeypatch.chdir(tmp_path)  # not in the working directory: the workflow's shipped example
    assert targets.measured_pulse_profile(cfg, "/wf") == os.path.join("/wf", "resources/pulse_profile_asymmetric.csv")
    (tmp_path / "resources").mkdir()
    (tmp_path / "resources" / "pulse_profile_asymmetric.csv").write_text("0 1\n")
    assert targets.measured_pulse_profile(cfg, "/wf") == "resources/pulse_profile_asymmetric.csv"
    cfg["trxs"]["pulse"]["profile_file"] = "/abs/profile.csv"
    assert targets.measured_pulse_profile(cfg, "/wf") == "/abs/profile.csv"


def test_memory_estimate_grows_with_the_grid_and_the_attempt():
    cfg = config()
    # default grid: 6501 times x (501 r + 326 q) float64 = 43.0 MB per array
    assert targets.grid_mb(cfg) == pytest.approx(6501 * 827 * 8 / 1e6)
    assert targets.mem_mb(cfg, 1) == int(500 + 8 * targets.grid_mb(cfg))
    assert targets.mem_mb(cfg, 2) == 2 * targets.mem_mb(cfg, 1)
    coarse = config(grid={"t_step_ps": 10.0})
    assert targets.mem_mb(coarse) < targets.mem_mb(cfg)


def test_rule_params_are_plain_and_rebuild_the_dataclasses():
    """Rules get dicts (Snakemake reruns a job when one changes); scripts rebuild the same dataclasses."""
    cfg = config()
    plain = rule_params(cfg["trxs"])
    p = Params.from_config(cfg["trxs"])
    assert Observation.from_dict(plain["observation"]) == p.observation
    assert Params.from_dict(plain) == p
    assert plain["inversion_times_ps"] == (0.0, 100.0, 1000.0)
    assert "fwhm_ps" not in plain["observation"]["pulse"]  # a new width reruns no existing job
    changed = copy.deepcopy(cfg)
    changed["trxs"]["jitter"]["seed"] += 1
    assert rule_params(changed["trxs"])["observation"] != plain["observation"]


def test_observed_targets_default_to_the_simulated_observation():
    cfg = config()
    assert targets.observations(cfg) == ["simulated"]
    assert targets.simulated_measurement(cfg) == ["results/trxs/measured/fwhm-100ps_jitter-0.2_snr-20.nc"]
    out = targets.targets(cfg)
    sim = "results/trxs/observed/simulated"
    for f in ("observation.nc", "svd.nc", "svd.csv", "kinetics.nc", "kinetics.csv", "deconvolved.nc", "inverted.nc"):
        assert f"{sim}/{f}" in out
    assert targets.observed_figures("simulated") == [
        f"{sim}/figures/{s}.png" for s in ("singular_values", "singular_vectors", "das", "data_fit", "residual_map")
    ]
    assert set(targets.observed_figures("simulated")) <= set(out)
    noise_free = config(measurement={"snr": ["inf"]})
    assert targets.observations(noise_free) == [] and targets.simulated_measurement(noise_free) == []
    assert not any("/observed/" in f for f in targets.targets(noise_free))
    assert "observed_simulated_kinetics" not in targets.report(noise_free).tables


def test_observed_targets_of_configured_files(tmp_path, monkeypatch):
    cfg = config(observations={"run7": {"path": "run7.txt"}, "b": {"path": "/abs/b.h5", "format": "hdf5"}})
    assert targets.observations(cfg) == ["run7", "b"]
    out = targets.targets(cfg)
    assert "results/trxs/observed/run7/kinetics.csv" in out and "results/trxs/observed/b/svd.csv" in out
    assert not any("/observed/simulated/" in f for f in out)
    rep = targets.report(cfg)
    assert rep.tables["observed_b_provenance"] == "results/trxs/observed/b/provenance.csv"
    assert [h.csv for h in rep.headlines][-2:] == [
        "results/trxs/observed/run7/kinetics.csv",
        "results/trxs/observed/b/kinetics.csv",
    ]
    # the file (and a text file's sigma companion, if it exists) are the inputs: a changed file reruns
    assert targets.observation_input(cfg, "b", str(tmp_path)) == ["/abs/b.h5"]
    assert targets.observation_input(cfg, "run7", str(tmp_path)) == [str(tmp_path / "run7.txt")]
    (tmp_path / "run7_sigma.txt").write_text("")
    assert targets.observation_input(cfg, "run7", str(tmp_path))[1] == str(tmp_path / "run7_sigma.txt")
    cfg["trxs"]["observations"]["run7"]["variables"] = {"sigma": "errors.txt"}
    (tmp_path / "errors.txt").write_text("")
    assert targets.observation_input(cfg, "run7", str(tmp_path))[1] == str(tmp_path / "errors.txt")
    # the measured pulse profile is an input only of observations that use it
    assert targets.observation_profile(cfg, "b", "/wf") == []
    cfg["trxs"]["observations"]["b"]["kinetic_model"] = {"pulse_shape": "measured"}
    monkeypatch.chdir(tmp_path)  # not in the working directory: the workflow's shipped profile
    assert targets.observation_profile(cfg, "b", "/wf") == ["/wf/resources/pulse_profile_asymmetric.csv"]
