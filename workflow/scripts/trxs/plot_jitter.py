"""Rule plot_jitter: effective pulse vs jitter (TRXS Eqs 7-8) and the broadening table."""

from kineticflow.core.io import logged, read_dataset, write_text
from kineticflow.core.plotting import save
from kineticflow.trxs.plots import jitter_figure
from kineticflow.core.report import table_html
from kineticflow.trxs.analysis import jitter_broadening_table

with logged(snakemake.log[0]):
    sets = [read_dataset(f, required=["pulse_analytic", "pulse_monte_carlo"]) for f in snakemake.input]
    save(jitter_figure(sets), snakemake.output.figure)
    table = jitter_broadening_table(sets)
    write_text(table.to_csv(index=False), snakemake.output.table)
    write_text(
        table_html(table, "Jitter broadening of the effective pulse (TRXS paper Eqs 7-8)"), snakemake.output.html
    )
