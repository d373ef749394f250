//! The body of `word/document.xml` as a list of blocks: each paragraph's visible text,
//! and each table as rows of cells of paragraphs. Read with a pull parser (quick-xml), so
//! that whatever Word, LibreOffice or WPS wrap around the text (runs split anywhere,
//! bookmarks, proofing marks, hyperlinks, fields, content controls, tracked insertions)
//! only matters for what is shown.
//!
//! What is not the paragraph's text is left out: tracked deletions (`w:del`,
//! `w:moveFrom`), field codes (`w:instrText`), and drawings, text boxes and their
//! alternative renderings (`w:drawing`, `w:pict`, `w:object`, `mc:AlternateContent`).
//! A tab is a space; a line break inside a paragraph is a new line, since a line is a
//! paragraph of a written part.

use crate::document::ReadProblem;
use quick_xml::events::{BytesRef, Event};
use quick_xml::Reader;

/// One block of the document's body, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Block {
    /// A paragraph outside tables: its text.
    Paragraph(String),
    /// A table: rows of cells, each cell its paragraphs' texts (a table inside a cell
    /// adds its paragraphs to that cell).
    Table(Vec<Vec<Vec<String>>>),
}

/// Elements whose whole content is not the paragraph's text.
const SKIPPED: [&[u8]; 7] = [
    b"del",
    b"moveFrom",
    b"drawing",
    b"pict",
    b"object",
    b"AlternateContent",
    b"instrText",
];

/// Reads the body's blocks; `Broken` for XML that is not well formed (a mismatched or
/// missing end tag, a truncated file) or a document without a body.
pub(super) fn blocks(xml: &str) -> Result<Vec<Block>, ReadProblem> {
    let mut reader = Reader::from_str(xml);
    let mut walk = Walk::default();
    loop {
        let event = reader.read_event().map_err(|_| ReadProblem::Broken)?;
        match event {
            Event::Start(element) => {
                walk.depth = walk.depth.checked_add(1).ok_or(ReadProblem::Broken)?;
                walk.start(element.local_name().as_ref());
            }
            Event::Empty(element) => walk.empty(element.local_name().as_ref()),
            Event::End(element) => walk.end(element.local_name().as_ref())?,
            Event::Text(text) => {
                if walk.in_text() {
                    let text = text.xml10_content().map_err(|_| ReadProblem::Broken)?;
                    walk.push_text(&text);
                }
            }
            Event::GeneralRef(reference) => {
                if walk.in_text() {
                    walk.push_text(&entity(&reference)?);
                }
            }
            Event::CData(text) => {
                if walk.in_text() {
                    let text = text.decode().map_err(|_| ReadProblem::Broken)?;
                    walk.push_text(&text);
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if walk.depth != 0 || !walk.body_seen {
        return Err(ReadProblem::Broken);
    }
    Ok(walk.blocks)
}

/// The text an entity reference stands for: a character reference or one of XML's five
/// named entities (a `.docx` declares no others; an unknown one is dropped).
fn entity(reference: &BytesRef<'_>) -> Result<String, ReadProblem> {
    if let Some(c) = reference
        .resolve_char_ref()
        .map_err(|_| ReadProblem::Broken)?
    {
        return Ok(c.to_string());
    }
    let name = reference.decode().map_err(|_| ReadProblem::Broken)?;
    Ok(match name.as_ref() {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        _ => "",
    }
    .to_owned())
}

/// Where the reader stands in the document.
#[derive(Debug, Default)]
struct Walk {
    blocks: Vec<Block>,
    /// Open elements.
    depth: usize,
    body_seen: bool,
    in_body: bool,
    /// The depth of the skipped element being passed over, if any.
    skipping: Option<usize>,
    /// Open tables (a table in a cell is a second one).
    tables: usize,
    /// The outermost open table.
    table: Vec<Vec<Vec<String>>>,
    /// The open paragraph and the depth of its element.
    paragraph: Option<(String, usize)>,
    /// Open runs (`w:r`); tabs and breaks count only inside one (elsewhere `w:tab` is a
    /// tab stop of the paragraph's properties).
    runs: usize,
    /// Inside a `w:t`.
    text: bool,
}

impl Walk {
    fn in_text(&self) -> bool {
        self.text && self.skipping.is_none() && self.paragraph.is_some()
    }

    fn push_text(&mut self, text: &str) {
        if let Some((paragraph, _)) = &mut self.paragraph {
            paragraph.push_str(text);
        }
    }

    fn start(&mut self, name: &[u8]) {
        if self.skipping.is_some() {
            return;
        }
        if SKIPPED.contains(&name) {
            self.skipping = Some(self.depth);
            return;
        }
        match name {
            b"body" => {
                self.body_seen = true;
                self.in_body = true;
            }
            b"tbl" if self.in_body => {
                self.tables += 1;
                if self.tables == 1 {
                    self.table = Vec::new();
                }
            }
            b"tr" if self.tables == 1 => self.table.push(Vec::new()),
            b"tc" if self.tables == 1 => {
                if let Some(row) = self.table.last_mut() {
                    row.push(Vec::new());
                }
            }
            b"p" if self.in_body && self.paragraph.is_none() => {
                self.paragraph = Some((String::new(), self.depth));
            }
            b"r" => self.runs += 1,
            b"t" => self.text = true,
            _ => {}
        }
    }

    fn empty(&mut self, name: &[u8]) {
        if self.skipping.is_some() {
            return;
        }
        match name {
            b"p" if self.in_body && self.paragraph.is_none() => {
                self.finish_paragraph(String::new())
            }
            b"tab" | b"ptab" if self.runs > 0 => self.push_text(" "),
            b"br" | b"cr" if self.runs > 0 => self.push_text("\n"),
            b"noBreakHyphen" if self.runs > 0 => self.push_text("-"),
            _ => {}
        }
    }

    fn end(&mut self, name: &[u8]) -> Result<(), ReadProblem> {
        let depth = self.depth;
        self.depth = depth.checked_sub(1).ok_or(ReadProblem::Broken)?;
        if let Some(level) = self.skipping {
            if level == depth {
                self.skipping = None;
            }
            return Ok(());
        }
        match name {
            b"body" => self.in_body = false,
            b"t" => self.text = false,
            b"r" => self.runs = self.runs.saturating_sub(1),
            // The end of the open paragraph (not of one nested in it).
            b"p" if self.paragraph.as_ref().is_some_and(|(_, d)| *d == depth) => {
                if let Some((text, _)) = self.paragraph.take() {
                    self.finish_paragraph(text);
                }
            }
            b"tbl" if self.tables > 0 => {
                self.tables -= 1;
                if self.tables == 0 {
                    self.blocks
                        .push(Block::Table(std::mem::take(&mut self.table)));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A paragraph ends: a block of its own, or a paragraph of the open table's cell.
    fn finish_paragraph(&mut self, text: String) {
        if self.tables == 0 {
            self.blocks.push(Block::Paragraph(text));
        } else if let Some(cell) = self.table.last_mut().and_then(|row| row.last_mut()) {
            cell.push(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{body}<w:sectPr/></w:body></w:document>"#
        )
    }

    fn para(text: &str) -> Block {
        Block::Paragraph(text.to_owned())
    }

    #[test]
    fn runs_split_anywhere_join_into_the_paragraphs_text() {
        let xml = doc(concat!(
            r#"<w:p w:rsidR="00A1"><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>"#,
            r#"<w:r><w:t xml:space="preserve">II. Bộ </w:t></w:r><w:proofErr w:type="spellStart"/>"#,
            r#"<w:bookmarkStart w:id="0" w:name="x"/><w:r><w:rPr><w:b/></w:rPr><w:t>máy</w:t></w:r>"#,
            r#"<w:bookmarkEnd w:id="0"/><w:r><w:t xml:space="preserve"> quản lý &amp; &#273;i</w:t></w:r></w:p>"#,
        ));
        assert_eq!(blocks(&xml), Ok(vec![para("II. Bộ máy quản lý & đi")]));
    }

    #[test]
    fn tracked_deletions_field_codes_and_drawings_are_not_text() {
        let xml = doc(concat!(
            r#"<w:p><w:ins w:id="1" w:author="A"><w:r><w:t>mới</w:t></w:r></w:ins>"#,
            r#"<w:del w:id="2" w:author="A"><w:r><w:delText>cũ</w:delText></w:r></w:del>"#,
            r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>"#,
            r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>"#,
            r#"<w:r><w:fldChar w:fldCharType="end"/></w:r>"#,
            r#"<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>hộp</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>"#,
            r#"<mc:Fallback><w:pict><w:p><w:r><w:t>hộp</w:t></w:r></w:p></w:pict></mc:Fallback></mc:AlternateContent></w:r>"#,
            r#"<w:hyperlink r:id="rId9"><w:r><w:t xml:space="preserve"> x</w:t><w:tab/><w:t>y</w:t><w:br/><w:t>z</w:t></w:r></w:hyperlink></w:p>"#,
        ));
        assert_eq!(blocks(&xml), Ok(vec![para("mới1 x y\nz")]));
    }

    #[test]
    fn tables_are_rows_of_cells_of_paragraphs() {
        let xml = doc(concat!(
            r#"<w:p/><w:tbl><w:tblPr/><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p><w:p/></w:tc>"#,
            r#"<w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>in</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr>"#,
            r#"<w:tr><w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
            r#"<w:sdt><w:sdtContent><w:p><w:r><w:t>after</w:t></w:r></w:p></w:sdtContent></w:sdt>"#,
        ));
        assert_eq!(
            blocks(&xml),
            Ok(vec![
                para(""),
                Block::Table(vec![
                    vec![vec!["a".into(), String::new()], vec!["in".into()]],
                    vec![vec!["b".into()]],
                ]),
                para("after"),
            ])
        );
    }

    #[test]
    fn xml_that_is_not_well_formed_is_broken() {
        for xml in [
            doc("<w:p><w:r><w:t>x</w:r></w:p>"),
            doc("<w:p><w:r><w:t>x</w:t></w:r>")
                .replace("</w:body></w:document>", "")
                .to_owned(),
            "<w:document><w:p/></w:document>".to_owned(),
            "not xml at all".to_owned(),
            String::new(),
        ] {
            assert_eq!(blocks(&xml), Err(ReadProblem::Broken), "{xml}");
        }
    }
}
