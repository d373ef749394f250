//! Reading back a report document a director edited in Word, LibreOffice or WPS and sent
//! to the bot: the texts under the section headings and in the header and signature,
//! never the table or the computed figures (those are always made again from the data).
//!
//! A `.docx` is a zip of XML parts; only `word/document.xml` is read. The file is
//! untrusted, so the zip is opened with caps: the file's own size, the number of entries,
//! each entry's and all entries' declared sizes, and the bytes actually inflated from the
//! document part (a zip bomb declares small sizes and inflates to gigabytes; reading stops
//! at the cap).
//!
//! Why not docx-rs's `read_docx`, though the crate writes the document: it reads every
//! part into its model without any cap, and a damaged entry makes it panic (an `unwrap`
//! on the inflated bytes), where user input must get a friendly answer. The zip and
//! quick-xml crates it is built on are used directly instead, at its versions.

mod parts;
mod xml;

use super::xlsx::plain_text;
use crate::dialog::parse::fold;
use crate::dialog::Catalog;
use crate::document::{ReadBack, ReadProblem, UploadContent, MAX_UPLOAD_BYTES};
use crate::domain::Lang;
use parts::ComputedLine;
use std::io::{Cursor, Read};

/// The most entries a document's zip may have (Word writes about a dozen; each picture
/// adds one).
const MAX_ENTRIES: usize = 1_000;
/// The most one entry may declare to inflate to.
const MAX_ENTRY_BYTES: u64 = 32 * 1024 * 1024;
/// The most all entries together may declare.
const MAX_TOTAL_BYTES: u64 = 64 * 1024 * 1024;
/// The most bytes inflated from `word/document.xml` (a report's is some hundreds of
/// kilobytes at most).
const MAX_DOCUMENT_XML: u64 = 16 * 1024 * 1024;

/// The main part of a Word document.
const DOCUMENT_PART: &str = "word/document.xml";

/// Reads an uploaded file: its written parts, or why they cannot be read.
pub fn read_upload(catalog: &Catalog, bytes: &[u8]) -> UploadContent {
    match read_docx(catalog, bytes) {
        Ok(read) => UploadContent::Read(read),
        Err(problem) => UploadContent::Refused(problem),
    }
}

/// The written parts of a report document (`catalog` words the computed line of section
/// V, which is passed over).
pub fn read_docx(catalog: &Catalog, bytes: &[u8]) -> Result<ReadBack, ReadProblem> {
    let xml = document_xml(bytes)?;
    let blocks = xml::blocks(&xml)?;
    parts::find_parts(&blocks, &computed_line(catalog))
}

/// `word/document.xml` as text, unpacked within the caps.
fn document_xml(bytes: &[u8]) -> Result<String, ReadProblem> {
    if u64::try_from(bytes.len()).map_or(true, |len| len > MAX_UPLOAD_BYTES) {
        return Err(ReadProblem::TooLarge);
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ReadProblem::NotDocx)?;
    if zip.len() > MAX_ENTRIES {
        return Err(ReadProblem::TooLarge);
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let size = zip.by_index_raw(i).map_err(|_| ReadProblem::Broken)?.size();
        total = total.checked_add(size).ok_or(ReadProblem::TooLarge)?;
        if size > MAX_ENTRY_BYTES || total > MAX_TOTAL_BYTES {
            return Err(ReadProblem::TooLarge);
        }
    }
    let entry = match zip.by_name(DOCUMENT_PART) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Err(ReadProblem::NotDocx),
        // Encrypted, an unsupported compression method, a damaged header.
        Err(_) => return Err(ReadProblem::Broken),
    };
    let mut data = Vec::new();
    entry
        .take(MAX_DOCUMENT_XML + 1)
        .read_to_end(&mut data)
        // A damaged deflate stream or a wrong checksum.
        .map_err(|_| ReadProblem::Broken)?;
    if u64::try_from(data.len()).map_or(true, |len| len > MAX_DOCUMENT_XML) {
        return Err(ReadProblem::TooLarge);
    }
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&data);
    String::from_utf8(data.to_vec()).map_err(|_| ReadProblem::Broken)
}

/// The computed line of section V around its number, from the dialogs' wording.
fn computed_line(catalog: &Catalog) -> ComputedLine {
    const MARK: &str = "\u{1}";
    let line = plain_text(
        catalog,
        "report.total_line",
        Lang::Vi,
        &[("attendance", MARK)],
    );
    let (before, after) = line.split_once(MARK).unwrap_or((&line, ""));
    ComputedLine {
        before: fold(before),
        after: fold(after),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            zip.start_file(*name, options).expect("entry");
            zip.write_all(bytes).expect("write");
        }
        zip.finish().expect("finish");
        out.into_inner()
    }

    #[test]
    fn what_is_not_a_docx_is_refused_before_any_xml_is_read() {
        assert_eq!(document_xml(b"%PDF-1.7"), Err(ReadProblem::NotDocx));
        assert_eq!(
            document_xml(&zip_of(&[("hello.txt", b"hi")])),
            Err(ReadProblem::NotDocx)
        );
        assert_eq!(
            document_xml(&vec![0; MAX_UPLOAD_BYTES as usize + 1]),
            Err(ReadProblem::TooLarge)
        );
    }

    #[test]
    fn a_zip_bomb_stops_at_the_cap() {
        // 17 MB of spaces deflate to some kilobytes.
        let bomb = vec![b' '; MAX_DOCUMENT_XML as usize + 1024];
        let bytes = zip_of(&[(DOCUMENT_PART, &bomb)]);
        assert!(bytes.len() < 100_000, "{}", bytes.len());
        assert_eq!(document_xml(&bytes), Err(ReadProblem::TooLarge));
        let many: Vec<(String, &[u8])> = (0..=MAX_ENTRIES)
            .map(|i| (format!("f{i}"), &b""[..]))
            .collect();
        let many: Vec<(&str, &[u8])> = many.iter().map(|(n, b)| (n.as_str(), *b)).collect();
        assert_eq!(document_xml(&zip_of(&many)), Err(ReadProblem::TooLarge));
    }

    #[test]
    fn a_damaged_entry_is_broken_not_a_panic() {
        let mut bytes = zip_of(&[(DOCUMENT_PART, "<w:document>".repeat(200).as_bytes())]);
        // Scribble over the compressed data, after the local header (30 bytes + name).
        for b in bytes.iter_mut().skip(30 + DOCUMENT_PART.len()).take(40) {
            *b ^= 0x5A;
        }
        assert_eq!(document_xml(&bytes), Err(ReadProblem::Broken));
    }

    proptest! {
        #[test]
        fn any_bytes_or_any_document_xml_get_an_answer_not_a_panic(
            bytes in prop::collection::vec(any::<u8>(), 0..512),
            xml in "(<w:(p|r|t|tbl|tr|tc|body|tab|br|del)>|</w:(p|r|t|tbl|tr|tc|body|del)>|<w:(p|tab|br)/>|[a-zơ &;#x0-9.:]){0,60}",
        ) {
            let catalog = crate::report::test_catalog::catalog();
            let _ = read_docx(&catalog, &bytes);
            let _ = read_docx(&catalog, &zip_of(&[(DOCUMENT_PART, xml.as_bytes())]));
        }
    }
}
