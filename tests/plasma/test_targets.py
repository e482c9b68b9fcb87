"""The plasma branch's targets, report, wildcard lists, input functions and resources (kineticflow.plasma.targets)."""

from __future__ import annotations

import copy
import re

import numpy as np
import pytest
import xarray as xr
import yaml
from conftest import ROOT

from kineticflow.config import fill_defaults, load_schema
from kineticflow.plasma import targets
from kineticflow.plasma.config import FitSettings, Params
from kineticflow.plasma.ocp.fits import fit_diffusion_models, fits_table
from kineticflow.plasma.ocp.kinetic_theory import WEAK_COUPLING_COLUMNS

SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"


def load(*files: str) -> dict:
    """config/config.yaml with the given files merged over it (as ``--configfile``), defaults filled in."""
    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    for f in files:
        over = yaml.safe_load((ROOT / "config" / f).read_text())
        for key, value in over.items():
            cfg[key] = _merge(cfg.get(key, {}), value) if isinstance(value, dict) else value
    return fill_defaults(cfg, load_schema(SCHEMA))


def _merge(a: dict, b: dict) -> dict:
    out = copy.deepcopy(a)
    for k, v in b.items():
        out[k] = _merge(out.get(k, {}), v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def test_default_run_targets_without_mixtures():
    cfg = load()
    files = targets.targets(cfg)
    assert len(files) == len(set(files))
    assert {"results/plasma/fits.nc", "results/plasma/fits.csv", "results/plasma/d_star.csv"} <= set(files)
    assert [f for f in files if "d_star_kappa-" in f] == [
        f"results/plasma/figures/d_star_kappa-{k}.png" for k in ("0", "1", "2", "4")
    ]
    assert not any("mixtures" in f for f in files)  # opt-in, off by default
    # the 29 MD runs of the default run, named as simulate_md writes them
    runs = targets.md_runs(cfg)
    assert len(runs) == 8 + 6 + 7 + 8
    assert (
        "results/plasma/md/kappa-4_gamma-3000_seed-1.nc" in runs
        and "results/plasma/md/kappa-0_gamma-0.2_seed-1.nc" in runs
    )
    assert all(re.fullmatch(r"results/plasma/md/kappa-[0-9.]+_gamma-[0-9.]+_seed-[0-9]+\.nc", r) for r in runs)


def test_switched_off_branch_has_no_targets():
    cfg = load()
    cfg["plasma"]["enabled"] = False
    cfg["plasma"]["mixtures"]["enabled"] = True
    assert targets.targets(cfg) == [] and not targets.mixtures_enabled(cfg)


def test_mixtures_targets_runs_and_report_tables():
    cfg = load("mixtures.yaml")
    assert targets.mixtures_enabled(cfg)
    files = targets.targets(cfg)
    names = list(targets.mixture_entries(cfg))
    assert len(names) == 7 and "H-He-x0.5" in names
    assert {f"results/plasma/figures/mixtures_{n}.png" for n in names} <= set(files)
    assert {"results/plasma/mixtures/table2.csv", "results/plasma/mixtures/fits.csv"} <= set(files)
    # 7 mixtures x 5 Gamma x 3 seeds; a mixture's own gammas replace the section's
    assert len(targets.mixture_runs(cfg)) == 7 * 5 * 3
    cfg["plasma"]["mixtures"]["mixtures"][0]["gammas"] = [2.0]
    runs = targets.mixture_runs(cfg)
    assert [r for r in runs if "/iso-m2-x0.005_" in r] == [
        f"results/plasma/mixtures/iso-m2-x0.005_gamma-2_seed-{s}.nc" for s in (1, 2, 3)
    ]
    rep = targets.report(cfg)
    assert set(rep.tables) == {*targets.TABLES, "mixtures_table2", "mixtures_impurity", "mixtures_brownian_limit"}
    assert set(rep.inputs) == set(files)


def test_report_tables_and_headlines_match_the_tables_the_steps_write():
    rep = targets.report(load())
    assert rep.category == "Plasma"
    assert set(rep.tables) == {
        "model_parameters",
        "d_star",
        "weak_coupling",
        "collision_frequency",
        "eyring_exponent",
        "corresponding_states",
    }
    titles = [h.title for h in rep.headlines]
    assert titles == [
        "Plasma: fitted vs published model parameters (Table I)",
        "Plasma: weak coupling, MD vs kinetic theory and the paper's model (Gamma <= 1)",
    ]
    # the headline columns exist in the CSVs as the steps write them
    g = np.array([0.5, 1.0, 2.0, 60.0, 100.0, 150.0])
    d = 1.5 / g * np.exp(-0.008 * g)
    ds = xr.Dataset(
        {"d_star": (("kappa", "gamma"), d[None]), "d_star_stderr": (("kappa", "gamma"), 0.02 * d[None])},
        coords={"kappa": [0.0], "gamma": g},
    )
    table = fits_table(fit_diffusion_models(ds, FitSettings()))
    assert set(rep.headlines[0].columns) <= set(table.columns)
    assert set(rep.headlines[1].columns) <= set(WEAK_COUPLING_COLUMNS)
    assert (
        rep.headlines[0].csv == rep.tables["model_parameters"] and rep.headlines[1].csv == rep.tables["weak_coupling"]
    )


def test_params_hold_physics_and_plain_dicts():
    cfg = load()
    params = Params.from_config(cfg["plasma"])
    assert set(params.md) == {0.0, 1.0, 2.0, 4.0}
    assert params.md[4.0]["equilibrate_diffusion_times"] == 12 and params.md[0.0]["equilibrate_diffusion_times"] == 6
    assert not {"threads", "runtime_min"} & set(params.md[0.0]) and not {"threads", "runtime_min"} & set(
        params.mixture_md
    )
    fits = Params.rule_param(params.fits)
    assert fits == {
        "cs_gamma_max": 2.0,
        "eyring_gamma_min": 50.0,
        "min_relative_error": 0.005,
        "use_measured_gamma": True,
    }
    assert FitSettings(**fits) == params.fits  # what the scripts rebuild
    assert targets.md_threads(cfg) == 2 and targets.md_runtime_min(cfg) == 60


def test_memory_follows_the_trajectory_size():
    cfg = load()
    # the default runs (N = 1000, <= ~1000 frames) stay at the floor
    for run in cfg["plasma"]["runs"]:
        for g in run["gammas"]:
            assert targets.md_mem_mb(cfg, str(run["kappa"]), str(g)) == targets.MD_MEM_MB_MIN
    # the paper's grid (N = 5000, 3000/omega_p of 0.5/omega_p frames) needs more
    paper = load("paper.yaml")
    assert targets.md_mem_mb(paper, "0", "100") > targets.MD_MEM_MB_MIN
    big = copy.deepcopy(paper)
    big["plasma"]["md"]["n_particles"] *= 2
    assert targets.md_mem_mb(big, "0", "100") == pytest.approx(2 * targets.md_mem_mb(paper, "0", "100"), rel=0.01)
    # the heaviest trace impurity of config/mixtures.yaml: N = 4000, the longest run
    mix = load("mixtures.yaml")
    assert targets.mixture_mem_mb(mix, "iso-m100-x0.005", "0.5") > targets.mixture_mem_mb(mix, "iso-m2-x0.005", "0.5")
