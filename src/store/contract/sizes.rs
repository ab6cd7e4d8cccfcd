//! Cases for folder sizes: every change below a folder moves its `size` and the sizes above it
//! at once, and a reopened store counts them again from what it kept.

use super::*;
use crate::store::{CopyItem, ItemKindView};

/// A folder's size as the store shows it, in the trash or not.
fn size(store: &dyn VersionStore, space: &Space, id: ItemId) -> u64 {
    let item = (store.item(space, id))
        .or_else(|_| store.trashed_item(space, id, ItemKind::Folder))
        .unwrap();
    match item.kind {
        ItemKindView::Folder { size, .. } => size,
        ItemKindView::File(_) => panic!("{id} is a file"),
    }
}

fn sizes(store: &dyn VersionStore, space: &Space, folders: &[ItemId]) -> Vec<u64> {
    folders.iter().map(|id| size(store, space, *id)).collect()
}

fn folder(store: &dyn VersionStore, space: &Space, parent: ItemId, name: &str) -> ItemId {
    let folder = NewFolder {
        parent,
        name: name.into(),
        on_conflict: OnConflict::Fail,
    };
    store.create_folder(space, folder).unwrap().id
}

pub(super) fn folder_sizes_follow_every_change_below<S: Subject>() {
    let subject = S::open();
    let store = subject.store();
    let space = space(store);
    let root = store.root_id(&space).unwrap();
    let x = upload(store, &space, &["a", "b", "x.txt"], b"one");
    let y = upload(store, &space, &["a", "y.txt"], b"four");
    let a = store.item(&space, y).unwrap().parent.unwrap();
    let b = store.item(&space, x).unwrap().parent.unwrap();
    let folders = [root, a, b];
    assert_eq!(sizes(store, &space, &folders), [7, 7, 3], "two uploads");

    upload(store, &space, &["a", "b", "x.txt"], b"three!");
    assert_eq!(sizes(store, &space, &folders), [10, 10, 6], "a new version");
    let first = VersionRef::Number(1);
    store
        .promote_version(&space, x, first, BOX_PROMOTE, None)
        .unwrap();
    assert_eq!(
        sizes(store, &space, &folders),
        [7, 7, 3],
        "an older one promoted"
    );

    store
        .trash_item(&space, b, ItemKind::Folder, true, None)
        .unwrap();
    assert_eq!(sizes(store, &space, &folders), [4, 4, 3], "b in the trash");
    let back = RestoreItem {
        parent: None,
        name: None,
    };
    store
        .restore_item(&space, b, ItemKind::Folder, back)
        .unwrap();
    assert_eq!(sizes(store, &space, &folders), [7, 7, 3], "b back");

    let c = folder(store, &space, root, "c");
    let to_c = MoveItem {
        kind: Some(ItemKind::Folder),
        parent: Some(c),
        name: Some("b2".into()),
        on_conflict: OnConflict::Fail,
        times: FileTimes::default(),
    };
    store.move_item(&space, b, to_c, None).unwrap();
    let folders = [root, a, b, c];
    assert_eq!(
        sizes(store, &space, &folders),
        [7, 4, 3, 3],
        "b moved into c"
    );

    let copy = store
        .copy_item(&space, a, CopyItem::into(space.clone(), c))
        .unwrap();
    assert_eq!(size(store, &space, copy.id), 4, "the copy of a");
    assert_eq!(
        sizes(store, &space, &folders),
        [11, 4, 3, 7],
        "a copied into c"
    );

    store.delete_item(&space, y, None).unwrap();
    assert_eq!(sizes(store, &space, &folders), [7, 0, 3, 7], "y deleted");
    store
        .trash_item(&space, x, ItemKind::File, false, None)
        .unwrap();
    assert_eq!(
        sizes(store, &space, &folders),
        [4, 0, 0, 4],
        "x in the trash"
    );
    store.purge_item(&space, x, ItemKind::File).unwrap();
    assert_eq!(
        sizes(store, &space, &folders),
        [4, 0, 0, 4],
        "x purged from the trash"
    );
}

pub(super) fn folder_sizes_are_counted_again_after_reopening<S: Durable>() {
    let subject = S::open();
    let store = subject.store();
    let space = space(store);
    let x = upload(store, &space, &["a", "b", "x.txt"], b"one");
    upload(store, &space, &["a", "y.txt"], b"four");
    let b = store.item(&space, x).unwrap().parent.unwrap();
    let a = store.item(&space, b).unwrap().parent.unwrap();
    // A folder in the trash counts what is below it, but its own folder does not count it.
    store
        .trash_item(&space, b, ItemKind::Folder, true, None)
        .unwrap();

    let subject = subject.reopen();

    let store = subject.store();
    let root = store.root_id(&space).unwrap();
    assert_eq!(sizes(store, &space, &[root, a, b]), [4, 4, 3]);
    upload(store, &space, &["a", "y.txt"], b"fourteen");
    assert_eq!(
        sizes(store, &space, &[root, a, b]),
        [8, 8, 3],
        "and go on from there"
    );
}
