# Functions of the TRXS rules (trxs.smk): grids, wildcards, targets, memory estimates.
# Kept apart from the rules (snakemake --lint: no functions beside rules).

FWHMS = [fmt(f) for f in config["trxs"]["pulse"]["fwhm_ps"]]
JITTERS = [fmt(j) for j in config["trxs"]["jitter"]["fractions"]]


wildcard_constraints:
    fwhm=r"[0-9]+(\.[0-9]+)?",
    jitter=r"[0-9]+(\.[0-9]+)?",


def trxs_targets():
    """Every TRXS result and report figure ([] when trxs.enabled is false)."""
    if not enabled("trxs"):
        return []
    return (
        expand(
            "results/trxs/inverted/fwhm-{fwhm}ps_jitter-{jitter}.nc",
            fwhm=FWHMS,
            jitter=JITTERS,
        )
        + DECONVOLUTION_FIGURES
        + [
            "results/trxs/fits/summary.csv",
            "results/trxs/deconvolved/summary.csv",
            "results/trxs/figures/instantaneous_r.png",
            "results/trxs/figures/pulses_r.png",
            "results/trxs/jitter_broadening.html",
        ]
        + expand("results/trxs/figures/inversion_fwhm-{fwhm}ps.png", fwhm=FWHMS)
    )


def measured_pulse_profile(wildcards):
    """The measured pulse profile as an input file (trxs.pulse.shape: measured), else none.

    A relative path is taken from the working directory if it exists there, otherwise from the
    workflow's own folder (the shipped example), so the file is an input, not a path parameter.
    """
    pulse = config["trxs"]["pulse"]
    if pulse["shape"] != "measured":
        return []
    path = pulse["profile_file"]
    if os.path.isabs(path) or os.path.exists(path):
        return path
    return os.path.join(workflow.basedir, path)


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


# the jitter fraction whose inversion is plotted per pulse (no jitter if configured)
INVERSION_FIGURE_JITTER = "0" if "0" in JITTERS else JITTERS[0]


def _measured_files(folder, fwhm=None):
    """Files of every measured (jitter, SNR) of all widths, or of one width (a rule's "{fwhm}")."""
    return expand(
        f"results/trxs/{folder}/{MEASURED}.nc",
        fwhm=[fwhm] if fwhm else FWHMS,
        jitter=MEASURED_JITTERS,
        snr=SNRS,
    )


if enabled("trxs"):
    REPORT_TABLES["TRXS"] = {
        "kinetic_fit": "results/trxs/fits/summary.csv",
        "deconvolution_error": "results/trxs/deconvolved/summary.csv",
    }
    HEADLINE["Jitter broadening (TRXS paper Eq. 8)"] = [
        "results/trxs/jitter_broadening.csv",
        "",
        [],
    ]
    HEADLINE["Kinetic fit: τ_r recovered per pulse and SNR (full table under TRXS)"] = [
        "results/trxs/fits/summary.csv",
        "parameter == 'tau_r_ps'",
        ["fwhm_ps", "snr", "true", "fitted", "stderr", "relative_error"],
    ]
    HEADLINE["Deconvolution: relative RMS error vs SNR"] = [
        "results/trxs/deconvolved/summary.csv",
        "",
        [
            "fwhm_ps",
            "snr",
            "lambda_chosen",
            "rel_rms_error",
            "rel_rms_error_wiener",
            "rel_rms_error_no_deconvolution",
        ],
    ]
    REPORT_INPUTS.extend(trxs_targets())
