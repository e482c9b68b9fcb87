"""Issue 27 item 2: after Ctrl-C a job stops, so the run can be resumed.

A SIGINT inside xarray's netCDF4 write left xarray's HDF5 file lock held; its own clean-up then
waited for that lock forever, and Snakemake waited for the job (found resuming the README's
commands: the interrupted run hung for 15 minutes). ``core.io`` holds the interrupt until the
write or read is done.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from conftest import ROOT

from kineticflow.core.io import interrupt_deferred

WRITER = textwrap.dedent(
    """
    import sys
    import numpy as np, xarray as xr
    from kineticflow.core.io import read_dataset, write_dataset
    ds = xr.Dataset({"x": (("q", "tau"), np.random.default_rng(0).random((2000, 2000)), {"units": "1", "long_name": "x"})})
    print("ready", flush=True)
    for i in range(1000):
        write_dataset(ds, sys.argv[1])
        read_dataset(sys.argv[1])
    """
)


def test_an_interrupt_waits_for_the_block_and_is_raised_after_it():
    done = []
    with pytest.raises(KeyboardInterrupt):
        with interrupt_deferred():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
            done.append("block finished")
    assert done == ["block finished"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_without_an_interrupt_nothing_changes():
    with interrupt_deferred():
        pass
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.parametrize("delay", [0.2, 0.45, 0.7, 0.95, 1.2])
def test_ctrl_c_during_netcdf_writes_and_reads_stops_the_job(tmp_path, delay):
    """SIGINT at some point of a write/read loop: the process ends within seconds, no temporary file left."""
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path / "out.nc")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail("the process hung after SIGINT (xarray's file lock held by the interrupted write)")
    assert proc.returncode != 0 and b"KeyboardInterrupt" in err
    assert not list(tmp_path.glob(".out.nc.*")), "a temporary file was left behind"
