"""Rule corresponding_states: Rosenfeld's reduced D_R against Gamma/Gamma_m for every kappa (issue 26)."""

from kineticflow.core.io import logged, read_dataset, write_text
from kineticflow.core.plotting import save
from kineticflow.plasma import steps

with logged(snakemake.log[0]):
    d = read_dataset(snakemake.input[0], required=["d_star", "d_star_stderr"], dims=["kappa", "gamma"])
    table, figure = steps.corresponding_states(d)
    print(table.to_string())
    write_text(table.to_csv(index=False, float_format="%.6g"), snakemake.output.csv)
    save(figure, snakemake.output.figure)
