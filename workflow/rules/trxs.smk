# TRXS branch: simulate -> convolve with the x-ray pulse and average over jitter -> invert.
# Physics: docs/trxs.md; TRXS paper Eqs 1-8.
# Targets, wildcards and the memory estimate trxs_mem_mb(): trxs_functions.smk.


include: "trxs_functions.smk"


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
        "../scripts/trxs/simulate_trxs.py"


rule convolve_pulse:
    input:
        inst="results/trxs/instantaneous.nc",
        profile=measured_pulse_profile,
    output:
        # one job per pulse width: the pulse (Eq. 1), every jitter fraction of it (Eqs 7-8) and
        # the noisy measurements (beyond the paper), one start-up and one FFT of the signal
        convolved="results/trxs/convolved/fwhm-{fwhm}ps.nc",
        jitter=expand(
            "results/trxs/jitter/fwhm-{{fwhm}}ps_jitter-{jitter}.nc", jitter=JITTERS
        ),
        measured=_measured_files("measured", "{fwhm}"),
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
        jitter={k: v for k, v in config["trxs"]["jitter"].items() if k != "fractions"},
        fractions=JITTERS,
        # noise seed: stable_seed(measurement.seed, fwhm, jitter and SNR labels of the file)
        measurement={
            k: v
            for k, v in config["trxs"]["measurement"].items()
            if k not in ("snr", "jitter_fractions")
        },
        measured_jitters=MEASURED_JITTERS,
        snrs=SNRS,
    script:
        "../scripts/trxs/convolve_pulse.py"


rule invert_fourier:
    input:
        expand(
            "results/trxs/jitter/fwhm-{fwhm}ps_jitter-{jitter}.nc",
            fwhm=FWHMS,
            jitter=JITTERS,
        ),
    output:
        # one job for every width and fraction: ~0.01 s of work each, and nothing but the
        # figures depends on it, so a new width reruns no other step
        expand(
            "results/trxs/inverted/fwhm-{fwhm}ps_jitter-{jitter}.nc",
            fwhm=FWHMS,
            jitter=JITTERS,
        ),
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
        inversion=config["trxs"]["inversion"],
        weighting=config["trxs"]["weighting"],
    script:
        "../scripts/trxs/invert_fourier.py"


# Beyond the paper: noisy measured signals, Tikhonov deconvolution and the pulse-aware kinetic fit.
# Physics: docs/trxs.md, "Beyond the paper"; kineticflow.trxs.deconvolution,
# kineticflow.trxs.kinetic_fit. SNR: noise sigma = S_ref / SNR, S_ref per trxs.measurement.noise_reference.
# Targets and helper functions: common.smk.


rule deconvolve_and_fit:
    input:
        instantaneous="results/trxs/instantaneous.nc",
        measured=_measured_files("measured", "{fwhm}"),
    output:
        # one job per pulse width analyses every (jitter, SNR) of it both ways: Tikhonov
        # deconvolution (one factorisation per effective pulse) and the kinetic fit (one
        # forward model per effective pulse)
        deconvolved=_measured_files("deconvolved", "{fwhm}"),
        fits=_measured_files("fits", "{fwhm}"),
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
        deconvolution=config["trxs"]["deconvolution"],
        model=config["trxs"]["model"],
        kinetic_fit=config["trxs"]["kinetic_fit"],
        weighting=config["trxs"]["weighting"],
    script:
        "../scripts/trxs/deconvolve_and_fit.py"


rule plot_trxs:
    input:
        deconvolved=_measured_files("deconvolved"),
        fits=_measured_files("fits"),
        instantaneous="results/trxs/instantaneous.nc",
        convolved=expand("results/trxs/convolved/fwhm-{fwhm}ps.nc", fwhm=FWHMS),
        jitter=expand(
            "results/trxs/jitter/fwhm-{fwhm}ps_jitter-{jitter}.nc",
            fwhm=FWHMS,
            jitter=JITTERS,
        ),
        inverted=expand(
            "results/trxs/inverted/fwhm-{fwhm}ps_jitter-{jitter}.nc",
            fwhm=FWHMS,
            jitter=INVERSION_FIGURE_JITTER,
        ),
    output:
        # every TRXS figure and table in one job (one matplotlib start-up): the paper's
        # signals, jitter and inversions, then the deconvolution and kinetic fit
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
        jitter_table="results/trxs/jitter_broadening.csv",
        jitter_html=report(
            "results/trxs/jitter_broadening.html",
            caption="../report/trxs/jitter_table.rst",
            category="TRXS",
            subcategory="jitter",
            labels={"table": "jitter broadening"},
        ),
        inversions=[
            report(
                f"results/trxs/figures/inversion_fwhm-{fwhm}ps.png",
                caption="../report/trxs/inversion.rst",
                category="TRXS",
                subcategory=f"{fwhm} ps pulse",
                labels={"figure": "Fourier inversion", "pulse": f"{fwhm} ps"},
            )
            for fwhm in FWHMS
        ],
        figures=[
            report(
                path,
                caption=f"../report/trxs/deconvolution_{Path(path).stem}.rst",
                category="TRXS",
                subcategory="deconvolution and kinetic fit",
                labels={"figure": Path(path).stem.replace("_", " ")},
            )
            for path in DECONVOLUTION_FIGURES
        ],
        fit_table="results/trxs/fits/summary.csv",
        deconvolution_table="results/trxs/deconvolved/summary.csv",
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
        times=config["trxs"]["report"]["times_ps"],
        inversion_times=[0, 100, 1000],
    script:
        "../scripts/trxs/plot_trxs.py"
