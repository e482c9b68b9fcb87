# Beyond the paper: noisy measured signals, Tikhonov deconvolution and the pulse-aware kinetic fit.


def deconvolution_targets():
    return []
