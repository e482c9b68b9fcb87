"""Rule average_jitter: jitter-averaged pulse, analytic (Eq. 8) and Monte-Carlo (Eq. 7), every fraction of one pulse."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.trxs.batches import average_jitter_cases

with logged(snakemake.log[0]):
    p = snakemake.params
    inst = read_dataset(snakemake.input.instantaneous, required=["delta_s_r", "delta_s_q"], dims=["t"])
    conv = read_dataset(snakemake.input.convolved, required=["pulse"], dims=["t_rel"])
    cases = average_jitter_cases(inst, conv, p.pulse, [float(j) for j in p.fractions], p.jitter, p.delays)
    for ds, path in zip(cases, snakemake.output, strict=True):
        write_dataset(ds, path, params={"delays": p.delays, "jitter": p.jitter})
