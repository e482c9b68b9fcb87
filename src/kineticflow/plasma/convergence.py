"""Convergence study of the Yukawa OCP D* (issue 26): one state point set under varied MD settings.

``config/plasma-convergence.yaml`` names κ, the Γ, and variations (``md`` overrides of the
default κ's MD settings: particle number, time step, cut-off, potential shift, run length, seeds).
Every run goes through :func:`kineticflow.plasma.ocp.md.simulate_md` and the Green–Kubo D* of
:func:`kineticflow.plasma.ocp.diffusion.d_star_from_md` (the same code as the default run); the
table gives D* ± stderr, its ratio to Table I's model (Eq. 4 with Table I's A, B), and the NVE
energy drift per 1000/ω_p. Run (one LAMMPS job at a time, ``threads`` MPI ranks)::

    python -m kineticflow.plasma.convergence config/plasma-convergence.yaml results/plasma-convergence

Outputs: ``runs.csv`` (one row per run), ``convergence.csv`` and ``convergence.md`` (per variation
and Γ; the table of docs/plasma.md). Runs already on disk (``<out>/<variation>/gamma-<Γ>_seed-<s>.nc``) are reused.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
import yaml

from kineticflow.core.targets import fmt
from kineticflow.plasma.ocp.config import kappa_md, md_physics
from kineticflow.plasma.ocp.diffusion import d_star_from_md
from kineticflow.plasma.ocp.reference import estimate_d_star

SCHEMA = Path(__file__).resolve().parents[3] / "workflow" / "schemas" / "plasma.schema.yaml"


def base_md(config_file: str | Path, kappa: float) -> dict[str, Any]:
    """MD settings of κ in a workflow config, schema defaults filled in (without scheduling keys)."""
    plasma = yaml.safe_load(Path(config_file).read_text())["plasma"]
    props = yaml.safe_load(SCHEMA.read_text())["properties"]["md"]["properties"]
    defaults = {k: v["default"] for k, v in props.items() if "default" in v}
    return md_physics(kappa_md({**plasma, "md": {**defaults, **plasma.get("md", {})}}, kappa))


def run_point(path: Path, kappa: float, gamma: float, seed: int, md: Mapping[str, Any], threads: int) -> xr.Dataset:
    """One MD run (reused from ``path`` if there), as :func:`~kineticflow.plasma.ocp.md.simulate_md` returns it."""
    if path.exists():
        return xr.load_dataset(path)
    from kineticflow.plasma.ocp.md import simulate_md  # noqa: PLC0415

    ds = simulate_md(kappa, gamma, seed, md, threads=threads, workdir=path.parent)
    ds.attrs.pop("lammps_log", None)
    path.parent.mkdir(parents=True, exist_ok=True)
    ds.to_netcdf(path)
    return ds


def table_row(name: str, ds: xr.Dataset, kappa: float, gamma: float) -> dict[str, Any]:
    """D*, its error, the ratio to Table I's model and the drift per 1000/ω_p of one run."""
    r = d_star_from_md(ds)
    model = estimate_d_star(float(ds["gamma_measured"]), kappa)  # at the measured Γ, as the fits
    prod = float(ds.attrs["production_wp"])
    return {
        "variation": name,
        "kappa": kappa,
        "gamma": gamma,
        "seed": int(ds.attrs["seed"]),
        "n_particles": int(ds.attrs["n_particles"]),
        "dt_wp": float(ds.attrs["dt_wp"]),
        "production_wp": prod,
        "gamma_measured": float(ds["gamma_measured"]),
        "d_star": r["d_star"],
        "d_star_stderr": r["d_star_stderr"],
        "d_star_msd": r["d_star_msd"],
        "d_star_table1": model,
        "ratio_table1": r["d_star"] / model,
        "energy_drift_per_1000_wp": float(ds["energy_drift"]) * 1000.0 / prod,
    }


def run_study(study: Mapping[str, Any], out: Path) -> pd.DataFrame:
    """Every (variation, Γ, seed) of a study; one row each (see :func:`table_row`)."""
    kappa = float(study["kappa"])
    md0 = {**base_md(study["base_config"], kappa), **(study.get("md") or {})}
    rows = []
    for var in study["variations"]:
        md = {**md0, **(var.get("md") or {})}
        for gamma in var.get("gammas", study["gammas"]):
            for seed in var.get("seeds", study["seeds"]):
                path = out / var["name"] / f"gamma-{fmt(gamma)}_seed-{seed}.nc"
                ds = run_point(path, kappa, float(gamma), int(seed), md, int(study.get("threads", 2)))
                rows.append(table_row(var["name"], ds, kappa, float(gamma)))
                print(pd.DataFrame(rows[-1:]).to_string(index=False), flush=True)
    return pd.DataFrame(rows)


def summarize(runs: pd.DataFrame) -> pd.DataFrame:
    """Per (variation, Γ): D* and MD / Table I averaged over seeds, the error (over seeds if ≥ 3, else the run's), drift."""

    def one(g: pd.DataFrame) -> pd.Series:
        n = len(g)
        err = g["d_star"].std(ddof=1) / np.sqrt(n) if n >= 3 else np.sqrt((g["d_star_stderr"] ** 2).sum()) / n
        d = g["d_star"].mean()
        ratio = g["ratio_table1"].mean()  # each run against the model at its own measured Γ
        return pd.Series({
            "n_seeds": n, "n_particles": g["n_particles"].iloc[0], "dt_wp": g["dt_wp"].iloc[0],
            "production_wp": g["production_wp"].iloc[0], "gamma_measured": g["gamma_measured"].mean(),
            "d_star": d, "d_star_stderr": err, "d_star_table1": g["d_star_table1"].mean(),
            "ratio_table1": ratio, "ratio_table1_stderr": ratio * err / d,
            "energy_drift_per_1000_wp": g["energy_drift_per_1000_wp"].abs().max(),
        })  # fmt: skip

    order = {name: i for i, name in enumerate(dict.fromkeys(runs["variation"]))}
    out = runs.groupby(["variation", "kappa", "gamma"], sort=False).apply(one, include_groups=False).reset_index()
    return out.sort_values(["gamma", "variation"], key=lambda c: c.map(order) if c.name == "variation" else c)


def markdown_table(summary: pd.DataFrame) -> str:
    """The summary as the markdown table of docs/plasma.md (D* in 10⁻³ a² ω_p)."""
    lines = [
        "| Γ | variation | N | ω_p dt | NVE (1/ω_p) | seeds | Γ measured | D* (10⁻³) | MD / Table I | drift (k_BT per 1000/ω_p) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in summary.itertuples():
        lines.append(
            f"| {r.gamma:g} | {r.variation} | {r.n_particles:g} | {r.dt_wp:g} | {r.production_wp:g} | {r.n_seeds:g} "
            f"| {r.gamma_measured:.0f} | {1e3 * r.d_star:.3f} ± {1e3 * r.d_star_stderr:.3f} "
            f"| {r.ratio_table1:.3f} ± {r.ratio_table1_stderr:.3f} | {r.energy_drift_per_1000_wp:.1e} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> None:
    """``python -m kineticflow.plasma.convergence STUDY.yaml OUT``: runs, ``runs.csv`` and ``convergence.csv``."""
    study = yaml.safe_load(Path(argv[0]).read_text())["plasma_convergence"]
    out = Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    runs = run_study(study, out)
    runs.to_csv(out / "runs.csv", index=False, float_format="%.6g")
    summary = summarize(runs)
    summary.to_csv(out / "convergence.csv", index=False, float_format="%.6g")
    (out / "convergence.md").write_text(markdown_table(summary))


if __name__ == "__main__":
    main(sys.argv[1:])
