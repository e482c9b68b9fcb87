# Report: figures and tables that a physicist reads instead of the raw files.
# Every figure is declared with report(..., caption=..., category=...); captions in workflow/report/.


# What each branch shows: kineticflow.<branch>.targets.report(config) (BRANCH_REPORTS, common.smk).


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
        headline=headline_spec(BRANCH_REPORTS),
        benchmark_root=lambda wildcards, output: str(
            Path(output.benchmarks).with_suffix("")
        ),
    script:
        "../scripts/report/summarise_run.py"
