"""Compare two result trees of the workflow: every netCDF and CSV file must agree.

Usage: python compare.py LOCAL_RESULTS SLURM_RESULTS
netCDF: same data variables, coordinates and dimensions, values equal within 1e-12 (relative).
CSV: same columns, numeric columns equal within 1e-12, other columns identical.
Run-time measurements (results/benchmarks.csv, results/benchmarks/) are not compared.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

RTOL = 1e-12
# run-time measurements, not results: they differ between any two runs
SKIP = ("benchmarks.csv",)


def wanted(path: Path, root: Path) -> bool:
    rel = path.relative_to(root)
    return path.suffix in {".nc", ".csv"} and rel.name not in SKIP and "benchmarks" not in rel.parts[:-1]


def compare_nc(a: Path, b: Path) -> list[str]:
    problems = []
    with xr.open_dataset(a) as da, xr.open_dataset(b) as db:
        if set(da.data_vars) != set(db.data_vars):
            return [f"data variables differ: {sorted(da.data_vars)} vs {sorted(db.data_vars)}"]
        if set(da.coords) != set(db.coords):
            return [f"coordinates differ: {sorted(da.coords)} vs {sorted(db.coords)}"]
        for name in [*da.coords, *da.data_vars]:
            x, y = da[name], db[name]
            if x.dims != y.dims or x.shape != y.shape:
                problems.append(f"{name}: shape {x.dims}{x.shape} vs {y.dims}{y.shape}")
            elif np.issubdtype(x.dtype, np.number):
                if not np.allclose(x.values, y.values, rtol=RTOL, atol=0.0, equal_nan=True):
                    diff = np.nanmax(np.abs(x.values - y.values))
                    problems.append(f"{name}: values differ (max |diff| {diff:.3g})")
            elif not x.equals(y):
                problems.append(f"{name}: values differ")
    return problems


def compare_csv(a: Path, b: Path) -> list[str]:
    ta, tb = pd.read_csv(a), pd.read_csv(b)
    if list(ta.columns) != list(tb.columns) or ta.shape != tb.shape:
        return [f"columns/shape differ: {list(ta.columns)}{ta.shape} vs {list(tb.columns)}{tb.shape}"]
    problems = []
    for col in ta.columns:
        x, y = ta[col], tb[col]
        if pd.api.types.is_numeric_dtype(x) and pd.api.types.is_numeric_dtype(y):
            if not np.allclose(x.to_numpy(float), y.to_numpy(float), rtol=RTOL, atol=0.0, equal_nan=True):
                problems.append(f"column {col}: values differ")
        elif not x.equals(y):
            problems.append(f"column {col}: values differ")
    return problems


def main(local: Path, slurm: Path) -> int:
    files = sorted(p.relative_to(local) for p in local.rglob("*") if wanted(p, local))
    if not files:
        print(f"compare: no .nc/.csv files under {local}")
        return 1
    failed = extras = 0
    for rel in files:
        other = slurm / rel
        if not other.exists():
            print(f"compare: MISSING {rel} in the SLURM run")
            failed += 1
            continue
        problems = (compare_nc if rel.suffix == ".nc" else compare_csv)(local / rel, other)
        for problem in problems:
            print(f"compare: DIFF {rel}: {problem}")
        failed += bool(problems)
    extra = sorted(p.relative_to(slurm) for p in slurm.rglob("*") if wanted(p, slurm))
    for rel in sorted(set(extra) - set(files)):
        print(f"compare: EXTRA {rel} only in the SLURM run")
        extras += 1
    n_nc = sum(f.suffix == ".nc" for f in files)
    print(
        f"compare: {len(files) - failed}/{len(files)} files of the local run equal in the SLURM run "
        f"({n_nc} netCDF, {len(files) - n_nc} CSV; rtol {RTOL:g}); {extras} only in the SLURM run"
    )
    return 1 if failed or extras else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
