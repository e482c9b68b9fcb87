"""Rule summarise_run: the report's first page (config, versions, wall times, headline numbers)."""

from pathlib import Path

from kineticflow.config.run import read_run_config
from kineticflow.core.io import logged, write_text
from kineticflow.core.report import collect_benchmarks, headline_tables, per_rule_times, software_versions, summary_html

with logged(snakemake.log[0]):
    p = snakemake.params
    run = read_run_config(snakemake.input.run_config)
    if run is None:
        raise ValueError(f"{snakemake.input.run_config}: not a config written by rule run_config")
    bench = collect_benchmarks(Path(p.benchmark_root).rglob("*.tsv"), p.benchmark_root)
    write_text(bench.to_csv(index=False), snakemake.output.benchmarks)
    page = summary_html(
        run.config, software_versions(), per_rule_times(bench), headline_tables(p.headline), run.configfiles
    )
    write_text(page, snakemake.output.summary)
