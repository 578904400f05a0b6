#!/usr/bin/env bash
# Install the Debian packages sohoa needs, when they are missing.
# As root (or with password-less sudo) it installs them; otherwise it names them and fails.
set -euo pipefail

PKGS=(
  tesseract-ocr tesseract-ocr-vie tesseract-ocr-script-viet   # OCR engine + Vietnamese models
  poppler-utils                                               # pdftoppm/pdfinfo for pdf2image
  fonts-liberation2 fonts-noto-core fonts-freefont-ttf fonts-dejavu-core  # Vietnamese-capable fonts for the sample generator
  unpaper ghostscript qpdf                                    # OCRmyPDF baseline in the benchmark
  postgresql                                                  # index tests on a real PostgreSQL
)

missing=()
for p in "${PKGS[@]}"; do
  [[ "$p" == \#* ]] && continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
  echo "sohoa needs these Debian packages; install them as root:" >&2
  echo "  apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
