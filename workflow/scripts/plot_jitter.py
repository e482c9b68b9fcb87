"""Rule plot_jitter: effective pulse vs jitter (TRXS Eqs 7-8) and the broadening table."""

from kineticflow.io import logged, read_dataset, write_text
from kineticflow.plotting import save
from kineticflow.plotting.trxs import jitter_figure
from kineticflow.trxs import jitter_broadening_table

with logged(snakemake.log[0]):
    sets = [read_dataset(f, required=["pulse_analytic", "pulse_monte_carlo"]) for f in snakemake.input]
    save(jitter_figure(sets), snakemake.output.figure)
    write_text(jitter_broadening_table(sets).to_csv(index=False), snakemake.output.table)
