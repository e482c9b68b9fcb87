"""Rule convolve_pulse: one x-ray pulse (TRXS Eq. 1), its jitter averages (Eqs 7-8) and noisy measurements."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.trxs.batches import pulse_cases

with logged(snakemake.log[0]):
    p = snakemake.params
    inst = read_dataset(snakemake.input[0], required=["delta_s_r", "delta_s_q"], dims=["t", "r", "q"])
    profile = getattr(snakemake.input, "profile", None)  # a measured pulse profile is an input file
    pulse = dict(p.pulse, profile_file=profile) if profile else p.pulse
    cfg = {**(dict(p.items()) if hasattr(p, "items") else vars(p)), "pulse": pulse}
    conv, jit, measured = pulse_cases(inst, snakemake.wildcards.fwhm, cfg)
    write_dataset(conv, snakemake.output.convolved, params={"pulse": p.pulse, "delays": p.delays})
    for ds, path in zip(jit, snakemake.output.jitter, strict=True):
        write_dataset(ds, path, params={"delays": p.delays, "jitter": p.jitter})
    for ds, path in zip(measured, snakemake.output.measured, strict=True):
        write_dataset(ds, path, params={"measurement": p.measurement})
