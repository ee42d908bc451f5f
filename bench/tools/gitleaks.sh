#!/usr/bin/env bash
# Fetches gitleaks (a reference scanner for the content-scan benchmark) from Debian sid into .cache/bench-tools/gitleaks.
# Bookworm does not package it; sid does, and its binary links only libc. A throw-away apt configuration (own sources
# list, state and cache directories) is used so the machine's apt sources and lists stay unchanged. The mirror is the
# one this machine's apt already uses, read at run time; only the suite is swapped to sid.
# Idempotent: exits at once when the binary is already there. Prints the binary's path on stdout.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dest="$root/.cache/bench-tools/gitleaks"
bin="$dest/usr/bin/gitleaks"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi

# The first Debian archive URI configured on this machine (deb822 .sources or one-line .list format).
mirror=""
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  mirror="$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }' "$f")"
  [ -n "$mirror" ] && break
done
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror="$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }' /etc/apt/sources.list)"
fi
if [ -z "$mirror" ]; then echo "gitleaks.sh: no Debian mirror found in /etc/apt/sources.list(.d)" >&2; exit 1; fi
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

work="$root/.cache/bench-tools/apt-sid"
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/etc/preferences.d" "$work/etc/apt.conf.d" "$dest"
echo "deb [signed-by=$keyring] $mirror sid main" > "$work/etc/sources.list"
: > "$work/status"
apt_opts=(
  -o "Dir::Etc::SourceList=$work/etc/sources.list"
  -o "Dir::Etc::SourceParts=-"
  -o "Dir::Etc::Preferences=$work/etc/preferences"
  -o "Dir::Etc::PreferencesParts=$work/etc/preferences.d"
  -o "Dir::State::Lists=$work/lists"
  -o "Dir::State::Status=$work/status"
  -o "Dir::Cache=$work/cache"
  -o "APT::Architecture=$(dpkg --print-architecture)"
  -o "Acquire::Languages=none"
)
apt-get "${apt_opts[@]}" update -q >&2
( cd "$work" && rm -f gitleaks_*.deb && apt-get "${apt_opts[@]}" download gitleaks >&2 )
dpkg -x "$work"/gitleaks_*.deb "$dest"
# The Debian build does not stamp its version into the binary (`gitleaks version` says so): keep the package's.
dpkg-deb -f "$work"/gitleaks_*.deb Version > "$dest/VERSION"
"$bin" version >&2
echo "$bin"
