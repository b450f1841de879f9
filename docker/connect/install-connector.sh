#!/bin/sh
# Installs a Kafka Connect plugin from its release archive, pinned by SHA-256, into a plugin folder.
#
#   install-connector.sh <pin file> <plugin folder> [<manifest>]
#
# The pin file holds one line in sha256sum's format, "<sha256>  <archive file name>", after any '#' comment lines.
# The archive is downloaded from "$CONNECTOR_BASE_URL/<archive file name>" (curl; file:// works too), its SHA-256
# compared with the pin, and its content unpacked into <plugin folder> with Python's zipfile (the Confluent images
# ship python3, not unzip); a single .jar (a JDBC driver) is copied into <plugin folder> as it is. A different checksum always stops the build. A missing one stops it too and prints the
# archive's actual SHA-256, so pinning a new version is one reviewed line; ALLOW_UNPINNED_CONNECTOR=1 turns that into a
# warning for a local build while a pin is being taken. Every installed archive is recorded as one line in <manifest>
# (default /usr/share/confluent-hub-components/sinkidempotency-connector-archives.txt: a plain file beside the plugin
# folders, which Connect's plugin scan skips as neither a folder nor an archive), "<sha256>  <archive>  pinned|unverified  <pin file name>",
# which the Docker environment reads from the image and records in every run's evidence (and, for "unverified", in its
# warnings). Only POSIX sh, grep, cut, sha256sum, mktemp, find and curl are used, and python3 (else unzip) for archives.
set -eu

pin_file=$1
plugin_folder=$2
manifest=${3:-/usr/share/confluent-hub-components/sinkidempotency-connector-archives.txt}
base_url=${CONNECTOR_BASE_URL:?set CONNECTOR_BASE_URL to the folder URL the archive is downloaded from}

pin=$(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$pin_file" | head -n 1 || true)
# shellcheck disable=SC2086 # split "<sha256>  <archive>" into words on purpose
set -- $pin
expected=${1:-}
archive=${2:-}
if [ -z "$archive" ]; then
  echo "install-connector: $pin_file names no archive; write '<sha256>  <archive file name>' in it" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "install-connector: downloading $base_url/$archive"
curl -fsSL --retry 5 --retry-connrefused --retry-delay 2 -o "$work/$archive" "$base_url/$archive"
actual=$(sha256sum "$work/$archive" | cut -d ' ' -f 1)
if ! printf '%s\n' "$expected" | grep -Eq '^[0-9a-f]{64}$'; then
  message="$pin_file pins no SHA-256 for $archive; the downloaded archive's is $actual. Check it against the publisher's and write '$actual  $archive' in $pin_file"
  if [ "${ALLOW_UNPINNED_CONNECTOR:-0}" != "1" ]; then
    echo "install-connector: $message (or build with --build-arg ALLOW_UNPINNED_CONNECTOR=1, which the Docker environment passes when SINKIDEMPOTENCY_ALLOW_UNPINNED_CONNECTORS=1, to install it unverified and record its SHA-256)" >&2
    exit 1
  fi
  echo "install-connector: WARNING, installing unverified: $message" >&2
  verification=unverified
elif [ "$actual" != "$expected" ]; then
  echo "install-connector: $archive has SHA-256 $actual, but $pin_file pins $expected; the download is not the reviewed archive" >&2
  exit 1
else
  verification=pinned
fi

mkdir -p "$plugin_folder"
case "$archive" in
  *.jar) cp "$work/$archive" "$plugin_folder/$archive" ;;
  *)
    if command -v python3 >/dev/null 2>&1; then
      python3 -m zipfile -e "$work/$archive" "$plugin_folder"
    elif command -v unzip >/dev/null 2>&1; then
      unzip -q -o "$work/$archive" -d "$plugin_folder"
    else
      echo "install-connector: neither python3 nor unzip is in the base image, so $archive cannot be unpacked" >&2
      exit 1
    fi
    ;;
esac
if [ -z "$(find "$plugin_folder" -name '*.jar' | head -n 1)" ]; then
  echo "install-connector: $archive holds no jar; it is not a Connect plugin archive" >&2
  exit 1
fi
mkdir -p "$(dirname "$manifest")"
printf '%s  %s  %s  %s\n' "$actual" "$archive" "$verification" "$(basename "$pin_file")" >> "$manifest"
echo "install-connector: $archive (sha256 $actual, $verification) installed into $plugin_folder"
