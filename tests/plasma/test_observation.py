"""A user's plasma data: LAMMPS dumps and H5MD velocities → D* by the rule's code; D* tables → the fits."""

from __future__ import annotations

import gzip
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import h5py
import numpy as np
import pandas as pd
import pytest
import xarray as xr
from conftest import ROOT, TINY_MD

from kineticflow.plasma.md import OMEGA_P, read_dump, run_lammps
from kineticflow.plasma.observation import ObservationError, read_lammps_dump, write_lammps_dump
from kineticflow.plasma.observation_diffusion import (
    D_STAR_STDERR,
    d_star_from_velocities,
    example_d_star_table,
    read_d_star_table,
    write_d_star_table,
    write_example_table,
)
from kineticflow.plasma.observation_h5md import read_h5md, write_h5md
from kineticflow.plasma.ocp.config import FitSettings
from kineticflow.plasma.ocp.diffusion import collect_diffusion
from kineticflow.plasma.ocp.fits import d_star_table, fit_diffusion_models, fits_table
from kineticflow.plasma.ocp.md import lammps_input, ocp_schedule, simulate_md
from kineticflow.plasma.ocp.reference import reference_parameters

FITS = FitSettings(cs_gamma_max=2.0, eyring_gamma_min=50.0, min_relative_error=0.005, use_measured_gamma=True)
EXAMPLE_FILE = ROOT / "resources" / "plasma_d_star_example.csv"
#: The test config's MD (tests/conftest.py TINY_MD) at one state point of config/test.yaml.
KAPPA, GAMMA, SEED = 0.0, 2.0, 3


@pytest.fixture(scope="module")
def md_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The rule's run (simulate_md) and the same LAMMPS input with a text dump of the velocities.

    The text dump has its columns in another order (``vz id vx type vy``), rows in LAMMPS's own
    order, every digit (``format float %.17g``); LAMMPS on one rank repeats the run exactly.
    """
    tmp = tmp_path_factory.mktemp("md")
    md = dict(TINY_MD)
    ds = simulate_md(KAPPA, GAMMA, SEED, md, threads=1, workdir=tmp)
    sched = ocp_schedule(GAMMA, KAPPA, md)
    lines = lammps_input(gamma=GAMMA, kappa=KAPPA, seed=SEED, n_particles=md["n_particles"], schedule=sched, md=md)
    lines = lines.rstrip("\n").split("\n")
    extra = [f"dump vtxt all custom {sched.dump_every} vel.txt vz id vx type vy", "dump_modify vtxt format float %.17g"]
    run = tmp / "run"
    run.mkdir()
    run_lammps("\n".join(lines[:-1] + extra + lines[-1:]) + "\n", run, 1)
    return {"ds": ds, "sched": sched, "md": md, "dump": run / "vel.txt", "bin": run / "vel.bin"}


def _d_star(series: Any, run: dict[str, Any]) -> xr.Dataset:
    return d_star_from_velocities(
        series, kappa=KAPPA, gamma=GAMMA, n_lags=run["sched"].n_lags, n_blocks=run["md"]["n_blocks"], seed=SEED
    )


@pytest.mark.md
def test_lammps_dump_gives_the_rules_d_star(md_run: dict[str, Any]) -> None:
    """D* and its block error from the user's dump equal the green_kubo rule's (1e-12)."""
    series = read_lammps_dump(md_run["dump"], timestep=md_run["sched"].dt)
    assert series.velocities.shape == (161, TINY_MD["n_particles"], 3) and series.step_interval == 5
    np.testing.assert_array_equal(series.ids, np.arange(1, 101))
    np.testing.assert_array_equal(series.velocities, read_dump(md_run["bin"], 100) / OMEGA_P)
    rule = collect_diffusion([md_run["ds"]])
    ours = _d_star(series, md_run)
    for name in ("d_star", "d_star_stderr", "tail_fraction"):
        np.testing.assert_allclose(ours[name].values, rule[name].values, rtol=1e-12, err_msg=name)
    assert ours.attrs["reader"] == "lammps_dump" and len(ours.attrs["source_file_sha256"]) == 64
    # the cross-checks come from the velocities: close to the rule's, not equal
    np.testing.assert_allclose(ours["d_star_msd"].values, rule["d_star_msd"].values, rtol=0.1)
    np.testing.assert_allclose(ours["gamma_measured"].values, rule["gamma_measured"].values, rtol=0.01)


@pytest.mark.md
def test_gzip_and_h5md_give_the_same_d_star(md_run: dict[str, Any], tmp_path: Path) -> None:
    """The same velocities gzip-compressed and as H5MD (particles stored in reverse id order)."""
    gz = tmp_path / "vel.txt.gz"
    with open(md_run["dump"], "rb") as src, gzip.open(gz, "wb") as dst:
        shutil.copyfileobj(src, dst)
    ref = _d_star(read_lammps_dump(md_run["dump"], timestep=md_run["sched"].dt), md_run)
    raw = read_dump(md_run["bin"], 100)
    steps = np.arange(raw.shape[0]) * md_run["sched"].dump_every
    h5 = write_h5md(tmp_path / "vel.h5", raw[:, ::-1], steps, md_run["sched"].dt, ids=np.arange(100, 0, -1))
    for series in (read_lammps_dump(gz, timestep=md_run["sched"].dt), read_h5md(h5)):
        np.testing.assert_array_equal(series.ids, np.arange(1, 101))
        out = _d_star(series, md_run)
        for name in ("d_star", "d_star_stderr"):
            np.testing.assert_allclose(out[name].values, ref[name].values, rtol=1e-12, err_msg=name)


def test_dump_positions_and_time_items(tmp_path: Path) -> None:
    """xu yu zu columns feed the MSD; without timestep the frame time comes from ITEM: TIME."""
    rng = np.random.default_rng(0)
    v = rng.standard_normal((40, 20, 3))
    pos = np.cumsum(v, axis=0) * 0.1
    path = write_lammps_dump(tmp_path / "d.txt", v, np.arange(40) * 10, columns=("xu", "vy", "id", "zu", "vx", "yu", "vz"),
                             positions=pos)  # fmt: skip
    text = path.read_text().replace("ITEM: NUMBER", "ITEM: TIME\n{t}\nITEM: NUMBER").split("{t}")
    path.write_text("".join(part + (f"{0.05 * i:.17g}" if i < len(text) - 1 else "") for i, part in enumerate(text)))
    series = read_lammps_dump(path, omega_p=2.0, length_unit=0.5)
    np.testing.assert_allclose(series.lags(3), [0.0, 0.1, 0.2], rtol=1e-12)  # 0.05 per frame × ω_p = 2
    np.testing.assert_allclose(series.velocities, v, rtol=1e-15)  # v / (a ω_p) = v / 1
    np.testing.assert_allclose(series.positions, pos / 0.5, rtol=1e-15)


# --- D* tables ---------------------------------------------------------------------------------------


def _diffusion() -> xr.Dataset:
    """A green_kubo-shaped D*(κ, Γ): the example models with measured Γ, NaN where not simulated."""
    df = example_d_star_table()
    df["gamma_measured"] = df["gamma"] * (1 + 0.003 * np.cos(np.arange(len(df))))
    ds = xr.Dataset.from_dataframe(df.set_index(["kappa", "gamma"]).rename(columns={"d_star_stderr": D_STAR_STDERR}))
    assert np.isnan(ds["d_star"].values).any()  # the (κ, Γ) grid has holes, as the rule's
    return ds


def test_d_star_table_reproduces_the_fits(tmp_path: Path) -> None:
    """Our own D* written as a table and read back: the fits of fit_diffusion_models (1e-12)."""
    diffusion = _diffusion()
    table = read_d_star_table(write_d_star_table(diffusion, tmp_path / "d_star.csv"))
    assert set(table.data_vars) == {"d_star", D_STAR_STDERR, "gamma_measured"}
    ref, ours = (fit_diffusion_models(d, FITS) for d in (diffusion, table))
    for a, b in ((fits_table(ref), fits_table(ours)), (d_star_table(ref), d_star_table(ours))):
        pd.testing.assert_frame_equal(a, b, rtol=1e-12, check_exact=False)
    assert np.isfinite(fits_table(ours)["fitted"]).all()


def test_our_d_star_csv_is_a_valid_table(tmp_path: Path) -> None:
    """results/plasma/d_star.csv (6 digits) read as a user's table gives the fits to 1e-3.

    The rounding to 6 digits moves the Eyring parameters by ~3e-4 (B sits in an exponent).
    """
    ref = fit_diffusion_models(_diffusion(), FITS)
    path = tmp_path / "d_star.csv"
    path.write_text(d_star_table(ref).to_csv(index=False, float_format="%.6g"))
    ours = fit_diffusion_models(read_d_star_table(path), FITS)
    np.testing.assert_allclose(fits_table(ours)["fitted"], fits_table(ref)["fitted"], rtol=1e-3)


def test_example_table_recovers_table_one(tmp_path: Path) -> None:
    """The shipped table: regenerated identically; its fits give Table I within 3 standard errors.

    The errors as the table states them (lmfit's stderr is scaled by √χ²_red, which 2 degrees of
    freedom make small by chance: undone where χ²_red < 1).
    """
    assert write_example_table(tmp_path / "x.csv").read_text() == EXAMPLE_FILE.read_text()
    fits = fits_table(fit_diffusion_models(read_d_star_table(EXAMPLE_FILE), replace(FITS, use_measured_gamma=False)))
    for _, row in fits.iterrows():
        sigma = row["fitted_stderr"] / np.sqrt(min(row["redchi"], 1.0))
        assert abs(row["fitted"] - row["published"]) < 3 * sigma, row.to_dict()
    exact = tmp_path / "exact.csv"
    exact.write_text(example_d_star_table(relative_error=0.0).assign(d_star_stderr=1e-3).to_csv(index=False))
    fits = fits_table(fit_diffusion_models(read_d_star_table(exact), replace(FITS, min_relative_error=0.0)))
    for _, row in fits.iterrows():
        assert row["fitted"] == pytest.approx(reference_parameters(row["kappa"])[row["parameter"]], rel=1e-5)


# --- bad files: one line naming the file and the variable -------------------------------------------


def _dump(tmp_path: Path, columns: tuple[str, ...], steps: Any = (0, 10, 20), n: int = 4) -> Path:
    v = np.arange(len(steps) * n * 3, dtype=float).reshape(len(steps), n, 3) / 7
    return write_lammps_dump(tmp_path / "bad.dump", v, np.asarray(steps), columns=columns, positions=v)


@pytest.mark.parametrize(
    ("columns", "steps", "variable", "expected"),
    [
        (("id", "type", "xu", "yu", "zu"), (0, 10, 20), "vx", "columns id vx vy vz"),
        (("vx", "vy", "vz"), (0, 10, 20), "id", "columns id vx vy vz"),
        (("id", "vx", "vy", "vz"), (0, 10, 25), "ITEM: TIMESTEP", "equally spaced"),
        (("id", "vx", "vy", "vz"), (0,), "ITEM: TIMESTEP", "at least 2 frames"),
    ],
)
def test_bad_dump_is_one_line(tmp_path: Path, columns: Any, steps: Any, variable: str, expected: str) -> None:
    path = _dump(tmp_path, columns, steps)
    with pytest.raises(ObservationError) as err:
        read_lammps_dump(path, timestep=0.01)
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith(f"{path}: {variable}:") and expected in msg, msg


def test_dump_needs_a_time_and_whole_frames(tmp_path: Path) -> None:
    path = _dump(tmp_path, ("id", "vx", "vy", "vz"))
    with pytest.raises(ObservationError, match=r"bad.dump: ITEM: TIMESTEP: no ITEM: TIME and no timestep given"):
        read_lammps_dump(path)
    path.write_text(path.read_text().rsplit("\n", 3)[0])
    with pytest.raises(ObservationError, match=r"bad.dump: frame 3: truncated or malformed"):
        read_lammps_dump(path, timestep=0.01)


def test_bad_h5md_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.h5"
    with h5py.File(path, "w") as h5:
        h5.create_group("particles/all/position").create_dataset("value", data=np.zeros((3, 4, 3)))
    with pytest.raises(ObservationError, match=r"bad.h5: particles/all/velocity: missing \(found: position\)"):
        read_h5md(path)
    path = write_h5md(tmp_path / "nostep.h5", np.zeros((3, 4, 3)), np.array([0, 1, 3]), 0.1)
    with pytest.raises(ObservationError, match=r"nostep.h5: particles/all/velocity/time: frames not equally spaced"):
        read_h5md(path)


@pytest.mark.parametrize(
    ("rows", "variable", "expected"),
    [
        ("kappa,gamma,d_star,d_star_stderr\n0,1,-0.5,0.01\n", "d_star", "> 0"),
        ("kappa,gamma,d_star,d_star_stderr\n0,1,0.5,0\n", "d_star_stderr", "> 0"),
        ("kappa,gamma,d_star,d_star_stderr\n-1,1,0.5,0.1\n", "kappa", ">= 0"),
        ("kappa,gamma,d_star,d_star_stderr\n0,0,0.5,0.1\n", "gamma", "> 0"),
        ("kappa,gamma,d_star,d_star_stderr\n0,1,abc,0.1\n", "d_star", "finite numbers"),
        ("kappa,gamma,d_star\n0,1,0.5\n", "d_star_stderr", "one of d_star_stderr"),
        ("kappa,d_star,d_star_err\n0,0.5,0.1\n", "gamma", "columns kappa, gamma"),
        ("kappa,gamma,d_star,d_star_err\n0,1,0.5,0.1\n0,1,0.6,0.1\n", "kappa, gamma", "each (kappa, gamma) once"),
    ],
)
def test_bad_table_is_one_line(tmp_path: Path, rows: str, variable: str, expected: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("# my D*\n" + rows)
    with pytest.raises(ObservationError) as err:
        read_d_star_table(path)
    msg = str(err.value)
    assert "\n" not in msg and msg.startswith(f"{path}: {variable}:") and expected in msg, msg
