"""Rule convolve_pulse: ΔS(q, τ) and ΔS[r, τ] for one x-ray pulse (TRXS Eq. 1)."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.trxs.signals import convolve_pulse

with logged(snakemake.log[0]):
    p = snakemake.params
    inst = read_dataset(snakemake.input[0], required=["delta_s_r", "delta_s_q"], dims=["t", "r", "q"])
    profile = getattr(snakemake.input, "profile", None)  # a measured pulse profile is an input file
    pulse = dict(p.pulse, profile_file=profile) if profile else p.pulse
    ds = convolve_pulse(inst, pulse, float(snakemake.wildcards.fwhm), p.delays)
    write_dataset(ds, snakemake.output[0], params={"pulse": p.pulse, "delays": p.delays})
