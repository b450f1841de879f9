#!/bin/sh
# Installs a Kafka Connect plugin from its release archive, pinned by SHA-256, into a plugin folder.
#
#   install-connector.sh <pin file> <plugin folder>
#
# The pin file holds one line in sha256sum's format, "<sha256>  <archive file name>", after any '#' comment lines.
# The archive is downloaded from "$CONNECTOR_BASE_URL/<archive file name>" (curl; file:// works too), its SHA-256
# compared with the pin, and its content unpacked into <plugin folder> with Python's zipfile (the Confluent images
# ship python3, not unzip); a single .jar (a JDBC driver) is copied into <plugin folder> as it is. A different checksum always stops the build. A missing one stops it too and prints the
# archive's actual SHA-256, so pinning a new version is one reviewed line; ALLOW_UNPINNED_CONNECTOR=1 turns that into a
# warning for a local build while a pin is being taken. Only POSIX sh, grep, cut, sha256sum, mktemp, find and curl are used.
set -eu

pin_file=$1
plugin_folder=$2
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
    echo "install-connector: $message (or build with ALLOW_UNPINNED_CONNECTOR=1 to install it unverified)" >&2
    exit 1
  fi
  echo "install-connector: WARNING, installing unverified: $message" >&2
elif [ "$actual" != "$expected" ]; then
  echo "install-connector: $archive has SHA-256 $actual, but $pin_file pins $expected; the download is not the reviewed archive" >&2
  exit 1
fi

mkdir -p "$plugin_folder"
case "$archive" in
  *.jar) cp "$work/$archive" "$plugin_folder/$archive" ;;
  *) python3 -m zipfile -e "$work/$archive" "$plugin_folder" ;;
esac
if [ -z "$(find "$plugin_folder" -name '*.jar' | head -n 1)" ]; then
  echo "install-connector: $archive holds no jar; it is not a Connect plugin archive" >&2
  exit 1
fi
echo "install-connector: $archive (sha256 $actual) installed into $plugin_folder"
