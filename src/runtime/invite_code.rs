//! Invitation codes: 128 random bits from the operating system, written with letters and
//! digits so they fit Telegram's deep-link payload (`A-Z a-z 0-9`, up to 64 characters).

const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A new code of 22 characters (62^22 > 2^128), impossible to guess.
pub fn new_code() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    Ok(encode(u128::from_le_bytes(bytes)))
}

/// Writes a number in base 62, always 22 characters.
fn encode(mut value: u128) -> String {
    let mut out = [b'0'; 22];
    for slot in out.iter_mut().rev() {
        *slot = ALPHABET[(value % 62) as usize];
        value /= 62;
    }
    out.iter().map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_22_alphanumerics_and_differ() {
        let a = new_code().expect("random");
        let b = new_code().expect("random");
        assert_eq!(a.len(), 22);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
        assert_eq!(encode(0), "0".repeat(22));
        assert_eq!(encode(u128::MAX).len(), 22);
    }
}
