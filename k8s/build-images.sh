#!/usr/bin/env bash
# Builds the images k8s/base names: reap-omni/<service>:<Maven version>, and the GPU calibration image with the
# suffix -cu128. Needs a Docker engine; run from anywhere after 'mvn -B -DskipTests package'.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(mvn -q -B help:evaluate -Dexpression=project.version -DforceStdout)
for service in strip-service calibration-service scoring-service shard-writer-service; do
  docker build -f "$service/src/main/docker/Dockerfile.jvm" -t "reap-omni/$service:$version" "$service"
done
docker build -f calibration-service/src/main/docker/Dockerfile.cu128 -t "reap-omni/calibration-service:$version-cu128" calibration-service
