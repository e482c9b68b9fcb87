"""Rule plot_escatter: DCS data vs theory per energy (paper Fig. 2) and ICS vs energy (Fig. 3)."""

from kineticflow.core.io import logged, read_dataset
from kineticflow.core.plotting import save
from kineticflow.escatter.plots import plot_dcs, plot_ics

with logged(snakemake.log[0]):
    measured = read_dataset(snakemake.input.measured)
    theory = read_dataset(snakemake.input.theory)
    ics = read_dataset(snakemake.input.ics)
    save(plot_dcs(measured, theory, ics), snakemake.output.dcs)
    save(plot_ics(ics, theory), snakemake.output.ics)
