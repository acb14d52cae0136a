#!/usr/bin/env bash
# mamori — install the Debian 12 packages needed to build, test and benchmark.
# Idempotent: installs only what is missing (apt-get update runs only then).
# Usage: scripts/install-deps.sh [--bench]   (as root, or with sudo available)
set -euo pipefail

pkgs=(build-essential cmake pkg-config clang libclang-rt-14-dev
      libyaml-dev libpcre2-dev libhyperscan-dev libsqlite3-dev zlib1g-dev
      libcmocka-dev sqlite3 python3
      libgmime-3.0-dev libpsl-dev publicsuffix libidn2-dev libevtx-dev libzip-dev
      chromium fonts-ipafont-gothic)   # browser test of report.html
# The browser test also needs node and npm. Machines that already have them
# (e.g. NodeSource's nodejs, which bundles npm and conflicts with Debian's npm
# package) keep theirs; otherwise Debian's packages are installed.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  pkgs+=(nodejs npm)
fi
if [[ "${1:-}" == "--bench" ]]; then
  # peers the benchmarks compare against, and GNU time for peak memory
  pkgs+=(ripgrep goaccess fail2ban time crowdsec pflogsumm)
  # crowdsec's post-install script registers with the Central API, which fails
  # offline; a non-empty online_api_credentials.yaml made beforehand is the
  # package's documented way to skip that (bench/bench_auth.sh runs CrowdSec
  # offline with a private configuration anyway).
  crowdsec_offline=1
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#pkgs[@]} packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root (missing: ${missing[*]})" >&2; exit 1; }
  SUDO=sudo
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
if [[ -n "${crowdsec_offline:-}" && ! -s /etc/crowdsec/online_api_credentials.yaml ]]; then
  $SUDO mkdir -p /etc/crowdsec
  echo "# CAPI registration disabled by mamori's install-deps.sh (offline benchmarks)" \
    | $SUDO tee /etc/crowdsec/online_api_credentials.yaml >/dev/null
fi
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
