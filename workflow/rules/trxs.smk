# TRXS branch: simulate -> observe through the x-ray pulse, jitter and noise -> invert, deconvolve
# and fit -> summarise and plot. Physics: docs/trxs.md; TRXS paper (Ukr. J. Phys. 57 (2012)) Eqs 1-8.
# Targets, wildcard lists, inputs and memory estimates: kineticflow.trxs.targets; parameters:
# kineticflow.trxs.config (plain dicts, so that a changed value reruns the job).
# Observed data (docs/trxs.md, "Your own data"): each observation, a user's file or the simulated
# measurement, becomes the contract results/trxs/observed/{observation}/observation.nc, which is
# all the analysis after it reads.

from kineticflow.trxs import config as trxs_config
from kineticflow.trxs import config_observed as trxs_observed
from kineticflow.trxs import targets as trxs_targets

TRXS = trxs_config.rule_params(config["trxs"])


wildcard_constraints:
    fwhm=r"[0-9]+(\.[0-9]+)?",
    jitter=r"[0-9]+(\.[0-9]+)?",


rule simulate_trxs:
    output:
        "results/trxs/instantaneous.nc",
    log:
        "results/logs/trxs/simulate_trxs.log",
    benchmark:
        "results/benchmarks/trxs/simulate_trxs.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=lambda wildcards, attempt: trxs_targets.mem_mb(config, attempt),
        runtime=10,
    params:
        model=TRXS["model"],
        grid=TRXS["grid"],
        weighting=TRXS["weighting"],
    script:
        "../scripts/trxs/simulate_trxs.py"


rule observe_trxs:
    input:
        inst="results/trxs/instantaneous.nc",
        profile=trxs_targets.measured_pulse_profile(config, workflow.basedir),
    output:
        # one job per pulse width: the pulse (Eq. 1), every jitter average of it (Eqs 7-8) and
        # the noisy measurements (beyond the paper), one start-up and one FFT of the signal
        convolved="results/trxs/convolved/fwhm-{fwhm}ps.nc",
        jitter=trxs_targets.jitter_files(config, "jitter", "{fwhm}"),
        measured=trxs_targets.measured_files(config, "measured", "{fwhm}"),
    log:
        "results/logs/trxs/observe_trxs/fwhm-{fwhm}ps.log",
    benchmark:
        "results/benchmarks/trxs/observe_trxs/fwhm-{fwhm}ps.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=lambda wildcards, attempt: trxs_targets.mem_mb(config, attempt),
        runtime=10,
    params:
        # without the list of widths: adding a width must not rerun the existing ones
        observation=TRXS["observation"],
    script:
        "../scripts/trxs/observe_trxs.py"


rule invert_fourier:
    input:
        trxs_targets.jitter_files(config, "jitter"),
    output:
        # one job for every width and fraction: ~0.01 s of work each, and nothing but the
        # figures depends on it, so a new width reruns no other step
        trxs_targets.jitter_files(config, "inverted"),
    log:
        "results/logs/trxs/invert_fourier.log",
    benchmark:
        "results/benchmarks/trxs/invert_fourier.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        inversion=TRXS["inversion"],
        weighting=TRXS["weighting"],
    script:
        "../scripts/trxs/invert_fourier.py"


rule deconvolve_and_fit:
    input:
        instantaneous="results/trxs/instantaneous.nc",
        measured=trxs_targets.measured_files(config, "measured", "{fwhm}"),
    output:
        # one job per pulse width analyses every (jitter, SNR) of it both ways: Tikhonov
        # deconvolution (one factorisation per effective pulse) and the kinetic fit (one
        # forward model per effective pulse); beyond the paper, docs/trxs.md
        deconvolved=trxs_targets.measured_files(config, "deconvolved", "{fwhm}"),
        fits=trxs_targets.measured_files(config, "fits", "{fwhm}"),
    log:
        "results/logs/trxs/deconvolve_and_fit/fwhm-{fwhm}ps.log",
    benchmark:
        "results/benchmarks/trxs/deconvolve_and_fit/fwhm-{fwhm}ps.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        deconvolution=TRXS["deconvolution"],
        model=TRXS["model"],
        kinetic_fit=TRXS["kinetic_fit"],
        weighting=TRXS["weighting"],
    script:
        "../scripts/trxs/deconvolve_and_fit.py"


rule summarise_trxs:
    input:
        jitter=trxs_targets.jitter_files(config, "jitter"),
        deconvolved=trxs_targets.measured_files(config, "deconvolved"),
        fits=trxs_targets.measured_files(config, "fits"),
    output:
        # the tables of the report: jitter broadening beside the paper's words (Eq. 8), and one
        # row per fitted parameter and per deconvolved measurement
        jitter_table=trxs_targets.JITTER_TABLE,
        jitter_html=report(
            trxs_targets.JITTER_HTML,
            caption="../report/trxs/jitter_table.rst",
            category="TRXS",
            subcategory="jitter",
            labels={"table": "jitter broadening"},
        ),
        fit_table=trxs_targets.FIT_TABLE,
        deconvolution_table=trxs_targets.DECONVOLUTION_TABLE,
    log:
        "results/logs/trxs/summarise_trxs.log",
    benchmark:
        "results/benchmarks/trxs/summarise_trxs.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../scripts/trxs/summarise_trxs.py"


rule plot_trxs:
    input:
        deconvolved=trxs_targets.measured_files(config, "deconvolved"),
        fits=trxs_targets.measured_files(config, "fits"),
        instantaneous="results/trxs/instantaneous.nc",
        convolved=trxs_targets.convolved_files(config),
        jitter=trxs_targets.jitter_files(config, "jitter"),
        inverted=trxs_targets.inversion_figure_inputs(config),
    output:
        # every TRXS figure in one job (one matplotlib start-up): the paper's signals, jitter
        # and inversions, then the deconvolution and kinetic fit
        inst_r=report(
            "results/trxs/figures/instantaneous_r.png",
            caption="../report/trxs/instantaneous_r.rst",
            category="TRXS",
            subcategory="instantaneous signal",
            labels={"figure": "ΔS_inst[r,t]"},
        ),
        inst_q=report(
            "results/trxs/figures/instantaneous_q.png",
            caption="../report/trxs/instantaneous_q.rst",
            category="TRXS",
            subcategory="instantaneous signal",
            labels={"figure": "ΔS_inst(q,t)"},
        ),
        pulses_r=report(
            "results/trxs/figures/pulses_r.png",
            caption="../report/trxs/pulses_r.rst",
            category="TRXS",
            subcategory="finite pulses",
            labels={"figure": "ΔS[r,τ] per pulse"},
        ),
        pulses_q=report(
            "results/trxs/figures/pulses_q.png",
            caption="../report/trxs/pulses_q.rst",
            category="TRXS",
            subcategory="finite pulses",
            labels={"figure": "ΔS(q,τ) per pulse"},
        ),
        peak=report(
            "results/trxs/figures/peak_position.png",
            caption="../report/trxs/peak_position.rst",
            category="TRXS",
            subcategory="finite pulses",
            labels={"figure": "positive r-peak vs time"},
        ),
        jitter_figure=report(
            "results/trxs/figures/jitter_pulses.png",
            caption="../report/trxs/jitter_pulses.rst",
            category="TRXS",
            subcategory="jitter",
            labels={"figure": "effective pulse vs jitter"},
        ),
        inversions=[
            report(
                f"results/trxs/figures/inversion_fwhm-{fwhm}ps.png",
                caption="../report/trxs/inversion.rst",
                category="TRXS",
                subcategory=f"{fwhm} ps pulse",
                labels={"figure": "Fourier inversion", "pulse": f"{fwhm} ps"},
            )
            for fwhm in trxs_targets.fwhms(config)
        ],
        figures=[
            report(
                path,
                caption=f"../report/trxs/deconvolution_{Path(path).stem}.rst",
                category="TRXS",
                subcategory="deconvolution and kinetic fit",
                labels={"figure": Path(path).stem.replace("_", " ")},
            )
            for path in trxs_targets.DECONVOLUTION_FIGURES
        ],
    log:
        "results/logs/trxs/plot_trxs.log",
    benchmark:
        "results/benchmarks/trxs/plot_trxs.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        times=TRXS["times_ps"],
        inversion_times=TRXS["inversion_times_ps"],
    script:
        "../scripts/trxs/plot_trxs.py"


rule observe_file:
    input:
        lambda wc: trxs_targets.observation_input(
            config, wc.observation, workflow.basedir
        ),
    output:
        trxs_targets.observed_file("{observation}", "observation.nc"),
    log:
        "results/logs/trxs/observe_file/{observation}.log",
    benchmark:
        "results/benchmarks/trxs/observe_file/{observation}.tsv"
    wildcard_constraints:
        # a configured name; "simulated" is rule observe_simulated's
        observation=r"(?!simulated/)[A-Za-z0-9][A-Za-z0-9_.-]*",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        reader=lambda wc: trxs_observed.rule_params(config["trxs"], wc.observation)[
            "reader"
        ],
    script:
        "../scripts/trxs/observe_file.py"


rule observe_simulated:
    input:
        trxs_targets.simulated_measurement(config),
    output:
        # the default observation (trxs.observations empty): the first pulse width, the first
        # measured jitter and the smallest finite SNR, as the contract
        trxs_targets.observed_file(trxs_observed.SIMULATED, "observation.nc"),
    log:
        "results/logs/trxs/observe_simulated.log",
    benchmark:
        "results/benchmarks/trxs/observe_simulated.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../scripts/trxs/observe_simulated.py"


rule svd_observation:
    input:
        trxs_targets.observed_file("{observation}", "observation.nc"),
    output:
        nc=trxs_targets.observed_file("{observation}", "svd.nc"),
        csv=trxs_targets.observed_file("{observation}", "svd.csv"),
    log:
        "results/logs/trxs/svd_observation/{observation}.log",
    benchmark:
        "results/benchmarks/trxs/svd_observation/{observation}.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        level=TRXS["svd_level"],
    script:
        "../scripts/trxs/svd_observation.py"


rule fit_observation_kinetics:
    input:
        obs=trxs_targets.observed_file("{observation}", "observation.nc"),
        profile=lambda wc: trxs_targets.observation_profile(
            config, wc.observation, workflow.basedir
        ),
    output:
        nc=trxs_targets.observed_file("{observation}", "kinetics.nc"),
        csv=trxs_targets.observed_file("{observation}", "kinetics.csv"),
    log:
        "results/logs/trxs/fit_observation_kinetics/{observation}.log",
    benchmark:
        "results/benchmarks/trxs/fit_observation_kinetics/{observation}.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        kinetic_model=lambda wc: trxs_observed.rule_params(
            config["trxs"], wc.observation
        )["kinetic_model"],
        model=TRXS["model"],
        kinetic_fit=TRXS["kinetic_fit"],
        weighting=TRXS["weighting"],
    script:
        "../scripts/trxs/fit_observation_kinetics.py"


rule deconvolve_observation:
    input:
        obs=trxs_targets.observed_file("{observation}", "observation.nc"),
        profile=lambda wc: trxs_targets.observation_profile(
            config, wc.observation, workflow.basedir
        ),
    output:
        # each where the delays (deconvolution) and the q range (Eq. 2) allow; the file's
        # attribute status says why not
        deconvolved=trxs_targets.observed_file("{observation}", "deconvolved.nc"),
        inverted=trxs_targets.observed_file("{observation}", "inverted.nc"),
    log:
        "results/logs/trxs/deconvolve_observation/{observation}.log",
    benchmark:
        "results/benchmarks/trxs/deconvolve_observation/{observation}.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        kinetic_model=lambda wc: trxs_observed.rule_params(
            config["trxs"], wc.observation
        )["kinetic_model"],
        deconvolution=TRXS["deconvolution"],
        inversion=TRXS["inversion"],
        grid=TRXS["grid"],
        weighting=TRXS["weighting"],
    script:
        "../scripts/trxs/deconvolve_observation.py"


rule plot_observation:
    input:
        obs=trxs_targets.observed_file("{observation}", "observation.nc"),
        svd=trxs_targets.observed_file("{observation}", "svd.nc"),
        kinetics=trxs_targets.observed_file("{observation}", "kinetics.nc"),
        deconvolved=trxs_targets.observed_file("{observation}", "deconvolved.nc"),
        inverted=trxs_targets.observed_file("{observation}", "inverted.nc"),
    output:
        # the provenance table (file, SHA-256, reader, what ran) and the figures of the SVD
        # and of the kinetic fit, each with the provenance in its footer
        provenance=trxs_targets.observed_file("{observation}", "provenance.csv"),
        figures=[
            report(
                path,
                caption=f"../report/trxs/observed_{Path(path).stem}.rst",
                category="TRXS",
                subcategory="observed data: {observation}",
                labels={
                    "figure": Path(path).stem.replace("_", " "),
                    "observation": "{observation}",
                },
            )
            for path in trxs_targets.observed_figures()
        ],
    log:
        "results/logs/trxs/plot_observation/{observation}.log",
    benchmark:
        "results/benchmarks/trxs/plot_observation/{observation}.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        q_values=TRXS["observed_q"],
        kinetic_model=lambda wc: trxs_observed.rule_params(
            config["trxs"], wc.observation
        )["kinetic_model"],
    script:
        "../scripts/trxs/plot_observation.py"
