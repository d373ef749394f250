//! "Did you mean …?": finds the existing class a newly typed class name is probably a typo of.
//!
//! The report counts distinct classes, so `Phòng chống dịch` and `Phong chong dich`
//! must not become two classes by accident. Exact matches (same key) are the engine's
//! job (`Facts::class_by_key`); this module only finds the *near* misses worth asking
//! about, and the user decides. A false alarm costs one tap, a missed one a wrong count,
//! but too many false alarms teach people to tap "no" without reading, hence the guards.
//!
//! Usage (pure, no store access):
//!
//! ```
//! use rollcall::dialog::similar::close_match;
//! let existing = [(7, "phòng chống dịch"), (9, "tin học 1")];
//! assert_eq!(close_match("phong chong dich", existing), Some(7)); // diacritics only
//! assert_eq!(close_match("phòng chốngg dịch", existing), Some(7)); // one typo
//! assert_eq!(close_match("tin học 2", existing), None); // numbers tell classes apart
//! assert_eq!(close_match("phòng chống dịch", existing), None); // exact: not a "maybe"
//! ```

use crate::domain::ClassId;
use crate::parse;

/// Below this many characters (after folding), only a difference in diacritics, case or
/// spacing counts as close: one edit in `vẽ` or `hát` makes a different word, not a typo.
const MIN_LEN_FOR_EDITS: usize = 4;

/// The candidate class that `typed_key` most likely misspells, or `None`.
///
/// `typed_key` is a class key as `parse::class_key` makes it (it is normalised again, so
/// a display name works too); `candidates` are the centre's classes of the same group as
/// `(id, key)`, best first (for example most recently used first): on a tie the earlier
/// one wins.
///
/// A candidate is close when, compared after `parse::fold` (no diacritics, lower case):
/// 1. the two are equal, so they differ only by diacritics, case or spacing (preferred), or
/// 2. they are one edit apart (one character inserted, deleted or replaced), both are at
///    least `MIN_LEN_FOR_EDITS` characters long, and they contain the same digits in the
///    same order, because `Tin học 1` and `Tin học 2` are different classes, not a typo.
///
/// Returns `None` when some candidate has exactly the typed key: that class is meant,
/// and there is nothing to ask.
pub fn close_match<'a>(
    typed_key: &str,
    candidates: impl IntoIterator<Item = (ClassId, &'a str)>,
) -> Option<ClassId> {
    let typed_key = parse::class_key(typed_key);
    let typed: Vec<char> = parse::fold(&typed_key).chars().collect();
    // (rank, id): rank 0 = differs only by diacritics/case/spacing, 1 = one edit.
    let mut best: Option<(u8, ClassId)> = None;
    for (id, key) in candidates {
        let key = parse::class_key(key);
        if key == typed_key {
            return None;
        }
        let folded: Vec<char> = parse::fold(&key).chars().collect();
        let rank = if folded == typed {
            0
        } else if typed.len().min(folded.len()) >= MIN_LEN_FOR_EDITS
            && digits(&typed).eq(digits(&folded))
            && within_one_edit(&typed, &folded)
        {
            1
        } else {
            continue;
        };
        if best.is_none_or(|(best_rank, _)| rank < best_rank) {
            best = Some((rank, id));
        }
    }
    best.map(|(_, id)| id)
}

/// The digits of a folded name, in order.
fn digits(chars: &[char]) -> impl Iterator<Item = char> + '_ {
    chars.iter().copied().filter(char::is_ascii_digit)
}

/// Whether `a` becomes `b` by at most one insertion, deletion or substitution (Levenshtein
/// distance ≤ 1). Hand-written rather than a crate (such as `strsim`) or the loader's full
/// distance table: only "at most one" matters, which one linear pass answers.
fn within_one_edit(a: &[char], b: &[char]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    // Skip the common prefix; what is left must match after one edit at that point.
    let same = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        // One substitution at `same`, or none at all (both rests are then empty).
        short[same..].get(1..) == long[same..].get(1..)
    } else {
        short[same..] == long[same + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chars(text: &str) -> Vec<char> {
        text.chars().collect()
    }

    #[test]
    fn one_edit() {
        let close = [
            ("abcd", "abcd"),
            ("abcd", "abxd"),
            ("abcd", "abd"),
            ("abcd", "abcde"),
            ("abcd", "xabcd"),
            ("abcd", "bcd"),
            ("", "a"),
            ("", ""),
            ("a", "b"),
        ];
        for (a, b) in close {
            assert!(within_one_edit(&chars(a), &chars(b)), "{a:?} {b:?}");
            assert!(within_one_edit(&chars(b), &chars(a)), "{b:?} {a:?}");
        }
        let far = [
            ("abcd", "abdc"),
            ("abcd", "ab"),
            ("abcd", "xbcx"),
            ("abcd", "abcdef"),
            ("", "ab"),
            ("abc", "cab"),
        ];
        for (a, b) in far {
            assert!(!within_one_edit(&chars(a), &chars(b)), "{a:?} {b:?}");
            assert!(!within_one_edit(&chars(b), &chars(a)), "{b:?} {a:?}");
        }
    }

    #[test]
    fn close_matches() {
        let existing = [
            (1, "phòng chống sốt xuất huyết"),
            (2, "tin học 1"),
            (3, "trồng nấm rơm"),
            (4, "vẽ"),
            (5, "an toàn giao thông"),
        ];
        let cases: &[(&str, Option<ClassId>)] = &[
            // Only diacritics, case or spacing differ.
            ("phong chong sot xuat huyet", Some(1)),
            ("Phòng Chống Sốt Xuất Huyết", None), // Same key: exact, nothing to ask.
            ("phòng chống sốt xuất huyêt", Some(1)),
            ("PHONG  CHONG SOT XUAT HUYET", Some(1)),
            ("trong nam rom", Some(3)),
            ("ve", Some(4)),
            // One typo.
            ("phòng chống sốt xuất huyếtt", Some(1)),
            ("phòng chng sốt xuất huyết", Some(1)),
            ("trồng nấm rơn", Some(3)),
            ("trong nam ron", Some(3)),
            ("an toan giao thong.", Some(5)),
            ("antoàn giao thông", Some(5)),
            // Numbers tell classes apart.
            ("tin học 2", None),
            ("tin học 12", None),
            ("tin hoc", None),
            ("tin hoc 1", Some(2)),
            // Short names: one edit makes another word.
            ("vẻ", Some(4)),
            ("và", None),
            ("v", None),
            // Too far.
            ("trồng nấm hương", None),
            ("phòng chống dịch", None),
            ("", None),
        ];
        for (typed, expected) in cases {
            assert_eq!(close_match(typed, existing), *expected, "{typed:?}");
        }
    }

    #[test]
    fn diacritics_only_beats_one_edit_and_ties_keep_order() {
        // `lop vex` comes first and is one edit away, but `lớp vẽ` differs only by diacritics.
        let existing = [(1, "lop vex"), (2, "lớp vẽ"), (3, "lớp vẻ")];
        assert_eq!(close_match("lop ve", existing), Some(2));
        let ties = [(8, "hat chèo"), (9, "hát cheo")];
        assert_eq!(close_match("hát chèoo", ties), Some(8));
        assert_eq!(close_match("hat cheo", ties), Some(8));
        assert_eq!(
            close_match("hat cheo", [(9, "hát cheo"), (8, "hat chèo")]),
            Some(9)
        );
    }

    #[test]
    fn no_candidates() {
        assert_eq!(close_match("anything", []), None);
    }

    proptest! {
        #[test]
        fn never_panics(typed in "\\PC*", others in proptest::collection::vec("\\PC{0,12}", 0..5)) {
            let candidates = others.iter().enumerate().map(|(i, k)| (i as u64, k.as_str()));
            let _ = close_match(&typed, candidates);
        }

        #[test]
        fn never_returns_an_exact_key(typed in "[a-zàáạảãâêôơưđ ]{0,12}") {
            let key = parse::class_key(&typed);
            prop_assert_eq!(close_match(&typed, [(1, key.as_str())]), None);
        }
    }
}
