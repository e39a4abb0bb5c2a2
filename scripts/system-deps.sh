#!/usr/bin/env bash
# Installs the Debian packages høring uses, where they are missing.
#   hunspell-no       : the Norwegian (Bokmål) hunspell dictionary the OCR repair decides with (required)
#   tesseract-ocr     : the OCR program that reads scanned PDFs and images (required for those files)
#   tesseract-ocr-nor : Tesseract's Norwegian language data, the model OCR reads with (required for those)
#   fonts-dejavu-core : DejaVu fonts; the tests render Norwegian text to images to OCR them
#   chromium          : headless browser; the tests render rapport.html as a reader sees it (tests only)
set -euo pipefail

need=()
[ -f /usr/share/hunspell/nb_NO.dic ] || need+=(hunspell-no)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
if ! { command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>&1 | grep -x nor >/dev/null; } \
   && ! ls /usr/share/tesseract-ocr/*/tessdata/nor.traineddata /usr/share/tesseract-ocr/tessdata/nor.traineddata \
        >/dev/null 2>&1; then
  need+=(tesseract-ocr-nor)
fi
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || need+=(fonts-dejavu-core)
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need+=(chromium)

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
