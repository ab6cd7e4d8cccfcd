//! eTag and cTag, printed as OneDrive for Business does (`"{GUID},N"`, `"c:{GUID},N"`), and the
//! `If-Match` check that compares a client's tag with the item's at the moment of a change.

use std::fmt;

use axum::http::{header, HeaderMap};
use uuid::Uuid;

use super::errors::GraphError;
use crate::store::{ItemId, Tags};

/// The GUID inside an item's tags. Derived from the id, never random, so that responses repeat
/// byte for byte under a frozen clock.
pub(crate) fn item_guid(id: ItemId) -> Uuid {
    let high = mix(id.0);
    let low = mix(id.0 ^ 0x6f6e_6564_7269_7665);
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&high.to_be_bytes());
    bytes[8..].copy_from_slice(&low.to_be_bytes());
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// SplitMix64's finalizer: a bijection, so distinct ids give distinct GUIDs.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// An eTag (`content: false`) or cTag (`content: true`), with its literal double quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tag {
    pub guid: Uuid,
    pub counter: u64,
    pub content: bool,
}

impl Tag {
    /// Counters start at 1, as the real service's do; the store's revisions start at 0.
    pub fn etag(tags: Tags) -> Self {
        Self {
            guid: item_guid(tags.item),
            counter: tags.revision + 1,
            content: false,
        }
    }

    pub fn ctag(tags: Tags) -> Self {
        Self {
            guid: item_guid(tags.item),
            counter: tags.content_revision + 1,
            content: true,
        }
    }

    /// Reads a tag as clients send it back: quoted or not, optionally weak (`W/`).
    fn parse(value: &str) -> Option<Self> {
        let value = value.trim();
        let value = value.strip_prefix("W/").unwrap_or(value);
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        let (content, value) = match value.strip_prefix("c:") {
            Some(rest) => (true, rest),
            None => (false, value),
        };
        let (guid, counter) = value.strip_prefix('{')?.split_once("},")?;
        Some(Self {
            guid: Uuid::parse_str(guid).ok()?,
            counter: counter.parse().ok()?,
            content,
        })
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix = if self.content { "c:" } else { "" };
        write!(
            f,
            "\"{prefix}{{{:X}}},{}\"",
            self.guid.hyphenated(),
            self.counter
        )
    }
}

/// An `If-Match` precondition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IfMatch {
    /// `*`: any current state of an existing item.
    Any,
    Tag(Tag),
    /// A value that is no tag of ours can never match (the real service answers `412` too).
    Never,
}

impl IfMatch {
    /// The request's precondition, if it has one.
    pub fn from_headers(headers: &HeaderMap) -> Result<Option<Self>, GraphError> {
        let Some(value) = headers.get(header::IF_MATCH) else {
            return Ok(None);
        };
        let value = value
            .to_str()
            .map_err(|_| GraphError::InvalidRequest("The If-Match header is not valid.".into()))?;
        Ok(Some(if value.trim() == "*" {
            Self::Any
        } else {
            Tag::parse(value).map_or(Self::Never, Self::Tag)
        }))
    }

    /// Whether the item, with these tags right now, satisfies the precondition. Either the eTag
    /// or the cTag may be sent.
    pub fn matches(&self, tags: Tags) -> bool {
        match self {
            Self::Any => true,
            Self::Never => false,
            Self::Tag(tag) if tag.content => *tag == Tag::ctag(tags),
            Self::Tag(tag) => *tag == Tag::etag(tags),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(revision: u64, content_revision: u64) -> Tags {
        Tags {
            item: ItemId(1_000_000_002),
            revision,
            content_revision,
        }
    }

    #[test]
    fn tags_print_like_onedrive_for_business_and_read_back() {
        let etag = Tag::etag(tags(2, 1)).to_string();
        let ctag = Tag::ctag(tags(2, 1)).to_string();
        let guid = format!("{:X}", item_guid(ItemId(1_000_000_002)).hyphenated());
        assert_eq!(etag, format!("\"{{{guid}}},3\""));
        assert_eq!(ctag, format!("\"c:{{{guid}}},2\""));
        for sent in [etag.as_str(), ctag.as_str(), etag.trim_matches('"')] {
            let mut headers = HeaderMap::new();
            headers.insert(header::IF_MATCH, sent.parse().unwrap());
            let precondition = IfMatch::from_headers(&headers).unwrap().unwrap();
            assert!(precondition.matches(tags(2, 1)), "{sent}");
            assert!(!precondition.matches(tags(3, 2)), "{sent} after a change");
        }
    }

    #[test]
    fn guids_are_stable_and_distinct_per_item() {
        assert_eq!(item_guid(ItemId(5)), item_guid(ItemId(5)));
        assert_ne!(item_guid(ItemId(5)), item_guid(ItemId(6)));
    }

    #[test]
    fn star_matches_anything_and_garbage_nothing() {
        for (value, expected) in [("*", true), ("\"abc\"", false), ("{x},1", false)] {
            let mut headers = HeaderMap::new();
            headers.insert(header::IF_MATCH, value.parse().unwrap());
            let precondition = IfMatch::from_headers(&headers).unwrap().unwrap();
            assert_eq!(precondition.matches(tags(0, 0)), expected, "{value}");
        }
    }
}
