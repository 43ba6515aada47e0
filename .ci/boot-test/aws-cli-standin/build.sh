#!/usr/bin/env bash
# build.sh VERSION OUT_DIR GNUPGHOME: the stand-in bundle as OUT_DIR/awscli-exe-linux-x86_64-VERSION.zip
# (aws/install, aws/dist/aws, aws/dist/aws_completer) and its detached armored signature (.sig) by
# the test key in GNUPGHOME. The stand-in EC2 server runs it on the first request for a version.
set -euo pipefail
version=$1 out=$2
export GNUPGHOME=$3
here=$(cd "$(dirname "$0")" && pwd)
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "bad version: $version" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/aws/dist" "$out"
gcc -O2 -Wall -Werror -DAWS_CLI_VERSION="\"$version\"" -o "$work/aws/dist/aws" "$here/aws.c" -lz
printf '#!/bin/sh\nexit 0\n' > "$work/aws/dist/aws_completer"
chmod 755 "$work/aws/dist/aws_completer"
install -m 0755 "$here/install" "$work/aws/install"
zip="$out/awscli-exe-linux-x86_64-$version.zip"
(cd "$work" && zip -qry "$zip.tmp" aws)
mv "$zip.tmp" "$zip"
gpg --batch --yes --quiet --armor --detach-sign --output "$zip.sig" "$zip"
