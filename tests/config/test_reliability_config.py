"""Issue 7: a bad config is rejected before any job starts, in one line that names the key,
the value and what is allowed; no traceback reaches the user.

Library-level cases cover every category of the issue for both branches (TRXS and plasma);
a few go through the Snakemake command line to check that no job starts and no traceback is
printed.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_snakemake

from kineticflow.branches import config_checks
from kineticflow.config import ConfigError, check_schema, fill_defaults, load_schema, validate_config

SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"

#: Words that say what is allowed instead.
ALLOWED = re.compile(
    r"allowed|must be|must satisfy|must cover|expected|choose one of|needs at least|does not match|not known|"
    r"not readable|each kappa may appear once"
)


def default_config() -> dict:
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    fill_defaults(cfg, load_schema(SCHEMA))
    return cfg


_DEFAULT = default_config()


def changed(path: str, value) -> dict:
    """The default config with one value set; ``path`` is dotted, list items as [i]."""
    cfg = copy.deepcopy(_DEFAULT)
    keys = [int(k) if k.isdigit() else k for k in re.findall(r"[^.\[\]]+", path)]
    node = cfg
    for k in keys[:-1]:
        node = node[k]
    node[keys[-1]] = value
    return cfg


def rejection(cfg: dict, workdir: Path = ROOT) -> str:
    with pytest.raises(ConfigError) as err:
        check_schema(cfg, load_schema(SCHEMA))
        validate_config(cfg, SCHEMA, config_checks(workdir))
    return str(err.value)


def shown(value) -> list[str]:
    """Ways a value may be written in the message."""
    return [repr(value), str(value), f"{value:g}" if isinstance(value, float) else str(value)]


# (dotted key set, value, the key the message must name, the value it must show)
TRXS = [
    # wrong types
    ("trxs.grid.q_step", "fine", "trxs.grid.q_step", "fine"),
    ("trxs.jitter.n_shots", 12.5, "trxs.jitter.n_shots", 12.5),
    ("trxs.jitter.fractions", 0.2, "trxs.jitter.fractions", 0.2),
    ("trxs.weighting.enabled", "yes", "trxs.weighting.enabled", "yes"),
    ("trxs", [], "trxs", []),
    # unknown keys
    ("trxs.grid.q_maximum", 7.0, "trxs.grid.q_maximum", 7.0),
    ("trxs.pulse.fwhm", [100], "trxs.pulse.fwhm", [100]),
    ("trxss", {"grid": {}}, "trxss", {"grid": {}}),
    # negative or zero widths / steps
    ("trxs.pulse.fwhm_ps", [100, 0], "trxs.pulse.fwhm_ps[1]", 0),
    ("trxs.pulse.fwhm_ps", [-50], "trxs.pulse.fwhm_ps[0]", -50),
    ("trxs.grid.r_step", 0.0, "trxs.grid.r_step", 0.0),
    ("trxs.grid.q_step", -0.01, "trxs.grid.q_step", -0.01),
    ("trxs.delays.tau_step_ps", 0, "trxs.delays.tau_step_ps", 0),
    # q_min >= q_max and other inverted ranges
    ("trxs.grid.q_min", 8.0, "trxs.grid.q_min", 8.0),
    ("trxs.grid.q_min", 7.0, "trxs.grid.q_min", 7.0),
    ("trxs.grid.t_min_ps", 20000.0, "trxs.grid.t_min_ps", 20000.0),
    ("trxs.inversion.q_min", 7.0, "trxs.inversion.q_min", 7.0),
    # grids too coarse
    ("trxs.grid.t_step_ps", 15.0, "trxs.grid.t_step_ps", 15.0),
    ("trxs.grid.q_step", 3.0, "trxs.grid.q_step", 3.0),
    # jitter < 0, seeds, counts
    ("trxs.jitter.fractions", [0.2, -0.1], "trxs.jitter.fractions[1]", -0.1),
    ("trxs.jitter.n_shots", 0, "trxs.jitter.n_shots", 0),
    ("trxs.jitter.seed", "abc", "trxs.jitter.seed", "abc"),
    # empty lists
    ("trxs.pulse.fwhm_ps", [], "trxs.pulse.fwhm_ps", []),
    ("trxs.jitter.fractions", [], "trxs.jitter.fractions", []),
    ("trxs.report.times_ps", [], "trxs.report.times_ps", []),
    # choices
    ("trxs.pulse.shape", "square", "trxs.pulse.shape", "square"),
    # NaN (YAML .nan) slips through JSON Schema range checks; a seed too big for the files
    ("trxs.pulse.fwhm_ps", [100, float("nan")], "trxs.pulse.fwhm_ps[1]", "nan"),
    ("trxs.inversion.damping_a2", float("nan"), "trxs.inversion.damping_a2", "nan"),
    ("trxs.jitter.seed", 2**70, "trxs.jitter.seed", 2**70),
]

PLASMA = [
    # Gamma <= 0
    ("plasma.runs[0].gammas", [0.1, 0], "plasma.runs[0].gammas[1]", 0),
    ("plasma.runs[1].gammas", [-2.0], "plasma.runs[1].gammas[0]", -2.0),
    # Gamma above Gamma_m(kappa): 175 at kappa = 0 (Table I), ~440 at kappa = 2
    ("plasma.runs[0].gammas", [10, 200], "plasma.runs[0].gammas", 200),
    ("plasma.runs[1].gammas", [1, 1000], "plasma.runs[1].gammas", 1000),
    # kappa < 0 and wrong types
    ("plasma.runs[0].kappa", -0.5, "plasma.runs[0].kappa", -0.5),
    ("plasma.runs[0].kappa", "zero", "plasma.runs[0].kappa", "zero"),
    ("plasma.runs[0].gammas", 10, "plasma.runs[0].gammas", 10),
    # empty lists
    ("plasma.runs[0].gammas", [], "plasma.runs[0].gammas", []),
    ("plasma.runs", [], "plasma.runs", []),
    ("plasma.seeds", [], "plasma.seeds", []),
    # unknown key, zero or negative MD parameters
    ("plasma.runs[0].gamma", [1.0], "plasma.runs[0].gamma", [1.0]),
    ("plasma.md.dt_wp", 0, "plasma.md.dt_wp", 0),
    ("plasma.md.n_particles", -100, "plasma.md.n_particles", -100),
    ("plasma.md.max_energy_drift", -1.0, "plasma.md.max_energy_drift", -1.0),
    ("plasma.runs[0].kappa", float("nan"), "plasma.runs[0].kappa", "nan"),
    ("plasma.runs[0].gammas", [1.0, float("nan")], "plasma.runs[0].gammas[1]", "nan"),
]

CASES = [pytest.param(*c, id=f"{c[0]}={c[1]!r}") for c in TRXS] + [
    pytest.param(*c, id=f"{c[0]}={c[1]!r}") for c in PLASMA
]


def test_there_are_at_least_25_cases():
    assert len(TRXS) + len(PLASMA) >= 25 and len(TRXS) >= 25


@pytest.mark.parametrize("path,value,key,value_shown", CASES)
def test_bad_value_is_one_line_naming_key_value_and_allowed(path, value, key, value_shown):
    message = rejection(changed(path, value))
    assert "\n" not in message
    assert f"'{key}'" in message or f"{key}" in message, message
    assert any(s in message for s in shown(value_shown)), f"value {value_shown!r} not in: {message}"
    assert ALLOWED.search(message), f"no allowed range in: {message}"


def test_duplicate_kappa_is_rejected():
    cfg = changed("plasma.runs[1].kappa", _DEFAULT["plasma"]["runs"][0]["kappa"])
    message = rejection(cfg)
    assert "plasma.runs" in message and "kappa" in message


@pytest.mark.parametrize(
    "content",
    [None, "", "time_ps,intensity\n0,1\n1,x\n", "just one column\n1\n2\n", b"\x89PNG\r\n\x1a\n\x00\x00"],
    ids=["missing", "empty", "not-numeric", "one-column", "binary"],
)
def test_unreadable_pulse_profile_is_rejected_naming_the_file(tmp_path, content):
    f = tmp_path / "profile.csv"
    if isinstance(content, bytes):
        f.write_bytes(content)
    elif content is not None:
        f.write_text(content)
    cfg = changed("trxs.pulse.shape", "measured")
    cfg["trxs"]["pulse"]["profile_file"] = str(f)
    message = rejection(cfg)
    assert message.startswith("config key 'trxs.pulse.profile_file'") and str(f) in message
    assert "\n" not in message


# --- through Snakemake: rejected before any job starts, no traceback -------------------

CLI = [
    pytest.param({"trxs": {"jitter": {"fractions": [0.2, -0.3]}}}, "trxs.jitter.fractions[1]", "-0.3", id="jitter<0"),
    pytest.param({"trxs": {"grid": {"t_step_ps": 50.0}}}, "trxs.grid.t_step_ps", "50", id="grid-too-coarse"),
    pytest.param(
        {"trxs": {"pulse": {"shape": "measured", "profile_file": "no/such/profile.csv"}}},
        "trxs.pulse.profile_file",
        "no/such/profile.csv",
        id="unreadable-profile",
    ),
    pytest.param({"trxs": {"jiter": {"seed": 3}}}, "trxs.jiter", "{'seed': 3}", id="unknown-key"),
    pytest.param(
        {"plasma": {"runs": [{"kappa": 0, "gammas": [1, 500]}]}},
        "plasma.runs[0].gammas",
        "500",
        id="gamma-above-melting",
    ),
    pytest.param({"plasma": {"runs": [{"kappa": -1, "gammas": [1]}]}}, "plasma.runs[0].kappa", "-1", id="kappa<0"),
    pytest.param(
        {"plasma": {"runs": [{"kappa": 0, "gammas": []}]}}, "plasma.runs[0].gammas", "[]", id="empty-gamma-list"
    ),
    pytest.param(
        {"plasma": {"runs": [{"kappa": float("nan"), "gammas": [1]}]}}, "plasma.runs[0].kappa", "nan", id="kappa-nan"
    ),
]


@pytest.mark.workflow
@pytest.mark.parametrize("override,key,value", CLI)
def test_snakemake_stops_before_any_job_with_one_line(tmp_path, override, key, value):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(override))
    from conftest import TEST_CONFIG

    proc = run_snakemake(tmp_path, "--configfile", str(TEST_CONFIG), str(bad), check=False)
    assert proc.returncode != 0
    everything = proc.stdout + proc.stderr
    assert "Traceback" not in everything
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("kineticflow: invalid config:")]
    assert len(lines) == 1, proc.stderr[-3000:]
    assert key in lines[0] and value in lines[0] and ALLOWED.search(lines[0]), lines[0]
    assert not (tmp_path / "results").exists()
    assert "Building DAG" not in everything and "Job stats" not in everything  # stopped while parsing
