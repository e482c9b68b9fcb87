"""Rule average_jitter: jitter-averaged pulse, analytic (Eq. 8) and Monte-Carlo (Eq. 7)."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.trxs.signals import average_jitter

with logged(snakemake.log[0]):
    p = snakemake.params
    inst = read_dataset(snakemake.input.instantaneous, required=["delta_s_r", "delta_s_q"], dims=["t"])
    conv = read_dataset(snakemake.input.convolved, required=["pulse"], dims=["t_rel"])
    ds = average_jitter(inst, conv, p.pulse, float(snakemake.wildcards.jitter), p.jitter, p.delays)
    write_dataset(ds, snakemake.output[0], params={"delays": p.delays, "jitter": p.jitter})
