"""Issue 27 item 6: ``tau_r_ps: 1e2`` is a number.

YAML 1.1 (PyYAML, Snakemake's config reader) reads ``1e2`` as the text '1e2'; the schema's type
check then rejected it with no hint. ``kineticflow.config.coerce_numbers`` turns such text into
the number it spells wherever the schema wants a number, before the schema check.
"""

from __future__ import annotations

import pytest
import yaml
from conftest import ROOT

from kineticflow.branches import config_checks
from kineticflow.config import (
    ConfigError,
    check_schema,
    coerce_numbers,
    config_digest,
    fill_defaults,
    load_schema,
    validate_config,
)

SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"


def validated(text: str) -> dict:
    """The sequence of the Snakefile's validation (workflow/rules/common.smk) on a YAML config."""
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    for section, values in yaml.safe_load(text).items():
        for key, value in values.items():
            if isinstance(value, dict):
                cfg[section].setdefault(key, {}).update(value)
            else:
                cfg[section][key] = value
    schema = load_schema(SCHEMA)
    coerce_numbers(cfg, schema)
    check_schema(cfg, schema)
    fill_defaults(cfg, schema)
    validate_config(cfg, SCHEMA, config_checks(ROOT))
    return cfg


def test_yaml_reads_1e2_as_text():
    """The premise: PyYAML's float needs a dot and a signed exponent; other exponent forms are text."""
    assert yaml.safe_load("x: [1e2, 1.0e2, 1e+2]") == {"x": ["1e2", "1.0e2", "1e+2"]}
    assert yaml.safe_load("x: 1.0e+2") == {"x": 100.0}


def test_tau_r_ps_1e2_is_accepted_as_100():
    cfg = validated("trxs: {model: {tau_r_ps: 1e2, tau_p_ps: 1.5e3, r_y: 3e+0}}")
    assert cfg["trxs"]["model"]["tau_r_ps"] == 100.0 and isinstance(cfg["trxs"]["model"]["tau_r_ps"], float)
    assert cfg["trxs"]["model"]["tau_p_ps"] == 1500.0 and cfg["trxs"]["model"]["r_y"] == 3.0


def test_integer_keys_get_an_int_and_lists_and_alternatives_are_converted():
    cfg = validated("trxs: {jitter: {n_shots: 2e3}, measurement: {snr: [inf, 1e2, 20]}, pulse: {fwhm_ps: [1e2, 1e3]}}")
    assert cfg["trxs"]["jitter"]["n_shots"] == 2000 and isinstance(cfg["trxs"]["jitter"]["n_shots"], int)
    assert cfg["trxs"]["measurement"]["snr"] == ["inf", 100.0, 20]  # 'inf' is a string the schema accepts
    assert cfg["trxs"]["pulse"]["fwhm_ps"] == [100.0, 1000.0]


def test_coerce_numbers_reports_what_it_converted():
    schema = load_schema(SCHEMA)
    cfg = yaml.safe_load(
        "trxs: {model: {tau_r_ps: 1e2}, grid: {q_step: -2E-2}}\nxfh: {crystals: {V: {energy_kev: 6.3e0}}}"
    )
    done = coerce_numbers(cfg, schema)
    assert sorted(done) == ["trxs.grid.q_step", "trxs.model.tau_r_ps", "xfh.crystals.V.energy_kev"]
    assert cfg["trxs"]["grid"]["q_step"] == -0.02 and cfg["xfh"]["crystals"]["V"]["energy_kev"] == 6.3


@pytest.mark.parametrize(
    "text,key",
    [
        ("trxs: {grid: {q_step: fine}}", "trxs.grid.q_step"),  # not a number: still rejected, naming the key
        ("trxs: {jitter: {seed: 2.5e0}}", "trxs.jitter.seed"),  # not an integer
        ("trxs: {model: {tau_r_ps: -1e2}}", "trxs.model.tau_r_ps"),  # a number, out of range
        ("trxs: {weighting: {element: 1e2}}", None),  # a string key stays a string: no conversion
    ],
)
def test_other_text_is_left_for_the_schema_to_judge(text, key):
    if key is None:
        cfg = yaml.safe_load(text)
        assert coerce_numbers(cfg, load_schema(SCHEMA)) == [] and cfg["trxs"]["weighting"]["element"] == "1e2"
        return
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        validated(text)


def test_config_digest_is_content_not_order():
    a = {"trxs": {"model": {"tau_r_ps": 100.0, "k": 1.0}}, "xfh": {"enabled": True}}
    b = {"xfh": {"enabled": True}, "trxs": {"model": {"k": 1.0, "tau_r_ps": 100.0}}}
    assert config_digest(a) == config_digest(b)
    assert config_digest(a) != config_digest({**a, "xfh": {"enabled": False}})
    assert len(config_digest(a)) == 64
