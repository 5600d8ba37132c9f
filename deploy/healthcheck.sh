#!/bin/bash
# Container health check without curl: bash's /dev/tcp asks /q/health/ready and
# succeeds only on HTTP 200 (ready = the Docker engine answers, see DockerReadinessCheck).
set -u
port=${QUARKUS_HTTP_PORT:-8080}
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /q/health/ready HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
read -r -t 4 status_line <&3 || exit 1
exec 3<&-
[[ $status_line == "HTTP/1."?" 200"* ]]
