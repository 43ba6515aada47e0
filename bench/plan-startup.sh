#!/usr/bin/env bash
# Measures, in one run on this machine, how long the offline plan takes from a cold JVM (a new
# process each time; the OS file cache is warm), next to the floor: a bare JVM start on the
# same jar (`java -jar target/genomics-batch.jar --help`: opens the jar, loads two classes, exits).
#   bash bench/plan-startup.sh [stack] [runs]     (after ./mvnw -B package)
#
# Each round runs all variants once, in an order that rotates from round to round, so a busy
# machine (other builds) slows every variant alike; the figures are medians over the rounds.
#   launcher  target/genomics-batch plan ...        the README's command: class-data archive, C1, one compiler thread
#   jar       java -jar target/genomics-batch.jar plan ...   the jar alone, no options
#   pulumi    JDK_JAVA_OPTIONS=<the README's flags> java -jar target/genomics-batch.jar plan ...
#             -Dgenomics-batch.plan.runner=sdk: the JVM started as `pulumi preview`/`up` start it
#             (runtime.options.binary: `java -jar target/genomics-batch.jar` in the project
#             directory) with the flags the workflows set, evaluating the program (config,
#             App.deploy, every resource registered) on the SDK's own runner, as a deployment
#             does, under the SDK's mock engine: not a preview, which adds the engine's gRPC round
#             trips and the provider plugin.
#   node      node bench/node/program.js <the plan JSON>   with --node: the same stack written for
#             Pulumi's Node.js SDK and run under its mocks (bench/node, pinned; npm ci on first use)
set -euo pipefail
cd "$(dirname "$0")/.."
with_node=false
args=()
for a in "$@"; do if [ "$a" = --node ]; then with_node=true; else args+=("$a"); fi; done
stack="${args[0]:-dev}"
runs="${args[1]:-9}"
jar=target/genomics-batch.jar
launcher=target/genomics-batch
archive=target/genomics-batch.jsa
if [ ! -f "$jar" ] || [ ! -x "$launcher" ]; then echo "build first: ./mvnw -B package" >&2; exit 1; fi
pulumi_flags="-XX:SharedArchiveFile=$archive -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1"

# The archive must really be in use, or this measures the fallback.
classes=$(java -XX:SharedArchiveFile="$archive" -Xlog:class+load=info -jar "$jar" --help 2>/dev/null || true)
if [ ! -f "$archive" ] || ! grep -q "io.genomicsbatch.Main source: shared objects file" <<<"$classes"; then
  echo "warning: $archive is missing or stale (refused by this JVM); the launcher runs without it" >&2
fi

millis() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

variants=(bare launcher jar pulumi)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if $with_node; then
  [ -d bench/node/node_modules ] || npm ci --prefix bench/node --no-audit --no-fund --loglevel=error >/dev/null
  java -jar "$jar" plan --stack "$stack" --format json > "$work/plan.json"
  variants+=(node)
fi
run_variant() {
  case "$1" in
    bare) java -jar "$jar" --help >/dev/null 2>&1 || true ;;
    launcher) "$launcher" plan --stack "$stack" >/dev/null ;;
    jar) java -jar "$jar" plan --stack "$stack" >/dev/null ;;
    pulumi) JDK_JAVA_OPTIONS="$pulumi_flags -Dgenomics-batch.plan.runner=sdk" java -jar "$jar" plan --stack "$stack" >/dev/null 2>&1 ;;
    node) node bench/node/program.js "$work/plan.json" >/dev/null ;;
  esac
}

declare -A times
load_before=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
for round in $(seq 0 $((runs - 1))); do
  for k in "${!variants[@]}"; do
    v=${variants[$(((round + k) % ${#variants[@]}))]}
    start=$(millis); run_variant "$v"; times[$v]+="$(($(millis) - start)) "
  done
done
load_after=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
# Share of the last minute in which some runnable task waited for a CPU (Linux PSI): near 0 on
# a quiet machine. Other tenants of the host show here even when `ps` shows nothing.
cpu_pressure=$(awk '/^some/ {sub("avg60=", "", $3); print $3 "%"}' /proc/pressure/cpu 2>/dev/null || true)

declare -A med
for v in "${variants[@]}"; do med[$v]=$(tr ' ' '\n' <<<"${times[$v]}" | grep . | median); done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1fx", a / b}'; }

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1); load average ${load_before} before, ${load_after} after; CPU pressure (some, avg60) ${cpu_pressure:-n/a}"
echo "cold runs (a new JVM each), $runs rounds, variants interleaved; medians:"
printf '  %-66s %5s ms\n' "bare JVM start: java -jar $jar --help" "${med[bare]}"
printf '  %-66s %5s ms  %s the bare start\n' "$launcher plan --stack $stack" "${med[launcher]}" "$(ratio "${med[launcher]}" "${med[bare]}")"
printf '  %-66s %5s ms  %s\n' "java -jar $jar plan --stack $stack (the jar alone)" "${med[jar]}" "$(ratio "${med[jar]}" "${med[bare]}")"
printf '  %-66s %5s ms  %s\n' "the program as pulumi up runs it: JDK_JAVA_OPTIONS, the SDK's runner" "${med[pulumi]}" "$(ratio "${med[pulumi]}" "${med[bare]}")"
if $with_node; then
  printf '  %-66s %5s ms  %s; the launcher takes %s of it\n' "node bench/node/program.js (the same stack, Node.js mocks)" \
    "${med[node]}" "$(ratio "${med[node]}" "${med[bare]}")" "$(awk -v a="${med[launcher]}" -v b="${med[node]}" 'BEGIN {printf "%.2f", a / b}')"
fi
echo "ratio launcher plan / bare start: $(ratio "${med[launcher]}" "${med[bare]}") (budget: 7x); the jar alone: $(ratio "${med[jar]}" "${med[bare]}")"
for v in "${variants[@]}"; do echo "  all $v: ${times[$v]}"; done
