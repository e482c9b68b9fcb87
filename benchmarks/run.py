#!/usr/bin/env python
"""kineticflow benchmarks (issue 8): how fast, against what.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/run.py``). Every ratio is measured
side by side in this one run, on this machine; the table is printed and written to
``benchmarks/results/latest.txt`` (and ``latest.json``).

Sections (``--only`` selects some):

md        particle-steps/s of rule ``simulate_md``'s library call (LAMMPS + trajectory dump +
          VACF/MSD in Python) against the same LAMMPS input run bare with ``lmp`` (the dump lines
          removed), N = 1000 and 4000, kappa = 0 and 2, Gamma = 10. Target >= 0.95.
trxs      wall time of each TRXS rule's library call on the default grid; FLOP rate of the
          q <-> r sine transforms against a plain numpy ``a @ b`` of the same shape (target >= 0.5),
          for the whole call and for its matrix product alone; measured data (issue 24,
          ``benchmarks/trxs_observed.py``): reading a 1000 x 1000 text matrix and its SVD (< 2 s),
          a two-exponential global fit on 400 q x 30 delays (< 5 s).
workflow  no-op rerun, per-job overhead (test config) and the time to plan a sweep of >= 1000 jobs
          (``snakemake -n``; target <= 10 s).
e2e       per-rule wall times of ``make run`` from ``results/benchmarks.csv`` (written by rule
          ``summarise_run``); ``--end-to-end`` runs ``make run`` first.

Speed targets are checked here, never in the unit tests. ``--tiny`` runs every section on the test
config with tiny sizes (seconds to a minute each): ``tests/workflow/test_bench.py`` uses it to check
that every section still measures (a renamed config key or library function must not silently turn
one into "not measured"); its numbers mean nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import datetime as _dt
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# Library calls are timed with the BLAS threads Snakemake gives a `threads: 1` rule (it sets
# OMP/OPENBLAS/MKL_NUM_THREADS to the job's threads); KF_BENCH_BLAS_THREADS overrides.
BLAS_THREADS = os.environ.get("KF_BENCH_BLAS_THREADS", "1")
for _var in (
    "OMP_NUM_THREADS",
    "GOTO_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
):
    os.environ[_var] = BLAS_THREADS

import numpy as np  # noqa: E402 - after the thread settings
import yaml  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
BIN = Path(sys.executable).parent
OUT_DIR = ROOT / "benchmarks" / "results"
SCHEMA = ROOT / "workflow" / "schemas" / "config.schema.yaml"

GAMMA_MD = 10.0


# ----------------------------------------------------------------------------- helpers


@dataclass
class Row:
    """One line of the ratio table."""

    section: str
    benchmark: str
    measured: str
    reference: str = "-"
    ratio: float | None = None
    target: str = "-"
    passed: bool | None = None
    note: str = ""
    value: float | None = None  # checked against the target instead of the ratio when set


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    absolute: list[tuple[str, str, str]] = field(default_factory=list)  # section, what, value
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        print(
            f"  {row.benchmark}: {row.measured} | ref {row.reference} | ratio {fmt_ratio(row.ratio)} {row.note}",
            flush=True,
        )

    def abs(self, section: str, what: str, value: str) -> None:
        self.absolute.append((section, what, value))
        print(f"  [{section}] {what}: {value}", flush=True)


def fmt_ratio(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def check(ratio: float | None, target: str) -> bool | None:
    """Pass/fail of a ratio or value against a target like '>= 0.95' or '<= 10 s'."""
    if ratio is None or target == "-":
        return None
    m = re.match(r"\s*(>=|<=)\s*([0-9.eE+-]+)", target)
    if not m:
        return None
    op, val = m.group(1), float(m.group(2))
    return ratio >= val if op == ">=" else ratio <= val


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[Any, float]:
    """Result of the last call and the smallest wall time of ``repeat`` calls (s)."""
    best = float("inf")
    out = None
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return out, best


def interleaved(fns: list[Callable[[], Any]], repeat: int, budget_s: float = 10.0) -> list[float]:
    """Smallest wall time of each function, called in turn ``repeat`` times (fewer if slow)."""
    best = [float("inf")] * len(fns)
    t_start = time.perf_counter()
    for i in range(max(1, repeat)):
        for k, fn in enumerate(fns):
            t0 = time.perf_counter()
            fn()
            best[k] = min(best[k], time.perf_counter() - t0)
        if i >= 2 and time.perf_counter() - t_start > budget_s:
            break
    return best


def loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def machine() -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
                break
    try:
        import numpy as _np

        blas = _np.__config__.CONFIG["Build Dependencies"]["blas"]["name"]  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - informational only
        blas = "unknown"
    return {
        "date_utc": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "host": platform.node(),
        "cpu": cpu,
        "os.cpu_count": str(os.cpu_count()),
        "memory": mem,
        "python": platform.python_version(),
        "numpy": f"{np.__version__} ({blas}, {BLAS_THREADS} BLAS thread(s) in the timed library calls, as in a threads: 1 job)",
        "platform": platform.platform(),
    }


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(base.get(k), dict):
            deep_merge(base[k], v)
        else:
            base[k] = v
    return base


def load_config(*overlays: Path | dict[str, Any]) -> dict[str, Any]:
    """config/config.yaml merged with overlays, checked and completed as the workflow does it.

    The same steps as ``workflow/rules/common.smk``: the schema with its ``$ref`` sections resolved
    (Snakemake's ``validate(set_default=True)`` does not follow them, so every section key with
    only a schema default was missing here), every schema default filled in, the branches' checks.
    """
    from kineticflow.branches import config_checks
    from kineticflow.config import check_schema, fill_defaults, load_schema, validate_config

    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    for o in overlays:
        deep_merge(cfg, yaml.safe_load(Path(o).read_text()) if isinstance(o, Path) else copy.deepcopy(o))
    schema = load_schema(SCHEMA)
    check_schema(cfg, schema)
    fill_defaults(cfg, schema)
    validate_config(cfg, SCHEMA, config_checks(workdir=ROOT))
    return cfg


def fmtw(x: float) -> str:
    """Wildcard form of a number, as in workflow/rules/common.smk."""
    return f"{float(x):g}"


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PATH"] = f"{BIN}{os.pathsep}{e.get('PATH', '')}"
    e["LD_LIBRARY_PATH"] = f"{BIN.parent / 'lib'}{os.pathsep}{e.get('LD_LIBRARY_PATH', '')}"
    e["MPLBACKEND"] = "Agg"
    return e


def snakemake(
    workdir: Path, configfile: Path | None, *args: str, targets: list[str] | tuple[str, ...] = (), timeout: int = 3600
) -> tuple[subprocess.CompletedProcess, float]:
    # targets first: `--quiet rules` takes any number of values
    cmd = [str(BIN / "snakemake"), *targets, "-s", str(ROOT / "Snakefile"), "--directory", str(workdir)]
    if configfile is not None:
        cmd += ["--configfile", str(configfile)]
    cmd += list(args)
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env(), timeout=timeout)
    wall = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc.cpu_s = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)  # type: ignore[attr-defined]
    if proc.returncode != 0:
        # a job's one-line error (kineticflow.core.io.logged) says more than the tail of the log
        out = proc.stderr or proc.stdout
        said = [ln for ln in out.splitlines() if ln.startswith("kineticflow: ")]
        raise RuntimeError(f"snakemake failed ({proc.returncode}): {'; '.join(said) or out[-1500:]} [{' '.join(args)}]")
    return proc, wall


@contextlib.contextmanager
def tempdir(keep: bool, prefix: str) -> Iterator[Path]:
    d = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield d
    finally:
        if keep:
            print(f"  (kept {d})")
        else:
            shutil.rmtree(d, ignore_errors=True)


# ----------------------------------------------------------------------------- 1. MD


def _bare_input(text: str) -> str:
    """The LAMMPS input without the trajectory collection (``dump``/``dump_modify`` lines)."""
    return "".join(ln for ln in text.splitlines(keepends=True) if not re.match(r"\s*(dump|dump_modify|undump)\b", ln))


def children_cpu() -> float:
    """CPU seconds (user + system) of all finished and waited-for descendants of this process."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _run_bare(text: str, threads: int, workdir: Path) -> tuple[float, str]:
    from kineticflow.plasma import md as kmd

    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "in.lammps").write_text(text)
    cmd = kmd.lammps_command("in.lammps", threads)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=workdir, env=kmd.lammps_environment(), capture_output=True, text=True)
    wall = time.perf_counter() - t0
    log = (workdir / "log.lammps").read_text() if (workdir / "log.lammps").exists() else ""
    if proc.returncode != 0:
        raise RuntimeError(f"bare lmp failed ({proc.returncode}): {(proc.stderr or log)[-500:]}")
    return wall, log


def _md_config(base: dict[str, Any], n: int, kappa: float, steps: int) -> dict[str, Any]:
    """plasma.md with N and run lengths giving ~``steps`` steps (20 % equilibration, as by default)."""
    md = dict(base)
    md["n_particles"] = n
    dt_wp = md["dt_wp"]  # Gamma = 10 >= 1: no reduction of the step
    n_eq = max(10, int(round(0.2 * steps)))
    n_prod = max(20, steps - n_eq)
    md["equilibrate_wp"] = n_eq * dt_wp
    md["production_min_wp"] = n_prod * dt_wp
    md["production_tau"] = 2.0
    md["lag_min_wp"] = min(base["lag_min_wp"], 0.25 * n_prod * dt_wp)
    # quality gates are physics checks, not speed: a short benchmark run must not trip them
    md["max_energy_drift"] = float("inf")
    md["max_temperature_error"] = 1e9
    md["max_lost_atoms"] = n
    return md


def bench_md(args: argparse.Namespace, rep: Report) -> None:
    from kineticflow.plasma import md as kmd
    from kineticflow.plasma.ocp import md as ocp_md

    cfg = load_config(*args.overlays)
    base = cfg["plasma"]["md"]
    threads = args.md_threads or int(base["threads"])
    rep.abs("md", "MPI ranks per LAMMPS run (rule and bare)", str(threads))
    probe_text = ocp_md.lammps_input(
        gamma=GAMMA_MD, kappa=0.0, seed=1, n_particles=1000, schedule=ocp_md.ocp_schedule(GAMMA_MD, 0.0, base), md=base
    )
    dumps = [ln.split()[1:5] for ln in probe_text.splitlines() if re.match(r"\s*dump\s", ln)]
    rep.abs(
        "md",
        "VACF/MSD collection (removed for the bare run)",
        "; ".join(" ".join(d) for d in dumps) + " (binary dumps, read and correlated per particle group in Python)",
    )
    cases = [(n, k) for n in args.md_n for k in args.md_kappa]
    for i, (n, kappa) in enumerate(cases):
        label = f"MD simulate_md N={n} kappa={fmtw(kappa)} Gamma={fmtw(GAMMA_MD)}"
        try:
            with tempdir(args.keep, "kfbench-md-") as tmp:
                # calibrate: bare runs set the step count for >= md_seconds/2 per measurement
                steps = 200
                for c in range(4):
                    probe = _md_config(base, n, kappa, steps)
                    sch = ocp_md.ocp_schedule(GAMMA_MD, kappa, probe)
                    text = ocp_md.lammps_input(
                        gamma=GAMMA_MD, kappa=kappa, seed=1, n_particles=n, schedule=sch, md=probe
                    )
                    w, log = _run_bare(_bare_input(text), threads, tmp / f"probe{c}")
                    done = sch.n_equilibrate + sch.n_production
                    # time stepping only (set-up, e.g. create_atoms with overlap checks, is not scaled)
                    loop = sum(float(x) for x in re.findall(r"Loop time of ([0-9.eE+-]+)", log)) or w
                    if loop >= 0.6 * args.md_seconds:
                        break
                    steps = int(np.clip(done * args.md_seconds / max(loop, 1e-3), 1.2 * done, 500000))
                md = _md_config(base, n, kappa, steps)
                sch = ocp_md.ocp_schedule(GAMMA_MD, kappa, md)
                nsteps = sch.n_equilibrate + sch.n_production
                text = ocp_md.lammps_input(gamma=GAMMA_MD, kappa=kappa, seed=1, n_particles=n, schedule=sch, md=md)
                bare_text = _bare_input(text)
                t_rule, t_bare, t_lmp_in_rule, c_rule, c_bare = [], [], [], [], []
                perf_rule = perf_bare = 0.0
                for r in range(args.md_repeat):
                    order = ("bare", "rule") if (i + r) % 2 == 0 else ("rule", "bare")
                    for what in order:
                        c0 = children_cpu()
                        if what == "bare":
                            w, log = _run_bare(bare_text, threads, tmp / f"bare{r}")
                            t_bare.append(w)
                            c_bare.append(children_cpu() - c0)
                            perf_bare = kmd.performance(log)
                        else:
                            p0 = time.process_time()
                            t0 = time.perf_counter()
                            ds = ocp_md.simulate_md(kappa, GAMMA_MD, 1, md, threads=threads, workdir=tmp / f"rule{r}")
                            t_rule.append(time.perf_counter() - t0)
                            c_rule.append(children_cpu() - c0 + time.process_time() - p0)
                            t_lmp_in_rule.append(float(ds.attrs["wall_seconds"]))
                            perf_rule = float(ds.attrs.get("atom_steps_per_second", 0.0))
                tr, tb, tl = min(t_rule), min(t_bare), min(t_lmp_in_rule)
                ps_rule, ps_bare = n * nsteps / tr, n * nsteps / tb
                rep.add(
                    Row(
                        "md",
                        label,
                        f"{ps_rule:.4g} particle-steps/s",
                        f"{ps_bare:.4g} (bare lmp)",
                        ps_rule / ps_bare,
                        ">= 0.95",
                        note="particle-steps/s = N x (equilibration + production steps) / wall; bare = same input without dump lines",
                    )
                )
                cr, cb = min(c_rule), min(c_bare)
                rep.add(
                    Row(
                        "md",
                        f"{label}, by CPU time",
                        f"{n * nsteps / cr:.4g} particle-steps/CPU-s",
                        f"{n * nsteps / cb:.4g} (bare lmp)",
                        cb / cr,
                        ">= 0.95",
                        note="CPU time (user + system of LAMMPS and of the Python post-processing): "
                        "less sensitive to other jobs on the machine than wall time",
                    )
                )
                rep.abs("md", f"{label}: steps / wall rule call / bare lmp", f"{nsteps} / {tr:.2f} s / {tb:.2f} s")
                rep.abs("md", f"{label}: CPU time rule call / bare lmp", f"{cr:.2f} s / {cb:.2f} s")
                rep.abs(
                    "md",
                    f"{label}: rule = LAMMPS with dump + Python",
                    f"{tl:.2f} s + {tr - tl:.2f} s (dump costs LAMMPS {tl - tb:+.2f} s; VACF/MSD/read {tr - tl:.2f} s)",
                )
                rep.abs(
                    "md",
                    f"{label}: LAMMPS-reported production atom-steps/s rule / bare",
                    f"{perf_rule:.4g} / {perf_bare:.4g}",
                )
        except Exception as exc:  # noqa: BLE001 - reported in the table
            rep.add(Row("md", label, f"not measured: {type(exc).__name__}: {str(exc)[:160]}", target=">= 0.95"))
            if args.verbose:
                traceback.print_exc()


# ----------------------------------------------------------------------------- 2. TRXS


def _job_times_from_snakemake(results: Path) -> dict[str, float]:
    """Wall time ``s`` of each job from Snakemake benchmark files, keyed by rule/job path."""
    import pandas as pd

    out = {}
    root = results / "benchmarks"
    if not root.is_dir():
        return out
    for p in root.rglob("*.tsv"):
        with contextlib.suppress(Exception):
            out[str(p.relative_to(root).with_suffix(""))] = float(pd.read_csv(p, sep="\t")["s"].iloc[0])
    return out


def trxs_chain(
    cfg: dict[str, Any], repeat: int, all_jobs: bool = True, analyse: bool = True
) -> tuple[dict[str, list[tuple[str, float]]], dict[str, Any]]:
    """Run every TRXS job's library call in process; wall time per job, keyed by rule.

    The jobs as the workflow runs them: simulate_trxs, then per pulse width one observe_trxs
    (pulse, jitter averages, noisy measurements) and one deconvolve_and_fit (``analyse``), then
    one invert_fourier for every width and jitter (``kineticflow.trxs.steps``, one function per
    rule). Returns the times {rule: [(job, seconds)]} and a few intermediate datasets.
    """
    from kineticflow.trxs import steps
    from kineticflow.trxs.config import Params

    p = Params.from_config(cfg["trxs"])
    times: dict[str, list[tuple[str, float]]] = {}
    keep: dict[str, Any] = {}

    def rec(rule: str, job: str, fn: Callable[[], Any], n: int = repeat) -> Any:
        out, s = best_of(fn, n)
        times.setdefault(rule, []).append((job, s))
        return out

    inst = rec("simulate_trxs", "", lambda: steps.simulate_trxs(p.model, p.grid, p.weighting))
    keep["inst"] = inst
    fwhms = list(p.fwhms) if all_jobs else list(p.fwhms[:1])
    obs = p.observation
    profile = str(ROOT / obs.pulse.profile_file) if obs.pulse.shape == "measured" else None
    jit_by = {}
    for f in fwhms:
        _, jit, measured = rec("observe_trxs", f"fwhm-{f}ps", lambda f=f: steps.observe_trxs(inst, f, obs, profile))
        jit_by.update({(f, j): ds for j, ds in zip(obs.fractions, jit, strict=True)})
        if analyse and measured:
            rec(
                "deconvolve_and_fit",
                f"fwhm-{f}ps",
                lambda measured=measured: steps.deconvolve_and_fit(
                    inst, measured, p.deconvolution, p.model, p.kinetic_fit, p.weighting
                ),
                1,
            )
    rec("invert_fourier", "", lambda: steps.invert_fourier(list(jit_by.values()), p.inversion, p.weighting))
    keep["jit"] = jit_by
    return times, keep


def _gflops(m: int, k: int, n: int, s: float) -> float:
    return 2.0 * m * k * n / s / 1e9


def bench_transforms(cfg: dict[str, Any], keep: dict[str, Any], repeat: int, rep: Report) -> None:
    from kineticflow.core.transforms import modification_function, sine_transform_q_to_r, sine_transform_r_to_q
    from kineticflow.trxs.config import Params
    from kineticflow.trxs.model import delta_s_inst_r

    t = cfg["trxs"]
    params = Params.from_config(t)
    r, q, tt = params.grid.axes()
    s_r = delta_s_inst_r(r, tt, params.model)
    # q -> r exactly as rule invert_fourier calls it (xarray selection of the measured q range)
    jit = next(iter(keep["jit"].values()))
    inv = t["inversion"]
    qsel = jit["q"].sel(q=slice(inv["q_min"] - 1e-12, inv["q_max"] + 1e-12))
    qs = qsel.values
    s_q = jit["delta_s_q"].sel(q=qsel).values
    m_q = (
        modification_function(qs, inv["modification"], inv["damping_a2"])
        if inv["modification"] != "sharpening"
        else None
    )
    rng = np.random.default_rng(0)
    cases = [
        ("r->q sine transform (simulate_trxs)", lambda a: sine_transform_r_to_q(a, r, q), s_r, r.size, q.size),
        ("q->r sine transform (invert_fourier)", lambda a: sine_transform_q_to_r(a, qs, r, m_q), s_q, qs.size, r.size),
    ]
    for name, fn, a, k, n in cases:
        m = a.shape[0]
        A = rng.standard_normal((m, k))
        B = rng.standard_normal((k, n))
        # interleaved, best of many: on a loaded machine a multi-threaded GEMM is bimodal
        t_call, t_one, t_np = interleaved(
            [lambda fn=fn, a=a: fn(a), lambda fn=fn, a=a: fn(a[:1]), lambda A=A, B=B: A @ B], repeat, 20.0
        )
        t_mm = max(t_call - t_one, 1e-9)  # t_one: kernel build + a 1-row product
        ref = _gflops(m, k, n, t_np)
        shape = f"({m}x{k})@({k}x{n})"
        rep.add(
            Row(
                "trxs",
                f"{name} {shape}, total call",
                f"{_gflops(m, k, n, t_call):.3g} GFLOP/s",
                f"{ref:.3g} GFLOP/s (numpy a@b)",
                t_np / t_call,
                ">= 0.5",
            )
        )
        rep.add(
            Row(
                "trxs",
                f"{name} {shape}, matmul only",
                f"{_gflops(m, k, n, t_mm):.3g} GFLOP/s",
                f"{ref:.3g} GFLOP/s (numpy a@b)",
                t_np / t_mm,
                ">= 0.5",
            )
        )
        rep.abs(
            "trxs",
            f"{name}: call / kernel build (1-row call) / numpy a@b",
            f"{t_call * 1e3:.1f} / {t_one * 1e3:.1f} / {t_np * 1e3:.1f} ms",
        )


def bench_trxs_branch(args: argparse.Namespace, rep: Report) -> None:
    """The layout issue's target: the TRXS branch alone on the default grid, sum of job walls <= 20 s.

    A Snakemake run of only the TRXS targets (the other branches switched off) in a temporary folder,
    as a user who runs just this branch would; the sum of the ``s`` column of its benchmark files.
    """
    with tempdir(args.keep, "kfbench-trxs-") as d:
        overlay = d / "only_trxs.yaml"
        overlay.write_text(yaml.safe_dump({b: {"enabled": False} for b in ("plasma", "xfh", "halpha", "escatter")}))
        files = [ROOT / "config" / "config.yaml", *args.overlays, overlay]
        _, wall = snakemake(d, None, "--cores", "2", "--configfile", *map(str, files))
        jobs = _job_times_from_snakemake(d / "results")
    every = {k: v for k, v in jobs.items() if k.startswith("trxs/")}
    observed = {k: v for k, v in every.items() if k.split("/")[1] in OBSERVED_RULES}
    trxs_jobs = {k: v for k, v in every.items() if k not in observed}
    total = sum(trxs_jobs.values())
    rep.add(
        Row(
            "trxs",
            f"TRXS observed data (the simulated observation), {args.grid_name} grid: sum of job walls ({len(observed)} jobs)",
            f"{sum(observed.values()):.1f} s",
            note="observe_simulated, svd_observation, fit_observation_kinetics, deconvolve_observation, "
            "plot_observation (issue 24); not in the 20 s target of the paper's chain below",
        )
    )
    rep.add(
        Row(
            "trxs",
            f"TRXS branch alone, {args.grid_name} grid: sum of job walls ({len(trxs_jobs)} jobs)",
            f"{total:.1f} s",
            "20 s (target)",
            total / 20.0,
            "<= 1",
            total <= 20.0,
            note=f"snakemake --cores 2 of the TRXS targets only (other branches disabled), {wall:.1f} s wall; "
            "per job: interpreter, imports, I/O, library call",
        )
    )
    for k, v in sorted(every.items()):
        rep.abs("trxs", f"branch run: {k}", f"{v:.2f} s")


#: Rules of the observed-data path (their jobs are reported apart from the paper's chain).
OBSERVED_RULES = frozenset(
    {
        "observe_file",
        "observe_simulated",
        "svd_observation",
        "fit_observation_kinetics",
        "deconvolve_observation",
        "plot_observation",
    }
)


def bench_trxs_observed(args: argparse.Namespace, rep: Report) -> None:
    """Issue 24's cost targets (``benchmarks/trxs_observed.py``): read + SVD of 1000 x 1000 < 2 s, fit < 5 s."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("trxs_observed", ROOT / "benchmarks" / "trxs_observed.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    n, (n_q, n_tau) = (100, (40, 12)) if args.tiny else (1000, (400, 30))
    with tempdir(args.keep, "kfbench-observed-") as d:
        r = bench.bench_read_and_svd(d, args.repeat, n)
    target = bench.READ_SVD_TARGET_S
    rep.add(
        Row(
            "trxs",
            f"observed data: read a {n} x {n} text matrix + SVD of dS/sigma",
            f"{r['total_s']:.2f} s (read {r['read_s']:.2f} + SVD {r['svd_s']:.2f}; CPU {r['total_cpu_s']:.2f} s)",
            f"{target:g} s (target)",
            r["total_s"] / target,
            "<= 1",
            r["total_s"] <= target,
            note=f"{r['file_MB']:.1f} MB file, {r['n_significant']:.0f} components; best of {args.repeat}",
        )
    )
    f = bench.bench_global_fit(args.repeat, n_q, n_tau)
    target = bench.FIT_TARGET_S
    rep.add(
        Row(
            "trxs",
            f"observed data: global fit, 2 exponentials + offset, t0 free, {n_q} q x {n_tau} delays",
            f"{f['fit_s']:.2f} s (CPU {f['fit_cpu_s']:.2f} s, {f['nfev']:.0f} evaluations)",
            f"{target:g} s (target)",
            f["fit_s"] / target,
            "<= 1",
            f["fit_s"] <= target,
            note=f"T = {f['tau_1']:.1f}, {f['tau_2']:.0f} ps (truth 50, 2000); best of {args.repeat}",
        )
    )


def bench_trxs(args: argparse.Namespace, rep: Report) -> None:
    try:
        bench_trxs_branch(args, rep)
    except Exception as exc:  # noqa: BLE001 - the library calls and transforms are still measured
        rep.add(
            Row("trxs", "TRXS branch alone", f"not measured: {type(exc).__name__}: {str(exc)[:300]}", target="<= 1")
        )
        if args.verbose:
            traceback.print_exc()
    cfg = load_config(*args.overlays)
    g = cfg["trxs"]["grid"]
    rep.abs(
        "trxs",
        f"{args.grid_name} grid",
        f"r {g['r_min']}..{g['r_max']} step {g['r_step']} A, q {g['q_min']}..{g['q_max']} step {g['q_step']} 1/A, "
        f"t {g['t_min_ps']}..{g['t_max_ps']} step {g['t_step_ps']} ps",
    )
    times, keep = trxs_chain(cfg, args.repeat)
    snake = _job_times_from_snakemake(args.results)
    for rule, jobs in times.items():
        lib = [s for _, s in jobs]
        ref = [snake.get(f"trxs/{rule}" + (f"/{job}" if job else "")) for job, _ in jobs]
        refs = [(s, x) for s, x in zip(lib, ref) if x is not None]
        measured = f"{np.mean(lib):.3f} s/job (max {max(lib):.3f}, {len(lib)} jobs)"
        if refs:
            ls, js = sum(a for a, _ in refs), sum(b for _, b in refs)
            rep.add(
                Row(
                    "trxs",
                    f"TRXS {rule}: library call",
                    measured,
                    f"{js / len(refs):.3f} s/job (job wall, {args.results.name}/benchmarks)",
                    ls / js,
                    note="ratio = library call / Snakemake job wall of the last run in results/ (share of the job in the call)",
                )
            )
        else:
            rep.add(Row("trxs", f"TRXS {rule}: library call", measured, "- (no results/benchmarks: make run)"))
        for job, s in jobs:
            rep.abs("trxs", f"{rule} {job or '(single job)'} library call", f"{s:.3f} s")
    bench_transforms(cfg, keep, args.transform_repeat, rep)
    try:
        bench_trxs_observed(args, rep)
    except Exception as exc:  # noqa: BLE001 - reported in the table
        rep.add(Row("trxs", "observed data", f"not measured: {type(exc).__name__}: {str(exc)[:300]}", target="<= 1"))
        if args.verbose:
            traceback.print_exc()


# ----------------------------------------------------------------------------- 3. workflow


def _count_jobs(stdout: str) -> int:
    m = re.findall(r"^total\s+(\d+)\s*$", stdout, flags=re.M)
    return int(m[-1]) if m else -1


def bench_workflow(args: argparse.Namespace, rep: Report) -> None:
    """Per-job overhead and no-op rerun, then the DAG sweep; a failure of one leaves the other."""
    for part in (_bench_overhead, _bench_dag):
        try:
            part(args, rep)
        except Exception as exc:  # noqa: BLE001 - reported in the table
            rep.add(Row("workflow", part.__name__.strip("_"), f"not measured: {type(exc).__name__}: {str(exc)[:300]}"))
            if args.verbose:
                traceback.print_exc()


def _bench_overhead(args: argparse.Namespace, rep: Report) -> None:
    test_cfg_path = ROOT / "config" / "test.yaml"
    cfg = load_config(test_cfg_path)
    t = cfg["trxs"]
    targets = [
        f"results/trxs/inverted/fwhm-{fmtw(f)}ps_jitter-{fmtw(j)}.nc"
        for f in t["pulse"]["fwhm_ps"]
        for j in t["jitter"]["fractions"]
    ]
    # --- per-job overhead and no-op rerun: the TRXS branch of the test config
    with tempdir(args.keep, "kfbench-wf-") as d:
        dry, t_dry = snakemake(d, test_cfg_path, "--cores", "1", "-n", "--quiet", "rules", targets=targets)
        n_jobs = _count_jobs(dry.stdout + dry.stderr)
        run_proc, t_run = snakemake(d, test_cfg_path, "--cores", "1", targets=targets)
        bench = _job_times_from_snakemake(d / "results")
        job_s = sum(bench.values())
        _, t_noop = snakemake(d, test_cfg_path, "--cores", "2", targets=targets)
        _, t_noop2 = snakemake(d, test_cfg_path, "--cores", "2", targets=targets)
    times, _ = trxs_chain(cfg, 1, analyse=False)
    lib_s = sum(s for jobs in times.values() for _, s in jobs)
    n_lib = sum(len(v) for v in times.values())
    rep.abs(
        "workflow",
        "test config, TRXS branch",
        f"{n_jobs} jobs planned, {len(bench)} benchmark files, {n_lib} library calls timed in process",
    )
    rep.abs(
        "workflow",
        "snakemake --cores 1 run / -n (startup + DAG) / sum of job walls / sum of library calls",
        f"{t_run:.1f} / {t_dry:.1f} / {job_s:.1f} / {lib_s:.2f} s",
    )
    rep.abs(
        "workflow",
        "CPU time of the snakemake run (all jobs) / of the -n run",
        f"{run_proc.cpu_s:.1f} / {dry.cpu_s:.1f} s",
    )
    n = max(n_jobs, 1)
    per_job = (t_run - lib_s) / n
    in_job = (job_s - lib_s) / max(len(bench), 1)
    sched = (t_run - t_dry - job_s) / n
    rep.add(
        Row(
            "workflow",
            "per-job overhead (test config, --cores 1)",
            f"{per_job:.2f} s/job",
            f"{lib_s / n:.3f} s/job (library call)",
            per_job / max(lib_s / n, 1e-9),
            note="overhead = (snakemake wall - sum of library calls) / jobs; ratio = overhead / library call",
        )
    )
    rep.abs(
        "workflow",
        "per-job overhead split: inside the job (interpreter, imports, netCDF I/O) / Snakemake scheduling",
        f"{in_job:.2f} / {sched:.2f} s per job",
    )
    noop = min(t_noop, t_noop2)
    rep.add(
        Row(
            "workflow",
            "no-op rerun (test config, TRXS targets, nothing to do)",
            f"{noop:.2f} s",
            f"{t_dry:.2f} s (snakemake -n before the run)",
            noop / t_dry,
        )
    )


def _bench_dag(args: argparse.Namespace, rep: Report) -> None:
    # --- DAG of >= 1000 jobs: many pulses x jitter fractions
    # (the measured jitter fractions of the default config must stay among the fractions)
    measured = load_config()["trxs"]["measurement"]["jitter_fractions"]
    fractions = {round(0.5 * i / args.sweep_jitter, 4) for i in range(args.sweep_jitter)} | set(measured)
    sweep = {
        "trxs": {
            # pulses <= 1000 ps and jitter <= 0.5 FWHM keep the default time grid valid
            "pulse": {"fwhm_ps": [round(1000.0 * (i + 1) / args.sweep_fwhm, 3) for i in range(args.sweep_fwhm)]},
            "jitter": {"fractions": sorted(fractions)},
        }
    }
    with tempdir(args.keep, "kfbench-dag-") as d:
        cfgfile = d / "sweep.yaml"
        cfgfile.write_text(yaml.safe_dump(sweep))
        note = ""
        tg: list[str] = []
        try:
            proc, t_dag = snakemake(d, cfgfile, "--cores", "2", "-n", "--quiet", "rules")
        except RuntimeError as exc:
            # another branch's rules may be broken mid-development: plan the TRXS outputs alone
            note = f"(default target failed: {str(exc)[:80]}; TRXS targets only)"
            tg = [
                f"results/trxs/inverted/fwhm-{fmtw(f)}ps_jitter-{fmtw(j)}.nc"
                for f in sweep["trxs"]["pulse"]["fwhm_ps"]
                for j in sweep["trxs"]["jitter"]["fractions"]
            ]
            proc, t_dag = snakemake(d, cfgfile, "--cores", "2", "-n", "--quiet", "rules", targets=tg)
        jobs = _count_jobs(proc.stdout + proc.stderr)
        rep.abs(
            "workflow",
            "DAG sweep: snakemake -n --quiet rules (prints the job counts): wall (CPU)",
            f"{t_dag:.2f} s ({proc.cpu_s:.2f} s)",
        )
        walls = []
        for _ in range(2):
            pq, tq = snakemake(d, cfgfile, "--cores", "2", "-n", "--quiet", targets=tg)
            walls.append(tq)
            rep.abs("workflow", "DAG sweep: snakemake -n --quiet: wall (CPU)", f"{tq:.2f} s ({pq.cpu_s:.2f} s)")
        t_dag = min(walls)
    rep.add(
        Row(
            "workflow",
            f"DAG build, sweep of {jobs} jobs (snakemake -n)",
            f"{t_dag:.2f} s",
            "10 s (target)",
            t_dag / 10.0,
            "<= 10 s",
            value=t_dag,
            note=f"{args.sweep_fwhm} pulses x {len(sweep['trxs']['jitter']['fractions'])} jitter fractions, default target, best of two `snakemake -n --quiet` {note}".strip(),
        )
    )
    rep.abs("workflow", "DAG build per planned job", f"{1e3 * t_dag / max(jobs, 1):.2f} ms")


# ----------------------------------------------------------------------------- 4. end to end


def bench_e2e(args: argparse.Namespace, rep: Report) -> None:
    import pandas as pd

    from kineticflow.core.report import per_rule_times

    if args.end_to_end:
        t0 = time.perf_counter()
        proc = subprocess.run(["make", "run"], cwd=ROOT, env=env(), capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            rep.add(Row("e2e", "make run", f"failed ({proc.returncode}): {proc.stderr[-200:]}"))
            return
        rep.add(Row("e2e", "make run (default config), wall", f"{wall:.1f} s"))
    from kineticflow.core.report import collect_benchmarks

    csv = args.results / "benchmarks.csv"
    if csv.exists():
        b = pd.read_csv(csv)
        age = _dt.datetime.fromtimestamp(csv.stat().st_mtime, _dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        source = f"{csv} (written {age})"
    else:
        tsv = sorted((args.results / "benchmarks").rglob("*.tsv"))
        rep.add(
            Row(
                "e2e",
                "make run per-rule wall times",
                f"not available: {csv} missing; run `make run` (or `make bench BENCH_ARGS=--end-to-end`)",
            )
        )
        if not tsv:
            return
        b = collect_benchmarks(tsv, args.results / "benchmarks")
        source = f"partial: {len(tsv)} benchmark files in {args.results / 'benchmarks'} (no complete run)"
    per = per_rule_times(b)
    # the same sum inside the full run, where the TRXS jobs share the two cores with the other
    # branches' jobs (the target row is the branch-alone run of the trxs section)
    trxs = per[per["branch"] == "trxs"]
    if not trxs.empty:
        total = float(trxs["total_wall_s"].sum())
        rep.abs(
            "e2e",
            f"TRXS branch inside the last make run: sum of job walls ({int(trxs['jobs'].sum())} jobs)",
            f"{total:.1f} s (sharing the cores with other branches' jobs; target row: trxs section)",
        )
    for branch, sub in per.groupby("branch"):
        rep.abs(
            "e2e",
            f"branch {branch}",
            f"{int(sub['jobs'].sum())} jobs, sum of job walls {sub['total_wall_s'].sum():.1f} s",
        )
    rep.abs(
        "e2e",
        "source",
        f"{source}; sum of job walls {per['total_wall_s'].sum():.1f} s over {int(per['jobs'].sum())} jobs",
    )
    for _, r in per.iterrows():
        rep.abs(
            "e2e",
            f"{r['branch']}/{r['rule']}",
            f"{int(r['jobs'])} jobs, total {r['total_wall_s']:.2f} s, max {r['max_wall_s']:.2f} s",
        )


# ----------------------------------------------------------------------------- output


def render(rep: Report, info: dict[str, str], load_start: str, load_end: str, wall: float) -> str:
    for row in rep.rows:
        row.passed = check(row.value if row.value is not None else row.ratio, row.target)
    head = ["benchmark", "measured", "reference", "ratio", "target", "pass"]
    notes: list[str] = []
    body = []
    for r in rep.rows:
        name = r.benchmark
        if r.note:
            if r.note not in notes:
                notes.append(r.note)
            name += f" [{notes.index(r.note) + 1}]"
        body.append(
            [
                name,
                r.measured,
                r.reference,
                fmt_ratio(r.ratio),
                r.target,
                {True: "PASS", False: "FAIL", None: "-"}[r.passed],
            ]
        )
    widths = [max(len(h), *(len(b[i]) for b in body)) if body else len(h) for i, h in enumerate(head)]

    def line(cells: list[str]) -> str:
        return " | ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    out = ["kineticflow benchmarks (benchmarks/run.py)", ""]
    out += [f"{k:>14}: {v}" for k, v in info.items()]
    out += [
        f"{'load average':>14}: {load_start} (start), {load_end} (end) on {os.cpu_count()} cores",
        f"{'bench wall':>14}: {wall:.0f} s",
        "",
    ]
    out += [line(head), "-+-".join("-" * w for w in widths)]
    out += [line(b) for b in body]
    out += [f"[{i + 1}] {n}" for i, n in enumerate(notes)]
    out += ["", "Absolute times", ""]
    out += [f"[{s}] {w}: {v}" for s, w, v in rep.absolute]
    if rep.notes:
        out += ["", "Notes", ""] + [f"- {n}" for n in rep.notes]
    return "\n".join(out) + "\n"


README = ROOT / "benchmarks" / "README.md"
START, END = "<!-- latest:start -->", "<!-- latest:end -->"


def update_readme(text: str) -> None:
    """Replace the block between the markers of benchmarks/README.md with this run's output."""
    readme = README.read_text()
    if START not in readme or END not in readme:
        readme = readme.rstrip() + f"\n\n{START}\n{END}\n"
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    mem = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.strip()
    block = f"{START}\n```text\n{text.rstrip()}\n\n$ nproc\n{os.cpu_count()}\n$ free -g\n{mem}\n```\n{END}"
    README.write_text(head + block + tail)
    print(f"updated: {README}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument(
        "--only", nargs="+", choices=["md", "trxs", "workflow", "e2e"], default=["md", "trxs", "workflow", "e2e"]
    )
    p.add_argument("--end-to-end", action="store_true", help="run `make run` first (slow) and time it")
    p.add_argument(
        "--results", type=Path, default=ROOT / "results", help="results folder of a `make run` (default: results/)"
    )
    p.add_argument("--repeat", type=int, default=3, help="repeats of each timed library call (best is kept)")
    p.add_argument("--md-n", type=int, nargs="+", default=[1000, 4000])
    p.add_argument("--md-kappa", type=float, nargs="+", default=[0.0, 2.0])
    p.add_argument("--md-seconds", type=float, default=10.0, help="target wall time of one bare MD measurement")
    p.add_argument(
        "--md-repeat", type=int, default=3, help="rule/bare pairs per MD case, alternating (best of each is kept)"
    )
    p.add_argument("--md-threads", type=int, default=0, help="MPI ranks (default: plasma.md.threads of the config)")
    p.add_argument("--sweep-fwhm", type=int, default=10, help="pulses in the DAG sweep")
    p.add_argument("--sweep-jitter", type=int, default=50, help="jitter fractions (0 ... 0.5) in the DAG sweep")
    p.add_argument("--out", type=Path, default=OUT_DIR)
    p.add_argument("--keep", action="store_true", help="keep temporary folders")
    p.add_argument("--update-readme", action="store_true", help="paste the table into benchmarks/README.md")
    p.add_argument("--verbose", action="store_true")
    p.add_argument(
        "--tiny",
        action="store_true",
        help="every section on the test config at tiny sizes: checks that each section measures (numbers meaningless)",
    )
    args = p.parse_args(argv)
    args.overlays, args.grid_name, args.transform_repeat = [], "default", max(args.repeat, 200)
    if args.tiny:
        args.overlays, args.grid_name = [ROOT / "config" / "test.yaml"], "test-config"
        args.repeat, args.transform_repeat = 1, 3
        args.md_n, args.md_kappa, args.md_seconds, args.md_repeat = [100], [0.0], 0.3, 1
        args.md_threads = args.md_threads or 1
        args.sweep_fwhm, args.sweep_jitter = 2, 3
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ["LD_LIBRARY_PATH"] = env()["LD_LIBRARY_PATH"]
    rep = Report()
    info = machine()
    load_start = loadavg()
    t0 = time.perf_counter()
    sections = {"md": bench_md, "trxs": bench_trxs, "workflow": bench_workflow, "e2e": bench_e2e}
    for name in ["md", "trxs", "workflow", "e2e"]:
        if name not in args.only:
            continue
        print(f"== {name} (load {loadavg()})", flush=True)
        try:
            sections[name](args, rep)
        except Exception as exc:  # noqa: BLE001 - one failing section must not hide the others
            rep.add(Row(name, f"{name} section", f"not measured: {type(exc).__name__}: {str(exc)[:200]}"))
            if args.verbose:
                traceback.print_exc()
    text = render(rep, info, load_start, loadavg(), time.perf_counter() - t0)
    print()
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.txt").write_text(text)
    (args.out / "latest.json").write_text(
        json.dumps(
            {
                "machine": info,
                "load_start": load_start,
                "load_end": loadavg(),
                "rows": [asdict(r) for r in rep.rows],
                "absolute": rep.absolute,
                "notes": rep.notes,
            },
            indent=1,
            default=str,
        )
    )
    print(f"written: {args.out / 'latest.txt'}")
    if args.update_readme:
        update_readme(text)
    failed = [r for r in rep.rows if r.passed is False]
    return 1 if failed and os.environ.get("KF_BENCH_STRICT") else 0


if __name__ == "__main__":
    sys.exit(main())
