# TRXS branch: simulate -> convolve with the x-ray pulse -> average over jitter -> invert.
# Physics: SPEC.md "Branch 1"; TRXS paper Eqs 1-8.
# Targets: trxs_targets() and the memory estimate trxs_mem_mb() are in common.smk.


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
        mem_mb=trxs_mem_mb,
        runtime=10,
    params:
        model=config["trxs"]["model"],
        grid=config["trxs"]["grid"],
        weighting=config["trxs"]["weighting"],
    script:
        "../scripts/simulate_trxs.py"


rule convolve_pulse:
    input:
        "results/trxs/instantaneous.nc",
    output:
        "results/trxs/convolved/fwhm-{fwhm}ps.nc",
    log:
        "results/logs/trxs/convolve_pulse/fwhm-{fwhm}ps.log",
    benchmark:
        "results/benchmarks/trxs/convolve_pulse/fwhm-{fwhm}ps.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=trxs_mem_mb,
        runtime=10,
    params:
        # without the list of widths: adding a width must not rerun the existing ones
        pulse={k: v for k, v in config["trxs"]["pulse"].items() if k != "fwhm_ps"},
        delays=config["trxs"]["delays"],
        workdir=workflow.basedir,
    script:
        "../scripts/convolve_pulse.py"


rule average_jitter:
    input:
        instantaneous="results/trxs/instantaneous.nc",
        convolved="results/trxs/convolved/fwhm-{fwhm}ps.nc",
    output:
        "results/trxs/jitter/fwhm-{fwhm}ps_jitter-{jitter}.nc",
    log:
        "results/logs/trxs/average_jitter/fwhm-{fwhm}ps_jitter-{jitter}.log",
    benchmark:
        "results/benchmarks/trxs/average_jitter/fwhm-{fwhm}ps_jitter-{jitter}.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=trxs_mem_mb,
        runtime=10,
    params:
        # without the lists of widths and fractions (they are wildcards here)
        pulse={k: v for k, v in config["trxs"]["pulse"].items() if k != "fwhm_ps"},
        jitter={k: v for k, v in config["trxs"]["jitter"].items() if k != "fractions"},
        delays=config["trxs"]["delays"],
    script:
        "../scripts/average_jitter.py"


rule invert_fourier:
    input:
        "results/trxs/jitter/fwhm-{fwhm}ps_jitter-{jitter}.nc",
    output:
        "results/trxs/inverted/fwhm-{fwhm}ps_jitter-{jitter}.nc",
    log:
        "results/logs/trxs/invert_fourier/fwhm-{fwhm}ps_jitter-{jitter}.log",
    benchmark:
        "results/benchmarks/trxs/invert_fourier/fwhm-{fwhm}ps_jitter-{jitter}.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        inversion=config["trxs"]["inversion"],
        weighting=config["trxs"]["weighting"],
    script:
        "../scripts/invert_fourier.py"
