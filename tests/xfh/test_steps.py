"""The rule functions of kineticflow.xfh.steps on the test config: the branch's acceptance numbers."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
import xarray as xr
import yaml
from conftest import ROOT, TEST_CONFIG

from kineticflow.config import fill_defaults, load_schema
from kineticflow.core.attrs import unregistered
from kineticflow.xfh import steps
from kineticflow.xfh.config import MeasureParams, ReconstructParams, SimulateParams

SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"


def xfh_section(path: Any = TEST_CONFIG, **changes: Any) -> dict[str, Any]:
    cfg = {"xfh": copy.deepcopy(yaml.safe_load(open(path))["xfh"])}
    fill_defaults(cfg, load_schema(SCHEMA))
    return cfg["xfh"]


@pytest.fixture(scope="module")
def chain() -> dict[str, dict[str, xr.Dataset]]:
    """simulate_hologram -> measure_hologram -> reconstruct_hologram -> fit_phases for each crystal."""
    section = xfh_section()
    out = {}
    for name in section["run"]:
        holo = steps.simulate_hologram(SimulateParams.from_config(section, name))
        meas = steps.measure_hologram(holo, MeasureParams.from_config(section))
        rec = steps.reconstruct_hologram(meas, ReconstructParams.from_config(section, name))
        out[name] = {"hologram": holo, "measured": meas, "reconstruction": rec, "phases": steps.fit_phases(rec)}
    return out


@pytest.fixture(scope="module")
def phases(chain: dict[str, dict[str, xr.Dataset]]) -> dict[str, xr.Dataset]:
    return {name: c["phases"] for name, c in chain.items()}


def test_v_positive_re_g_exactly_at_the_bragg_accessible_reflections(phases: dict[str, xr.Dataset]) -> None:
    ph = phases["V"]
    acc = ph["bragg_accessible"].values
    assert ph["miller"].values[acc].tolist() == [[1, 1, 0], [2, 0, 0], [2, 1, 1], [2, 2, 0]]
    assert np.all(ph["re_g"].values[acc] > 0)
    assert np.all(ph["re_g_background_subtracted"].values[acc] > 0)
    assert np.all(ph["sign_recovered"].values[acc] == ph["sign_true"].values[acc])
    assert ph.attrs["energy_kev"] == 6.3
    # beyond 2k (310, 222, ...) no peak: |Re G| below 10 % of the smallest accessible peak
    assert (~acc).sum() >= 1
    assert np.all(np.abs(ph["re_g"].values[~acc]) < 0.1 * ph["re_g"].values[acc].min())


def test_pbse_sign_recovery(phases: dict[str, xr.Dataset]) -> None:
    ph = phases["PbSe"]
    acc = ph["bragg_accessible"].values
    assert acc.sum() >= 50
    assert ph.attrs["sign_fraction_correct"] >= 0.9
    assert ph.attrs["sign_fraction_correct_noise_free"] >= 0.9
    s = ph["s_re"].values[acc]
    odd = np.mod(ph["miller"].values[acc], 2).sum(axis=1) == 3
    assert np.all(s[odd] < 0) and np.all(s[~odd] > 0)


def test_scale_fit_has_the_expected_sign(phases: dict[str, xr.Dataset]) -> None:
    """Re G = c a(h) Re F_h with c < 0 (−8π for ideal sampling; smaller after binning/subtraction)."""
    for ph in phases.values():
        assert -8 * np.pi * 1.2 < ph.attrs["scale"] < 0
        assert ph.attrs["scale_stderr"] < 0.2 * abs(ph.attrs["scale"])


def test_every_variable_is_registered(chain: dict[str, dict[str, xr.Dataset]]) -> None:
    """Units and dimensions of every written variable are in core.attrs (what write_dataset checks)."""
    for name, datasets in chain.items():
        for kind, ds in datasets.items():
            assert unregistered(ds) == [], f"{name}/{kind}"
            for var in ds.data_vars.values():
                assert var.attrs["long_name"]


def test_collect_and_plot(chain: dict[str, dict[str, xr.Dataset]]) -> None:
    table = steps.collect_xfh_phases(c["phases"] for c in chain.values())
    assert (
        table.crystal.tolist()
        == ["V"] * chain["V"]["phases"].sizes["family"] + ["PbSe"] * chain["PbSe"]["phases"].sizes["family"]
    )
    assert (table.sign_recovered == -np.sign(table.re_g_background_subtracted)).all()
    v = chain["V"]
    figures = steps.plot_xfh(v["measured"], v["reconstruction"], v["phases"])
    assert set(figures) == {"hologram", "g_map", "scale", "real_space"}
    for fig in figures.values():
        assert fig.axes
