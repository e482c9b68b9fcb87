#!/usr/bin/env bash
# `make test-slurm`: run the test config through snakemake-executor-plugin-slurm on a throw-away
# single-node SLURM cluster on 127.0.0.1 and check the results equal those of a local run.
#
#  1. installs Debian's slurm-wlm and munge if missing (needs root and apt-get);
#  2. starts munged, slurmctld and slurmd from a temporary state dir (tests/slurm/slurm.conf.in;
#     proctrack/linuxproc, task/none, no accounting), on free ports, touching nothing in /etc;
#  3. copies the workflow (Snakefile, workflow/, src/, config/, envs/, resources/) into the
#     state dir and runs that copy locally (workflow/profiles/default) and through SLURM
#     (--workflow-profile workflow/profiles/slurm), each in its own temporary --directory;
#  4. compares every netCDF/CSV result (tests/slurm/compare.py);
#  5. always stops the daemons it started and removes the state dir (KEEP_SLURM_TEST=1 keeps it).
#
# Job status: without slurmdbd `sacct` has no data, so the plugin is told to poll
# `squeue --states=all` (MinJobAge=600 keeps finished jobs visible).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=${BIN:-$ROOT/.venv/bin}
LIMIT=${SLURM_TEST_TIMEOUT:-900}      # seconds allowed for each Snakemake run (~4-9 min here)
KEEP=${KEEP_SLURM_TEST:-0}
# extra Snakemake arguments for both runs, e.g. SLURM_TEST_ARGS="--omit-from simulate_md"
read -r -a EXTRA <<<"${SLURM_TEST_ARGS:-}"
T0=$SECONDS

say() { echo "test-slurm: $*"; }
die() { say "FAILED: $*"; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root (starts slurmd/slurmctld/munged)"
[[ -x $BIN/snakemake ]] || die "no $BIN/snakemake (run 'make install' first)"

# --- 1. packages --------------------------------------------------------------------------
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null \
    || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
    command -v apt-get >/dev/null || die "slurm-wlm/munge missing and no apt-get"
    say "installing slurm-wlm and munge with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq </dev/null >/dev/null
    apt-get install -y -qq --no-install-recommends slurm-wlm munge </dev/null >/dev/null
fi
say "$(slurmctld -V), $(munged -V 2>&1 | awk '{print $1}')"

# --- 2. daemons ---------------------------------------------------------------------------
STATE=$(mktemp -d /tmp/kineticflow-slurm.XXXXXX)
chmod 700 "$STATE"
PIDS=()
CHILD=""
cleanup() {
    local rc=$?
    set +e
    if [[ -n $CHILD ]]; then # an interrupted Snakemake: let it cancel its jobs, then kill it
        say "interrupted: stopping Snakemake (pid $CHILD)"
        kill -INT "$CHILD" 2>/dev/null
        for _ in $(seq 120); do kill -0 "$CHILD" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$CHILD" 2>/dev/null
        wait "$CHILD" 2>/dev/null
    fi
    if [[ -n ${SLURM_CONF:-} && -f $SLURM_CONF ]] && [[ ${#PIDS[@]} -gt 0 ]]; then
        scancel --full --quiet --user="$(id -un)" 2>/dev/null
    fi
    # stop in reverse start order: slurmd, slurmctld, munged
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
        kill "${PIDS[i]}" 2>/dev/null
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    [[ ${#PIDS[@]} -gt 0 ]] && say "stopped the daemons started here (pids ${PIDS[*]})"
    if [[ $rc -ne 0 ]]; then
        for f in slurmctld.log slurmd.log munge/munged.log; do
            [[ -f $STATE/$f ]] && { echo "----- $f (tail)"; tail -n 15 "$STATE/$f"; }
        done
    fi
    if [[ $KEEP == 1 ]]; then say "kept $STATE"; else rm -rf "$STATE"; fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

HOST=$(hostname -s)
# the node as slurmd sees it (CPUs, sockets, cores, threads), with 90 % of its memory
NODE_HW=$(slurmd -C | head -n 1 | tr ' ' '\n' | grep -E '^(CPUs|Boards|SocketsPerBoard|CoresPerSocket|ThreadsPerCore)=' | tr '\n' ' ')
MEM=$(slurmd -C | head -n 1 | tr ' ' '\n' | sed -n 's/^RealMemory=//p')
NODE_HW="$NODE_HW RealMemory=$((MEM * 9 / 10))"
CTLD_PORT=$(free_port)
SLURMD_PORT=$(free_port)
while [[ $SLURMD_PORT == "$CTLD_PORT" ]]; do SLURMD_PORT=$(free_port); done
mkdir -p "$STATE"/{munge,slurmctld,slurmd,local,slurm}
chmod 700 "$STATE/munge"
sed -e "s|@HOST@|$HOST|g" -e "s|@STATE@|$STATE|g" -e "s|@CTLD_PORT@|$CTLD_PORT|g" \
    -e "s|@SLURMD_PORT@|$SLURMD_PORT|g" -e "s|@NODE_HW@|$NODE_HW|g" \
    "$ROOT/tests/slurm/slurm.conf.in" >"$STATE/slurm.conf"
export SLURM_CONF=$STATE/slurm.conf

SOCK=$STATE/munge/munge.socket
dd if=/dev/urandom of="$STATE/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$STATE/munge/munge.key"
munged --foreground --force --key-file="$STATE/munge/munge.key" --socket="$SOCK" \
    --pid-file="$STATE/munge/munged.pid" --log-file="$STATE/munge/munged.log" \
    --seed-file="$STATE/munge/munged.seed" </dev/null >>"$STATE/munge/munged.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [[ -S $SOCK ]] && break; sleep 0.2; done
munge --socket="$SOCK" -n </dev/null | unmunge --socket="$SOCK" >/dev/null || die "munged does not answer on $SOCK"

slurmctld -D -c -f "$SLURM_CONF" </dev/null >>"$STATE/slurmctld.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do scontrol ping 2>/dev/null | grep -q UP && break; sleep 0.3; done
scontrol ping | grep -q UP || die "slurmctld did not come up"
slurmd -D -f "$SLURM_CONF" -N "$HOST" </dev/null >>"$STATE/slurmd.log" 2>&1 &
PIDS+=($!)
state=""
for _ in $(seq 120); do
    state=$(sinfo -h -N -o '%T' -n "$HOST" 2>/dev/null || true)
    [[ $state == idle ]] && break
    sleep 0.5
done
[[ $state == idle ]] || die "node $HOST is '$state', not idle"
say "SLURM up in $((SECONDS - T0)) s: node $HOST ($NODE_HW), controller 127.0.0.1:$CTLD_PORT, state $STATE"

# --- 3. the two runs ------------------------------------------------------------------------
# Inside each job the executor's jobstep runs `srun` with SLURM_CONF removed from its
# environment; a real cluster has /etc/slurm/slurm.conf, this one has only $SLURM_CONF.
# A tiny `srun` wrapper (first on the exported PATH) puts it back; /etc stays untouched.
mkdir -p "$STATE/bin"
printf '#!/bin/sh\nSLURM_CONF=%q exec %q "$@"\n' "$SLURM_CONF" "$(command -v srun)" >"$STATE/bin/srun"
chmod +x "$STATE/bin/srun"
export PATH=$STATE/bin:$BIN:$PATH
export LD_LIBRARY_PATH=$ROOT/.venv/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export MPLBACKEND=Agg
# Both runs use one snapshot of the workflow (as a cluster user's checkout), so edits made to
# the working tree while the test runs cannot make the two runs differ.
TREE=$STATE/tree
mkdir -p "$TREE"
for item in Snakefile workflow src config envs resources; do
    if [[ -e $ROOT/$item ]]; then cp -a "$ROOT/$item" "$TREE/"; fi
done
find "$TREE" -name __pycache__ -prune -exec rm -rf {} +
CONFIG=${SLURM_TEST_CONFIG:-$TREE/config/test.yaml}
SMK=("$BIN/snakemake" -s "$TREE/Snakefile" --configfile "$CONFIG" "${EXTRA[@]}")

# Snakemake runs in the background so that a signal reaches the trap at once; SIGINT (on
# timeout or interrupt) makes it scancel its SLURM jobs before it exits.
run_smk() { # DIR LOG ARGS...
    local dir=$1 log=$2 rc=0
    shift 2
    (cd "$dir" && exec timeout -s INT -k 60 "$LIMIT" "${SMK[@]}" --directory "$dir" "$@" \
        </dev/null >"$log" 2>&1) &
    CHILD=$!
    wait "$CHILD" || rc=$?
    CHILD=""
    return $rc
}

t=$SECONDS
run_smk "$STATE/local" "$STATE/local.log" --workflow-profile "$TREE/workflow/profiles/default" --cores 2 \
    || { tail -n 40 "$STATE/local.log"; die "local run failed"; }
T_LOCAL=$((SECONDS - t))
say "local run: $T_LOCAL s"

t=$SECONDS
run_smk "$STATE/slurm" "$STATE/slurm.log" --workflow-profile "$TREE/workflow/profiles/slurm" \
    --slurm-status-command squeue --slurm-init-seconds-before-status-checks 2 \
    --slurm-logdir "$STATE/slurm-logs" \
    || { tail -n 60 "$STATE/slurm.log"; die "SLURM run failed (or exceeded ${LIMIT} s)"; }
T_SLURM=$((SECONDS - t))
# evidence that SLURM really ran the jobs
N_JOBS=$(squeue -h --states=all -o '%i' | wc -l)
STATES=$(squeue -h --states=all -o '%T' | sort | uniq -c | awk '{printf "%s %s, ", $1, $2}')
N_SMK=$(grep -cE 'has been submitted with SLURM jobid' "$STATE/slurm.log" || true)
say "SLURM run: $T_SLURM s, $N_SMK jobs submitted by snakemake; slurmctld: $N_JOBS jobs (${STATES%, })"
[[ $N_SMK -gt 0 && $N_JOBS -eq $N_SMK ]] || die "snakemake submitted $N_SMK jobs, slurmctld saw $N_JOBS"
squeue -h --states=all -o '%T' | grep -vq '^COMPLETED$' && die "not every SLURM job COMPLETED"

# --- 4. compare -----------------------------------------------------------------------------
"$BIN/python" "$ROOT/tests/slurm/compare.py" "$STATE/local/results" "$STATE/slurm/results" \
    || die "SLURM results differ from the local run"
say "PASSED in $((SECONDS - T0)) s (local $T_LOCAL s, SLURM $T_SLURM s)"
