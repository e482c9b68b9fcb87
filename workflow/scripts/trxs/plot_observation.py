"""Rule plot_observation: the SVD and kinetic-fit figures of one observation and its provenance table."""

from kineticflow.core.io import logged, read_dataset, write_text
from kineticflow.core.plotting import save
from kineticflow.trxs import steps

with logged(snakemake.log[0]):
    inp, out = snakemake.input, snakemake.output
    obs = read_dataset(inp.obs, required=["delta_s", "sigma"])
    svd = read_dataset(inp.svd, required=["singular_value", "left_vector", "right_vector"])
    fit = read_dataset(inp.kinetics, required=["fit", "residual", "chi2_reduced"])
    deconvolved, inverted = read_dataset(inp.deconvolved), read_dataset(inp.inverted)
    figures, table = steps.plot_observation(
        snakemake.wildcards.observation, obs, svd, fit, deconvolved, inverted, snakemake.params.q_values
    )
    write_text(table, out.provenance)
    for figure, path in zip(figures, out.figures, strict=True):
        save(figure, path)
