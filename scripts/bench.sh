#!/usr/bin/env bash
# Speed check for hoplint, run by hand or in a scheduled job (never in the
# unit tests, whose timing a busy CI machine would make flaky).
#
# 1. A whole run (discover, parse, link, rules) on generated trees of 1,000
#    to 5,000 Kubernetes manifests plus 100 to 500 nginx servers must grow
#    linearly: time at scale 4 below 6× scale 1 (4× plus noise).
# 2. At scale 5 it must stay within twice the time yaml.v3 alone needs to
#    decode the same manifests.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(go test ./topology/ -run '^$' -bench 'BenchmarkBuild|BenchmarkDecodeOnly' -benchtime 5x -count 3)
echo "$out" | grep -E '^Benchmark'
awk '
  /^BenchmarkBuild\/scale=1-/ { s1 += $3; n1++ }
  /^BenchmarkBuild\/scale=4-/ { s4 += $3; n4++ }
  /^BenchmarkBuild\/scale=5-/ { s5 += $3; n5++ }
  /^BenchmarkDecodeOnly-/     { d += $3; nd++ }
  END {
    r = (s4/n4) / (s1/n1); q = (s5/n5) / (d/nd)
    printf "scale 4 / scale 1: %.2f (linear is 4, limit 6)\n", r
    printf "whole run / yaml.v3 decode at scale 5: %.2f (limit 2)\n", q
    exit (r > 6 || q > 2)
  }' <<<"$out"
