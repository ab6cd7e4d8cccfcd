//! eTag and cTag, printed as OneDrive for Business does (`"{GUID},N"`, `"c:{GUID},N"`), the
//! `If-Match` header read back into the store's `Precondition`, which the store compares with the
//! item's tags at the moment of a change, and `If-None-Match` compared with an item read.

use std::fmt;

use axum::http::{header, HeaderMap};
use uuid::Uuid;

use super::errors::GraphError;
use crate::short_text::{Short, ShortText};
use crate::splitmix::{splitmix64, unsplitmix64};
use crate::store::{ItemId, Precondition, Tags};

/// The GUID inside an item's tags. Derived from the id, never random, so that responses repeat
/// byte for byte under a frozen clock. SplitMix64 is a bijection, so distinct ids give distinct
/// GUIDs, and `item_of_guid` reads the id back.
pub(crate) fn item_guid(id: ItemId) -> Uuid {
    let high = splitmix64(id.0);
    let low = splitmix64(id.0 ^ 0x6f6e_6564_7269_7665);
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&high.to_be_bytes());
    bytes[8..].copy_from_slice(&low.to_be_bytes());
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// The item whose tags carry `guid`, if any item's do. Making the GUID a version-4 UUID overwrote
/// four bits of the high half (the version nibble), so each of their 16 values is tried.
fn item_of_guid(guid: Uuid) -> Option<ItemId> {
    let bytes = guid.as_bytes();
    let high = u64::from_be_bytes(bytes[..8].try_into().expect("8 bytes"));
    (0..16u64)
        .map(|nibble| ItemId(unsplitmix64((high & !(0xf << 12)) | (nibble << 12))))
        .find(|id| item_guid(*id) == guid)
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
        f.write_str(self.short().as_str())
    }
}

/// `"{GUID},N"`, or `"c:{GUID},N"` for a cTag, quotes included.
impl Short for Tag {
    fn short(&self) -> ShortText {
        let mut text = ShortText::default();
        text.push(if self.content { "\"c:{" } else { "\"{" });
        text.push(
            self.guid
                .hyphenated()
                .encode_upper(&mut Uuid::encode_buffer()),
        );
        text.push("},");
        text.push_decimal(self.counter);
        text.push("\"");
        text
    }
}

/// The request's `If-Match` as a store precondition, if it has one. Either the eTag or the cTag
/// may be sent; a value that is no tag of ours can never match (the real service answers `412`).
pub(crate) fn if_match(headers: &HeaderMap) -> Result<Option<Precondition>, GraphError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| GraphError::InvalidRequest("The If-Match header is not valid.".into()))?;
    if value.trim() == "*" {
        return Ok(Some(Precondition::Any));
    }
    let precondition = Tag::parse(value).and_then(|tag| {
        let item = Some(item_of_guid(tag.guid)?);
        // Counters print one more than the store's revisions, so 0 is no tag of ours.
        let revision = tag.counter.checked_sub(1)?;
        Some(if tag.content {
            Precondition::ContentRevision { item, revision }
        } else {
            Precondition::Revision { item, revision }
        })
    });
    Ok(Some(precondition.unwrap_or(Precondition::Never)))
}

/// Whether the request's `If-None-Match` names the item as it is now (its eTag or cTag, or `*`):
/// then a read answers `304 Not Modified` with no body. Values that are no tag of ours match
/// nothing.
pub(crate) fn none_match(headers: &HeaderMap, tags: Tags) -> bool {
    let Some(value) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let (etag, ctag) = (Tag::etag(tags), Tag::ctag(tags));
    entity_tags(value)
        .any(|sent| sent == "*" || Tag::parse(sent).is_some_and(|t| t == etag || t == ctag))
}

/// The entries of a list of entity tags, split at the commas outside quotes: our tags hold a
/// comma of their own (`"{GUID},3"`).
fn entity_tags(value: &str) -> impl Iterator<Item = &str> {
    let mut quoted = false;
    value
        .split(move |c| {
            if c == '"' {
                quoted = !quoted;
            }
            c == ',' && !quoted
        })
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
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
            let precondition = if_match(&headers).unwrap().unwrap();
            assert!(precondition.holds(tags(2, 1)), "{sent}");
            assert!(!precondition.holds(tags(3, 2)), "{sent} after a change");
            let other = Tags {
                item: ItemId(1_000_000_003),
                ..tags(2, 1)
            };
            assert!(!precondition.holds(other), "{sent} on another item");
        }
    }

    #[test]
    fn guids_are_stable_and_distinct_per_item() {
        assert_eq!(item_guid(ItemId(5)), item_guid(ItemId(5)));
        assert_ne!(item_guid(ItemId(5)), item_guid(ItemId(6)));
        for id in [1, 5, 1_000_000_001, 5_000_000_001, u64::MAX] {
            assert_eq!(item_of_guid(item_guid(ItemId(id))), Some(ItemId(id)));
        }
    }

    #[test]
    fn star_matches_anything_and_garbage_nothing() {
        for (value, expected) in [("*", true), ("\"abc\"", false), ("{x},1", false)] {
            let mut headers = HeaderMap::new();
            headers.insert(header::IF_MATCH, value.parse().unwrap());
            let precondition = if_match(&headers).unwrap().unwrap();
            assert_eq!(precondition.holds(tags(0, 0)), expected, "{value}");
        }
    }
}
