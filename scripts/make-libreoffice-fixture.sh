#!/usr/bin/env bash
# Makes tests/fixtures/bao-cao-libreoffice.docx: the seed report document as the bot
# makes it, with section VI edited and the table's total vandalised, then opened and
# saved again by LibreOffice Writer (its own .docx writer: other runs, styles and
# bookmarks than docx-rs writes). The test `document_upload` reads it back, so the
# reader is checked on a real LibreOffice output. Needs LibreOffice Writer and python3;
# not run by CI. Run it again when the seed texts (tests/document_support) change.
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

WRITE_SEED_DOCX="$work/seed.docx" cargo test --quiet --test report_document \
    the_seed_document_has_the_seed_table >/dev/null
python3 - "$work/seed.docx" "$work/bao-cao-libreoffice.docx" <<'PY'
import sys, zipfile
source, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "word/document.xml":
            xml = data.decode("utf-8")
            assert "chủ yếu là kiêm nhiệm" in xml and ">20.868<" in xml
            xml = xml.replace("chủ yếu là kiêm nhiệm", "phần lớn vẫn kiêm nhiệm")
            xml = xml.replace(">20.868<", ">1<")
            data = xml.encode("utf-8")
        zout.writestr(item, data)
PY
mkdir "$work/out"
libreoffice --headless --convert-to 'docx:MS Word 2007 XML' --outdir "$work/out" \
    "$work/bao-cao-libreoffice.docx" >/dev/null
cp "$work/out/bao-cao-libreoffice.docx" tests/fixtures/
echo "wrote tests/fixtures/bao-cao-libreoffice.docx"
