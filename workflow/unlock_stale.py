"""Remove a stale Snakemake lock before `make run`, or say in one line why not.

Snakemake locks the working directory (``.snakemake/locks``) while it runs and leaves the lock
behind when it is killed. If a lock exists and no Snakemake process has this directory as its
working directory, the lock is stale: it is removed with ``snakemake --unlock`` and the run resumes
(``make run`` passes ``--rerun-incomplete``). If another Snakemake is running here, the lock is
real: this exits 1 with one line saying what to do.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path


def snakemake_running_in(directory: Path) -> list[int]:
    """Process ids of other Snakemake processes whose working directory is ``directory`` (Linux /proc)."""
    me = os.getpid()
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        pid = int(proc.name)
        if pid in (me, os.getppid()):
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
            cwd = Path(os.readlink(proc / "cwd"))
        except OSError:
            continue
        if any(part.endswith(b"snakemake") for part in cmdline[:2]) and cwd == directory:
            found.append(pid)
    return found


def main(argv: list[str] | None = None) -> int:
    """Unlock a stale lock; exit 1 with one line if another Snakemake holds it."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--snakemake", default="snakemake", help="the snakemake executable")
    args = ap.parse_args(argv)
    here = Path.cwd().resolve()
    locks = here / ".snakemake" / "locks"
    if not locks.is_dir() or not any(locks.iterdir()):
        return 0
    busy = snakemake_running_in(here)
    if busy:
        print(
            f"kineticflow: another Snakemake (pid {', '.join(map(str, busy))}) is running in {here}; "
            "wait for it or stop it, then run `make run` again",
            file=sys.stderr,
        )
        return 1
    print("kineticflow: removing the lock left by an interrupted run; resuming it", file=sys.stderr)
    proc = subprocess.run([args.snakemake, "--unlock", "--cores", "1"], capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"kineticflow: `snakemake --unlock` failed: {proc.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
