//! `MemoryStore`: the default store, the engine (`super::engine`) with a sink that keeps nothing.

use std::sync::Arc;

use super::changes::ChangeSet;
use super::engine::{Engine, Sink};
use super::tree::{IdSeed, Tree};
use super::StoreError;
use crate::control::clock::Clock;
use crate::store::accounts::{Accounts, Directory};

/// The sink of a store that lives in memory only: change sets are not even made.
#[derive(Debug, Clone, Copy, Default)]
pub struct Volatile;

impl Sink for Volatile {
    const TRACKS: bool = false;
    type Pending = ();

    fn recover(&self, _: &mut Tree, _: &Accounts) -> Result<(), StoreError> {
        Ok(())
    }

    fn must_recover(&self) -> bool {
        false
    }

    fn submit(&self, _: &Tree, _: &Directory, _: ChangeSet) {}

    fn observe(&self) {}

    fn settle(&self, (): ()) -> Result<(), StoreError> {
        Ok(())
    }
}

/// The in-memory store. Cheap to share behind an `Arc`.
pub type MemoryStore = Engine<Volatile>;

impl MemoryStore {
    /// An empty store where any token signs in.
    pub fn new(clock: Arc<Clock>) -> Self {
        Self::with_seed(clock, IdSeed::default())
    }

    pub fn with_seed(clock: Arc<Clock>, seed: IdSeed) -> Self {
        Self::with_accounts(clock, seed, Accounts::open())
    }

    /// An empty store with these accounts (`Accounts::closed` for a `--tokens` list).
    pub fn with_accounts(clock: Arc<Clock>, seed: IdSeed, accounts: Accounts) -> Self {
        Engine::empty(clock, seed, accounts, Volatile)
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;
    use crate::store::content::Content;
    use crate::store::{
        Face, ItemKind, OnConflict, Precondition, PromoteRules, Space, StoreError, VersionRef,
        VersionStore, Window, WriteFile, WriteTarget, Written,
    };

    fn store() -> (MemoryStore, Space) {
        let store = MemoryStore::new(Arc::new(Clock::real()));
        let user = store.sign_in("token").unwrap().user;
        (store, Space::own(Face::Graph, user))
    }

    fn upload(store: &MemoryStore, space: &Space, path: &[&str], body: &'static [u8]) -> Written {
        let root = store.root(space).unwrap().id;
        let write = WriteFile {
            target: WriteTarget::Path {
                base: root,
                segments: path.iter().map(|s| s.to_string()).collect(),
                on_conflict: OnConflict::Replace,
                create_parents: true,
            },
            content: Content::new(Bytes::from_static(body)),
            mime_type: None,
            rename: None,
            content_created_at: None,
            content_modified_at: None,
        };
        store.write_file(space, write, None).unwrap()
    }

    #[test]
    fn restoring_shares_the_bytes_of_the_restored_version() {
        let (store, space) = store();
        let first = upload(&store, &space, &["a.txt"], b"one");
        upload(&store, &space, &["a.txt"], b"two");
        let rules = PromoteRules {
            allow_current: true,
            restore_name: false,
        };
        let promoted = store
            .promote_version(&space, first.item.id, VersionRef::Number(1), rules, None)
            .unwrap();
        let original = store
            .version(&space, first.item.id, VersionRef::Number(1))
            .unwrap()
            .version;
        assert!(Arc::ptr_eq(&promoted.content, &original.content));
        assert_eq!(promoted.number, 3);
        assert_eq!(promoted.restored_from, Some(original.id));
    }

    #[test]
    fn a_failed_precondition_creates_no_parent_folders() {
        let (store, space) = store();
        let root = store.root(&space).unwrap().id;
        let write = WriteFile {
            target: WriteTarget::Path {
                base: root,
                segments: vec!["dir".into(), "a.txt".into()],
                on_conflict: OnConflict::Replace,
                create_parents: true,
            },
            content: Content::new(Bytes::from_static(b"x")),
            mime_type: None,
            rename: None,
            content_created_at: None,
            content_modified_at: None,
        };
        let result = store.write_file(&space, write, Some(Precondition::Never));
        assert!(matches!(result, Err(StoreError::PreconditionFailed)));
        assert_eq!(
            store
                .children(
                    &space,
                    root,
                    Window {
                        offset: 0,
                        limit: 10
                    }
                )
                .unwrap()
                .total,
            0
        );
    }

    #[test]
    fn root_id_names_the_root_and_makes_it_once() {
        let (store, space) = store();
        let id = store.root_id(&space).unwrap();
        assert_eq!(store.root(&space).unwrap().id, id);
        assert_eq!(store.root_id(&space).unwrap(), id);
    }

    #[test]
    fn another_users_items_are_not_found() {
        let (store, space) = store();
        let written = upload(&store, &space, &["a.txt"], b"one");
        let other = Space::own(Face::Graph, store.sign_in("other").unwrap().user);
        assert!(matches!(
            store.item(&other, written.item.id),
            Err(StoreError::ItemNotFound)
        ));
        let other_face = Space::own(Face::Box, space.actor.clone());
        assert!(matches!(
            store.item(&other_face, written.item.id),
            Err(StoreError::ItemNotFound)
        ));
    }

    #[test]
    fn a_purged_file_frees_its_content() {
        let (store, space) = store();
        let written = upload(&store, &space, &["big.bin"], b"bytes only this file holds");
        let id = written.item.id;
        let current = store
            .version(&space, id, VersionRef::Current)
            .unwrap()
            .version;
        let content = Arc::downgrade(&current.content);
        drop((written, current));
        store
            .trash_item(&space, id, ItemKind::File, false, None)
            .unwrap();
        assert!(
            content.upgrade().is_some(),
            "a trashed file keeps its bytes"
        );
        store.purge_item(&space, id, ItemKind::File).unwrap();
        assert!(
            content.upgrade().is_none(),
            "nothing holds a purged file's bytes"
        );
        assert!(matches!(
            store.trashed_item(&space, id, ItemKind::File),
            Err(StoreError::ItemNotFound)
        ));
    }
}
