//! Folding text for matching: what a person types with or without diacritics, on any
//! keyboard, compares equal to the stored spelling.

use unicode_normalization::UnicodeNormalization;

/// `text` reduced for matching words: lower case, without Vietnamese diacritics
/// (`đ` becomes `d`), full-width digits as ASCII, whitespace runs as one space, trimmed.
/// `Hôm  Nay`, `hom nay` and the NFD form of `hôm nay` all fold to `hom nay`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            c => out.extend(ascii_digit(c).unwrap_or(c).to_lowercase()),
        }
    }
    out
}

/// The ASCII digit for a full-width digit (`４` is `4`); `None` for other characters.
fn ascii_digit(c: char) -> Option<char> {
    let offset = u32::from(c).checked_sub(0xFF10)?;
    (offset < 10)
        .then(|| char::from_digit(offset, 10))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_diacritics_and_spacing() {
        assert_eq!(fold("  Hôm   Nay "), "hom nay");
        assert_eq!(fold("Đồng Tháp"), "dong thap");
        assert_eq!(fold("QUÝ III"), "quy iii");
        assert_eq!(
            fold("hôm nay".nfd().collect::<String>().as_str()),
            "hom nay"
        );
        assert_eq!(fold("２０２０"), "2020");
        assert_eq!(fold(""), "");
    }
}
