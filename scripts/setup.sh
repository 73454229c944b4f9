#!/usr/bin/env bash
# Installs what AdaptLab's build, examples and tests need on Debian 12 (run as root, or with sudo on PATH).
# Idempotent: packages already present are left alone.
set -euo pipefail

packages=(
  python3                # build: patches TorchSharp's native library for Debian 12's libstdc++
  python3-numpy          # tests: reference forward pass for the local engine
  python3-sklearn        # tests: classification metrics parity
  python3-scipy          # tests: statistics parity
  python3-statsmodels    # tests: Wilson, McNemar, Holm, power parity
  python3-nltk           # tests: Porter stemmer parity; bench: BLEU and chrF peers
  python3-regex          # tests: sacrebleu tokenizer parity
  bubblewrap             # sandbox for model-generated code (pass@k)
  chromium               # tests: the HTML report renders without console errors
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v dotnet >/dev/null || { echo "error: the .NET 10 SDK is needed (https://dot.net)"; exit 1; }
