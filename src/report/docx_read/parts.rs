//! The written parts in a document's blocks: the text between one section heading and
//! the next, the opening paragraphs after the title, and the header and signature tables.
//!
//! Headings are recognised by their words (`fold`: case, diacritics and spacing do not
//! matter), with or without their number, since Word may turn "II." into a list number
//! that is no longer part of the text. A section is read only when its own heading and
//! the next one are found, so that a renamed heading never lets one section swallow the
//! next. Tables inside sections (III.2) and the computed lines (the number of
//! participants of V, the closing sentence) are passed over: the numbers are always
//! computed again from the data.

use super::super::docx::{
    ACTIVITIES_HEADING, CENTRE_KIND, CLOSING_START, HEADINGS, LITERACY_LABEL, RECIPIENTS_HEADING,
    RESULTS_HEADING, SUMMARY,
};
use super::xml::Block;
use crate::dialog::parse::fold;
use crate::document::{Part, ReadBack, ReadProblem};

/// The computed line of section V, as the catalog words it: what comes before and after
/// the number ("Số người tham gia học tại TTHTCĐ: " and " người"), folded.
#[derive(Debug, Clone)]
pub(super) struct ComputedLine {
    pub before: String,
    pub after: String,
}

impl ComputedLine {
    fn matches(&self, key: &str) -> bool {
        (!self.before.is_empty() || !self.after.is_empty())
            && key.starts_with(&self.before)
            && key.ends_with(&self.after)
    }
}

/// Finds the written parts; `NoHeadings` when none of the six section headings is there.
pub(super) fn find_parts(blocks: &[Block], total: &ComputedLine) -> Result<ReadBack, ReadProblem> {
    let headings = find_headings(blocks);
    let Some(first) = headings.iter().flatten().next().copied() else {
        return Err(ReadProblem::NoHeadings);
    };
    let mut found: Vec<(Part, String)> = Vec::new();

    // Before section I: the header table and, after the title, the opening paragraphs.
    let title = (0..first)
        .rev()
        .find(|&i| paragraph(blocks, i).is_some_and(|p| key(p).starts_with(&key(SUMMARY))));
    let header = (0..title.unwrap_or(first)).find(|&i| matches!(blocks[i], Block::Table(_)));
    if let Some(Block::Table(rows)) = header.map(|i| &blocks[i]) {
        found.extend(header_parts(rows));
    }
    if let (Some(title), Some(one)) = (title, headings[0]) {
        found.push((Part::Intro, text_between(blocks, title + 1, one)));
    }

    // Sections I–V: from a heading to the next one.
    let section =
        |n: usize| -> Option<(usize, usize)> { Some((headings[n]? + 1, headings[n + 1]?)) };
    if let Some((from, to)) = section(0) {
        found.push((Part::Local, text_between(blocks, from, to)));
    }
    if let Some((from, to)) = section(1) {
        found.push((Part::Management, text_between(blocks, from, to)));
    }
    if let Some((from, to)) = section(2) {
        // III.1 runs from its sub-heading to III.2's (or to the table).
        let sub = |heading: &str| (from..to).find(|&i| is_heading(blocks, i, heading));
        let start = sub(ACTIVITIES_HEADING).map_or(from, |i| i + 1);
        let end = (start..to)
            .find(|&i| {
                matches!(blocks[i], Block::Table(_)) || is_heading(blocks, i, RESULTS_HEADING)
            })
            .unwrap_or(to);
        found.push((Part::Activities, text_between(blocks, start, end)));
    }
    if let Some((from, to)) = section(3) {
        found.push((Part::Society, text_between(blocks, from, to)));
    }
    if let Some((from, to)) = section(4) {
        found.extend(section_v(blocks, from, to, total));
    }

    // Section VI: up to the closing sentence (or a table); then the signature table.
    if let Some(six) = headings[5] {
        let end = (six + 1..blocks.len())
            .find(|&i| match &blocks[i] {
                Block::Paragraph(p) => key(p).starts_with(&key(CLOSING_START)),
                Block::Table(_) => true,
            })
            .unwrap_or(blocks.len());
        found.push((Part::Proposals, text_between(blocks, six + 1, end)));
    }
    let last = headings.iter().flatten().last().copied().unwrap_or(first);
    let signature = blocks[last..].iter().find_map(|block| match block {
        Block::Table(rows) => signature_parts(rows),
        Block::Paragraph(_) => None,
    });
    found.extend(signature.into_iter().flatten());

    found.sort_by_key(|(part, _)| *part);
    let not_found = Part::ALL
        .into_iter()
        .filter(|part| found.iter().all(|(p, _)| p != part))
        .collect();
    Ok(ReadBack {
        parts: found,
        not_found,
    })
}

/// The positions of headings I–VI, each searched after the previous one found.
fn find_headings(blocks: &[Block]) -> [Option<usize>; 6] {
    let mut found = [None; 6];
    let mut from = 0;
    for (n, heading) in HEADINGS.iter().enumerate() {
        if let Some(at) = (from..blocks.len()).find(|&i| is_heading(blocks, i, heading)) {
            found[n] = Some(at);
            from = at + 1;
        }
    }
    found
}

fn paragraph(blocks: &[Block], i: usize) -> Option<&str> {
    match blocks.get(i)? {
        Block::Paragraph(text) => Some(text),
        Block::Table(_) => None,
    }
}

/// Whether block `i` is a paragraph saying `heading`, with or without its number.
fn is_heading(blocks: &[Block], i: usize, heading: &str) -> bool {
    paragraph(blocks, i).is_some_and(|text| {
        let (text, heading) = (key(text), key(heading));
        text == heading || (!text.is_empty() && without_number(&text) == without_number(&heading))
    })
}

/// A paragraph reduced for matching: folded, without a closing colon or full stop.
fn key(text: &str) -> String {
    fold(text).trim_end_matches([':', '.', ' ']).to_owned()
}

/// A folded heading without its leading number ("ii. ", "2) ", "iv - ").
fn without_number(key: &str) -> &str {
    let end = key
        .find(|c: char| !(c.is_ascii_digit() || "ivxl".contains(c)))
        .unwrap_or(key.len());
    if end == 0 {
        return key;
    }
    let rest = &key[end..];
    let stripped = rest.trim_start_matches(['.', ')', ':', '-', '–', ' ']);
    if stripped.len() == rest.len() {
        // A word that starts with "i" or "v", not a number.
        key
    } else {
        stripped
    }
}

/// The paragraphs of blocks `from..to` (tables passed over), one a line.
fn text_between(blocks: &[Block], from: usize, to: usize) -> String {
    blocks
        .get(from..to)
        .unwrap_or_default()
        .iter()
        .filter_map(|block| match block {
            Block::Paragraph(text) => Some(text.as_str()),
            Block::Table(_) => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Section V: the literacy rate from its line, the other paragraphs as the results; the
/// computed number of participants is left out.
fn section_v(
    blocks: &[Block],
    from: usize,
    to: usize,
    total: &ComputedLine,
) -> Vec<(Part, String)> {
    let label = key(LITERACY_LABEL);
    let mut literacy = None;
    let mut results = Vec::new();
    for text in (from..to).filter_map(|i| paragraph(blocks, i)) {
        let folded = key(text);
        if literacy.is_none() && folded.starts_with(&label) {
            literacy = Some(after_label(text, LITERACY_LABEL));
        } else if !total.matches(&folded) {
            results.push(text);
        }
    }
    let mut parts: Vec<(Part, String)> = literacy
        .map(|text| (Part::Literacy, text))
        .into_iter()
        .collect();
    parts.push((Part::Results, results.join("\n")));
    parts
}

/// The text after a label: after its colon, or after as many words as the label has.
fn after_label(text: &str, label: &str) -> String {
    match text.split_once(':') {
        Some((_, rest)) => rest.trim().to_owned(),
        None => text
            .split_whitespace()
            .skip(label.split_whitespace().count())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// The non-empty paragraphs of a cell.
fn cell_lines(rows: &[Vec<Vec<String>>], row: usize, cell: usize) -> Vec<&str> {
    rows.get(row)
        .and_then(|r| r.get(cell))
        .map(|paragraphs| {
            paragraphs
                .iter()
                .map(|p| p.trim())
                .filter(|p| !p.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// The header's two columns: the commune line above the centre's kind, "Số: …" below
/// it; on the right, the place before ", ngày … tháng … năm …".
fn header_parts(rows: &[Vec<Vec<String>>]) -> Vec<(Part, String)> {
    let mut parts = Vec::new();
    let left = cell_lines(rows, 0, 0);
    if let Some(commune) = left.first().filter(|l| key(l) != key(CENTRE_KIND)) {
        parts.push((Part::Commune, (*commune).to_owned()));
    }
    if let Some((label, number)) = cell_lines(rows, 1, 0)
        .first()
        .and_then(|l| l.split_once(':'))
    {
        if key(label) == "so" {
            parts.push((Part::Number, number.trim().to_owned()));
        }
    }
    if let Some((place, date)) = cell_lines(rows, 1, 1)
        .first()
        .and_then(|l| l.rsplit_once(','))
    {
        if key(date).starts_with("ngay") {
            parts.push((Part::Place, place.trim().to_owned()));
        }
    }
    parts
}

/// "Nơi nhận:" and its list on the left; the signer's title first and name last on the
/// right. `None` for a table that is not the signature's.
fn signature_parts(rows: &[Vec<Vec<String>>]) -> Option<Vec<(Part, String)>> {
    let left = cell_lines(rows, 0, 0);
    let (first, list) = left.split_first()?;
    let (label, rest) = first.split_once(':').unwrap_or((first, ""));
    if key(label) != key(RECIPIENTS_HEADING) {
        return None;
    }
    let mut recipients: Vec<&str> = Some(rest.trim())
        .filter(|r| !r.is_empty())
        .into_iter()
        .collect();
    recipients.extend(list);
    let mut parts = vec![(Part::Recipients, recipients.join("\n"))];
    let right = cell_lines(rows, 0, 1);
    if let [title, .., name] = right.as_slice() {
        parts.push((Part::SignerTitle, (*title).to_owned()));
        parts.push((Part::SignerName, (*name).to_owned()));
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_match_without_case_diacritics_spacing_or_their_number() {
        let blocks: Vec<Block> = [
            "ii.  bo may QUAN LY:",
            "Bộ máy quản lý",
            "2) Bộ máy quản lý",
            "Bộ máy quản lý và nhân sự",
            "vi. Bộ máy quản lý",
        ]
        .iter()
        .map(|t| Block::Paragraph((*t).to_owned()))
        .collect();
        let matches: Vec<bool> = (0..blocks.len())
            .map(|i| is_heading(&blocks, i, HEADINGS[1]))
            .collect();
        assert_eq!(matches, [true, true, true, false, true]);
        assert_eq!(without_number("in the"), "in the");
        assert_eq!(without_number("iv - x"), "x");
    }

    fn blocks(paragraphs: &[&str]) -> Vec<Block> {
        paragraphs
            .iter()
            .map(|p| Block::Paragraph((*p).to_owned()))
            .collect()
    }

    fn total() -> ComputedLine {
        ComputedLine {
            before: fold("Số người tham gia học tại TTHTCĐ: "),
            after: fold(" người"),
        }
    }

    #[test]
    fn a_section_whose_end_is_unknown_is_not_read_and_computed_lines_are_passed_over() {
        let mut doc = blocks(&[
            "I. Đặc điểm tình hình địa phương",
            "Địa phương.",
            // Heading II renamed: section I's end is unknown, and II is not found.
            "II. Nhân sự",
            "Ban giám đốc.",
            "III. TỔ CHỨC HOẠT ĐỘNG",
            "1. Đánh giá công tác hoạt động",
            "Hoạt động.",
            "2. Kết quả thực hiện",
        ]);
        doc.push(Block::Table(vec![vec![vec![
            "Cộng".into(),
            "99.999".into(),
        ]]]));
        doc.extend(blocks(&[
            "Sau bảng.",
            "IV. Đánh giá công tác huy động sự tham gia của xã hội",
            "Xã hội.",
            "V. Hiệu quả hoạt động",
            "Tỷ lệ biết chữ trong các độ tuổi: 98%",
            "Số người tham gia học tại TTHTCĐ: 99.999 người",
            "Không còn hộ nghèo.",
            "VI. Đề xuất, kiến nghị",
            "Đề nghị.",
            "Trên đây là báo cáo công tác tổ chức và hoạt động của TTHTCĐ năm 2020./.",
        ]));
        let read = find_parts(&doc, &total()).expect("headings");
        let text = |part: Part| {
            read.parts
                .iter()
                .find(|(p, _)| *p == part)
                .map(|(_, t)| t.as_str())
        };
        assert_eq!(text(Part::Local), None);
        assert_eq!(text(Part::Management), None);
        assert_eq!(text(Part::Activities), Some("Hoạt động."));
        assert_eq!(text(Part::Society), Some("Xã hội."));
        assert_eq!(text(Part::Literacy), Some("98%"));
        assert_eq!(text(Part::Results), Some("Không còn hộ nghèo."));
        assert_eq!(text(Part::Proposals), Some("Đề nghị."));
        assert!(
            read.not_found.contains(&Part::Local) && read.not_found.contains(&Part::Management)
        );
        assert!(
            read.not_found.contains(&Part::Recipients) && read.not_found.contains(&Part::Intro)
        );
        assert_eq!(
            find_parts(&blocks(&["Giấy mời", "Kính gửi"]), &total()),
            Err(ReadProblem::NoHeadings)
        );
    }

    #[test]
    fn labels_are_cut_at_their_colon_or_after_their_words() {
        assert_eq!(
            after_label("Tỷ lệ biết chữ trong các độ tuổi: 99,5%", LITERACY_LABEL),
            "99,5%"
        );
        assert_eq!(
            after_label("Tỷ lệ biết chữ trong các độ tuổi 98%", LITERACY_LABEL),
            "98%"
        );
    }
}
