"""The plasma contract: one function in kineticflow.plasma.steps per rule of plasma.smk, named as the rule,
and one thin script per rule calling it."""

from __future__ import annotations

import inspect
import re

import numpy as np
import pytest
import xarray as xr
from conftest import ROOT

from kineticflow.plasma import steps
from kineticflow.plasma.config import GreenKuboSettings

RULES = re.findall(r"^rule (\w+):", (ROOT / "workflow" / "rules" / "plasma.smk").read_text(), flags=re.M)


def test_one_step_per_rule_named_as_the_rule():
    functions = {n for n, f in inspect.getmembers(steps, inspect.isfunction) if f.__module__ == steps.__name__}
    assert len(RULES) == 20  # 15 of our MD path (corresponding_states included), 5 of plasma.observations
    assert functions == set(RULES)


@pytest.mark.parametrize("rule", RULES)
def test_each_script_calls_its_step_and_reads_no_config(rule):
    text = (ROOT / "workflow" / "scripts" / "plasma" / f"{rule}.py").read_text()
    assert f"steps.{rule}(" in text
    assert "snakemake.config" not in text


def _run(kappa: float, gamma: float, seed: int, tau: float) -> xr.Dataset:
    """A synthetic MD result: exponential VACF C(t) = 3 k_BT e^{-t/tau} (D* = k_BT tau), ballistic-diffusive MSD."""
    lag = np.linspace(0.0, 20 * tau, 801)
    kt = 1.0 / gamma
    c = 3 * kt * np.exp(-lag / tau)
    m = 6 * kt * tau * (lag - tau * (1 - np.exp(-lag / tau)))
    noise = np.array([0.99, 1.01, 0.995, 1.005])[:, None]
    return xr.Dataset(
        {"vacf": ("lag", c), "vacf_block": (("block", "lag"), noise * c), "msd": ("lag", m),
         "gamma_measured": gamma, "energy_drift": 0.001},
        coords={"lag": lag},
        attrs={"kappa": kappa, "gamma": gamma, "seed": seed},
    )  # fmt: skip


def test_green_kubo_step_combines_seeds_with_the_settings():
    runs = [_run(0.0, 2.0, s, 0.8) for s in (1, 2)] + [_run(0.0, 10.0, 1, 0.3)]
    ds = steps.green_kubo(runs, GreenKuboSettings(tail_correction=True, msd_fit_from=0.5, max_msd_mismatch=0.1))
    assert float(ds["d_star"].sel(kappa=0.0, gamma=2.0)) == pytest.approx(0.5 * 0.8, rel=1e-3)
    assert float(ds["d_star"].sel(kappa=0.0, gamma=10.0)) == pytest.approx(0.1 * 0.3, rel=1e-3)
    assert int(ds["n_seeds"].sel(kappa=0.0, gamma=2.0)) == 2
    assert ds["d_star"].attrs["units"] == "a^2 omega_p" and ds["d_star_stderr"].attrs["units"] == "a^2 omega_p"
    assert float(ds["msd_mismatch"].sel(kappa=0.0, gamma=2.0)) == 0.0
