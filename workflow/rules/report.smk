# Report: figures and tables that a physicist reads instead of the raw files.
# Every figure is declared with report(..., caption=..., category=...); captions in workflow/report/.


# Targets: report_targets() and report_table_targets() in report_functions.smk; what each branch
# shows is registered in its *_functions.smk (REPORT_TABLES, HEADLINE, REPORT_INPUTS).


include: "report_functions.smk"


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
        "../scripts/report/table_html.py"


rule summarise_run:
    input:
        REPORT_INPUTS,
        report_table_targets(),
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
        headline=HEADLINE,
        benchmark_root=lambda wildcards, output: str(
            Path(output.benchmarks).with_suffix("")
        ),
    script:
        "../scripts/report/summarise_run.py"
