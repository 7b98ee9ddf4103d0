#!/usr/bin/env bash
# Entrypoint of docker-compose.yml's Flink containers (jobmanager, taskmanager, submit). It puts the repository's
# flink-conf/config.yaml (mounted read-only at /opt/pulse/flink-conf/config.yaml) where the official image reads its
# configuration, then hands over to the image's own entrypoint, which writes FLINK_PROPERTIES (addresses, folders) on
# top and starts the command (jobmanager, taskmanager, or anything else as user flink).
# Why a copy: the image's entrypoint rewrites $FLINK_HOME/conf/config.yaml in place (config-parser-utils.sh), which
# fails on a file mounted read-only.
set -euo pipefail
# Without taskmanager.host a TaskManager announces the address it reaches the JobManager from (its container's), as the
# official image's own configuration does; the file's "localhost" would send other containers to themselves. Removed,
# not overridden, so that "docker compose up --scale taskmanager=N" works too.
sed '/^taskmanager\.host:/d' /opt/pulse/flink-conf/config.yaml > "$FLINK_HOME/conf/config.yaml"
# A fresh named volume belongs to root; Flink runs as user flink (the image's entrypoint drops to it).
if [[ $(id -u) == 0 && -d /flink-data ]]; then
  chown flink:flink /flink-data
fi
exec /docker-entrypoint.sh "$@"
