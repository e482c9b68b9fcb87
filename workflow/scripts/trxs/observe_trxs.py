"""Rule observe_trxs: one x-ray pulse (TRXS Eq. 1), its jitter averages (Eqs 7-8) and noisy measurements."""

from kineticflow.core.io import logged, read_dataset, write_dataset
from kineticflow.trxs import steps
from kineticflow.trxs.config import Observation

with logged(snakemake.log[0]):
    p, out = snakemake.params, snakemake.output
    inst = read_dataset(snakemake.input.inst, required=["delta_s_r", "delta_s_q"], dims=["t", "r", "q"])
    profile = getattr(snakemake.input, "profile", None) or None  # a measured pulse profile is an input file
    observation = Observation.from_dict(p.observation)
    conv, jit, measured = steps.observe_trxs(inst, snakemake.wildcards.fwhm, observation, profile)
    o = p.observation
    write_dataset(conv, out.convolved, params={"pulse": o["pulse"], "delays": o["delays"]})
    for ds, path in zip(jit, out.jitter, strict=True):
        write_dataset(ds, path, params={"delays": o["delays"], "jitter": o["jitter"]})
    for ds, path in zip(measured, out.measured, strict=True):
        write_dataset(ds, path, params={"measurement": o["measurement"]})
