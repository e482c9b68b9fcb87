"""Compare two result trees bitwise: every data variable and coordinate of every netCDF file.

Usage: python benchmarks/compare_results.py BEFORE_DIR AFTER_DIR [--ignore-missing]

Used when code moves (the layout issue): the same config must give the same numbers. Prints one
line per file that differs (or is missing) and exits 1 if any does; attributes are not compared
(they carry versions and paths), values are, with NaNs in the same places counted as equal.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import xarray as xr


def _renamed(before: xr.Dataset, after: xr.Dataset, renames: list[tuple[str, str]]) -> xr.Dataset:
    """``before`` with the dimensions and variables renamed that ``after`` holds only under their new name."""
    mapping: dict[str, str] = {}
    for old, new in renames:
        present = old in before.dims or old in before.variables
        if present and old not in after.dims and old not in after.variables and old not in mapping:
            if new in after.dims or new in after.variables:
                mapping[old] = new
    return before.rename(mapping) if mapping else before


def differences(
    before: xr.Dataset,
    after: xr.Dataset,
    renames: list[tuple[str, str]] | None = None,
    allow_new: bool = False,
) -> list[str]:
    """Names of the variables (data and coordinates) whose values are not bitwise equal.

    ``renames`` maps old dimension or variable names to new ones (a deliberate renaming, e.g.
    ``t`` → ``t_rel`` for the pulse axis, ``scale_factor_error`` → ``scale_factor_stderr``); values
    must still be bitwise equal. ``allow_new``: a variable only in ``after`` (an addition) is no
    difference.
    """
    out = []
    before = _renamed(before, after, renames or [])
    names = set(before.variables) | set(after.variables)
    for name in sorted(names):
        if allow_new and name not in before.variables:
            continue
        if name not in before.variables or name not in after.variables:
            out.append(f"{name}: only in {'after' if name not in before.variables else 'before'}")
            continue
        a, b = before[name], after[name]
        if a.dims != b.dims or a.shape != b.shape:
            out.append(f"{name}: dims {a.dims}{a.shape} vs {b.dims}{b.shape}")
            continue
        va, vb = np.asarray(a.values), np.asarray(b.values)
        if va.dtype.kind in "fc":
            same = np.array_equal(va, vb, equal_nan=True) and va.tobytes() == vb.tobytes()
        else:
            same = np.array_equal(va, vb)
        if not same:
            out.append(f"{name}: values differ")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--ignore-missing", action="store_true", help="skip files present in only one tree")
    ap.add_argument("--rename", default="", help="deliberately renamed dimensions or variables, OLD:NEW,OLD:NEW")
    ap.add_argument("--allow-new", action="store_true", help="variables only in AFTER (additions) are no difference")
    args = ap.parse_args(argv)
    renames = [tuple(pair.split(":", 1)) for pair in args.rename.split(",") if pair]
    files = sorted(
        {p.relative_to(args.before) for p in args.before.rglob("*.nc")}
        | {p.relative_to(args.after) for p in args.after.rglob("*.nc")}
    )
    bad = 0
    for rel in files:
        a, b = args.before / rel, args.after / rel
        if not (a.exists() and b.exists()):
            if not args.ignore_missing:
                print(f"{rel}: missing in {'after' if a.exists() else 'before'}")
                bad += 1
            continue
        with xr.open_dataset(a) as da, xr.open_dataset(b) as db:
            diff = differences(da.load(), db.load(), renames, args.allow_new)
        if diff:
            bad += 1
            print(f"{rel}: " + "; ".join(diff))
    print(f"{len(files)} files compared, {bad} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
