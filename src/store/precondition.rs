//! Preconditions (`If-Match`) as data: each face reads its header into a `Precondition`, and the
//! store compares it with the item's tags under its lock, at the moment of the change.

use super::domain::{ItemId, Tags};

/// What an `If-Match` header asks of the item a change applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precondition {
    /// `*`: any current state of an existing item.
    Any,
    /// The item's change counter (Box's etag, Graph's eTag) is `revision`. Graph's tags also name
    /// the item they came from (`item`); Box's bare counter does not.
    Revision { item: Option<ItemId>, revision: u64 },
    /// The item's content counter (Graph's cTag) is `revision`.
    ContentRevision { item: Option<ItemId>, revision: u64 },
    /// A value this server never printed: it matches no state of any item (both services answer
    /// `412` to it).
    Never,
}

impl Precondition {
    /// Whether an item with these tags satisfies the precondition.
    pub fn holds(&self, tags: Tags) -> bool {
        let same_item = |item: &Option<ItemId>| item.is_none_or(|item| item == tags.item);
        match self {
            Self::Any => true,
            Self::Never => false,
            Self::Revision { item, revision } => same_item(item) && *revision == tags.revision,
            Self::ContentRevision { item, revision } => {
                same_item(item) && *revision == tags.content_revision
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_compares_its_own_counter_and_item() {
        let tags = Tags {
            item: ItemId(7),
            revision: 3,
            content_revision: 1,
        };
        for (precondition, holds) in [
            (Precondition::Any, true),
            (Precondition::Never, false),
            (
                Precondition::Revision {
                    item: None,
                    revision: 3,
                },
                true,
            ),
            (
                Precondition::Revision {
                    item: Some(ItemId(7)),
                    revision: 3,
                },
                true,
            ),
            (
                Precondition::Revision {
                    item: Some(ItemId(8)),
                    revision: 3,
                },
                false,
            ),
            (
                Precondition::Revision {
                    item: None,
                    revision: 1,
                },
                false,
            ),
            (
                Precondition::ContentRevision {
                    item: Some(ItemId(7)),
                    revision: 1,
                },
                true,
            ),
            (
                Precondition::ContentRevision {
                    item: None,
                    revision: 3,
                },
                false,
            ),
        ] {
            assert_eq!(precondition.holds(tags), holds, "{precondition:?}");
        }
    }
}
