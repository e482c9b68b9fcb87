"""Bad config is rejected before any job runs, with one line naming the key, value and range."""

from __future__ import annotations

import pytest
import yaml
from conftest import ROOT, run_snakemake

from kineticflow.branches import config_checks
from kineticflow.config import ConfigError, check_schema, fill_defaults, load_schema, validate_config

SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"


def default_config():
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    fill_defaults(cfg, load_schema(SCHEMA))
    return cfg


def with_change(path: str, value):
    cfg = default_config()
    node = cfg
    keys = path.split(".")
    for k in keys[:-1]:
        node = node[k]
    node[keys[-1]] = value
    return cfg


def test_default_config_is_valid():
    validate_config(default_config(), SCHEMA, config_checks(ROOT))


def test_schema_defaults_fill_an_empty_config():
    cfg = {}
    fill_defaults(cfg, load_schema(SCHEMA))
    assert cfg["trxs"]["grid"]["q_max"] == 7.0
    assert cfg["trxs"]["pulse"]["fwhm_ps"] == [100, 1000]
    validate_config(cfg, SCHEMA, config_checks(ROOT))


BAD_TRXS = [
    ("trxs.grid.r_step", "abc", "trxs.grid.r_step"),
    ("trxs.grid.q_min", 7.5, "trxs.grid.q_min"),
    ("trxs.grid.q_min", 7.0, "trxs.grid.q_min"),
    ("trxs.grid.q_min", -1.0, "trxs.grid.q_min"),
    ("trxs.grid.r_min", 11.0, "trxs.grid.r_min"),
    ("trxs.grid.t_step_ps", 20.0, "trxs.grid.t_step_ps"),
    ("trxs.grid.t_step_ps", 0, "trxs.grid.t_step_ps"),
    ("trxs.grid.t_min_ps", -100.0, "trxs.grid.t_min_ps"),
    ("trxs.pulse.fwhm_ps", [-100], "trxs.pulse.fwhm_ps[0]"),
    ("trxs.pulse.fwhm_ps", [0], "trxs.pulse.fwhm_ps[0]"),
    ("trxs.pulse.fwhm_ps", [], "trxs.pulse.fwhm_ps"),
    ("trxs.pulse.fwhm_ps", "100", "trxs.pulse.fwhm_ps"),
    ("trxs.pulse.shape", "lorentzian", "trxs.pulse.shape"),
    ("trxs.jitter.fractions", [-0.2], "trxs.jitter.fractions[0]"),
    ("trxs.jitter.fractions", [], "trxs.jitter.fractions"),
    ("trxs.jitter.n_shots", 2.5, "trxs.jitter.n_shots"),
    ("trxs.jitter.seed", -1, "trxs.jitter.seed"),
    ("trxs.model.tau_r_ps", 0, "trxs.model.tau_r_ps"),
    ("trxs.model.a_x", -10, "trxs.model.a_x"),
    ("trxs.model.n0", 1.5, "trxs.model.n0"),
    ("trxs.delays.tau_min_ps", 6000.0, "trxs.delays.tau_min_ps"),
    ("trxs.inversion.modification", "sharpen", "trxs.inversion.modification"),
    ("trxs.inversion.damping_a2", -0.1, "trxs.inversion.damping_a2"),
    ("trxs.inversion.q_max", 9.0, "trxs.inversion.q_"),
    ("trxs.weighting.element", "Xx1", "trxs.weighting.element"),
    ("trxs.gridd", {}, "trxs.gridd"),
    ("trxs.grid.t_step_ps", 1e-3, "trxs.grid.*_step"),
    ("trxs.measurement.jitter_fractions", [0.3], "trxs.measurement.jitter_fractions"),
    ("trxs.measurement.delays_ps", [-50, 10, 100, 1000, 9900], "trxs.measurement.delays_ps"),
    ("trxs.measurement.snr", [0], "trxs.measurement.snr[0]"),
    ("trxs.deconvolution.lambda_min_rel", 20.0, "trxs.deconvolution.lambda_m"),
]


@pytest.mark.parametrize("path,value,key", BAD_TRXS, ids=[f"{p}={v!r}" for p, v, _ in BAD_TRXS])
def test_bad_value_is_rejected_naming_the_key(path, value, key):
    cfg = with_change(path, value)
    with pytest.raises(ConfigError) as err:
        check_schema(cfg, load_schema(SCHEMA))
        validate_config(cfg, SCHEMA, config_checks(ROOT))
    message = str(err.value)
    assert key in message
    assert "\n" not in message


def test_unreadable_pulse_profile_is_rejected(tmp_path):
    bad = tmp_path / "profile.csv"
    bad.write_text("time,intensity\n1,2,3\n")
    cfg = with_change("trxs.pulse.shape", "measured")
    cfg["trxs"]["pulse"]["profile_file"] = str(bad)
    with pytest.raises(ConfigError, match="trxs.pulse.profile_file"):
        validate_config(cfg, SCHEMA, config_checks(ROOT))
    cfg["trxs"]["pulse"]["profile_file"] = str(tmp_path / "missing.csv")
    with pytest.raises(ConfigError, match="trxs.pulse.profile_file"):
        validate_config(cfg, SCHEMA, config_checks(ROOT))


@pytest.mark.parametrize(
    "override,key",
    [
        ({"trxs": {"grid": {"r_step": "fine"}}}, "trxs.grid.r_step"),
        ({"trxs": {"pulse": {"fwhm_ps": [-100, 1000]}}}, "trxs.pulse.fwhm_ps[0]"),
        ({"trxs": {"grid": {"q_min": 7.0, "q_max": 7.0}}}, "trxs.grid.q_min"),
    ],
)
def test_snakemake_rejects_bad_config_before_any_job(tmp_path, override, key):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(override))
    proc = run_snakemake(tmp_path, "--configfile", str(bad), check=False)
    assert proc.returncode != 0
    assert key in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not (tmp_path / "results").exists()


def _merged(*files):
    def update(a, b):
        for k, v in b.items():
            if isinstance(v, dict) and isinstance(a.get(k), dict):
                update(a[k], v)
            else:
                a[k] = v

    cfg: dict = {}
    for f in files:
        update(cfg, yaml.safe_load(f.read_text()) or {})
    return cfg


@pytest.mark.parametrize(
    "extra",
    # plasma-convergence.yaml is the input of `python -m kineticflow.plasma.convergence`, not a workflow config
    [p for p in sorted((ROOT / "config").glob("*.yaml")) if p.name != "plasma-convergence.yaml"]
    + sorted((ROOT / "config" / "examples").glob("*.yaml")),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_every_shipped_config_is_valid_over_the_defaults(extra, monkeypatch):
    """Each shipped config (and each own-data example) passes the schema and the cross-key checks
    over config/config.yaml, as `--configfile config/config.yaml <file>` reads it."""
    monkeypatch.chdir(ROOT)
    cfg = _merged(ROOT / "config" / "config.yaml", extra)
    fill_defaults(cfg, load_schema(SCHEMA))
    validate_config(cfg, SCHEMA, config_checks(ROOT))
