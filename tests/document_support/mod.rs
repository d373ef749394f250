//! Support shared by the tests of the report document: a database whose sessions add up
//! to the seed report, and a reader of the document's XML (the file unzipped, its
//! paragraphs and tables as text).
//!
//! Every test file that says `mod document_support;` compiles this module anew and uses
//! only part of it, so unused-code warnings are silenced here.
#![allow(dead_code)]

use chrono::{NaiveDate, TimeZone, Utc};
use regex::Regex;
use rollcall::domain::CentreId;
use rollcall::domain::{ClassChoice, NewSession};
use rollcall::store::{Store, StoreError, Tx};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

pub const CENTRE: &str = "TTHTCĐ phường Tràng An";
pub const OTHER_CENTRE: &str = "TTHTCĐ xã Ninh Nhất";

/// Table III.2 of the seed: (group id, classes, attendance, female).
pub const SEED: [(&str, u64, u64, u64); 10] = [
    ("literacy", 0, 0, 0),
    ("vocational", 2, 600, 280),
    ("law", 5, 900, 450),
    ("health", 6, 2_070, 1_650),
    ("environment", 8, 2_980, 1_270),
    ("culture", 6, 2_160, 1_500),
    ("economy", 4, 1_000, 670),
    ("life_skills", 6, 2_140, 1_670),
    ("other", 7, 3_450, 2_220),
    ("arts_sports", 6, 5_568, 3_988),
];

/// The official names of the ten rows, as in the seed report.
pub const SEED_NAMES: [&str; 10] = [
    "Học chương trình xóa mù chữ, giáo dục chương trình sau biết chữ",
    "Học nghề ngắn hạn",
    "Chuyên đề Giáo dục pháp luật",
    "Chuyên đề Giáo dục sức khỏe",
    "Chuyên đề Giáo dục môi trường",
    "Chuyên đề Văn hóa xã hội",
    "Chuyên đề Phát triển kinh tế",
    "Chuyên đề Giáo dục kỹ năng sống",
    "Chuyên đề của chương trình khác",
    "Các chương trình văn nghệ, thể dục thể thao được phổ biến",
];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn session(
    centre: u64,
    group: &str,
    class: &str,
    day: NaiveDate,
    total: u64,
    female: u64,
) -> NewSession {
    NewSession {
        centre,
        organiser: 4242,
        group: group.to_owned(),
        class: ClassChoice::New {
            name: class.to_owned(),
            key: class.to_lowercase(),
        },
        date: day,
        total: u32::try_from(total).expect("small"),
        female: u32::try_from(female).expect("small"),
        extra: BTreeMap::new(),
        created_at: Utc
            .with_ymd_and_hms(2020, 11, 2, 9, 30, 0)
            .single()
            .expect("valid instant"),
    }
}

/// A database (`seed.redb` in `dir`) whose sessions of `CENTRE` in January–October 2020
/// add up to the seed table (the first class of each group meets twice), with one session
/// after the period and another centre (40 + 12 attendances, 25 + 8 women, 2 classes)
/// that only the roll-up counts.
pub fn seed_db(dir: &Path) -> PathBuf {
    let path = dir.join("seed.redb");
    fill_seed(&path);
    path
}

/// Fills the database at `path` (created when missing) as `seed_db` does.
pub fn fill_seed(path: &Path) {
    let store = Store::open(path).expect("open");
    store
        .write(|tx| seed_sessions(tx).map(drop))
        .expect("filling the seed database");
}

/// Stores the sessions `seed_db` holds through `tx`; returns the seed centre.
pub fn seed_sessions(tx: &mut Tx<'_>) -> Result<CentreId, StoreError> {
    let centre = tx.ensure_centre(CENTRE)?;
    for (g, (group, classes, attendance, female)) in SEED.iter().enumerate() {
        // Class 0 meets twice, the others once.
        let meetings: Vec<u64> = (0..*classes)
            .flat_map(|c| if c == 0 { vec![c, c] } else { vec![c] })
            .collect();
        let n = meetings.len() as u64;
        let mut female_left = *female;
        for (i, class) in meetings.iter().enumerate() {
            let total = attendance / n + if i == 0 { attendance % n } else { 0 };
            let women = female_left.min(total);
            female_left -= women;
            let month = 1 + (g as u32 + i as u32) % 10;
            tx.save_session(&session(
                centre,
                group,
                &format!("Lớp {group} số {}", class + 1),
                date(2020, month, 1 + (i as u32 % 28)),
                total,
                women,
            ))?;
        }
        assert_eq!(female_left, 0, "every woman was counted");
    }
    tx.save_session(&session(centre, "law", "Khác", date(2020, 11, 1), 77, 7))?;
    let other = tx.ensure_centre(OTHER_CENTRE)?;
    tx.save_session(&session(
        other,
        "health",
        "Sốt xuất huyết",
        date(2020, 6, 6),
        40,
        25,
    ))?;
    tx.save_session(&session(
        other,
        "literacy",
        "Xóa mù chữ",
        date(2020, 7, 7),
        12,
        8,
    ))?;
    Ok(centre)
}

/// A document read back: its XML parts, and the text of its paragraphs and tables.
#[derive(Debug)]
pub struct Docx {
    /// `word/document.xml`.
    pub document: String,
    /// `word/styles.xml`.
    pub styles: String,
    /// `word/header*.xml`.
    pub headers: Vec<String>,
    /// The body's paragraphs outside tables, in order, as text.
    pub paragraphs: Vec<String>,
    /// The tables in order: rows of cells, each cell its non-empty paragraphs joined by a space.
    pub tables: Vec<Vec<Vec<String>>>,
}

/// Unzips a `.docx` and reads its paragraphs and tables.
pub fn read_docx(bytes: &[u8]) -> Docx {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    let mut part = |name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap_or_else(|e| panic!("no {name} in the document: {e}"))
            .read_to_string(&mut text)
            .expect("UTF-8 XML");
        text
    };
    let document = part("word/document.xml");
    let styles = part("word/styles.xml");
    let headers = (1..=2)
        .map(|i| part(&format!("word/header{i}.xml")))
        .collect();

    let table_re = Regex::new(r"(?s)<w:tbl>.*?</w:tbl>").expect("regex");
    let row_re = Regex::new(r"(?s)<w:tr>.*?</w:tr>").expect("regex");
    let cell_re = Regex::new(r"(?s)<w:tc>.*?</w:tc>").expect("regex");
    let tables = table_re
        .find_iter(&document)
        .map(|table| {
            row_re
                .find_iter(table.as_str())
                .map(|row| {
                    cell_re
                        .find_iter(row.as_str())
                        .map(|cell| {
                            paragraphs(cell.as_str())
                                .into_iter()
                                .filter(|p| !p.is_empty())
                                .collect::<Vec<_>>()
                                .join(" ")
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    let outside = table_re.replace_all(&document, "");
    Docx {
        paragraphs: paragraphs(&outside),
        document,
        styles,
        headers,
        tables,
    }
}

/// The text of each paragraph of an XML fragment.
fn paragraphs(xml: &str) -> Vec<String> {
    let para_re = Regex::new(r"(?s)<w:p(?: [^>]*)?>.*?</w:p>").expect("regex");
    let text_re = Regex::new(r"<w:t(?: [^>]*)?>([^<]*)</w:t>").expect("regex");
    para_re
        .find_iter(xml)
        .map(|p| {
            text_re
                .captures_iter(p.as_str())
                .map(|c| unescape(&c[1]))
                .collect::<String>()
        })
        .collect()
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The seed report's own words for every written part (lightly corrected typing), as a
/// director would have entered them.
pub fn seed_texts() -> Vec<(rollcall::document::Part, &'static str)> {
    use rollcall::document::Part;
    vec![
        (Part::Commune, "UBND phường Tràng An"),
        (Part::Number, "…/BC-TTHTCĐ"),
        (Part::Place, "Tràng An"),
        (
            Part::Intro,
            "Nhằm đánh giá kết quả hoạt động của các TTHTCĐ trong toàn thị xã từ tháng 01 năm 2020 đến tháng 10 năm 2020, đề ra phương hướng hoạt động hiệu quả cho năm 2021, đồng thời hoàn thiện hồ sơ đánh giá xếp loại cộng đồng học tập cấp xã, phường năm 2020.\n\
             Trung tâm học tập cộng đồng phường Tràng An báo cáo quá trình hoạt động của TTHTCĐ từ tháng 01/2020 đến tháng 10/2020 như sau:",
        ),
        (
            Part::Local,
            "- Phường Tràng An là xã nông thôn mới kiểu mẫu đầu tiên trong cả nước có diện tích tự nhiên gần 9,53 km2, dân số 5.780 người với 1.700 hộ gia đình. Kinh tế phường Tràng An phát triển theo hướng nông nghiệp, trong đó trồng trọt và chăn nuôi góp phần lớn vào sự phát triển kinh tế của toàn xã.\n\
             - Trên địa bàn còn có nhiều đơn vị doanh nghiệp và trường học, thuận lợi cho việc phát triển kinh tế, xã hội.",
        ),
        (
            Part::Management,
            "1. Ban giám đốc:\n\
             Ban giám đốc có 3 người đủ theo quy định: 01 giám đốc; 02 phó giám đốc; và một giáo viên biệt phái hoạt động tại TTHTCĐ.\n\
             Ban giám đốc duy trì tốt hoạt động, thường xuyên phối hợp với các ban ngành, đoàn thể trong phường triển khai thực hiện tốt công tác xây dựng xã hội học tập, phát động tham gia hưởng ứng tuần lễ học tập suốt đời.\n\
             2. Công tác triển khai và thực hiện văn bản chỉ đạo của cấp trên.\n\
             Triển khai thực hiện tốt các văn bản chỉ đạo của cấp trên; chỉ thị 11/CT-TW và Nghị quyết số 01-NQ/TƯ của ban thường vụ tỉnh ủy về việc xây dựng xã hội học tập trong thời kỳ công nghiệp hóa, hiện đại hóa.\n\
             3. Đánh giá công tác xây dựng kế hoạch hoạt động.\n\
             Ban giám đốc xây dựng kế hoạch phối hợp với các ban, ngành, đoàn thể, các tổ chức xã hội, các trường học, triển khai các hoạt động trong các tháng căn cứ vào tình hình thực tế địa phương, nhu cầu của người học.\n\
             Hoạt động của trang thông tin điện tử TTHTCĐ phường: tin bài hàng tháng 143 tin.\n\
             4. Quản lý sử dụng hiệu quả các nguồn lực\n\
             - Về kinh phí hàng năm được cấp đủ theo quy định của UBND tỉnh Quảng Ninh.\n\
             - Về phụ cấp của cán bộ quản lý thực hiện theo quy định số 3607/2010/QĐ-UBND ngày 02 tháng 12 năm 2010 của UBND tỉnh Quảng Ninh.",
        ),
        (
            Part::Activities,
            "- Công tác điều tra nhu cầu học tập, việc nắm bắt về nhu cầu học tập của người dân kịp thời theo kế hoạch hàng tháng.\n\
             - Thông tin về nội dung, địa điểm, thời gian học kịp thời đến người dân theo kế hoạch đề ra theo từng tháng.\n\
             - Công tác tổ chức tuyên truyền, vận động cán bộ, nhân dân tham gia học tập: tuyên truyền trên hệ thống loa của xã hoặc gửi giấy mời.\n\
             - Tổ chức lớp học phù hợp đối tượng, điều kiện người học và nội dung của chuyên đề.\n\
             - Tổ chức lớp học theo câu lạc bộ tại các khu.",
        ),
        (
            Part::Society,
            "- Tham gia của cơ quan chuyên môn\n- Tham gia của các doanh nghiệp\n- Tham gia của nhà hảo tâm\n- Tham gia của các cơ sở tôn giáo\n- Tham gia của các đoàn thể, tổ chức xã hội",
        ),
        (Part::Literacy, "100%"),
        (
            Part::Results,
            "Trên địa bàn phường Tràng An không còn hộ nghèo.\n\
             Đánh giá ý thức bảo vệ môi trường của người dân: công tác vệ sinh môi trường của 7 khu thực hiện thường xuyên vào chủ nhật cuối tháng.\n\
             Đánh giá công tác phòng chống bệnh dịch cho người và vật nuôi, cây trồng: Tốt.\n\
             Đánh giá công tác an ninh chính trị: Tốt. Tình hình tệ nạn xã hội: giảm nhiều so với năm 2019.",
        ),
        (
            Part::Proposals,
            "1. Đội ngũ cán bộ TTHTCĐ chủ yếu là kiêm nhiệm, chuyên môn còn hạn chế, đề nghị các cấp thường xuyên tổ chức tập huấn nghiệp vụ chuyên môn cho đội ngũ cán bộ quản lý TTHTCĐ.\n\
             2. TTHTCĐ có ban giám đốc, có con dấu riêng nhưng hoạt động ngân sách vẫn phải chi trả nhờ qua ngân sách của UBND phường, đề nghị cho phép trung tâm được mở tài khoản riêng.\n\
             3. Kinh phí hỗ trợ của TTHTCĐ hàng năm chưa đáp ứng được sự hoạt động của trung tâm. Đề nghị các cấp trên quan tâm điều chỉnh hỗ trợ tăng thêm.",
        ),
        (
            Part::Recipients,
            "- Phòng GD thị xã (B/C);\n- TT Đảng ủy xã (B/C);\n- Lưu: VP.",
        ),
        (Part::SignerTitle, "GIÁM ĐỐC"),
        (Part::SignerName, "Hoàng Thị Xinh"),
    ]
}

/// The `.docx` `bytes` with its `word/document.xml` changed by `edit` (as Word would
/// save the document after an edit); every other part is copied.
pub fn edit_docx(bytes: &[u8], edit: impl FnOnce(String) -> String) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    let mut entries = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("an entry");
        let mut content = Vec::new();
        entry.read_to_end(&mut content).expect("readable");
        entries.push((entry.name().to_owned(), content));
    }
    let mut edit = Some(edit);
    for (name, content) in &mut entries {
        if name == "word/document.xml" {
            let xml = String::from_utf8(std::mem::take(content)).expect("UTF-8");
            let edit = edit.take().expect("one document part");
            *content = edit(xml).into_bytes();
        }
    }
    zip_of(
        &entries
            .iter()
            .map(|(name, content)| (name.as_str(), content.as_slice()))
            .collect::<Vec<_>>(),
    )
}

/// A zip file of these entries, deflated.
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in entries {
        zip.start_file(*name, options).expect("an entry");
        zip.write_all(content).expect("written");
    }
    zip.finish().expect("finished");
    out.into_inner()
}
