#!/usr/bin/env bash
# Checks the launcher that `./mvnw package` puts in target/ (after a package or verify):
#   - it uses the class-data archive made at package time, also when started from elsewhere;
#   - it prints exactly what `java -jar target/genomics-batch.jar` prints, with the same exit status
#     (the plan, --help, --version: the pom's version, a usage error: 2, a config-file error: 1);
#   - with a stale archive (the jar is newer), a corrupt one or none, it still does, silently,
#     and a stale one leaves the JVM the JDK's own archive;
#   - a plan on 2 cores runs the SDK's steps on pooled threads, not a new thread per step.
# A handful of JVM starts: a few seconds. No timing here (that is bench/plan-startup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
jar=target/genomics-batch.jar
launcher=target/genomics-batch
archive=target/genomics-batch.jsa
scratch=$(mktemp -d "${TMPDIR:-/tmp}/launcher-test.XXXXXX")
mtime_ref="$scratch/jar-mtime"
touch -r "$jar" "$mtime_ref"
cleanup() {
  touch -r "$mtime_ref" "$jar"   # undo the staleness test's touch: the archive stays valid
  rm -rf "$scratch"
}
trap cleanup EXIT

fail() { echo "launcher-test: $*" >&2; exit 1; }
[ -x "$launcher" ] || fail "$launcher missing or not executable: run ./mvnw -B package"
[ -s "$archive" ] || fail "$archive missing: the training run at package time failed (see $archive.log)"

# reference NAME ARGS...: what the jar alone prints for ARGS, the reference for later runs.
reference() {
  local name=$1
  shift
  args=("$@")
  set +e
  java -jar "$jar" "${args[@]}" >"$scratch/want.out" 2>"$scratch/want.err"
  want_rc=$?
  set -e
  if [ ! -s "$scratch/want.out" ] && [ ! -s "$scratch/want.err" ]; then fail "$name: java -jar $jar ${args[*]} printed nothing"; fi
}

# run NAME LAUNCHER [DIR]: the launcher's stdout, stderr and status must equal the jar's; the
# class-load log (written to a file, through JDK_JAVA_OPTIONS) says where Main came from.
run() {
  local name=$1 cmd=$2 dir=${3:-$root} rc
  set +e
  (cd "$dir" && JDK_JAVA_OPTIONS="-Xlog:class+load=info:file=$scratch/$name.classes" \
    "$cmd" "${args[@]}" >"$scratch/$name.out" 2>"$scratch/$name.err")
  rc=$?
  set -e
  grep -v '^NOTE: Picked up JDK_JAVA_OPTIONS' "$scratch/$name.err" >"$scratch/$name.err2" || true
  [ "$rc" -eq "$want_rc" ] || fail "$name: exit status $rc, the jar alone: $want_rc"
  cmp -s "$scratch/$name.out" "$scratch/want.out" || fail "$name: stdout differs from the jar's"
  cmp -s "$scratch/$name.err2" "$scratch/want.err" || fail "$name: stderr differs from the jar's: $(head -3 "$scratch/$name.err2")"
}
archived() { grep -q 'io.genomicsbatch.Main source: shared objects file' "$scratch/$1.classes"; }

# The tests' dev stack (a fixture) in a project of its own: the project's stack files are the
# adopter's, any names or none.
project=$scratch/project
mkdir "$project"
cp Pulumi.yaml src/test/resources/stacks/Pulumi.dev.yaml "$project/"

# The whole plan once, through the archive.
reference plan plan --stack dev --format mermaid --dir "$project"
[ "$want_rc" -eq 0 ] || fail "java -jar $jar ${args[*]} failed ($want_rc)"
run fresh "$root/$launcher"
archived fresh || fail "fresh: the archive was not used (Main not loaded from it)"

# The rest with a short command (usage), which loads Main from the archive or the jar all the same.
reference usage --help
run elsewhere "$root/$launcher" "$scratch"
archived elsewhere || fail "elsewhere: the archive was not used when started from another directory"

# --version: the pom's version, the same through the launcher as through the jar (the project's
# <version> is the line after its own <artifactId>).
reference version --version
version=$(sed -n '/<artifactId>genomics-batch<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;q;}' pom.xml)
[ -n "$version" ] || fail "version: no <version> after <artifactId>genomics-batch</artifactId> in pom.xml"
[ "$(cat "$scratch/want.out")" = "genomics-batch $version" ] \
  || fail "version: java -jar $jar --version printed \"$(cat "$scratch/want.out")\", the pom says $version"
run version "$root/$launcher"

# The documented exit statuses come through the launcher: a usage error (an option's empty
# --opt=value form) is 2, a stack file Pulumi would not read (a .yml) is 1.
reference usage-error plan --stack=
[ "$want_rc" -eq 2 ] || fail "usage error: java -jar $jar ${args[*]} exited $want_rc, not 2"
run usage-error "$root/$launcher"
mkdir "$scratch/yml"
cp Pulumi.yaml "$scratch/yml/"
printf 'config:\n  aws:region: us-east-1\n' >"$scratch/yml/Pulumi.lab1.yml"
reference yml plan --stack=lab1 --dir="$scratch/yml"
[ "$want_rc" -eq 1 ] || fail "config error: java -jar $jar ${args[*]} exited $want_rc, not 1"
run yml "$root/$launcher"

# On a 2-core machine the SDK's asynchronous steps run in the common pool, which Main sizes
# before first use: about 20 threads in a plan, not one new thread per step (over 150).
JDK_JAVA_OPTIONS="-XX:ActiveProcessorCount=2 -Xlog:os+thread=info:file=$scratch/threads.log" \
  "$root/$launcher" plan --stack dev --dir "$project" >/dev/null 2>&1 || fail "threads: the plan failed"
threads=$(grep -c 'Thread "[^"]*" started' "$scratch/threads.log" || true)
# The JVM's own threads (GC, compiler, ...) alone are more than 5: fewer means the log changed.
[ "$threads" -ge 5 ] || fail "threads: $scratch/threads.log lists $threads thread starts: log format changed?"
[ "$threads" -lt 60 ] || fail "threads: a plan on 2 cores started $threads threads: the common pool was not sized"

# A stale archive: the jar changed after the training run.
touch "$jar"
run stale "$root/$launcher"
archived stale && fail "stale: the JVM used an archive made for another jar"
grep -q 'java.lang.Object source: shared objects file' "$scratch/stale.classes" \
  || fail "stale: the JVM ran without the JDK's own class-data archive"
touch -r "$mtime_ref" "$jar"

# A corrupt archive, and none: a copy of the launcher and the jar in a scratch directory.
mkdir "$scratch/copy"
cp "$launcher" "$jar" "$scratch/copy/"
run missing "$scratch/copy/genomics-batch"
echo "not an archive" >"$scratch/copy/genomics-batch.jsa"
run corrupt "$scratch/copy/genomics-batch"

echo "launcher-test: archive used (also from another directory); $threads threads on 2 cores; stale, corrupt and missing archives fall back silently (a stale one to the JDK's); output and exit status (0, 1, 2) equal the jar's; --version is $version"
