#!/usr/bin/env bash
# Renders page 1 of the seed report document as docs/report-document.png, so anyone can
# see what `/baocao` sends without opening Word.
#
# The document is the one the test `report_document` makes from a database whose sessions
# add up to the seed report (Tràng An, 1–10/2020) with the seed's own texts. Needs
# LibreOffice Writer and poppler (Debian: apt-get install libreoffice-writer-nogui
# poppler-utils fonts-liberation; Liberation Serif stands in for Times New Roman with
# the same metrics). Not run by CI.
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

WRITE_SEED_DOCX="$work/bao-cao.docx" cargo test --quiet --test report_document \
    the_seed_document_has_the_seed_table >/dev/null
libreoffice --headless --convert-to pdf --outdir "$work" "$work/bao-cao.docx" >/dev/null
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$work/bao-cao.pdf" docs/report-document
echo "wrote docs/report-document.png"
