//! Box locks, descriptions, tags and Favorites in the store contract: what a lock refuses to a
//! user other than its holder (on every engine; over HTTP, `tests/sdk/box_lock.py` shows it to
//! an editor the file is shared with), what its holder and the owner may still do, that
//! Favorites are each user's own, and (for a store that keeps its state) that all of it is there
//! after reopening.

use super::*;
use crate::store::{ItemEdit, LockEdit, NewLock, SharingError};

fn rename(name: &str) -> MoveItem {
    MoveItem {
        kind: Some(ItemKind::File),
        parent: None,
        name: Some(name.into()),
        on_conflict: OnConflict::Fail,
        times: FileTimes::default(),
    }
}

fn nothing() -> MoveItem {
    MoveItem {
        name: None,
        ..rename("")
    }
}

fn lock(download_prevented: bool) -> ItemEdit {
    ItemEdit {
        lock: LockEdit::Lock(NewLock {
            expires: None,
            download_prevented,
        }),
        ..ItemEdit::default()
    }
}

/// Another signed-in user acting on `space`'s files (as a collaborator would).
fn other_user(store: &dyn VersionStore, space: &Space) -> Space {
    Space {
        owner: space.owner.clone(),
        ..Space::own(Face::Box, store.sign_in("contract-other").unwrap().user)
    }
}

fn locked(result: Result<impl std::fmt::Debug, StoreError>, what: &str) {
    assert!(
        matches!(result, Err(StoreError::Sharing(SharingError::Locked))),
        "{what}: {result:?}"
    );
}

pub(super) fn a_lock_refuses_every_change_by_another_user<S: Subject>() {
    let subject = S::open();
    let store = subject.store();
    let space = space(store);
    let file = upload(store, &space, &["a.txt"], b"one");
    upload(store, &space, &["a.txt"], b"two");
    let locked_view = store
        .update_item(&space, file, nothing(), lock(true), None)
        .unwrap();
    let other = other_user(store, &space);
    let before = history(store, &space, file);

    locked(
        store.update_item(&other, file, rename("b.txt"), ItemEdit::default(), None),
        "rename",
    );
    locked(store.delete_item(&other, file, None), "delete");
    locked(
        store.trash_item(&other, file, ItemKind::File, false, None),
        "trash",
    );
    let promote = store.promote_version(&other, file, VersionRef::Number(1), BOX_PROMOTE, None);
    locked(promote, "promote");
    locked(
        store.trash_version(&other, file, VersionRef::Number(1), None),
        "trash a version",
    );
    locked(
        store.delete_version(&other, file, VersionRef::Number(1), None),
        "delete a version",
    );
    locked(write(store, &other, &["a.txt"], b"three"), "new version");
    locked(
        store.update_item(&other, file, nothing(), lock(false), None),
        "lock over the lock",
    );

    // Nothing changed; the holder still may.
    assert_eq!(history(store, &space, file), before);
    let item = store.item(&space, file).unwrap();
    assert_eq!(
        (item.name.as_str(), item.revision),
        ("a.txt", locked_view.revision)
    );
    upload(store, &space, &["a.txt"], b"three");
    let renamed = store
        .update_item(&space, file, rename("b.txt"), ItemEdit::default(), None)
        .unwrap();
    assert_eq!(
        renamed.lock.as_ref().map(|l| l.by.id.as_str()),
        Some(&*space.actor.id)
    );
}

pub(super) fn the_owner_removes_another_users_lock<S: Subject>() {
    let subject = S::open();
    let store = subject.store();
    let space = space(store);
    let file = upload(store, &space, &["a.txt"], b"one");
    let other = other_user(store, &space);
    store
        .update_item(&other, file, nothing(), lock(false), None)
        .unwrap();
    locked(
        store.update_item(&space, file, rename("b.txt"), ItemEdit::default(), None),
        "the owner renaming",
    );

    let unlock = ItemEdit {
        lock: LockEdit::Unlock,
        ..ItemEdit::default()
    };
    let unlocked = store
        .update_item(&space, file, nothing(), unlock, None)
        .unwrap();

    assert_eq!(unlocked.lock, None);
    store
        .update_item(&space, file, rename("b.txt"), ItemEdit::default(), None)
        .unwrap();
}

pub(super) fn a_lock_and_notes_are_there_after_reopening<S: Durable>() {
    let subject = S::open();
    let (file, folder) = {
        let store = subject.store();
        let space = space(store);
        let file = upload(store, &space, &["d", "a.txt"], b"one");
        let folder = store.item(&space, file).unwrap().parent.unwrap();
        let edit = ItemEdit {
            description: Some("notes".into()),
            tags: Some(vec!["approved".into()]),
            favorite: Some(true),
            ..lock(true)
        };
        store
            .update_item(&space, file, nothing(), edit, None)
            .unwrap();
        let folder_edit = ItemEdit {
            tags: Some(vec!["team".into()]),
            ..ItemEdit::default()
        };
        let folder_move = MoveItem {
            kind: Some(ItemKind::Folder),
            ..nothing()
        };
        (store.update_item(&space, folder, folder_move, folder_edit, None)).unwrap();
        (file, folder)
    };

    let subject = subject.reopen();
    let store = subject.store();
    let space = space(store);
    let item = store.item(&space, file).unwrap();
    assert_eq!(item.notes.description, "notes");
    assert_eq!(item.notes.tags, ["approved"]);
    let lock = item.lock.expect("still locked");
    assert_eq!((lock.id, lock.download_prevented), (1, true));
    assert_eq!(store.item(&space, folder).unwrap().notes.tags, ["team"]);
    let favorites = store.favorites(&space.actor, WINDOW).unwrap();
    assert_eq!(
        favorites.entries.iter().map(|i| i.id).collect::<Vec<_>>(),
        [file]
    );
    locked(
        store.delete_item(&other_user(store, &space), file, None),
        "delete after reopening",
    );
}

const WINDOW: Window = Window {
    offset: 0,
    limit: 10,
};

/// Favorites are each user's own: the owner's leaves the item's etag and the other user's list
/// as they are; another user's lists only what they reach; a reset of a user forgets theirs.
pub(super) fn favorites_are_each_users_own_and_go_with_a_reset_of_that_user<S: Subject>() {
    let subject = S::open();
    let store = subject.store();
    let space = space(store);
    let file = upload(store, &space, &["a.txt"], b"one");
    let other = other_user(store, &space);
    let favorite = ItemEdit {
        favorite: Some(true),
        ..ItemEdit::default()
    };
    let before = store.item(&space, file).unwrap().revision;

    for by in [&space, &space, &other] {
        (store.update_item(by, file, nothing(), favorite.clone(), None)).unwrap();
    }

    let ids = |actor| -> Vec<ItemId> {
        let listed = store.favorites(actor, WINDOW).unwrap();
        listed.entries.iter().map(|item| item.id).collect()
    };
    let held_by = || store.item(&space, file).unwrap().notes.favorited_by;
    assert_eq!(ids(&space.actor), [file], "once, however often put there");
    assert_eq!(ids(&other.actor), [], "none the other user does not reach");
    assert_eq!(store.item(&space, file).unwrap().revision, before);
    let mut both = vec![space.actor.id.clone(), other.actor.id.clone()];
    both.sort();
    assert_eq!(held_by(), both);
    store.reset(Some(&other.actor.id)).unwrap();
    assert_eq!(
        held_by(),
        vec![space.actor.id.clone()],
        "the other's went with their reset"
    );
    assert_eq!(ids(&space.actor), [file]);
}
