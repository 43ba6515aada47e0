#!/usr/bin/env bash
# Validate every GitHub Actions workflow file against the workflow schema with a
# pinned @action-validator/cli from npm.
#
#   bash .ci/validate-workflows.sh            # checks .github/workflows/
#   bash .ci/validate-workflows.sh some/dir   # checks another directory
#
# Needs node and npm. The validator is installed once into a cache directory
# outside the repository (override with ACTION_VALIDATOR_HOME), so the work tree
# stays clean and nothing has to be gitignored.
# Exits non-zero if any file fails, if the directory holds no workflow, or if the
# validator cannot be installed.
set -euo pipefail

# Pinned on purpose: a new validator release may change the schema it enforces.
readonly VALIDATOR_VERSION="0.6.0"

workflows_dir="${1:-.github/workflows}"
cache_root="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}"
install_dir="${ACTION_VALIDATOR_HOME:-$cache_root/genomics-batch/action-validator-$VALIDATOR_VERSION}"
validator="$install_dir/node_modules/.bin/action-validator"

die() {
  echo "validate-workflows: $*" >&2
  exit 1
}

installed_version() {
  local manifest="$install_dir/node_modules/@action-validator/cli/package.json"
  [[ -f "$manifest" ]] || return 0
  node -e 'process.stdout.write(require(process.argv[1]).version)' "$manifest"
}

install_validator() {
  command -v node >/dev/null || die "node is required (install Node.js 18 or newer)"
  command -v npm >/dev/null || die "npm is required"
  local staging
  staging="$(mktemp -d "${TMPDIR:-/tmp}/action-validator.XXXXXX")"
  echo "validate-workflows: installing @action-validator/cli@$VALIDATOR_VERSION" >&2
  # cli and core are released together; pin both so npm never picks another core.
  if ! npm install --prefix "$staging" --no-audit --no-fund --no-package-lock \
      --loglevel=error \
      "@action-validator/cli@$VALIDATOR_VERSION" \
      "@action-validator/core@$VALIDATOR_VERSION" >&2; then
    rm -rf "$staging"
    die "npm install of @action-validator/cli@$VALIDATOR_VERSION failed"
  fi
  # Install into a staging dir, then move it into place: an interrupted install
  # never leaves a half-populated cache that later runs would trust.
  rm -rf "$install_dir"
  mkdir -p "$(dirname "$install_dir")"
  mv "$staging" "$install_dir"
}

[[ -d "$workflows_dir" ]] || die "no such directory: $workflows_dir"

if [[ "$(installed_version)" != "$VALIDATOR_VERSION" ]]; then
  install_validator
fi
[[ -x "$validator" ]] || die "validator not found at $validator after install"

shopt -s nullglob
files=("$workflows_dir"/*.yml "$workflows_dir"/*.yaml)
shopt -u nullglob
((${#files[@]} > 0)) || die "no *.yml or *.yaml files in $workflows_dir"

failed=0
for file in "${files[@]}"; do
  # The validator prints a JSON error report on stderr and exits 1 on any error.
  if "$validator" "$file"; then
    echo "ok      $file"
  else
    echo "FAILED  $file" >&2
    failed=$((failed + 1))
  fi
done

echo "workflow validation: ${#files[@]} file(s) checked, $failed with errors (@action-validator/cli $VALIDATOR_VERSION)"
((failed == 0))
