#!/usr/bin/env bash
# Measures, in one run on this machine, the cold `plan` of a stack and a bare JVM start on the
# same jar (`--help`: opens the jar, loads two classes, exits), and prints medians and the ratio.
#   bash bench/plan-startup.sh [stack] [runs]     (after ./mvnw -B package)
set -euo pipefail
cd "$(dirname "$0")/.."
stack="${1:-dev}"
runs="${2:-7}"
jar=target/genomics-batch.jar
[ -f "$jar" ] || { echo "build the jar first: ./mvnw -B package" >&2; exit 1; }

millis() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

plan_times=()
bare_times=()
c1_times=()
for _ in $(seq 1 "$runs"); do
  start=$(millis); java -jar "$jar" --help >/dev/null 2>&1 || true; bare_times+=($(( $(millis) - start )))
  start=$(millis); java -jar "$jar" plan --stack "$stack" >/dev/null; plan_times+=($(( $(millis) - start )))
  start=$(millis); JDK_JAVA_OPTIONS=-XX:TieredStopAtLevel=1 java -jar "$jar" plan --stack "$stack" >/dev/null 2>&1
  c1_times+=($(( $(millis) - start )))
done
bare=$(printf '%s\n' "${bare_times[@]}" | median)
plan=$(printf '%s\n' "${plan_times[@]}" | median)
c1=$(printf '%s\n' "${c1_times[@]}" | median)
echo "bare JVM start (java -jar $jar --help): median ${bare} ms over $runs runs"
echo "cold plan (java -jar $jar plan --stack $stack): median ${plan} ms over $runs runs"
echo "cold plan, JDK_JAVA_OPTIONS=-XX:TieredStopAtLevel=1: median ${c1} ms over $runs runs"
awk -v p="$plan" -v c="$c1" -v b="$bare" \
  'BEGIN {printf "ratio plan / bare start: %.1fx (budget: about 10x); with C1 only: %.1fx\n", p / b, c / b}'
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
