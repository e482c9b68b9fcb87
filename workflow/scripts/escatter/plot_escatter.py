"""Rule plot_escatter: DCS data vs theory per energy (paper Fig. 2) and ICS vs energy (Fig. 3)."""

from kineticflow.core.io import logged, read_dataset
from kineticflow.core.plotting import save
from kineticflow.escatter import steps

with logged(snakemake.log[0]):
    figures = steps.plot_escatter(
        read_dataset(snakemake.input.measured), read_dataset(snakemake.input.theory), read_dataset(snakemake.input.ics)
    )
    for name, fig in figures.items():
        save(fig, snakemake.output[name])
