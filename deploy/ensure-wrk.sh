#!/usr/bin/env bash
# wrk (a compiled HTTP load generator) drives the service in make bench's load section.
exec "$(dirname "$0")/ensure-tool.sh" wrk wrk
