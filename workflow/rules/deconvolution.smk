# Beyond the paper: noisy measured signals, Tikhonov deconvolution and the pulse-aware kinetic fit.
# Physics: SPEC.md Branch 1, "Deconvolution" and "Kinetic fit"; kineticflow.trxs.deconvolution,
# kineticflow.trxs.kinetic_fit. SNR: noise sigma = S_ref / SNR, S_ref per trxs.measurement.noise_reference.
# Targets and helper functions: common.smk.


rule add_noise:
    input:
        instantaneous="results/trxs/instantaneous.nc",
        jitter="results/trxs/jitter/fwhm-{fwhm}ps_jitter-{jitter}.nc",
    output:
        f"results/trxs/measured/{MEASURED}.nc",
    log:
        f"results/logs/trxs/add_noise/{MEASURED}.log",
    benchmark:
        f"results/benchmarks/trxs/add_noise/{MEASURED}.tsv"
    wildcard_constraints:
        snr=r"inf|[0-9]+(\.[0-9]+)?",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        # without the SNR and jitter lists: adding one SNR must not rerun the others
        measurement={
            k: v
            for k, v in config["trxs"]["measurement"].items()
            if k not in ("snr", "jitter_fractions")
        },
    script:
        "../scripts/add_noise.py"


rule deconvolve:
    input:
        instantaneous="results/trxs/instantaneous.nc",
        measured=f"results/trxs/measured/{MEASURED}.nc",
    output:
        f"results/trxs/deconvolved/{MEASURED}.nc",
    log:
        f"results/logs/trxs/deconvolve/{MEASURED}.log",
    benchmark:
        f"results/benchmarks/trxs/deconvolve/{MEASURED}.tsv"
    wildcard_constraints:
        snr=r"inf|[0-9]+(\.[0-9]+)?",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        deconvolution=config["trxs"]["deconvolution"],
    script:
        "../scripts/deconvolve.py"


rule fit_kinetics:
    input:
        f"results/trxs/measured/{MEASURED}.nc",
    output:
        f"results/trxs/fits/{MEASURED}.nc",
    log:
        f"results/logs/trxs/fit_kinetics/{MEASURED}.log",
    benchmark:
        f"results/benchmarks/trxs/fit_kinetics/{MEASURED}.tsv"
    wildcard_constraints:
        snr=r"inf|[0-9]+(\.[0-9]+)?",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        model=config["trxs"]["model"],
        kinetic_fit=config["trxs"]["kinetic_fit"],
        weighting=config["trxs"]["weighting"],
    script:
        "../scripts/fit_kinetics.py"


rule plot_deconvolution:
    input:
        deconvolved=_measured_files("deconvolved"),
        fits=_measured_files("fits"),
    output:
        figures=[
            report(
                path,
                caption=f"../report/deconvolution_{Path(path).stem}.rst",
                category="TRXS",
                subcategory="deconvolution and kinetic fit",
                labels={"figure": Path(path).stem.replace("_", " ")},
            )
            for path in DECONVOLUTION_FIGURES
        ],
        fit_table="results/trxs/fits/summary.csv",
        deconvolution_table="results/trxs/deconvolved/summary.csv",
    log:
        "results/logs/trxs/plot_deconvolution.log",
    benchmark:
        "results/benchmarks/trxs/plot_deconvolution.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    script:
        "../scripts/plot_deconvolution.py"
