#!/bin/bash
# What engines mount: the self-contained AWS CLI v2 (/usr/local/aws-cli, pinned, signature checked,
# runnable in task images without libz), Cromwell's /usr/local/bin/fetch_and_run.sh and
# /var/lib/cloud/data/instance-id.
# shellcheck source=lib.sh
. "${GB_ROOT:-}/usr/local/lib/genomics-batch/lib.sh" || { shutdown -h now; exit 1; }
fail_closed
cli=$R/usr/local/aws-cli

step="installing gpg and unzip"
for tool in gpg:gnupg2-minimal unzip:unzip; do
  command -v "${tool%%:*}" >/dev/null || dnf install -y -q --setopt=retries=3 --setopt=timeout=30 "${tool#*:}"
done

step="downloading the AWS CLI $GB_CLI_VERSION"
work=$(mktemp -d)
url="${GB_CLI_URL%/}/awscli-exe-linux-$(uname -m)-$GB_CLI_VERSION.zip"
net --proto =https -o "$work/awscliv2.zip" "$url"
net --proto =https -o "$work/awscliv2.zip.sig" "$url.sig"

step="verifying the AWS CLI's signature"
export GNUPGHOME="$work/gnupg"
mkdir -m 0700 "$GNUPGHOME"
gpg --batch --quiet --import "$R/etc/genomics-batch/aws-cli.asc"
# A good signature (VALIDSIG) by exactly this key, or no install.
gpg --batch --status-fd 3 --verify "$work/awscliv2.zip.sig" "$work/awscliv2.zip" 3> "$work/status" 2>/dev/null || true
grep -q "^\[GNUPG:\] VALIDSIG .*$GB_CLI_FINGERPRINT\$" "$work/status" \
  || fail "the AWS CLI from $url is not signed by the key $GB_CLI_FINGERPRINT"

step="installing the AWS CLI"
unzip -q "$work/awscliv2.zip" -d "$work"
# Its bin directory inside /usr/local/aws-cli: Nextflow's cliPath /usr/local/aws-cli/bin/aws has the
# whole installation as grandparent, so the links resolve in containers; Cromwell mounts it too.
"$work/aws/install" --install-dir "$cli" --bin-dir "$cli/bin" --update
# The bundle needs the system's libz, which many task images lack: a copy of the host's, used only
# where the image has none, by a wrapper where both engines call the CLI (bin/aws links to it).
zlib=$(ldd "$cli/v2/current/dist/aws" | awk '$1 == "libz.so.1" { print $3 }')
if [ -n "$zlib" ]; then install -D -m 0644 "$zlib" "$cli/lib/libz.so.1"; fi
rm -f "$cli/v2/current/bin/aws"
# shellcheck disable=SC2016 # expanded when the wrapper runs
printf '#!/bin/sh\nLD_LIBRARY_PATH=${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}%s/lib exec %s/v2/current/dist/aws "$@"\n' \
  "$cli" "$cli" > "$cli/v2/current/bin/aws"
chmod 0755 "$cli/v2/current/bin/aws"
mkdir -p "$R/usr/local/bin"
ln -sfn /usr/local/aws-cli/bin/aws "$R/usr/local/bin/aws"
for path in "$cli/bin/aws" "$cli/v2/current/bin/aws"; do
  version=$("$path" --version)
  [[ $version == "aws-cli/$GB_CLI_VERSION "* ]] || fail "$path reports \"$version\", not $GB_CLI_VERSION"
done
rm -rf "$work"

step="installing Cromwell's fetch_and_run.sh"
# Cromwell (AWS Batch backend) runs it in task containers: fetch the task script and run it.
cat > "$R/usr/local/bin/fetch_and_run.sh" <<'FETCH'
#!/bin/bash
set -euo pipefail
export PATH="/usr/local/aws-cli/v2/current/bin:$PATH"
if [ "${BATCH_FILE_TYPE:-script}" != script ]; then
  echo "fetch_and_run.sh: only BATCH_FILE_TYPE=script is supported" >&2; exit 2
fi
case ${BATCH_FILE_S3_URL:-} in
  s3://?*) ;;
  *) echo "fetch_and_run.sh: BATCH_FILE_S3_URL is not an s3:// URL" >&2; exit 2 ;;
esac
script=$(mktemp)
aws s3 cp --only-show-errors "$BATCH_FILE_S3_URL" "$script"
chmod u+x "$script"
exec "$script" "$@"
FETCH
chmod 0755 "$R/usr/local/bin/fetch_and_run.sh"

step="recording the instance ID"
if [ ! -s "$R/var/lib/cloud/data/instance-id" ]; then
  mkdir -p "$R/var/lib/cloud/data"
  imds instance-id > "$R/var/lib/cloud/data/instance-id"
fi
[ -s "$R/var/lib/cloud/data/instance-id" ]
