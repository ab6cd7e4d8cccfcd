//! The store contract: one suite of store-level cases, run over every store there is: in
//! memory, durable on redb, and durable on `map_backend` (a second backend in one file, ordered
//! maps standing in for a database). A new backend adds its `Subject` and one `contract!` line
//! (a durable one also a `durable_contract!` line, for what only a store that keeps its state
//! does: read everything back after reopening, and survive a full disk) and passes the same
//! cases.

mod change_log;
mod comments;
mod locks;
mod map_backend;
mod sizes;
mod tasks;

use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;

use super::content::Content;
use super::durable::{self, DurableStore, FullDisk};
use super::{
    ChildKey, ChildOrder, Face, FileTimes, ItemId, ItemKind, Listing, MemoryStore, MoveItem,
    NewFolder, OnConflict, PromoteRules, RestoreItem, Space, StoreError, Version, VersionQuery,
    VersionRef, VersionStore, Window, WriteFile, WriteTarget,
};
use crate::control::clock::Clock;
use crate::store::accounts::Accounts;

/// A store under test.
trait Subject: Sized {
    fn open() -> Self;
    fn store(&self) -> &dyn VersionStore;
}

/// A store that keeps its state.
trait Durable: Subject {
    /// The store closed and opened again on what it kept.
    fn reopen(self) -> Self;
    /// The switch that fills its disk (the backend seam's fault hook).
    fn disk(&self) -> &FullDisk;
}

struct Memory(MemoryStore);

impl Subject for Memory {
    fn open() -> Self {
        Self(MemoryStore::new(Arc::new(Clock::real())))
    }
    fn store(&self) -> &dyn VersionStore {
        &self.0
    }
}

/// The durable store on redb, in a directory removed when dropped, with a disk that fills on
/// demand (the backend seam's fault hook).
struct Redb {
    store: Option<DurableStore>,
    disk: FullDisk,
    dir: PathBuf,
}

impl Redb {
    fn at(dir: PathBuf, disk: FullDisk) -> Self {
        let opened = durable::open_with(
            &dir,
            Arc::new(Clock::real()),
            Accounts::open(),
            Some(disk.clone()),
        );
        let store = opened.unwrap_or_else(|e| panic!("{e}")).store;
        Self {
            store: Some(store),
            disk,
            dir,
        }
    }
}

impl Subject for Redb {
    fn open() -> Self {
        let dir = std::env::temp_dir().join(format!(
            "restore-mock-contract-{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        ));
        Self::at(dir, FullDisk::new())
    }
    fn store(&self) -> &dyn VersionStore {
        self.store.as_ref().expect("open")
    }
}

impl Durable for Redb {
    fn reopen(mut self) -> Self {
        // Closing finishes the writes and releases the database before it opens again.
        drop(self.store.take());
        let dir = std::mem::take(&mut self.dir);
        Self::at(dir, self.disk.clone())
    }
    fn disk(&self) -> &FullDisk {
        &self.disk
    }
}

impl Drop for Redb {
    fn drop(&mut self) {
        drop(self.store.take());
        if !self.dir.as_os_str().is_empty() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Runs every case over one subject, each case a test of its own.
macro_rules! contract {
    ($name:ident, $subject:ty) => {
        mod $name {
            use super::*;

            #[test]
            fn an_upload_makes_a_file_with_one_version() {
                super::an_upload_makes_a_file_with_one_version::<$subject>();
            }
            #[test]
            fn an_upload_to_an_existing_name_adds_a_version() {
                super::an_upload_to_an_existing_name_adds_a_version::<$subject>();
            }
            #[test]
            fn a_restore_copies_an_old_version_to_the_top() {
                super::a_restore_copies_an_old_version_to_the_top::<$subject>();
            }
            #[test]
            fn a_promote_refuses_the_current_version() {
                super::a_promote_refuses_the_current_version::<$subject>();
            }
            #[test]
            fn a_version_goes_to_the_trash_and_comes_back() {
                super::a_version_goes_to_the_trash_and_comes_back::<$subject>();
            }
            #[test]
            fn an_item_goes_to_the_trash_and_comes_back() {
                super::an_item_goes_to_the_trash_and_comes_back::<$subject>();
            }
            #[test]
            fn a_purge_removes_an_item_and_its_versions_for_good() {
                super::a_purge_removes_an_item_and_its_versions_for_good::<$subject>();
            }
            #[test]
            fn a_move_and_a_rename_keep_the_history() {
                super::a_move_and_a_rename_keep_the_history::<$subject>();
            }
            #[test]
            fn conflicts_and_failed_preconditions_change_nothing() {
                super::conflicts_and_failed_preconditions_change_nothing::<$subject>();
            }
            #[test]
            fn ordered_children_put_folders_first_and_page_after_sorting() {
                super::ordered_children_put_folders_first_and_page_after_sorting::<$subject>();
            }
            #[test]
            fn folder_sizes_follow_every_change_below() {
                super::sizes::folder_sizes_follow_every_change_below::<$subject>();
            }
            #[test]
            fn a_lock_refuses_every_change_by_another_user() {
                super::locks::a_lock_refuses_every_change_by_another_user::<$subject>();
            }
            #[test]
            fn favorites_are_each_users_own_and_go_with_a_reset_of_that_user() {
                super::locks::favorites_are_each_users_own_and_go_with_a_reset_of_that_user::<
                    $subject,
                >();
            }
            #[test]
            fn the_owner_removes_another_users_lock() {
                super::locks::the_owner_removes_another_users_lock::<$subject>();
            }
            #[test]
            fn every_write_appends_one_change_in_order() {
                super::change_log::every_write_appends_one_change_in_order::<$subject>();
            }
            #[test]
            fn a_reset_or_an_expiry_makes_earlier_positions_too_old() {
                super::change_log::a_reset_or_an_expiry_makes_earlier_positions_too_old::<$subject>(
                );
            }
            #[test]
            fn recent_changes_hold_each_files_latest_change_newest_first() {
                super::change_log::recent_changes_hold_each_files_latest_change_newest_first::<
                    $subject,
                >();
            }
        }
    };
}

/// Runs the cases of a store that keeps its state over one subject.
macro_rules! durable_contract {
    ($name:ident, $subject:ty) => {
        mod $name {
            use super::*;

            #[test]
            fn a_reopened_store_reads_back_everything_it_acknowledged() {
                super::a_reopened_store_reads_back_everything_it_acknowledged::<$subject>();
            }
            #[test]
            fn a_lock_and_notes_are_there_after_reopening() {
                super::locks::a_lock_and_notes_are_there_after_reopening::<$subject>();
            }
            #[test]
            fn comments_are_there_after_reopening() {
                super::comments::comments_are_there_after_reopening::<$subject>();
            }
            #[test]
            fn tasks_are_there_after_reopening() {
                super::tasks::tasks_are_there_after_reopening::<$subject>();
            }
            #[test]
            fn folder_sizes_are_counted_again_after_reopening() {
                super::sizes::folder_sizes_are_counted_again_after_reopening::<$subject>();
            }
            #[test]
            fn a_full_disk_keeps_nothing_shows_nothing_and_passes() {
                super::a_full_disk_keeps_nothing_shows_nothing_and_passes::<$subject>();
            }
            #[test]
            fn a_reopened_store_keeps_the_change_log_and_goes_on_from_it() {
                super::change_log::a_reopened_store_keeps_the_change_log_and_goes_on_from_it::<
                    $subject,
                >();
            }
            #[test]
            fn comment_changes_name_the_file_and_are_kept_after_reopening() {
                super::change_log::comment_changes_name_the_file_and_are_kept_after_reopening::<
                    $subject,
                >();
            }
        }
    };
}

contract!(memory, Memory);
contract!(redb, Redb);
durable_contract!(redb_durable, Redb);
contract!(maps, map_backend::Maps);
durable_contract!(maps_durable, map_backend::Maps);

const ALL: VersionQuery = VersionQuery {
    include_current: true,
    window: WINDOW,
};

const WINDOW: Window = Window {
    offset: 0,
    limit: 100,
};

const GRAPH_RESTORE: PromoteRules = PromoteRules {
    allow_current: true,
    restore_name: false,
};

const BOX_PROMOTE: PromoteRules = PromoteRules {
    allow_current: false,
    restore_name: true,
};

fn space(store: &dyn VersionStore) -> Space {
    Space::own(Face::Box, store.sign_in("contract").unwrap().user)
}

fn write(
    store: &dyn VersionStore,
    space: &Space,
    path: &[&str],
    body: &'static [u8],
) -> Result<ItemId, StoreError> {
    let root = store.root_id(space)?;
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
    Ok(store.write_file(space, write, None)?.item.id)
}

fn upload(store: &dyn VersionStore, space: &Space, path: &[&str], body: &'static [u8]) -> ItemId {
    write(store, space, path, body).unwrap()
}

/// A file's history, newest first: (number, body, trashed, name).
fn history(store: &dyn VersionStore, space: &Space, file: ItemId) -> Vec<(u32, String, bool)> {
    let Listing { entries, .. } = store.versions(space, file, ALL).unwrap();
    entries.iter().map(|v| summary(v)).collect()
}

fn summary(version: &Version) -> (u32, String, bool) {
    let body = String::from_utf8_lossy(&version.content.bytes).into_owned();
    (version.number, body, version.trashed_at.is_some())
}

/// The names in a folder, sorted.
fn names(store: &dyn VersionStore, space: &Space, folder: ItemId) -> Vec<String> {
    let listing = store.children(space, folder, WINDOW).unwrap();
    listing.entries.into_iter().map(|item| item.name).collect()
}

fn an_upload_makes_a_file_with_one_version<S: Subject>() {
    let subject = S::open();
    let store = subject.store();
    let space = space(store);
    let file = upload(store, &space, &["a.txt"], b"one");
    let item = store.item(&space, file).unwrap();
    assert_eq!(item.name, "a.txt");
    let current = store.version(&space, file, VersionRef::Current).unwrap();
    assert_eq!(
        current.version.content.sha1_hex().as_str(),
        "fe05bcdcdc4928012781a5f1a2a77cbb5398e106"
    );
    assert!(current.is_current);
    assert_eq!(history(store, &space, file), [(1, "one".into(), false)]);
    let root = store.root_id(&space).unwrap();
    assert_eq!(names(store, &space, root), ["a.txt"]);
}

fn an_upload_to_an_existing_name_adds_a_version<S: Subject>() {
    let subject = S::open();
    let store = subject.store();
    let space = space(store);
    let file = upload(store, &space, &["a.txt"], b"one");
    assert_eq!(
        upload(store, &space, &["A.TXT"], b"two"),
        file,
        "names match case-insensitively"
    );
    assert_eq!(
        history(store, &space, file),
        [(2, "two".into(), false), (1, "one".into(), false)]
    );
}

fn a_restore_copies_an_old_version_to_the_top<S: Subject>() {
    let subject = S::open();
    let store = subject.store();
    let space = space(store);
    let file = upload(store, &space, &["a.txt"], b"one");
    upload(store, &space, &["a.txt"], b"two");
    let restored =
        (store.promote_version(&space, file, VersionRef::Number(1), GRAPH_RESTORE, None)).unwrap();
    let first = store.version(&space, file, VersionRef::Number(1)).unwrap();
    assert_eq!(restored.restored_from, Some(first.version.id));
    assert_eq!(
        history(store, &space, file),
        [
            (3, "one".into(), false),
            (2, "two".into(), false),
            (1, "one".into(), false)
        ]
    );
}

fn a_promote_refuses_the_current_version<S: Subject>() {
    let subject = S::open();
    let store = subject.store();
    let space = space(store);
    let file = upload(store, &space, &["a.txt"], b"one");
    let refused = store.promote_version(&space, file, VersionRef::Current, BOX_PROMOTE, None);
    assert!(
        matches!(refused, Err(StoreError::CurrentVersion)),
        "{refused:?}"
    );
    assert_eq!(history(store, &space, file), [(1, "one".into(), false)]);
}

fn a_version_goes_to_the_trash_and_comes_back<S: Subject>() {
    let subject = S::open();
    let store = subject.store();
    let space = space(store);
    let file = upload(store, &space, &["a.txt"], b"one");
    upload(store, &space, &["a.txt"], b"two");
    store
        .trash_version(&space, file, VersionRef::Number(1), None)
        .unwrap();
    assert_eq!(
        history(store, &space, file),
        [(2, "two".into(), false), (1, "one".into(), true)]
    );
    let promoted = store.promote_version(&space, file, VersionRef::Number(1), BOX_PROMOTE, None);
    assert!(
        matches!(promoted, Err(StoreError::VersionTrashed)),
        "{promoted:?}"
    );
    store
        .untrash_version(&space, file, VersionRef::Number(1))
        .unwrap();
    assert_eq!(
        history(store, &space, file),
        [(2, "two".into(), false), (1, "one".into(), false)]
    );
}

fn an_item_goes_to_the_trash_and_comes_back<S: Subject>() {
    let subject = S::open();
    let store = subject.store();
    let space = space(store);
    let file = upload(store, &space, &["dir", "a.txt"], b"one");
    let dir = store.item(&space, file).unwrap().parent.unwrap();
    store
        .trash_item(&space, dir, ItemKind::Folder, true, None)
        .unwrap();
    assert!(matches!(store.item(&space, file), Err(StoreError::Trashed)));
    let trash = store.trash(&space, WINDOW).unwrap();
    assert_eq!(
        trash.entries.iter().map(|i| i.id).collect::<Vec<_>>(),
        [dir]
    );
    let root = store.root_id(&space).unwrap();
    assert!(names(store, &space, root).is_empty());
    let back = RestoreItem {
        parent: None,
        name: None,
    };
    store
        .restore_item(&space, dir, ItemKind::Folder, back)
        .unwrap();
    assert_eq!(names(store, &space, root), ["dir"]);
    assert_eq!(history(store, &space, file), [(1, "one".into(), false)]);
}

fn a_purge_removes_an_item_and_its_versions_for_good<S: Subject>() {
    let subject = S::open();
    let store = subject.store();
    let space = space(store);
    let file = upload(store, &space, &["a.txt"], b"one");
    let version = store.version(&space, file, VersionRef::Current).unwrap();
    store
        .trash_item(&space, file, ItemKind::File, false, None)
        .unwrap();
    store.purge_item(&space, file, ItemKind::File).unwrap();
    let gone = store.trashed_item(&space, file, ItemKind::File);
    assert!(matches!(gone, Err(StoreError::ItemNotFound)), "{gone:?}");
    let link = store.version_by_id(version.version.id);
    assert!(matches!(link, Err(StoreError::VersionNotFound)), "{link:?}");
    assert!(store.trash(&space, WINDOW).unwrap().entries.is_empty());
}

fn a_move_and_a_rename_keep_the_history<S: Subject>() {
    let subject = S::open();
    let store = subject.store();
    let space = space(store);
    let file = upload(store, &space, &["a.txt"], b"one");
    upload(store, &space, &["a.txt"], b"two");
    let root = store.root_id(&space).unwrap();
    let folder = NewFolder {
        parent: root,
        name: "dir".into(),
        on_conflict: OnConflict::Fail,
    };
    let dir = store.create_folder(&space, folder).unwrap().id;
    let change = MoveItem {
        kind: Some(ItemKind::File),
        parent: Some(dir),
        name: Some("b.txt".into()),
        on_conflict: OnConflict::Fail,
        times: FileTimes::default(),
    };
    let moved = store.move_item(&space, file, change, None).unwrap();
    assert_eq!((moved.name.as_str(), moved.parent), ("b.txt", Some(dir)));
    let found = store.resolve(&space, root, &["dir".into(), "b.txt".into()]);
    assert_eq!(found.unwrap().id, file);
    assert_eq!(names(store, &space, root), ["dir"]);
    assert_eq!(
        history(store, &space, file),
        [(2, "two".into(), false), (1, "one".into(), false)]
    );
}

fn conflicts_and_failed_preconditions_change_nothing<S: Subject>() {
    let subject = S::open();
    let store = subject.store();
    let space = space(store);
    let file = upload(store, &space, &["a.txt"], b"one");
    let other = upload(store, &space, &["b.txt"], b"two");
    let root = store.root_id(&space).unwrap();
    let folder = NewFolder {
        parent: root,
        name: "A.txt".into(),
        on_conflict: OnConflict::Fail,
    };
    let rename = MoveItem {
        kind: None,
        parent: None,
        name: Some("a.txt".into()),
        on_conflict: OnConflict::Fail,
        times: FileTimes::default(),
    };
    let stale = super::Precondition::Never;
    let write = WriteFile {
        target: WriteTarget::Item(file),
        content: Content::new(Bytes::from_static(b"late")),
        mime_type: None,
        rename: None,
        content_created_at: None,
        content_modified_at: None,
    };
    let cases: [(&str, Result<(), StoreError>, &str); 3] = [
        (
            "a folder named like a file",
            store.create_folder(&space, folder).map(drop),
            "NameConflict",
        ),
        (
            "a rename onto another file's name",
            store.move_item(&space, other, rename, None).map(drop),
            "NameConflict",
        ),
        (
            "a write whose precondition fails",
            store.write_file(&space, write, Some(stale)).map(drop),
            "PreconditionFailed",
        ),
    ];
    for (reason, result, expected) in cases {
        let error = format!("{:?}", result.expect_err(reason));
        assert!(error.starts_with(expected), "{reason}: {error}");
    }
    assert_eq!(names(store, &space, root), ["a.txt", "b.txt"]);
    assert_eq!(history(store, &space, file), [(1, "one".into(), false)]);
}

fn a_reopened_store_reads_back_everything_it_acknowledged<S: Durable>() {
    let subject = S::open();
    let (before, file) = {
        let store = subject.store();
        let space = space(store);
        let file = upload(store, &space, &["dir", "a.txt"], b"one");
        upload(store, &space, &["dir", "a.txt"], b"two");
        (store.promote_version(&space, file, VersionRef::Number(1), GRAPH_RESTORE, None)).unwrap();
        (store.trash_version(&space, file, VersionRef::Number(2), None)).unwrap();
        let gone = upload(store, &space, &["gone.txt"], b"gone");
        (store.trash_item(&space, gone, ItemKind::File, false, None)).unwrap();
        upload(store, &space, &["trashed.txt"], b"kept in the trash");
        let trashed = store.resolve(
            &space,
            store.root_id(&space).unwrap(),
            &["trashed.txt".into()],
        );
        (store.trash_item(&space, trashed.unwrap().id, ItemKind::File, false, None)).unwrap();
        store.purge_item(&space, gone, ItemKind::File).unwrap();
        (store.records(None), file)
    };
    let subject = subject.reopen();
    let store = subject.store();
    assert_eq!(store.records(None), before);
    let space = space(store);
    assert_eq!(
        history(store, &space, file),
        [
            (3, "one".into(), false),
            (2, "two".into(), true),
            (1, "one".into(), false)
        ]
    );
    // New ids continue after the kept ones.
    let next = upload(store, &space, &["c.txt"], b"three");
    assert!(next.0 > file.0);
}

fn a_full_disk_keeps_nothing_shows_nothing_and_passes<S: Durable>() {
    let subject = S::open();
    let disk = subject.disk().clone();
    let store = subject.store();
    let space = space(store);
    let file = upload(store, &space, &["a.txt"], b"one");
    let root = store.root_id(&space).unwrap();
    disk.fill();
    let refused = [
        (
            "a new file (its body fails)",
            write(store, &space, &["b.txt"], b"two").map(drop),
        ),
        (
            "a new version (its body fails)",
            write(store, &space, &["a.txt"], b"three").map(drop),
        ),
        (
            "a restore (its rows fail)",
            (store.promote_version(&space, file, VersionRef::Number(1), GRAPH_RESTORE, None))
                .map(drop),
        ),
    ];
    for (reason, result) in refused {
        let error = result.expect_err(reason);
        let StoreError::InsufficientStorage(message) = &error else {
            panic!("{reason}: {error:?}");
        };
        assert!(message.contains("is full"), "{reason}: {message}");
    }
    // Nothing refused is there, not even in memory.
    assert_eq!(names(store, &space, root), ["a.txt"]);
    assert_eq!(history(store, &space, file), [(1, "one".into(), false)]);
    disk.free();
    let second = upload(store, &space, &["b.txt"], b"two");
    upload(store, &space, &["a.txt"], b"three");
    assert_eq!(names(store, &space, root), ["a.txt", "b.txt"]);
    let before = store.records(None);
    drop(disk);
    let subject = subject.reopen();
    let store = subject.store();
    assert_eq!(store.records(None), before);
    let space = self::space(store);
    assert_eq!(
        history(store, &space, file),
        [(2, "three".into(), false), (1, "one".into(), false)]
    );
    assert_eq!(history(store, &space, second), [(1, "two".into(), false)]);
}

fn ordered_children_put_folders_first_and_page_after_sorting<S: Subject>() {
    let subject = S::open();
    let store = subject.store();
    let space = space(store);
    // `create_parents` makes folder `dir` and `Zed` on the way; the files differ in size.
    upload(store, &space, &["big.txt"], b"0123456789");
    upload(store, &space, &["Zed", "in.txt"], b"0123");
    upload(store, &space, &["a.txt"], b"01");
    upload(store, &space, &["dir", "in.txt"], b"0");
    let root = store.root_id(&space).unwrap();
    let page = |key, descending, offset, limit| {
        let order = ChildOrder { key, descending };
        let listing =
            (store.ordered_children(&space, root, order, Window { offset, limit })).unwrap();
        let names: Vec<String> = listing.entries.into_iter().map(|item| item.name).collect();
        (listing.total, names)
    };
    assert_eq!(
        page(ChildKey::Name, false, 0, 10),
        (4, strings(&["dir", "Zed", "a.txt", "big.txt"]))
    );
    assert_eq!(
        page(ChildKey::Name, true, 1, 2),
        (4, strings(&["dir", "big.txt"]))
    );
    assert_eq!(
        page(ChildKey::Size, true, 0, 10),
        (4, strings(&["Zed", "dir", "big.txt", "a.txt"]))
    );
    assert_eq!(
        page(ChildKey::Id, false, 0, 10),
        (4, strings(&["Zed", "dir", "big.txt", "a.txt"]))
    );
    assert_eq!(page(ChildKey::Name, false, 9, 10), (4, Vec::new()));
}

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| name.to_string()).collect()
}
