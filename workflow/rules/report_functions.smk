# Functions of the report rules (report.smk). Kept apart from the rules (snakemake --lint).


def report_table_targets():
    """One HTML table per CSV that a branch registered in REPORT_TABLES."""
    return [
        f"results/tables/{cat}/{name}.html"
        for cat, tables in REPORT_TABLES.items()
        for name in tables
    ]


def report_targets():
    return report_table_targets() + [
        "results/summary.html",
        "results/benchmarks.csv",
        RUN_CONFIG,
    ]
