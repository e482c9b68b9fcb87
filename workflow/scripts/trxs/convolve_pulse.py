"""Rule convolve_pulse: ΔS(q, τ) and ΔS[r, τ] for one x-ray pulse (TRXS Eq. 1) and its jitter averages (Eqs 7-8)."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.trxs.batches import pulse_average_cases

with logged(snakemake.log[0]):
    p = snakemake.params
    inst = read_dataset(snakemake.input[0], required=["delta_s_r", "delta_s_q"], dims=["t", "r", "q"])
    profile = getattr(snakemake.input, "profile", None)  # a measured pulse profile is an input file
    pulse = dict(p.pulse, profile_file=profile) if profile else p.pulse
    fractions = [float(j) for j in p.fractions]
    conv, jit = pulse_average_cases(inst, pulse, float(snakemake.wildcards.fwhm), p.delays, fractions, p.jitter)
    write_dataset(conv, snakemake.output.convolved, params={"pulse": p.pulse, "delays": p.delays})
    for ds, path in zip(jit, snakemake.output.jitter, strict=True):
        write_dataset(ds, path, params={"delays": p.delays, "jitter": p.jitter})
