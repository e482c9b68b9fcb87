# Report: figures and tables that a physicist reads instead of the raw files.
# Every figure is declared with report(..., caption=..., category=...); captions in workflow/report/.


# What each branch shows: kineticflow.<branch>.targets.report(config) (BRANCH_REPORTS, common.smk).


# `snakemake --report` plans the report from the config it is given, not from the run's: without
# the run's --configfile it looks for the default config's files. Say so in one line, naming both
# configs (the run's is in results/config.yaml), instead of a warning per file and an error.
_REPORT, _REPORT_FILE = report_requested(sys.argv)
if _REPORT:
    _PROBLEM = report_preflight(
        [
            *(f for r in BRANCH_REPORTS for f in r.inputs),
            *report_targets(BRANCH_REPORTS),
        ],
        config_digest(config),
        RUN_CONFIGFILES,
        report_file=_REPORT_FILE,
    )
    if _PROBLEM:
        print(_PROBLEM, file=sys.stderr)
        sys.exit(1)


localrules:
    run_config,


# The run's config as a file: the run summary reads it (its params stay a digest, so a changed
# config reruns it with a short "Params have changed" line) and so does `snakemake --report`.
rule run_config:
    output:
        RUN_CONFIG,
    log:
        "results/logs/report/run_config.log",
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        sha256=config_digest(config),
        configfiles=RUN_CONFIGFILES,
    script:
        "../scripts/report/run_config.py"


rule table_html:
    input:
        lambda wc: table_csv(BRANCH_REPORTS, wc.category, wc.table),
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
        "../scripts/report/table_html.py"


rule summarise_run:
    input:
        [f for r in BRANCH_REPORTS for f in r.inputs],
        table_targets(BRANCH_REPORTS),
        run_config=RUN_CONFIG,
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
        # title: [CSV, pandas query selecting the headline rows ("" = all), columns ([] = all)]
        headline=headline_spec(BRANCH_REPORTS),
        benchmark_root=lambda wildcards, output: str(
            Path(output.benchmarks).with_suffix("")
        ),
    script:
        "../scripts/report/summarise_run.py"
