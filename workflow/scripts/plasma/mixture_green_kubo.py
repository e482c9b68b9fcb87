"""Rule mixture_green_kubo: Green-Kubo D1, D2 of every mixture run, D12(mixture, Gamma) and the Table II comparison."""

from kineticflow.core.io import logged, read_dataset, write_dataset, write_text
from kineticflow.plasma import steps

with logged(snakemake.log[0]):
    required = ["vacf_1", "vacf_2", "vacf_1_block", "vacf_2_block"]
    runs = [read_dataset(f, required=required, dims=["lag"]) for f in snakemake.input]
    tail = bool(snakemake.params.tail_correction)
    ds, table = steps.mixture_green_kubo(runs, tail)
    print(table.to_string())
    write_dataset(ds, snakemake.output.nc, source="Green-Kubo D_j per species; D12 = x2 D1 + x1 D2; Chapman-Spitzer D12",
                  params={"tail_correction": tail}, allow_nonfinite=list(ds.data_vars))  # fmt: skip
    write_text(table.to_csv(index=False, float_format="%.6g"), snakemake.output.csv)
