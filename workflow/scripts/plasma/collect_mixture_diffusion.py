"""Rule collect_mixture_diffusion: D1, D2, D12(mixture, Gamma) and the Table II comparison."""

from kineticflow.core.io import logged, read_dataset, write_dataset, write_text
from kineticflow.plasma.mixtures import collect_mixture_diffusion, table2_comparison

with logged(snakemake.log[0]):
    runs = [read_dataset(f, required=["d_1", "d_2", "d_1_err", "d_2_err"], dims=["lag"]) for f in snakemake.input]
    ds = collect_mixture_diffusion(runs)
    table = table2_comparison(ds)
    print(table.to_string())
    write_dataset(ds, snakemake.output.nc, source="Green-Kubo D_j per species; D12 = x2 D1 + x1 D2; Chapman-Spitzer D12",
                  allow_nonfinite=list(ds.data_vars))
    write_text(table.to_csv(index=False, float_format="%.6g"), snakemake.output.csv)
