# Report: figures and tables that a physicist reads instead of the raw files.
# Every figure is declared with report(..., caption=..., category=...); captions in workflow/report/.


# Targets: report_targets(), trxs_report_targets() and report_table_targets() are in common.smk.

# CSV tables shown as HTML in the report: results/tables/{category}/{table}.html
REPORT_TABLES = {
    "TRXS": {
        "kinetic_fit": "results/trxs/fits/summary.csv",
        "deconvolution_error": "results/trxs/deconvolved/summary.csv",
    },
    "Plasma": {
        "model_parameters": "results/plasma/fits.csv",
        "d_star": "results/plasma/d_star.csv",
        **(
            {"mixtures_table2": "results/plasma/mixtures/table2.csv"}
            if config["mixtures"]["enabled"]
            else {}
        ),
    },
}


rule table_html:
    input:
        lambda wc: REPORT_TABLES[wc.category][wc.table],
    output:
        report(
            "results/tables/{category}/{table}.html",
            caption="../report/table.rst",
            category="{category}",
            subcategory="tables",
            labels={"table": "{table}"},
        ),
    log:
        "results/logs/report/table_html/{category}_{table}.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    script:
        "../scripts/table_html.py"


rule summarise_run:
    input:
        trxs_targets(),
        deconvolution_targets(),
        plasma_targets(),
        trxs_report_targets(),
    output:
        summary=report(
            "results/summary.html",
            caption="../report/summary.rst",
            category="Summary",
            labels={"page": "run summary"},
        ),
        benchmarks="results/benchmarks.csv",
    log:
        "results/logs/report/summarise_run.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        config=config,
        # title: [CSV, pandas query selecting the headline rows ("" = all), columns ([] = all)]
        headline={
            "Jitter broadening (TRXS paper Eq. 8)": [
                "results/trxs/jitter_broadening.csv",
                "",
                [],
            ],
            "Kinetic fit: τ_r recovered per pulse and SNR (full table under TRXS)": [
                "results/trxs/fits/summary.csv",
                "parameter == 'tau_r_ps'",
                ["fwhm_ps", "snr", "true", "fitted", "stderr", "relative_error"],
            ],
            "Deconvolution: relative RMS error vs SNR": [
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
            ],
            "Plasma: fitted vs published model parameters (Table I)": [
                "results/plasma/fits.csv",
                "",
                ["kappa", "parameter", "fitted", "stderr", "published", "rel_diff"],
            ],
        },
        benchmark_root=lambda wildcards, output: str(
            Path(output.benchmarks).with_suffix("")
        ),
    script:
        "../scripts/summarise_run.py"


rule plot_trxs_signals:
    input:
        instantaneous="results/trxs/instantaneous.nc",
        convolved=expand("results/trxs/convolved/fwhm-{fwhm}ps.nc", fwhm=FWHMS),
    output:
        inst_r=report(
            "results/trxs/figures/instantaneous_r.png",
            caption="../report/instantaneous_r.rst",
            category="TRXS",
            subcategory="instantaneous signal",
            labels={"figure": "ΔS_inst[r,t]"},
        ),
        inst_q=report(
            "results/trxs/figures/instantaneous_q.png",
            caption="../report/instantaneous_q.rst",
            category="TRXS",
            subcategory="instantaneous signal",
            labels={"figure": "ΔS_inst(q,t)"},
        ),
        pulses_r=report(
            "results/trxs/figures/pulses_r.png",
            caption="../report/pulses_r.rst",
            category="TRXS",
            subcategory="finite pulses",
            labels={"figure": "ΔS[r,τ] per pulse"},
        ),
        pulses_q=report(
            "results/trxs/figures/pulses_q.png",
            caption="../report/pulses_q.rst",
            category="TRXS",
            subcategory="finite pulses",
            labels={"figure": "ΔS(q,τ) per pulse"},
        ),
        peak=report(
            "results/trxs/figures/peak_position.png",
            caption="../report/peak_position.rst",
            category="TRXS",
            subcategory="finite pulses",
            labels={"figure": "positive r-peak vs time"},
        ),
    log:
        "results/logs/report/plot_trxs_signals.log",
    benchmark:
        "results/benchmarks/report/plot_trxs_signals.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        times=config["trxs"]["report"]["times_ps"],
    script:
        "../scripts/plot_trxs_signals.py"


rule plot_jitter:
    input:
        expand(
            "results/trxs/jitter/fwhm-{fwhm}ps_jitter-{jitter}.nc",
            fwhm=FWHMS,
            jitter=JITTERS,
        ),
    output:
        figure=report(
            "results/trxs/figures/jitter_pulses.png",
            caption="../report/jitter_pulses.rst",
            category="TRXS",
            subcategory="jitter",
            labels={"figure": "effective pulse vs jitter"},
        ),
        table="results/trxs/jitter_broadening.csv",
        html=report(
            "results/trxs/jitter_broadening.html",
            caption="../report/jitter_table.rst",
            category="TRXS",
            subcategory="jitter",
            labels={"table": "jitter broadening"},
        ),
    log:
        "results/logs/report/plot_jitter.log",
    benchmark:
        "results/benchmarks/report/plot_jitter.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../scripts/plot_jitter.py"


rule plot_inversion:
    input:
        "results/trxs/inverted/fwhm-{fwhm}ps_jitter-0.nc"
        if "0" in JITTERS
        else f"results/trxs/inverted/fwhm-{{fwhm}}ps_jitter-{JITTERS[0]}.nc",
    output:
        report(
            "results/trxs/figures/inversion_fwhm-{fwhm}ps.png",
            caption="../report/inversion.rst",
            category="TRXS",
            subcategory="{fwhm} ps pulse",
            labels={"figure": "Fourier inversion", "pulse": "{fwhm} ps"},
        ),
    log:
        "results/logs/report/plot_inversion/fwhm-{fwhm}ps.log",
    benchmark:
        "results/benchmarks/report/plot_inversion/fwhm-{fwhm}ps.tsv"
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        times=[0, 100, 1000],
    script:
        "../scripts/plot_inversion.py"
