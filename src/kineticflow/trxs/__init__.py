"""TRXS: structural kinetics seen through finite x-ray pulses (time-resolved x-ray scattering).

A photo-excited diatomic molecule in solution stretches, contracts with time constant τ_r and
returns to the ground state with lifetime τ_p; its instantaneous difference signal ΔS_inst in r
and q (Eqs 3–6) is seen through a finite x-ray pulse (Eq. 1), averaged over the pump–probe jitter
(Eqs 7–8) and Fourier-inverted over the measured q range (Eq. 2). Beyond the paper, noisy
measurements are deconvolved (Tikhonov) and fitted with the pulse-convolved model.

Paper: *Convolution problems in time-resolved x-ray scattering*, Ukr. J. Phys. **57**, 2 (2012).
Physics notes: ``docs/trxs.md``; rules: ``workflow/rules/trxs.smk`` (one function each in
:mod:`kineticflow.trxs.steps`).
"""
