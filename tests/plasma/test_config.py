"""The plasma config section: schema defaults and the cross-key checks."""

from __future__ import annotations

import copy

import pytest
import yaml
from conftest import ROOT

from kineticflow.config import ConfigError, check_schema, fill_defaults, load_schema
from kineticflow.plasma.config import check, check_plasma, kappa_md

SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"


def default_plasma():

    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    fill_defaults(cfg, load_schema(SCHEMA))
    return cfg


def test_default_and_paper_configs_are_valid():
    cfg = default_plasma()
    check_schema(cfg, load_schema(SCHEMA))
    check_plasma(cfg["plasma"])
    paper = yaml.safe_load((ROOT / "config" / "paper.yaml").read_text())["plasma"]
    merged = copy.deepcopy(cfg)
    merged["plasma"].update({k: v for k, v in paper.items() if k != "md"})
    merged["plasma"]["md"].update(paper["md"])
    check_schema(merged, load_schema(SCHEMA))
    check_plasma(merged["plasma"])
    # the default grid meets the issue: >= 3 points at Γ <= 2 and at 50 <= Γ <= 175 for κ = 0
    g0 = next(r["gammas"] for r in cfg["plasma"]["runs"] if r["kappa"] == 0)
    assert sum(g <= 2 for g in g0) >= 3 and sum(50 <= g <= 175 for g in g0) >= 3


def test_gamma_above_melting_is_rejected():
    p = default_plasma()["plasma"]
    p["runs"] = [{"kappa": 0, "gammas": [1, 200]}]
    with pytest.raises(ConfigError, match=r"plasma.runs\[0\].gammas.*200.*175"):
        check_plasma(p)


def test_duplicate_kappa_and_short_yukawa_cutoff_are_rejected():
    p = default_plasma()["plasma"]
    p["runs"] = [{"kappa": 0, "gammas": [1]}, {"kappa": 0, "gammas": [2]}]
    with pytest.raises(ConfigError, match="kappa"):
        check_plasma(p)
    p["runs"] = [{"kappa": 0.5, "gammas": [1]}]
    p["md"]["cutoff"] = 4.0
    with pytest.raises(ConfigError, match=r"'plasma.md.cutoff' = 4.0 .* cutoff >= 10"):
        check_plasma(p)
    # a κ entry's own cut-off is named as such (the global one is long enough)
    p["md"]["cutoff"] = 12.0
    p["runs"] = [{"kappa": 1, "gammas": [1]}, {"kappa": 0.5, "gammas": [1], "md": {"cutoff": 6.0}}]
    with pytest.raises(ConfigError, match=r"'plasma.runs\[1\].md.cutoff' = 6.0 .*kappa = 0.5"):
        check_plasma(p)


def test_schema_rejects_negative_gamma_and_unknown_key():
    cfg = default_plasma()
    bad = copy.deepcopy(cfg)
    bad["plasma"]["runs"][0]["gammas"] = [-1.0]
    with pytest.raises(ConfigError, match="gammas"):
        check_schema(bad, load_schema(SCHEMA))
    bad = copy.deepcopy(cfg)
    bad["plasma"]["md"]["n_atoms"] = 10
    with pytest.raises(ConfigError, match="n_atoms"):
        check_schema(bad, load_schema(SCHEMA))


def test_kappa_entry_overrides_md_for_its_runs_only():
    plasma = fill_defaults(
        {
            "plasma": {
                "runs": [
                    {"kappa": 0, "gammas": [1]},
                    {"kappa": 4, "gammas": [1000], "md": {"equilibrate_diffusion_times": 12.0}},
                ]
            }
        },
        load_schema(SCHEMA),
    )["plasma"]
    assert kappa_md(plasma, 4)["equilibrate_diffusion_times"] == 12.0
    assert kappa_md(plasma, 0)["equilibrate_diffusion_times"] == 6.0  # the plasma.md default
    assert kappa_md(plasma, 4)["dt_wp"] == plasma["md"]["dt_wp"]  # everything else inherited
    with pytest.raises(KeyError, match="kappa = 2"):
        kappa_md(plasma, 2)


def test_kappa_3_melts_at_hamaguchis_gamma():
    # Hamaguchi, Farouki & Dubin (PRE 56, 4671 (1997)): Gamma_m(kappa a = 3) = 1185; the old
    # log-interpolation between kappa a = 2 and 4 let supercooled states up to 1299 pass
    p = default_plasma()["plasma"]
    p["runs"] = [{"kappa": 3, "gammas": [1, 1185]}]
    check_plasma(p)
    p["runs"] = [{"kappa": 3, "gammas": [1, 1250]}]
    with pytest.raises(ConfigError, match=r"plasma.runs\[0\].gammas' = 1250 .*gamma <= 1185"):
        check_plasma(p)


def test_mixtures_live_inside_the_plasma_section():
    cfg = default_plasma()
    assert "mixtures" not in cfg and cfg["plasma"]["mixtures"]["enabled"] is False
    assert cfg["plasma"]["mixtures"]["fits"]["cs_gamma_max"] == 2.0  # defaults of the sub-section filled in
    old = copy.deepcopy(cfg)
    old["mixtures"] = {"enabled": True}
    with pytest.raises(ConfigError, match="mixtures"):
        check_schema(old, load_schema(SCHEMA))
    # the branch check reaches the mixtures: a repeated name is named with its full key
    p = copy.deepcopy(cfg["plasma"])
    p["mixtures"]["mixtures"].append(dict(p["mixtures"]["mixtures"][0]))
    with pytest.raises(ConfigError, match=r"plasma\.mixtures\.mixtures\[7\]\.name"):
        check(p, cfg)
