"""Rule plot_inversion: Eq. 2 inversion with and without M(q) against the truth."""

from kineticflow.core.io import logged, read_dataset
from kineticflow.core.plotting import save
from kineticflow.trxs.plots import inversion_figure

with logged(snakemake.log[0]):
    inv = read_dataset(snakemake.input[0], required=["delta_s_r", "delta_s_r_unmodified", "delta_s_r_reference"])
    save(inversion_figure(inv, snakemake.params.times), snakemake.output[0])
