#!/bin/bash
# What engines mount: the self-contained AWS CLI v2 (/usr/local/aws-cli, signature checked),
# Cromwell's /usr/local/bin/fetch_and_run.sh and /var/lib/cloud/data/instance-id.
# shellcheck source=05-host-lib.sh
. "${GB_ROOT:-}/usr/local/lib/genomics-batch/lib.sh" || { shutdown -h now; exit 1; }
fail_closed
fingerprint=FB5DB77FD5C118B80511ADA8A6310ACC4672475C

step="installing gpg and unzip"
command -v gpg >/dev/null || dnf install -y -q gnupg2-minimal
command -v unzip >/dev/null || dnf install -y -q unzip

step="downloading the AWS CLI"
work=$(mktemp -d)
url="https://awscli.amazonaws.com/awscli-exe-linux-$(uname -m).zip"
curl -fsSL --retry 5 -o "$work/awscliv2.zip" "$url"
curl -fsSL --retry 5 -o "$work/awscliv2.zip.sig" "$url.sig"

step="verifying the AWS CLI's signature"
# The AWS CLI team's key as AWS publishes it (expires 2027-07-01: replace it when AWS renews it).
cat > "$work/aws-cli.asc" <<'KEY'
-----BEGIN PGP PUBLIC KEY BLOCK-----

mQINBF2Cr7UBEADJZHcgusOJl7ENSyumXh85z0TRV0xJorM2B/JL0kHOyigQluUG
ZMLhENaG0bYatdrKP+3H91lvK050pXwnO/R7fB/FSTouki4ciIx5OuLlnJZIxSzx
PqGl0mkxImLNbGWoi6Lto0LYxqHN2iQtzlwTVmq9733zd3XfcXrZ3+LblHAgEt5G
TfNxEKJ8soPLyWmwDH6HWCnjZ/aIQRBTIQ05uVeEoYxSh6wOai7ss/KveoSNBbYz
gbdzoqI2Y8cgH2nbfgp3DSasaLZEdCSsIsK1u05CinE7k2qZ7KgKAUIcT/cR/grk
C6VwsnDU0OUCideXcQ8WeHutqvgZH1JgKDbznoIzeQHJD238GEu+eKhRHcz8/jeG
94zkcgJOz3KbZGYMiTh277Fvj9zzvZsbMBCedV1BTg3TqgvdX4bdkhf5cH+7NtWO
lrFj6UwAsGukBTAOxC0l/dnSmZhJ7Z1KmEWilro/gOrjtOxqRQutlIqG22TaqoPG
fYVN+en3Zwbt97kcgZDwqbuykNt64oZWc4XKCa3mprEGC3IbJTBFqglXmZ7l9ywG
EEUJYOlb2XrSuPWml39beWdKM8kzr1OjnlOm6+lpTRCBfo0wa9F8YZRhHPAkwKkX
XDeOGpWRj4ohOx0d2GWkyV5xyN14p2tQOCdOODmz80yUTgRpPVQUtOEhXQARAQAB
tCFBV1MgQ0xJIFRlYW0gPGF3cy1jbGlAYW1hem9uLmNvbT6JAlQEEwEIAD4CGwMF
CwkIBwIGFQoJCAsCBBYCAwECHgECF4AWIQT7Xbd/1cEYuAURraimMQrMRnJHXAUC
akV0ygUJDqP4lQAKCRCmMQrMRnJHXFHjD/9eyZLYcKuQOlLvtqSDtUBiEZf6ZZjM
i3ygYH8rJNtuToUH+HvSpe819urJCquXhDrlK6N+aqW0hCLtNABJG/vsafIgvIYJ
hSGgpgtNnQyMV1jViRWqPjbouw8OkYKBThUfT1i2Y+wn58ifs6ODBCmTexWtXspA
Si+Gt49xDOW0APmbOPnI+a4HJW6tVEo6MWS0WjzpiBayR3d1A4pt4YrPfSdDgpLo
h2SLQqlRqvvVZJaWBjhkErNFpfsBA06sDcPEOb0G8LBUbR4WOcdvhe5LubJbZuxC
AG9kNPCVeQP1ixwjgjXKysaxeQ6rv0VzIQgRp6tLVLWhy6AKDNvLjFSsmXZ1Wl08
Y/RlOHXlzLuQMRE6sR1wOdRxc9TsrNWTGiBK65cvSWOy03JeBkQQ8pesqltiyxI9
U21kkgiXtTSKNGfKK8pO27D81YANhRqPK7iTp6kuFiY2WtOg90KTMNlIT+Ff85Y2
b1rHj6Z0SrCkJujhWk3IBPic/wJgz01LEc/OAdUPlby90RJZcIBhSlWhT7mXnXIO
c0HWlNQrns2s3CTyYwZSiSlYe9ApeLwhjDo8NhbFuCAy61l6O5UsR4AfZxx/rGKv
2wFb1/RN/P4gNe6vmxZAPjR0AQcwD3tc2McimOLr/22kmPz8IH3I0X7WoSFr0Biz
E91G7bb0hOb/cA==
=knv7
-----END PGP PUBLIC KEY BLOCK-----
KEY
export GNUPGHOME="$work/gnupg"
mkdir -m 0700 "$GNUPGHOME"
gpg --batch --quiet --import "$work/aws-cli.asc"
# A good signature (VALIDSIG) by exactly this key, or no install.
gpg --batch --status-fd 3 --verify "$work/awscliv2.zip.sig" "$work/awscliv2.zip" 3> "$work/status" 2>/dev/null || true
grep -q "^\[GNUPG:\] VALIDSIG .*$fingerprint\$" "$work/status" \
  || fail "the AWS CLI download from $url is not signed by the AWS CLI team's key"

step="installing the AWS CLI"
unzip -q "$work/awscliv2.zip" -d "$work"
# Its bin directory inside /usr/local/aws-cli: Nextflow's cliPath /usr/local/aws-cli/bin/aws has the
# whole installation as grandparent, so the links resolve in containers; Cromwell mounts it too.
"$work/aws/install" --install-dir "$R/usr/local/aws-cli" --bin-dir "$R/usr/local/aws-cli/bin" --update
mkdir -p "$R/usr/local/bin"
ln -sfn /usr/local/aws-cli/bin/aws "$R/usr/local/bin/aws"
for cli in "$R/usr/local/aws-cli/bin/aws" "$R/usr/local/aws-cli/v2/current/bin/aws"; do
  version=$("$cli" --version)
  [[ $version == aws-cli/2.* ]] || fail "$cli reports \"$version\""
done
rm -rf "$work"

step="installing Cromwell's fetch_and_run.sh"
cat > "$R/usr/local/bin/fetch_and_run.sh" <<'FETCH'
#!/bin/bash
# Cromwell (AWS Batch backend) runs this in task containers: fetch the task script and run it.
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
  imds="X-aws-ec2-metadata-token: $(curl -fsS -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' \
    http://169.254.169.254/latest/api/token)"
  mkdir -p "$R/var/lib/cloud/data"
  curl -fsS -H "$imds" http://169.254.169.254/latest/meta-data/instance-id \
    > "$R/var/lib/cloud/data/instance-id"
fi
[ -s "$R/var/lib/cloud/data/instance-id" ]
finished tools
