//! A map by id of records that each sit on one item (comments, permissions, tasks and their
//! assignments), which also indexes
//! the ids by item: every item view asks how many comments a file has and whether a
//! collaboration is set on it, and a scan of every record in the store for each view made a
//! folder listing cost its size times the number of comments.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::comments::Comment;
use super::domain::ItemId;
use super::sharing::Permission;
use super::tasks::{Assignment, Task};

/// A record that belongs to one item, which never changes over its life.
pub trait OnItem {
    fn on_item(&self) -> ItemId;
}

impl OnItem for Comment {
    fn on_item(&self) -> ItemId {
        self.file
    }
}

impl OnItem for Permission {
    fn on_item(&self) -> ItemId {
        self.item
    }
}

impl OnItem for Task {
    fn on_item(&self) -> ItemId {
        self.file
    }
}

impl OnItem for Assignment {
    fn on_item(&self) -> ItemId {
        self.file
    }
}

/// Kept and compared as the map by id alone; the index is rebuilt when it is read back.
#[derive(Debug, Clone)]
pub struct ByItem<K: Ord, V> {
    by_id: BTreeMap<K, V>,
    /// `(item, id)` for every record.
    index: BTreeSet<(ItemId, K)>,
}

impl<K: Ord + Clone + Default, V: OnItem> ByItem<K, V> {
    pub fn get<Q: Ord + ?Sized>(&self, id: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.by_id.get(id)
    }

    /// The record, to change anything but the item it is on.
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, id: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.by_id.get_mut(id)
    }

    pub fn contains_key<Q: Ord + ?Sized>(&self, id: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.by_id.contains_key(id)
    }

    pub fn insert(&mut self, id: K, value: V) {
        self.index.insert((value.on_item(), id.clone()));
        if let Some(old) = self.by_id.insert(id.clone(), value) {
            if old.on_item() != self.by_id[&id].on_item() {
                self.index.remove(&(old.on_item(), id));
            }
        }
    }

    pub fn remove<Q: Ord + ?Sized>(&mut self, id: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let (id, removed) = self.by_id.remove_entry(id)?;
        self.index.remove(&(removed.on_item(), id));
        Some(removed)
    }

    /// Every record, in id order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.by_id.values()
    }

    /// The records on `item`, in id order, found through the index.
    pub fn on(&self, item: ItemId) -> impl Iterator<Item = &V> {
        let from = Bound::Included((item, K::default()));
        (self.index.range((from, Bound::Unbounded)))
            .take_while(move |(on, _)| *on == item)
            .filter_map(|(_, id)| self.by_id.get(id))
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&V) -> bool) {
        let index = &mut self.index;
        self.by_id.retain(|id, value| {
            let kept = keep(value);
            if !kept {
                index.remove(&(value.on_item(), id.clone()));
            }
            kept
        });
    }
}

impl<K: Ord, V> Default for ByItem<K, V> {
    fn default() -> Self {
        Self {
            by_id: BTreeMap::new(),
            index: BTreeSet::new(),
        }
    }
}

impl<K: Ord, V: PartialEq> PartialEq for ByItem<K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.by_id == other.by_id
    }
}

impl<K: Ord, V: Eq> Eq for ByItem<K, V> {}

impl<K: Ord + Serialize, V: Serialize> Serialize for ByItem<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.by_id.serialize(serializer)
    }
}

impl<'de, K, V> Deserialize<'de> for ByItem<K, V>
where
    K: Ord + Clone + Deserialize<'de>,
    V: OnItem + Deserialize<'de>,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let by_id = BTreeMap::<K, V>::deserialize(deserializer)?;
        let index = (by_id.iter())
            .map(|(id, value)| (value.on_item(), id.clone()))
            .collect();
        Ok(Self { by_id, index })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    struct Note(u64);

    impl OnItem for Note {
        fn on_item(&self) -> ItemId {
            ItemId(self.0)
        }
    }

    #[test]
    fn finds_records_by_item_through_changes_and_a_round_trip() {
        let mut map = ByItem::<u64, Note>::default();
        for (id, item) in [(1, 7), (2, 8), (3, 7), (4, 9)] {
            map.insert(id, Note(item));
        }
        let on = |map: &ByItem<u64, Note>, item| map.on(ItemId(item)).count();
        assert_eq!((on(&map, 7), on(&map, 8), on(&map, 6)), (2, 1, 0));
        map.insert(3, Note(8));
        map.remove(&2);
        map.retain(|note| note.0 != 9);
        assert_eq!((on(&map, 7), on(&map, 8), on(&map, 9)), (1, 1, 0));
        let json = serde_json::to_string(&map).unwrap();
        assert_eq!(json, r#"{"1":7,"3":8}"#);
        let back: ByItem<u64, Note> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, map);
        assert_eq!((on(&back, 7), on(&back, 8)), (1, 1));
    }
}
