//! Class names as typed, and the key that makes "Phòng  chống DỊCH" and "phòng chống dịch" one class.

use unicode_normalization::UnicodeNormalization;

/// Invisible characters that phones and copy-paste slip into text. They are not
/// Unicode control characters, but a name containing one would look identical to
/// one without and still be a different class, so they are removed as well.
const INVISIBLE: [char; 4] = ['\u{200B}', '\u{2060}', '\u{FEFF}', '\u{00AD}'];

/// See `super::class_name`.
pub(super) fn class_name(text: &str) -> (String, String) {
    // Invisible characters go before normalising: removed between a letter and its
    // accent, they would leave a decomposed pair that a second pass would compose,
    // and the display name must already be in its final form.
    let visible: String = text
        .chars()
        .filter(|c| c.is_whitespace() || !(c.is_control() || INVISIBLE.contains(c)))
        .collect();
    let mut display = String::with_capacity(visible.len());
    let mut space = false;
    for c in visible.nfc() {
        if c.is_whitespace() {
            space = !display.is_empty();
            continue;
        }
        if space {
            display.push(' ');
            space = false;
        }
        display.push(c);
    }
    let key = display.to_lowercase();
    (display, key)
}

#[cfg(test)]
mod tests {
    use super::super::class_name;
    use proptest::prelude::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn display_and_key() {
        let cases: &[(&str, &str, &str)] = &[
            ("Phòng chống dịch", "Phòng chống dịch", "phòng chống dịch"),
            (
                "  Phòng  chống DỊCH ",
                "Phòng chống DỊCH",
                "phòng chống dịch",
            ),
            (
                "Phòng\tchống\n\ndịch",
                "Phòng chống dịch",
                "phòng chống dịch",
            ),
            (
                "Phòng\u{00A0}chống\u{3000}dịch",
                "Phòng chống dịch",
                "phòng chống dịch",
            ),
            (
                "Phòng\u{200B} chống\u{0007} dịch\u{FEFF}",
                "Phòng chống dịch",
                "phòng chống dịch",
            ),
            ("Tin học", "Tin học", "tin học"),
            ("", "", ""),
            ("   \n ", "", ""),
        ];
        for (text, display, key) in cases {
            assert_eq!(
                class_name(text),
                ((*display).to_owned(), (*key).to_owned()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn nfd_and_nfc_match() {
        let nfd: String = "phòng chống dịch".nfd().collect();
        assert_ne!(nfd, "phòng chống dịch");
        let (display, key) = class_name(&nfd);
        assert_eq!(display, "phòng chống dịch");
        assert_eq!(key, class_name("  Phòng  chống DỊCH ").1);
    }

    proptest! {
        #[test]
        fn never_panics(text in "\\PC*") {
            let _ = class_name(&text);
        }

        #[test]
        fn idempotent(text in "(\\PC|\\s|\u{0301}|\u{0323})*") {
            let (display, key) = class_name(&text);
            prop_assert_eq!(&class_name(&display).0, &display);
            prop_assert_eq!(&class_name(&display).1, &key);
        }

        #[test]
        fn key_ignores_case_and_spacing(text in "[a-zA-Zàáạảãâầấậẩẫăằắặẳẵđêềếệểễôồốộổỗơờớợởỡưừứựửữ ]{0,40}") {
            let shouted = format!("  {}  ", text.to_uppercase().replace(' ', "   "));
            prop_assert_eq!(class_name(&shouted).1, class_name(&text).1);
        }
    }
}
