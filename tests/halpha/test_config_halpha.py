"""Bad Hα input: one-line ConfigError naming the key (wavelength range, grid bounds, negative rates)."""

from __future__ import annotations

import copy

import pytest
import yaml
from conftest import ROOT

from kineticflow.branches import SECTIONS, config_checks
from kineticflow.config import ConfigError
from kineticflow.halpha.config import Params, check


@pytest.fixture
def section():
    return copy.deepcopy(yaml.safe_load((ROOT / "config" / "config.yaml").read_text())["halpha"])


def _fails(section, key):
    with pytest.raises(ConfigError) as err:
        check(section, {})
    msg = str(err.value)
    assert "\n" not in msg and key in msg, msg
    return msg


def test_default_and_test_configs_pass(section):
    check(section, {})
    test = yaml.safe_load((ROOT / "config" / "test.yaml").read_text())["halpha"]
    merged = copy.deepcopy(section)
    for k, v in test.items():
        merged[k] = {**merged[k], **v} if isinstance(v, dict) and k != "flare" else v
    check(merged, {})
    assert "halpha" in SECTIONS and "halpha" in config_checks()


def test_wavelength_range_outside_computed_profiles(section):
    section["instrument"]["half_range_a"] = 6.0
    msg = _fails(section, "halpha.instrument.half_range_a")
    assert "profile_half_range_a" in msg


@pytest.mark.parametrize(
    ("key", "value", "name"), [("p0_peak", 1e4, "p0_peak"), ("p0_peak", 1.0, "p0_peak"), ("f20_peak", 1e12, "f20_peak")]
)
def test_kernel_outside_the_grid(section, key, value, name):
    section["flare"]["kernels"]["north"][key] = value
    _fails(section, f"halpha.flare.kernels.north.{name}")


@pytest.mark.parametrize("value", [0.0, 1.5])
def test_pressure_fill_fraction_outside_0_1(section, value):
    section["flare"]["kernels"]["strand"]["p0_fill_fraction"] = value
    _fails(section, "halpha.flare.kernels.strand.p0_fill_fraction")


def test_negative_count_rate(section):
    section["flare"]["hxr"]["background"] = -1.0
    _fails(section, "halpha.flare.hxr")
    section["flare"]["hxr"]["background"] = 10.0
    section["flare"]["hxr"]["peaks"] = [100.0, -5.0, 3.0]
    _fails(section, "halpha.flare.hxr")


def test_grid_not_increasing(section):
    section["p0_grid"] = [300.0, 30.0]
    _fails(section, "halpha.p0_grid")


def test_bisector_level_outside_unit_interval(section):
    section["measure"]["bisector_levels"] = [0.5, 1.2]
    _fails(section, "halpha.measure.bisector_levels")


def test_params_are_frozen_and_keep_the_kernel_order(section):
    p = Params.from_config(section)
    assert p.flare.tracked == (("north", 15, 20), ("strand", 32, 30))
    assert p.flare.kernels[0].p0_fill_fraction == 1.0 and p.flare.kernels[1].p0_fill_fraction == 0.1
    assert p.measure.bisector_levels == (0.5, 0.6, 0.7, 0.8, 0.9)
    assert isinstance(p.scan.n_scans, int) and isinstance(p.instrument.continuum_counts, float)
    with pytest.raises(AttributeError):
        p.scan.n_scans = 3  # type: ignore[misc]
    section["flare"]["kernels"] = dict(reversed(list(section["flare"]["kernels"].items())))
    assert Params.from_config(section).flare.tracked[0][0] == "strand"


def test_rule_params_survive_the_dict_form_snakemake_records(section):
    """halpha.smk passes asdict(section) (Snakemake ignores dataclass params when deciding reruns)."""
    import dataclasses

    from kineticflow.halpha.config import Params, from_params

    params = Params.from_config(section)
    for f in dataclasses.fields(params):
        value = getattr(params, f.name)
        plain = dataclasses.asdict(value) if dataclasses.is_dataclass(value) else value
        assert from_params({f.name: plain})[f.name] == value, f.name
    smk = (ROOT / "workflow" / "rules" / "halpha.smk").read_text()
    assert "=HALPHA.flare," not in smk and "=asdict(HALPHA.flare)," in smk
