#!/usr/bin/env bash
# Installs the Debian packages høring uses, where they are missing.
#   hunspell-no : the Norwegian (Bokmål) hunspell dictionary the OCR repair decides with (required)
set -euo pipefail

need=()
[ -f /usr/share/hunspell/nb_NO.dic ] || need+=(hunspell-no)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

echo "Installerer systempakker: ${need[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "FEIL: mangler ${need[*]} og kan ikke installere uten root. Kjør: apt-get install ${need[*]}" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "FEIL: mangler ${need[*]} og fant ikke apt-get. Installer pakkene med systemets pakkebehandler." >&2
  exit 1
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
