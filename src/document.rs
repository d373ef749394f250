//! The words of a centre's period report document (the whole report, not just table
//! III.2): which parts a director writes, what each holds the first time, and how a long
//! text is cut for a chat message.
//!
//! The document has computed parts (the title's period, table III.2, the number of
//! participants of section V, the closing sentence) and written parts, which are the
//! centre's own and kept per centre in the store: the texts of sections I–VI and the
//! settings of the header and the signature. The first time, each written part holds a
//! one-line hint of what belongs there, so the first document already shows its shape.
//!
//! The document itself is in Vietnamese (it goes to the education office); the part
//! names also have English equivalents for the chat of an English-speaking director.

mod upload;

pub use upload::{
    fetch_plan, line_change, shorten, LineChange, ReadBack, ReadProblem, SentKind, Upload,
    UploadContent, MAX_UPLOAD_BYTES,
};

use crate::domain::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most characters one written part may hold. A Telegram message holds 4,096, so a
/// text typed in the chat always fits; the limit keeps a pasted or read-back text from
/// making the document, the stored record or the audit entry unreasonably large.
pub const MAX_PART_CHARS: usize = 20_000;

/// One written part of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// The header's first line on the left: the commune's or ward's people's committee.
    Commune,
    /// The document number after "Số: " (for example "…/BC-TTHTCĐ").
    Number,
    /// The place name of the date line ("Tràng An, ngày … tháng … năm …").
    Place,
    /// The opening paragraphs before section I.
    Intro,
    /// I. Đặc điểm tình hình địa phương.
    Local,
    /// II. Bộ máy quản lý.
    Management,
    /// III.1 Đánh giá công tác hoạt động.
    Activities,
    /// IV. Đánh giá công tác huy động sự tham gia của xã hội.
    Society,
    /// V: the literacy rate ("Tỷ lệ biết chữ trong các độ tuổi").
    Literacy,
    /// V: the other figures and assessments after the number of participants.
    Results,
    /// VI. Đề xuất, kiến nghị.
    Proposals,
    /// "Nơi nhận": one recipient a line.
    Recipients,
    /// The signer's title ("GIÁM ĐỐC").
    SignerTitle,
    /// The signer's name.
    SignerName,
}

/// A part's texts: its stable id (stored, and in button data), its name in the chat, and
/// what it holds until the centre writes it.
struct PartInfo {
    id: &'static str,
    vi: &'static str,
    en: &'static str,
    default: &'static str,
}

impl Part {
    /// Every part, in the order of the document (the order of the list in the chat).
    pub const ALL: [Part; 14] = [
        Part::Commune,
        Part::Number,
        Part::Place,
        Part::Intro,
        Part::Local,
        Part::Management,
        Part::Activities,
        Part::Society,
        Part::Literacy,
        Part::Results,
        Part::Proposals,
        Part::Recipients,
        Part::SignerTitle,
        Part::SignerName,
    ];

    fn info(self) -> PartInfo {
        let info = |id, vi, en, default| PartInfo {
            id,
            vi,
            en,
            default,
        };
        match self {
            Part::Commune => info(
                "commune",
                "Dòng UBND xã/phường (đầu trang)",
                "Commune line of the header",
                "UBND xã/phường …",
            ),
            Part::Number => info(
                "number",
                "Số văn bản",
                "Document number",
                "…/BC-TTHTCĐ",
            ),
            Part::Place => info(
                "place",
                "Địa danh (dòng ngày tháng)",
                "Place name of the date line",
                "…",
            ),
            Part::Intro => info(
                "intro",
                "Mở đầu",
                "Opening",
                "Trung tâm học tập cộng đồng báo cáo kết quả công tác tổ chức và hoạt động như sau:",
            ),
            Part::Local => info(
                "local",
                "I. Đặc điểm tình hình địa phương",
                "I. The local situation",
                "(Diện tích, dân số, số hộ gia đình; kinh tế, văn hóa - xã hội của địa phương.)",
            ),
            Part::Management => info(
                "management",
                "II. Bộ máy quản lý",
                "II. Management",
                "1. Ban giám đốc: (số người, cơ cấu, hoạt động của Ban giám đốc.)\n\
                 2. Công tác triển khai và thực hiện văn bản chỉ đạo của cấp trên: (các văn bản đã triển khai.)\n\
                 3. Đánh giá công tác xây dựng kế hoạch hoạt động: (kế hoạch năm, tháng, quý; phối hợp; tuyên truyền.)\n\
                 4. Quản lý sử dụng hiệu quả các nguồn lực: (kinh phí, cơ sở vật chất, hỗ trợ, phụ cấp.)",
            ),
            Part::Activities => info(
                "activities",
                "III.1 Đánh giá công tác hoạt động",
                "III.1 How the activities were run",
                "(Điều tra nhu cầu học tập, thông tin đến người dân, tuyên truyền, tổ chức lớp học.)",
            ),
            Part::Society => info(
                "society",
                "IV. Huy động sự tham gia của xã hội",
                "IV. Who from society took part",
                "(Sự tham gia của cơ quan chuyên môn, doanh nghiệp, nhà hảo tâm, cơ sở tôn giáo, đoàn thể, tổ chức xã hội.)",
            ),
            Part::Literacy => info(
                "literacy",
                "V. Tỷ lệ biết chữ",
                "V. Literacy rate",
                "…%",
            ),
            Part::Results => info(
                "results",
                "V. Các số liệu, đánh giá khác",
                "V. Other figures and assessments",
                "(Số tin bài, hộ nghèo, môi trường, an ninh, văn hóa, việc làm mới sau học nghề…)",
            ),
            Part::Proposals => info(
                "proposals",
                "VI. Đề xuất, kiến nghị",
                "VI. Proposals",
                "(Các đề xuất, kiến nghị với cấp trên.)",
            ),
            Part::Recipients => info(
                "recipients",
                "Nơi nhận",
                "Recipients",
                "- Phòng Giáo dục và Đào tạo (b/c);\n- Lưu: VT.",
            ),
            Part::SignerTitle => info(
                "signer_title",
                "Chức vụ người ký",
                "Signer's title",
                "GIÁM ĐỐC",
            ),
            Part::SignerName => info(
                "signer_name",
                "Họ tên người ký",
                "Signer's name",
                "(Họ và tên)",
            ),
        }
    }

    /// The stable id, as stored and in button data.
    pub fn id(self) -> &'static str {
        self.info().id
    }

    /// The part with this id (ids come back from buttons and stored records: untrusted).
    pub fn from_id(id: &str) -> Option<Part> {
        Part::ALL.into_iter().find(|p| p.id() == id)
    }

    /// The part's name in the chat.
    pub fn name(self, lang: Lang) -> &'static str {
        let info = self.info();
        match lang {
            Lang::Vi => info.vi,
            Lang::En => info.en,
        }
    }

    /// What the part holds until the centre writes it: a one-line hint for the sections,
    /// the usual wording for the settings.
    pub fn default_text(self) -> &'static str {
        self.info().default
    }

    /// `text` of this part as the document prints it: the commune line and the signer's
    /// title in capitals, the rest as written. A text read back from a document is
    /// compared with this, so that the capitals alone are not taken for a change.
    pub fn printed(self, text: &str) -> String {
        match self {
            Part::Commune | Part::SignerTitle => text.to_uppercase(),
            _ => text.to_owned(),
        }
    }

    /// Whether the part is one line of the header or the signature (the others are
    /// paragraphs, one a line).
    pub fn is_one_line(self) -> bool {
        matches!(
            self,
            Part::Commune | Part::Number | Part::Place | Part::SignerTitle | Part::SignerName
        )
    }
}

/// The written parts of one centre's document: what the centre wrote last, the defaults
/// for the rest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentTexts {
    /// Written parts by part id. Ids this binary does not know (written by a newer one)
    /// are kept, not dropped, so that an older binary never erases them.
    #[serde(default)]
    pub parts: BTreeMap<String, String>,
}

impl DocumentTexts {
    /// The text of `part`: the centre's own, or the default.
    pub fn get(&self, part: Part) -> &str {
        self.parts
            .get(part.id())
            .map_or(part.default_text(), String::as_str)
    }

    /// Whether the centre has written `part` (rather than keeping the default).
    pub fn is_written(&self, part: Part) -> bool {
        self.parts.contains_key(part.id())
    }
}

/// Normalises a written text before it is stored: line ends unified, spaces around each
/// line and blank lines removed, so that the same text typed twice
/// is stored the same. `None` for a text with nothing in it or over `MAX_PART_CHARS`.
pub fn clean_part_text(text: &str) -> Option<String> {
    // One line is one paragraph of the document, so blank lines carry no meaning, and
    // "\r\n" (which splits into a line and an empty one) needs no special case.
    let lines: Vec<&str> = text
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let text = lines.join("\n");
    if text.is_empty() || text.chars().count() > MAX_PART_CHARS {
        return None;
    }
    Some(text)
}

/// Cuts `text` into pieces of at most `max` characters, at line ends where it can and at
/// spaces otherwise, so that each piece fits one chat message.
pub fn split_text(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut pieces = Vec::new();
    let mut rest: &str = text;
    while rest.chars().count() > max {
        // The byte index just after `max` characters.
        let limit = rest.char_indices().nth(max).map_or(rest.len(), |(i, _)| i);
        let head = &rest[..limit];
        let cut = head
            .rfind('\n')
            .or_else(|| head.rfind(' '))
            .filter(|&i| i > 0)
            .unwrap_or(limit);
        pieces.push(rest[..cut].to_owned());
        rest = rest[cut..].trim_start_matches(['\n', ' ']);
    }
    if !rest.is_empty() || pieces.is_empty() {
        pieces.push(rest.to_owned());
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ids_are_unique_and_round_trip() {
        let mut seen = std::collections::BTreeSet::new();
        for part in Part::ALL {
            assert!(seen.insert(part.id()), "{:?}", part);
            assert_eq!(Part::from_id(part.id()), Some(part));
            assert!(part.id().len() <= 16, "short enough for button data");
        }
        assert_eq!(Part::from_id("nope"), None);
    }

    #[test]
    fn unwritten_parts_show_their_default() {
        let mut texts = DocumentTexts::default();
        assert_eq!(texts.get(Part::SignerTitle), "GIÁM ĐỐC");
        assert!(!texts.is_written(Part::SignerName));
        texts
            .parts
            .insert("signer_name".into(), "Hoàng Thị Xinh".into());
        assert_eq!(texts.get(Part::SignerName), "Hoàng Thị Xinh");
    }

    #[test]
    fn cleaning_drops_blank_lines_and_refuses_empty_or_huge_texts() {
        assert_eq!(
            clean_part_text("\r\n  1. Một  \r\n\r\n2. Hai\n\n").as_deref(),
            Some("1. Một\n2. Hai")
        );
        assert_eq!(clean_part_text(" \n \n"), None);
        assert_eq!(clean_part_text(&"a".repeat(MAX_PART_CHARS + 1)), None);
    }

    #[test]
    fn long_texts_are_cut_at_line_ends() {
        let text = format!("{}\n{}", "a".repeat(10), "b".repeat(10));
        assert_eq!(split_text(&text, 15), vec!["a".repeat(10), "b".repeat(10)]);
        assert_eq!(split_text("", 10), vec![String::new()]);
        assert_eq!(
            split_text("ơơơơ", 3),
            vec!["ơơơ".to_owned(), "ơ".to_owned()]
        );
    }

    proptest! {
        #[test]
        fn pieces_fit_and_keep_every_word(text in "[a-zơ \n]{0,300}", max in 1usize..50) {
            let pieces = split_text(&text, max);
            for piece in &pieces {
                prop_assert!(piece.chars().count() <= max);
            }
            let words = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>().concat();
            prop_assert_eq!(words(&pieces.join(" ")), words(&text));
        }
    }
}
