//! Short values both faces print as JSON strings (ids, dates, entity tags, digests), written onto
//! the stack without `core::fmt` and handed to the serializer in one piece.
//!
//! Through serde's `collect_str` each went through the formatter (padding included, for every
//! number) and serde_json escaped every piece the `Display` wrote on its own. A Graph item prints
//! two ids, two tags and four dates, so on a page of 100 children that was 18 % of the samples.
//! Printing through `Display` into a stack buffer first saved nothing: the formatter was the cost.

use serde::{Serialize, Serializer};

use crate::store::{ItemId, VersionId};

/// A value that prints itself as a [`ShortText`]: what its `Display` prints, byte for byte.
pub(crate) trait Short {
    fn short(&self) -> ShortText;
}

/// Serializes `value` as one JSON string (for `#[serde(serialize_with)]`).
pub(crate) fn as_short<S: Serializer>(
    value: &impl Short,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    value.short().serialize(serializer)
}

/// Up to `N` bytes of text on the stack: what a reply
/// prints as a short JSON string (an id, a date, an entity tag), a digest included
/// (`Content::sha1_hex`, `Content::quick_xor_base64`, each sized to its digest). The default
/// room of 64 bytes holds the longest of the others: a Graph cTag, `"c:{GUID},N"`, is at most 62.
#[derive(Clone, Copy)]
pub struct ShortText<const N: usize = 64> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> Default for ShortText<N> {
    fn default() -> Self {
        Self {
            bytes: [0; N],
            len: 0,
        }
    }
}

impl<const N: usize> ShortText<N> {
    /// Appends `piece`. Every value printed this way fits (see the type's doc); a piece that would not
    /// is left out whole, so the text stays UTF-8.
    pub fn push(&mut self, piece: &str) {
        self.push_bytes(piece.as_bytes());
    }

    /// Appends ASCII bytes (digits, a date's separators) with no UTF-8 check of their own:
    /// `as_str` checks the whole text once.
    pub fn push_ascii(&mut self, ascii: &[u8]) {
        debug_assert!(ascii.is_ascii());
        self.push_bytes(ascii);
    }

    fn push_bytes(&mut self, bytes: &[u8]) {
        let end = self.len + bytes.len();
        if let Some(room) = self.bytes.get_mut(self.len..end) {
            room.copy_from_slice(bytes);
            self.len = end;
        }
    }

    /// Appends `n` in decimal.
    pub fn push_decimal(&mut self, mut n: u64) {
        let mut digits = [0u8; 20];
        let mut start = digits.len();
        loop {
            start -= 1;
            digits[start] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.push_ascii(&digits[start..]);
    }

    pub fn as_str(&self) -> &str {
        // Only whole `str`s and ASCII are copied in.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl<const N: usize> std::fmt::Write for ShortText<N> {
    /// For the rare value printed through `core::fmt` (a year past 9999).
    fn write_str(&mut self, piece: &str) -> std::fmt::Result {
        self.push(piece);
        Ok(())
    }
}

impl<const N: usize> std::fmt::Display for ShortText<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<const N: usize> std::fmt::Debug for ShortText<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl<const N: usize> PartialEq for ShortText<N> {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl<const N: usize> Eq for ShortText<N> {}

impl<const N: usize> Serialize for ShortText<N> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A number as a string: `1234` prints `"1234"`.
fn decimal(n: u64) -> ShortText {
    let mut text = ShortText::default();
    text.push_decimal(n);
    text
}

impl Short for u64 {
    fn short(&self) -> ShortText {
        decimal(*self)
    }
}

impl Short for u32 {
    fn short(&self) -> ShortText {
        decimal(u64::from(*self))
    }
}

impl Short for ItemId {
    fn short(&self) -> ShortText {
        decimal(self.0)
    }
}

impl Short for VersionId {
    fn short(&self) -> ShortText {
        decimal(self.0)
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Display;

    use super::*;

    /// The same text as `Display`, and the same JSON as `collect_str` wrote.
    fn prints_as_display(value: &(impl Short + Display)) {
        let text = value.short();
        assert_eq!(text.as_str(), value.to_string());
        let mut json = Vec::new();
        as_short(value, &mut serde_json::Serializer::new(&mut json)).unwrap();
        let expected = serde_json::to_string(&value.to_string()).unwrap();
        assert_eq!(String::from_utf8(json).unwrap(), expected);
    }

    #[test]
    fn numbers_and_ids_print_as_display() {
        for n in [0, 1, 9, 10, 1_000_000_003, u64::MAX] {
            prints_as_display(&n);
            prints_as_display(&ItemId(n));
            prints_as_display(&VersionId(n));
        }
        for n in [0, 7, u32::MAX] {
            prints_as_display(&n);
        }
    }

    #[test]
    fn a_piece_past_the_room_is_left_out_whole() {
        let mut text = ShortText::<64>::default();
        text.push(&"a".repeat(63));
        text.push("é");
        text.push("b");
        assert_eq!(text.as_str(), format!("{}b", "a".repeat(63)));
    }
}
