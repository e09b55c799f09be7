# Shared helpers for the CouponDesk scripts. Sourced, not run.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCAL_DIR="${COUPONDESK_LOCAL_DIR:-$ROOT/.local}"

log() { printf '\033[1;34m[coupondesk]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[coupondesk] error:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root (or sudo) to run: $*"; fi
}

# Installs the Debian packages that are missing; runs apt-get update once per call when something is missing.
ensure_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_dotnet() {
  command -v dotnet >/dev/null || die "the .NET 10 SDK is required (dotnet not found on PATH)"
}

# wait_for_url URL SECONDS: polls until the URL answers 200.
wait_for_url() {
  local url=$1 seconds=${2:-60} i
  for ((i = 0; i < seconds * 4; i++)); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    sleep 0.25
  done
  return 1
}

# free_port PREFERRED: prints PREFERRED if nothing listens there, else a free port chosen by the kernel.
free_port() {
  local preferred=$1
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$preferred") 2>/dev/null; then echo "$preferred"; return; fi
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
