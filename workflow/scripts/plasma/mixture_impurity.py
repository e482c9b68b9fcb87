"""Rule mixture_impurity: impurity VACF shapes, D2/D1 and the Brownian-limit ratio D2(m2/m1 = 10)/D2(100) (plasma paper Fig. 3)."""

from kineticflow.core.io import logged, read_dataset, write_text
from kineticflow.core.plotting import save
from kineticflow.plasma.mixtures.impurity import brownian_limit_table, impurity_table
from kineticflow.plasma.mixtures_plots import plot_impurity

with logged(snakemake.log[0]):
    d = read_dataset(
        snakemake.input.diffusion, required=["d_1", "d_2", "d_1_err", "d_2_err"], dims=["mixture", "gamma"]
    )
    runs = [read_dataset(f, required=["vacf_2"], dims=["lag"]) for f in snakemake.input.runs]
    table = impurity_table(d, runs)
    brownian = brownian_limit_table(d)
    print(table.to_string(), brownian.to_string(), sep="\n")
    write_text(table.to_csv(index=False, float_format="%.6g"), snakemake.output.impurity)
    write_text(brownian.to_csv(index=False, float_format="%.6g"), snakemake.output.brownian)
    save(plot_impurity(runs, table), snakemake.output.figure)
