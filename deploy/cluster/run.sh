#!/usr/bin/env bash
# `make cluster`: the academy as two web servers, a job worker and nginx on this machine,
# loopback only, with the checks of deploy/cluster/cluster.py. Bounded: stopped (and
# cleaned up) after CLUSTER_TIMEOUT seconds, 600 unless set. Arguments go to cluster.py
# (--seconds of load, --connections).
set -euo pipefail
cd "$(dirname "$0")/../.."
exec timeout --signal=TERM --kill-after=30 "${CLUSTER_TIMEOUT:-600}" \
  .venv/bin/python deploy/cluster/cluster.py "$@"
