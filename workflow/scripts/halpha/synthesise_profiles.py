"""Rule synthesise_profiles: one Lightweaver NLTE Hα profile and its atmosphere for (P0, F20)."""

from kineticflow.core.io import logged, write_dataset
from kineticflow.halpha.profiles import synthesise_profile

with logged(snakemake.log[0]):
    p = dict(snakemake.params)
    ds = synthesise_profile(
        float(snakemake.wildcards.p0), float(snakemake.wildcards.f20), p, n_threads=snakemake.threads
    )
    write_dataset(ds, snakemake.output[0], params=p)
