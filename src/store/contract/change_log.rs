//! The change log's cases of the store contract: what each write appends, and what a reset, an
//! expiry and (for a store that keeps its state) a reopening do to it.

use chrono::{DateTime, Utc};

use super::*;
use crate::store::{ChangeFilter, ChangeKind, ChangeLogError, ChangePage};

/// Every entry after `after`, as (position, item, kind).
fn log(store: &dyn VersionStore, after: u64) -> Vec<(u64, ItemId, ChangeKind)> {
    let ChangePage { entries, more, .. } = store
        .changes_since(after, 1000, &ChangeFilter::default())
        .unwrap();
    assert!(!more);
    entries
        .into_iter()
        .map(|e| (e.position, e.item, e.kind))
        .collect()
}

/// Makes one change of every kind; returns (folder, file, other file).
fn every_kind(store: &dyn VersionStore, space: &Space) -> (ItemId, ItemId, ItemId) {
    let root = store.root_id(space).unwrap();
    let folder = NewFolder {
        parent: root,
        name: "dir".into(),
        on_conflict: OnConflict::Fail,
    };
    let dir = store.create_folder(space, folder).unwrap().id;
    let file = upload(store, space, &["a.txt"], b"one");
    upload(store, space, &["a.txt"], b"two");
    (store.promote_version(space, file, VersionRef::Number(1), GRAPH_RESTORE, None)).unwrap();
    let rename = MoveItem {
        kind: None,
        parent: None,
        name: Some("b.txt".into()),
        on_conflict: OnConflict::Fail,
        times: FileTimes::default(),
    };
    store.move_item(space, file, rename, None).unwrap();
    let into_dir = MoveItem {
        parent: Some(dir),
        name: None,
        ..rename_free()
    };
    store.move_item(space, file, into_dir, None).unwrap();
    (store.trash_item(space, file, ItemKind::File, false, None)).unwrap();
    let back = RestoreItem {
        parent: None,
        name: None,
    };
    (store.restore_item(space, file, ItemKind::File, back)).unwrap();
    let other = upload(store, space, &["c.txt"], b"three");
    store.delete_item(space, other, None).unwrap();
    (store.trash_item(space, file, ItemKind::File, false, None)).unwrap();
    store.purge_item(space, file, ItemKind::File).unwrap();
    (dir, file, other)
}

fn rename_free() -> MoveItem {
    MoveItem {
        kind: None,
        parent: None,
        name: None,
        on_conflict: OnConflict::Fail,
        times: FileTimes::default(),
    }
}

fn expected(dir: ItemId, file: ItemId, other: ItemId) -> Vec<(u64, ItemId, ChangeKind)> {
    use ChangeKind::*;
    [
        (dir, FolderCreated),
        (file, FileCreated),
        (file, VersionAdded),
        (file, VersionPromoted),
        (file, Renamed),
        (file, Moved),
        (file, Trashed),
        (file, Untrashed),
        (other, FileCreated),
        (other, Deleted),
        (file, Trashed),
        (file, Purged),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, (item, kind))| (i as u64 + 1, item, kind))
    .collect()
}

pub(super) fn every_write_appends_one_change_in_order<S: Subject>() {
    let subject = S::open();
    let store = subject.store();
    let space = space(store);
    let (dir, file, other) = every_kind(store, &space);
    assert_eq!(log(store, 0), expected(dir, file, other));
    assert_eq!(store.latest_position(), 12);
    // A refused write appends nothing.
    assert!(store.delete_item(&space, other, None).is_err());
    assert_eq!(store.latest_position(), 12);
    let purged = store.changes_since(11, 10, &ChangeFilter::space(&space));
    let purged = purged.unwrap().entries.remove(0);
    assert_eq!(
        (purged.parent, purged.name.as_str(), purged.folder),
        (Some(dir), "b.txt", false)
    );
    // Another user's filter sees none of it.
    let stranger = Space::own(Face::Box, store.sign_in("stranger").unwrap().user);
    let page = store.changes_since(0, 10, &ChangeFilter::space(&stranger));
    assert_eq!(page.unwrap().entries, vec![]);
}

pub(super) fn a_reset_or_an_expiry_makes_earlier_positions_too_old<S: Subject>() {
    let subject = S::open();
    let store = subject.store();
    let space = space(store);
    upload(store, &space, &["a.txt"], b"one");
    upload(store, &space, &["b.txt"], b"two");
    store.expire_change_tokens().unwrap();
    let all = ChangeFilter::default();
    // Every position handed out so far is too old, the newest (2) included.
    assert!(matches!(
        store.changes_since(2, 10, &all),
        Err(ChangeLogError::TooOld { after: 2, floor: 3 })
    ));
    assert_eq!(store.latest_position(), 3);
    upload(store, &space, &["c.txt"], b"three");
    assert_eq!(log(store, 3).len(), 1);
    store.reset(None).unwrap();
    assert!(matches!(
        store.changes_since(4, 10, &all),
        Err(ChangeLogError::TooOld { after: 4, floor: 5 })
    ));
    let space = super::space(store);
    let file = upload(store, &space, &["d.txt"], b"four");
    assert_eq!(log(store, 5), vec![(6, file, ChangeKind::FileCreated)]);
}

pub(super) fn a_reopened_store_keeps_the_change_log_and_goes_on_from_it<S: Durable>() {
    let subject = S::open();
    let (dir, file, other) = every_kind(subject.store(), &space(subject.store()));
    let subject = subject.reopen();
    let store = subject.store();
    assert_eq!(log(store, 0), expected(dir, file, other));
    assert_eq!(store.latest_position(), 12);
    let next = upload(store, &space(store), &["d.txt"], b"four");
    assert_eq!(log(store, 12), vec![(13, next, ChangeKind::FileCreated)]);
    store.expire_change_tokens().unwrap();
    let subject = subject.reopen();
    assert!(matches!(
        subject
            .store()
            .changes_since(13, 10, &ChangeFilter::default()),
        Err(ChangeLogError::TooOld {
            after: 13,
            floor: 14
        })
    ));
}

pub(super) fn comment_changes_name_the_file_and_are_kept_after_reopening<S: Durable>() {
    use crate::store::comments::{CommentTarget, CommentText};
    let subject = S::open();
    let (file, first, reply) = {
        let store = subject.store();
        let space = space(store);
        let file = upload(store, &space, &["a.txt"], b"one");
        let text = |t: &str| CommentText::Plain(t.into());
        let first = (store.create_comment(&space, CommentTarget::File(file), text("a"))).unwrap();
        let reply = CommentTarget::Comment(first.id);
        let reply = store.create_comment(&space, reply, text("b")).unwrap();
        store.edit_comment(&space, first.id, "c".into()).unwrap();
        store.delete_comment(&space, reply.id).unwrap();
        // A refused comment write appends nothing.
        assert!(store.delete_comment(&space, reply.id).is_err());
        (file, first.id, reply.id)
    };
    let expected = vec![
        (1, file, ChangeKind::FileCreated),
        (2, file, ChangeKind::CommentCreated(first)),
        (3, file, ChangeKind::CommentCreated(reply)),
        (4, file, ChangeKind::CommentEdited(first)),
        (5, file, ChangeKind::CommentDeleted(reply)),
    ];
    assert_eq!(log(subject.store(), 0), expected);
    let subject = subject.reopen();
    assert_eq!(log(subject.store(), 0), expected);
}

pub(super) fn recent_changes_hold_each_files_latest_change_newest_first<S: Subject>() {
    use crate::store::RecentQuery;
    let subject = S::open();
    let store = subject.store();
    let space = space(store);
    let a = upload(store, &space, &["a.txt"], b"one"); // 1
    let b = upload(store, &space, &["b.txt"], b"two"); // 2
    let c = upload(store, &space, &["c.txt"], b"three"); // 3
    upload(store, &space, &["a.txt"], b"four"); // 4: a's new version
    (store.trash_item(&space, c, ItemKind::File, false, None)).unwrap(); // 5
    let stranger = Space::own(Face::Box, store.sign_in("stranger").unwrap().user);
    upload(store, &stranger, &["theirs.txt"], b"x");
    let query = |before, limit, max_items| RecentQuery {
        since: DateTime::<Utc>::UNIX_EPOCH,
        max_items,
        before,
        limit,
    };
    let read = |q: RecentQuery| {
        let page = store.recent_changes(&space, q).unwrap();
        let entries: Vec<_> = (page.entries.iter())
            .map(|e| (e.item.id, e.kind, e.position))
            .collect();
        (entries, page.more)
    };
    // c is in the trash; a shows its version, once; the stranger's file is theirs.
    assert_eq!(
        read(query(None, 10, 1000)),
        (
            vec![
                (a, ChangeKind::VersionAdded, 4),
                (b, ChangeKind::FileCreated, 2)
            ],
            false
        )
    );
    assert_eq!(
        read(query(None, 1, 1000)),
        (vec![(a, ChangeKind::VersionAdded, 4)], true)
    );
    assert_eq!(
        read(query(Some(4), 1, 1000)),
        (vec![(b, ChangeKind::FileCreated, 2)], false)
    );
    // The bound on files counts from the newest.
    assert_eq!(
        read(query(None, 10, 1)),
        (vec![(a, ChangeKind::VersionAdded, 4)], false)
    );
    let future = RecentQuery {
        since: DateTime::<Utc>::MAX_UTC,
        ..query(None, 10, 1000)
    };
    assert_eq!(read(future), (vec![], false));
}
