"""Rule synthesise_profiles: one Lightweaver NLTE Hα profile and its atmosphere for (P0, F20)."""

from kineticflow.core.io import logged, write_dataset
from kineticflow.halpha import steps
from kineticflow.halpha.config import from_params, to_attrs

with logged(snakemake.log[0]):
    p = from_params(snakemake.params)
    wc = snakemake.wildcards
    ds = steps.synthesise_profiles(float(wc.p0), float(wc.f20), **p, n_threads=snakemake.threads)
    write_dataset(ds, snakemake.output[0], params=to_attrs(p))
