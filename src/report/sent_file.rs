//! A file sent in the private chat, read by what it holds: a report document sent back
//! (`docx_read`) or a sessions spreadsheet (`import`). The name only decided whether it
//! was fetched and with which cap (`document::fetch_plan`); here the bytes decide, so a
//! workbook saved under another name is still read as one, and a Word document called
//! `.xlsx` as a document.

use super::docx_read::read_upload;
use super::import::read_import;
use crate::dialog::Catalog;
use crate::document::UploadContent;
use crate::import::kind_of_name;
use std::io::Cursor;

/// The leading bytes of a zip file (both a `.docx` and an `.xlsx` are one).
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// The part every Word document has.
const WORD_PART: &str = "word/document.xml";

/// The part every Excel workbook has.
const WORKBOOK_PART: &str = "xl/workbook.xml";

/// Reads the file `file_name` holding `bytes`: a zip with a Word document is read back as
/// the report document, a zip with a workbook as sessions; anything else by its name (a
/// spreadsheet's name: sessions, CSV being plain text; otherwise the document reader,
/// which says it is not a `.docx`).
pub fn read_sent_file(catalog: &Catalog, file_name: &str, bytes: &[u8]) -> UploadContent {
    let sessions = || UploadContent::Sessions(read_import(file_name, bytes, catalog));
    if bytes.starts_with(ZIP_MAGIC) {
        match zip_part(bytes) {
            Some(Part::Word) => return read_upload(catalog, bytes),
            Some(Part::Workbook) => return sessions(),
            None => {}
        }
    }
    if kind_of_name(file_name).is_spreadsheet() {
        sessions()
    } else {
        read_upload(catalog, bytes)
    }
}

/// Which of the two known parts a zip file has.
enum Part {
    Word,
    Workbook,
}

/// Looks only at the zip's directory (no entry is unpacked here; each reader checks its
/// own caps when it does).
fn zip_part(bytes: &[u8]) -> Option<Part> {
    let zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut names = zip.file_names();
    if names.any(|name| name == WORD_PART) {
        return Some(Part::Word);
    }
    if zip.file_names().any(|name| name == WORKBOOK_PART) {
        return Some(Part::Workbook);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::ReadProblem;
    use crate::import;

    fn catalog() -> Catalog {
        crate::dialog::load_embedded().expect("the shipped dialogs load")
    }

    #[test]
    fn csv_by_its_name_and_anything_else_as_a_document() {
        let catalog = catalog();
        let csv =
            "Ngày,Hoạt động giáo dục,Lớp (chuyên đề),Tổng số,Nữ\n05/03/2025,sk,Tin học,20,10\n";
        assert!(matches!(
            read_sent_file(&catalog, "buoi.csv", csv.as_bytes()),
            UploadContent::Sessions(Ok(rows)) if rows.rows.len() == 1
        ));
        assert_eq!(
            read_sent_file(&catalog, "ghi-chu", csv.as_bytes()),
            UploadContent::Refused(ReadProblem::NotDocx)
        );
        assert_eq!(
            read_sent_file(&catalog, "cu.xls", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"),
            UploadContent::Sessions(Err(import::ReadProblem::OtherSpreadsheet))
        );
    }

    #[test]
    fn a_zip_is_read_by_what_it_holds_whatever_its_name() {
        let catalog = catalog();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 5).expect("a date");
        let workbook =
            crate::report::import_template(&catalog, crate::domain::Lang::Vi, day).expect("xlsx");
        // The template's only row is its example: read as sessions, it is that row.
        assert!(matches!(
            read_sent_file(&catalog, "bao-cao.docx", &workbook),
            UploadContent::Sessions(Ok(rows)) if rows.rows.len() == 1 && rows.rows[0].example
        ));
        let mut document = Cursor::new(Vec::new());
        docx_rs::Docx::new()
            .add_paragraph(
                docx_rs::Paragraph::new().add_run(docx_rs::Run::new().add_text("Thư mời họp")),
            )
            .build()
            .pack(&mut document)
            .expect("docx");
        // A Word document called .xlsx goes to the document's reader (which finds no
        // report headings in it), never to the sessions reader.
        assert_eq!(
            read_sent_file(&catalog, "buoi-hoc.xlsx", document.get_ref()),
            UploadContent::Refused(ReadProblem::NoHeadings)
        );
    }
}
