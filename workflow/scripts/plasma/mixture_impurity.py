"""Rule mixture_impurity: impurity VACF shapes, D2/D1 and the Brownian-limit ratio D2(m2/m1 = 10)/D2(100) (plasma paper Fig. 3)."""

from kineticflow.core.io import logged, read_dataset, write_text
from kineticflow.core.plotting import save
from kineticflow.plasma import steps

with logged(snakemake.log[0]):
    required = ["d_1", "d_2", "d_1_stderr", "d_2_stderr"]
    d = read_dataset(snakemake.input.diffusion, required=required, dims=["mixture", "gamma"])
    runs = [read_dataset(f, required=["vacf_2"], dims=["lag"]) for f in snakemake.input.runs]
    table, brownian, figure = steps.mixture_impurity(d, runs)
    print(table.to_string(), brownian.to_string(), sep="\n")
    write_text(table.to_csv(index=False, float_format="%.6g"), snakemake.output.impurity)
    write_text(brownian.to_csv(index=False, float_format="%.6g"), snakemake.output.brownian)
    save(figure, snakemake.output.figure)
