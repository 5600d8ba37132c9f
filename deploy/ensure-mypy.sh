#!/usr/bin/env bash
# mypy type-checks the Python SDK sample against the runtime's stub (SdkTypesTest; scaffolded plugins' mypy.ini).
exec "$(dirname "$0")/ensure-tool.sh" mypy mypy "mypy, the Python type checker"
