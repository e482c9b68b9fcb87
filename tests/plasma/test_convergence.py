"""The κa = 4 convergence study's table (issue 26): D* per run, seeds combined, ratio to Table I."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from conftest import ROOT

from kineticflow.plasma.convergence import base_md, markdown_table, summarize, table_row
from kineticflow.plasma.ocp.reference import estimate_d_star


def _run(d_star: float, seed: int, gamma: float = 1000.0) -> xr.Dataset:
    # exponential VACF <v(0)^2> e^{-t/tau}: D* = <v^2> tau / 3 (tail beyond the window added back)
    lag = np.linspace(0.0, 60.0, 121)
    v2 = 3.0 / (3.0 * gamma)  # <v^2> = 3 k_B T/m in (a omega_p)^2 with k_B T = 1/Gamma, omega_p^2 = 3
    tau = 3.0 * d_star / v2
    vacf = v2 * np.exp(-lag / tau)
    return xr.Dataset(
        {
            "vacf": ("lag", vacf),
            "vacf_block": (("block", "lag"), np.tile(vacf, (4, 1)) * np.array([[0.98], [0.99], [1.01], [1.02]])),
            "msd": ("lag", 6.0 * d_star * lag),
            "gamma_measured": gamma,
            "energy_drift": 1e-4,
        },
        coords={"lag": lag},
        attrs={"seed": seed, "n_particles": 1000, "dt_wp": 0.05, "production_wp": 300.0},
    )


def test_table_row_gives_d_star_ratio_and_drift_per_1000_wp():
    row = table_row("default", _run(0.004, 1), 4.0, 1000.0)
    assert row["d_star"] == pytest.approx(0.004, rel=2e-3)
    assert row["ratio_table1"] == pytest.approx(0.004 / estimate_d_star(1000.0, 4.0), rel=2e-3)
    assert row["energy_drift_per_1000_wp"] == pytest.approx(1e-4 * 1000.0 / 300.0)


def test_summary_takes_the_error_over_three_seeds():
    runs = pd.DataFrame([table_row("default", _run(d, s), 4.0, 1000.0) for s, d in enumerate((0.0039, 0.0040, 0.0041))])
    runs = pd.concat([runs, pd.DataFrame([table_row("rc-6a", _run(0.0042, 1), 4.0, 1000.0)])], ignore_index=True)
    out = summarize(runs).set_index("variation")
    d = runs["d_star"].iloc[:3]
    assert out.loc["default", "d_star"] == pytest.approx(d.mean())
    assert out.loc["default", "d_star_stderr"] == pytest.approx(d.std(ddof=1) / np.sqrt(3))
    assert out.loc["rc-6a", "d_star_stderr"] == pytest.approx(runs["d_star_stderr"].iloc[3])
    assert markdown_table(summarize(runs)).count("\n") == 4


def test_study_config_varies_the_default_kappa4_settings():
    md = base_md(ROOT / "config" / "config.yaml", 4.0)
    assert md["kappa_cutoff"] == 12.0 and md["equilibrate_diffusion_times"] == 12  # the kappa = 4 entry's override
    assert "threads" not in md
