"""X-ray fluorescence holography in reciprocal space: the signs of the structure factors.

After S. Marchesini et al., *Holographic analysis of diffraction structure factors* ("the XFH
paper"): a fluorescence hologram χ(k̂) of a cubic crystal (V inside detector, PbSe inside source)
is simulated from its structure factors F_h (Eqs 7–10), recorded the way the experiment does it (a
spiral scan with counting noise, division by a smooth reference, m-3m symmetrisation), and
reconstructed in reciprocal space, G(h′) = ⟨χ χ̃*_{h′}⟩ (Eqs 4–5), and in real space, U(r′) (Eq. 3).
Since Re G(h) ≈ −8π a(h) Re F_h (Eq. 11), the sign of Re G at each Bragg-accessible lattice vector
gives the sign of Re F_h, which the branch compares with the truth. Formulas: :mod:`.crystals`,
:mod:`.kernels`, :mod:`.reconstruction`, :mod:`.phases`; the simulated device: :mod:`.instrument`;
the analysis of counts: :mod:`.processing`; one function per rule: :mod:`.steps`; config checks and
rule parameters: :mod:`.config`; figures: :mod:`.plots`; targets and report: :mod:`.targets`.
Physics notes: ``docs/xfh.md``.
"""

#: The branch's source, as cited in the ``source`` attribute of its results.
PAPER = "S. Marchesini et al., Holographic analysis of diffraction structure factors"
