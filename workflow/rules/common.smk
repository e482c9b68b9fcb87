import os
import sys
from pathlib import Path

from snakemake.utils import min_version, validate

min_version("9.0")

# The physics library lives in src/; make it importable here and in every job, so the
# workflow also runs from a plain checkout (and with --sdm conda).
_SRC = str(Path(workflow.basedir) / "src")
sys.path.insert(0, _SRC)
# (set, not required: hence os.environ.update and no `envvars:` directive)
os.environ.update(
    PYTHONPATH=os.pathsep.join(p for p in (_SRC, os.getenv("PYTHONPATH", "")) if p)
)

from kineticflow.branches import config_checks
from kineticflow.config import (
    ConfigError,
    check_schema,
    fill_defaults,
    load_schema,
    validate_config,
)
from kineticflow.core.noise import format_snr

SCHEMA = str(Path(workflow.basedir) / "workflow" / "schemas" / "config.schema.yaml")
ENV = "../../envs/kineticflow.yaml"


def _validate(config):
    """Schema and cross-key checks; one line naming key, value and range, no traceback."""
    try:
        schema = load_schema(SCHEMA)
        check_schema(config, schema)
        fill_defaults(config, schema)
        validate(
            config, SCHEMA, set_default=False
        )  # Snakemake's own check, same schema
        validate_config(config, SCHEMA, config_checks(workdir=workflow.basedir))
    except ConfigError as exc:
        sys.stderr.write(f"kineticflow: invalid config: {exc}\n")
        sys.exit(1)
    except Exception as exc:  # a check that crashed on an odd value: still one line
        sys.stderr.write(f"kineticflow: invalid config: {type(exc).__name__}: {exc}\n")
        sys.exit(1)


_validate(config)


def fmt(x):
    """Format a number for a wildcard: 100.0 -> '100', 0.2 -> '0.2'."""
    return f"{float(x):g}"


FWHMS = [fmt(f) for f in config["trxs"]["pulse"]["fwhm_ps"]]
JITTERS = [fmt(j) for j in config["trxs"]["jitter"]["fractions"]]


wildcard_constraints:
    fwhm=r"[0-9]+(\.[0-9]+)?",
    jitter=r"[0-9]+(\.[0-9]+)?",


def trxs_targets():
    return expand(
        "results/trxs/inverted/fwhm-{fwhm}ps_jitter-{jitter}.nc",
        fwhm=FWHMS,
        jitter=JITTERS,
    )


# Report targets (tables, figures, summary); rules in report.smk.


def report_table_targets():
    return [
        f"results/tables/{cat}/{name}.html"
        for cat, tables in REPORT_TABLES.items()
        for name in tables
    ]


def trxs_report_targets():
    return [
        "results/trxs/figures/instantaneous_r.png",
        "results/trxs/figures/pulses_r.png",
        "results/trxs/jitter_broadening.html",
        expand("results/trxs/figures/inversion_fwhm-{fwhm}ps.png", fwhm=FWHMS),
    ] + report_table_targets()


def report_targets():
    return trxs_report_targets() + ["results/summary.html", "results/benchmarks.csv"]


# Resources (threads, mem_mb, runtime in minutes): every rule declares them, so the SLURM
# profile (workflow/profiles/slurm) turns them into sbatch --cpus-per-task, --mem and -t.


def _n_points(lo, hi, step):
    return int(round((hi - lo) / step)) + 1


def trxs_grid_mb():
    """Megabytes of the float64 arrays nt x (nr + nq) of the TRXS grid (config trxs.grid)."""
    g = config["trxs"]["grid"]
    nt = _n_points(g["t_min_ps"], g["t_max_ps"], g["t_step_ps"])
    nr = _n_points(g["r_min"], g["r_max"], g["r_step"])
    nq = _n_points(g["q_min"], g["q_max"], g["q_step"])
    return nt * (nr + nq) * 8 / 1e6


def trxs_mem_mb(wildcards, attempt):
    """A TRXS job on the full grid: ~500 MB of interpreter and libraries plus ~8 copies of the
    grid arrays (measured max RSS: 150 MB + 7.7 x grid); doubled on each retry."""
    return int(500 + 8 * trxs_grid_mb()) * attempt


# --- Deconvolution branch (workflow/rules/deconvolution.smk) ---


MEASURED_JITTERS = [fmt(j) for j in config["trxs"]["measurement"]["jitter_fractions"]]
SNRS = [format_snr(s) for s in config["trxs"]["measurement"]["snr"]]
MEASURED = "fwhm-{fwhm}ps_jitter-{jitter}_snr-{snr}"
DECONVOLUTION_FIGURES = [
    "results/trxs/figures/deconvolution/error_vs_snr.png",
    "results/trxs/figures/deconvolution/fit_parameters.png",
    "results/trxs/figures/deconvolution/deconvolved_traces.png",
    "results/trxs/figures/deconvolution/lambda_choice.png",
]


def deconvolution_targets():
    return DECONVOLUTION_FIGURES + [
        "results/trxs/fits/summary.csv",
        "results/trxs/deconvolved/summary.csv",
    ]


def _measured_files(folder):
    return expand(
        f"results/trxs/{folder}/{MEASURED}.nc",
        fwhm=FWHMS,
        jitter=MEASURED_JITTERS,
        snr=SNRS,
    )


# --- Plasma branch (workflow/rules/plasma.smk) ---

PLASMA = config["plasma"]
PLASMA_KAPPAS = [fmt(r["kappa"]) for r in PLASMA["runs"]]
PLASMA_SEEDS = [str(s) for s in PLASMA["seeds"]]


def plasma_md_runs():
    """One MD result per (kappa, gamma, seed) of the config."""
    return [
        f"results/plasma/md/kappa-{fmt(r['kappa'])}_gamma-{fmt(g)}_seed-{s}.nc"
        for r in PLASMA["runs"]
        for g in r["gammas"]
        for s in PLASMA_SEEDS
    ]


def plasma_targets():
    return [
        "results/plasma/fits.nc",
        "results/plasma/fits.csv",
        *expand("results/plasma/figures/d_star_kappa-{kappa}.png", kappa=PLASMA_KAPPAS),
    ]
