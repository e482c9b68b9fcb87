"""The observed-data keys (kineticflow.trxs.config_observed): resolution, defaults and the config check.

A bad observation file must stop the run at config-check time, with one line naming the file, the
variable and what was expected (issue 24).
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import numpy as np
import pytest
import yaml
from conftest import ROOT

from kineticflow.config import ConfigError, fill_defaults, load_schema
from kineticflow.trxs import config_observed as co
from kineticflow.trxs.config import check
from kineticflow.trxs.observation import write_observation
from kineticflow.trxs.observation_example import simulate_example


def section(**observations):
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    fill_defaults(cfg, load_schema(ROOT / "workflow" / "schemas" / "config.schema.yaml"))
    cfg["trxs"]["observations"] = observations
    return cfg["trxs"]


@pytest.fixture(scope="module")
def example():
    return simulate_example(n_q=20, n_tau=12)


def test_the_simulated_observation_is_the_default_and_needs_noise():
    sec = section()
    assert co.observation_names(sec) == ["simulated"]
    sim = co.simulated_observation(sec)
    # the first width, the first measured jitter, the smallest finite SNR (default [inf, 100, 20])
    assert (sim.fwhm, sim.jitter, sim.snr) == ("100", "0.2", "20")
    assert sim.path() == "results/trxs/measured/fwhm-100ps_jitter-0.2_snr-20.nc"
    noise_free = copy.deepcopy(sec)
    noise_free["measurement"]["snr"] = ["inf", None]
    assert co.simulated_observation(noise_free) is None
    assert co.observation_names(noise_free) == []
    files = section(a={"path": "x.txt"}, b={"path": "y.h5"})
    assert co.observation_names(files) == ["a", "b"]  # no simulated observation beside files unless named


def test_kinetic_model_resolution():
    sec = section()
    sim = co.kinetic_model(sec, "simulated")
    # the simulated device's pulse: Gaussian, 100 ps, jitter 0.2; the default model
    assert (sim.model, sim.n_exponentials, sim.offset, sim.fit_t0) == ("exponentials", 2, True, True)
    assert (sim.pulse_shape, sim.fwhm_ps, sim.jitter) == ("gaussian", 100.0, 0.2)
    sec = section(run7={"path": "x.txt", "kinetic_model": {"fwhm_ps": 80, "model": "diatomic"}})
    sec["kinetic_model"].update(n_exponentials=3, time_constants_ps=[1, 10, 100], jitter=None)
    km = co.kinetic_model(sec, "run7")
    assert (km.model, km.fwhm_ps, km.jitter, km.pulse_shape) == ("diatomic", 80.0, 0.0, "gaussian")
    assert km.time_constants_ps == (1.0, 10.0, 100.0) and km.n_exponentials == 3
    params = co.rule_params(sec, "run7")
    assert co.KineticModel(**params["kinetic_model"]) == km
    assert co.Reader(**params["reader"]) == co.Reader(path="x.txt")
    assert "reader" not in co.rule_params(section(), "simulated")
    # a measured profile used as measured: no width to stretch it to
    sec = section()
    sec["pulse"].update(shape="measured", rescale_profile=False)
    assert co.kinetic_model(sec, "simulated").fwhm_ps is None


def test_starting_time_constants():
    km = co.KineticModel(n_exponentials=3)
    tau = np.array([-300.0, -30.0, 0.0, 10.0, 100.0, 1000.0, 30000.0])
    start = co.starting_time_constants(km, tau, 102.0)
    assert start[0] == pytest.approx(102.0) and start[-1] == pytest.approx(10000.0)
    assert np.allclose(np.diff(np.log(start)), np.log(start[1] / start[0]))  # log-spaced
    given = co.KineticModel(time_constants_ps=(5.0, 50.0))
    assert co.starting_time_constants(given, tau, 102.0) == (5.0, 50.0)


def one_line_error(sec, tmp_path) -> str:
    with pytest.raises(ConfigError) as err:
        check(sec, {"trxs": sec}, workdir=tmp_path)
    message = str(err.value)
    assert "\n" not in message
    return message


def test_a_good_file_passes_in_every_format(tmp_path, example):
    for name, fmt in (("a.txt", "text"), ("a.h5", "hdf5"), ("a.mat", "mat"), ("a.nc", "netcdf")):
        write_observation(example, tmp_path / name, fmt)
    sec = section(**{f"obs{i}": {"path": n} for i, n in enumerate(("a.txt", "a.h5", "a.mat", "a.nc"))})
    sec["kinetic_model"]["fwhm_ps"] = 100.0
    check(sec, {"trxs": sec}, workdir=tmp_path)  # relative paths: from the workdir


def bad_files(tmp_path: Path, example) -> dict[str, tuple[dict, str]]:
    """{case: (observation entry, pattern of the one-line error)} for the bad files of issue 24."""
    import h5py

    write_observation(example, tmp_path / "good.h5", "hdf5")
    n_q, n_tau = example.sizes["q"], example.sizes["tau"]

    def h5(name: str, **arrays):
        values = {k: example[k].values for k in ("q", "tau", "delta_s", "sigma")} | arrays
        with h5py.File(tmp_path / name, "w") as f:
            for k, v in values.items():
                f[k] = v
        return {"path": name, "kinetic_model": {"fwhm_ps": 100}}

    nan = example["delta_s"].values.copy()
    nan[3, 4] = np.nan
    zero = example["sigma"].values.copy()
    zero[1, 2] = 0.0
    tau = example["tau"].values.copy()
    tau[[5, 6]] = tau[[6, 5]]
    return {
        "missing dataset": (
            {"path": "good.h5", "variables": {"delta_s": "I"}, "kinetic_model": {"fwhm_ps": 100}},
            r"good\.h5: 'I' \(delta_s\): HDF5 dataset missing .*expected a numeric dataset of that name",
        ),
        "mismatched shapes": (
            h5("shape.h5", sigma=example["sigma"].values[:-1]),
            rf"shape\.h5: 'sigma' \(sigma\): shape \({n_q - 1}, {n_tau}\); expected \(n_q, n_tau\) = \({n_q}, {n_tau}\)",
        ),
        "non-monotonic delays": (h5("tau.h5", tau=tau), r"tau\.h5: tau: not monotonic at index .*expected strictly"),
        "NaN in delta_s": (
            h5("nan.h5", delta_s=nan),
            r"nan\.h5: delta_s: 1 NaN/Inf value\(s\) .*expected finite values",
        ),
        "sigma <= 0": (
            h5("zero.h5", sigma=zero),
            r"zero\.h5: sigma: 1 value\(s\) <= 0 .*expected sigma > 0 everywhere",
        ),
        "unknown unit": (
            {"path": "good.h5", "delay_unit": "fortnights", "kinetic_model": {"fwhm_ps": 100}},
            r"good\.h5: tau: unknown unit 'fortnights'; expected one of fs, ps, ns",
        ),
    }


def test_bad_files_stop_with_one_line_naming_file_variable_and_expectation(tmp_path, example):
    for case, (entry, pattern) in bad_files(tmp_path, example).items():
        message = one_line_error(section(bad=entry), tmp_path)
        assert message.startswith("config key 'trxs.observations.bad': "), case
        assert re.search(pattern, message), (case, message)


def test_config_errors_of_the_observation_keys(tmp_path, example):
    write_observation(example, tmp_path / "a.txt", "text")
    msg = one_line_error(section(x={"path": "nowhere.txt"}), tmp_path)
    assert "'trxs.observations.x.path' = 'nowhere.txt': file not found" in msg
    msg = one_line_error(section(x={"format": "text"}), tmp_path)
    assert "'trxs.observations.x.path' is missing" in msg
    msg = one_line_error(section(simulated={"path": "a.txt"}), tmp_path)
    assert "'trxs.observations.simulated' has ['path']" in msg
    sec = section(x={"path": "a.txt"})  # a Gaussian response needs its width
    assert "'trxs.observations.x.kinetic_model.fwhm_ps' = null" in one_line_error(sec, tmp_path)
    sec = section(x={"path": "a.txt", "kinetic_model": {"fwhm_ps": 100, "time_constants_ps": [10.0]}})
    assert "time_constants_ps' = [10.0] has 1 value(s); allowed: n_exponentials = 2" in one_line_error(sec, tmp_path)
    sec = section(simulated={})
    sec["measurement"]["snr"] = ["inf"]
    assert "has no finite SNR" in one_line_error(sec, tmp_path)
    sec = section(x={"path": "a.txt", "kinetic_model": {"pulse_shape": "measured"}})
    sec["pulse"]["profile_file"] = "missing_profile.csv"
    assert "'trxs.pulse.profile_file' = 'missing_profile.csv' (pulse of observation 'x')" in one_line_error(
        sec, tmp_path
    )


def test_schema_of_the_observation_keys():
    from kineticflow.config import check_schema

    schema = load_schema(ROOT / "workflow" / "schemas" / "config.schema.yaml")

    def problem(trxs: dict) -> str:
        try:
            check_schema({"trxs": trxs}, schema)
        except ConfigError as exc:
            return str(exc)
        return ""

    ok = {
        "simulated": None,
        "run-7.b": {"path": "a.h5", "variables": {"tau": "delay"}, "kinetic_model": {"jitter": 0.1}},
    }
    assert problem({"observations": ok, "kinetic_model": {"model": "diatomic"}, "svd": {"level": 0.05}}) == ""
    assert "'trxs.observations.x.colour' = 'red' is not known" in problem({"observations": {"x": {"colour": "red"}}})
    assert "is not allowed; choose one of ['exponentials', 'diatomic']" in problem({"kinetic_model": {"model": "x"}})
    assert "out of range; allowed: <= 6" in problem({"kinetic_model": {"n_exponentials": 7}})
    assert "trxs.svd.level" in problem({"svd": {"level": 0.2}})
    assert problem({"observations": {"../x": {"path": "a"}}})  # a name must be a file-name wildcard
    assert problem({"observations": {"x": {"path": "a", "variables": {"signal": "I"}}}})
