//! The durable store on its own: what a reopened data dir holds, and the data dirs it refuses.

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;

use super::*;
use crate::store::content::{Content, Hashes};
use crate::store::{
    DriveAccess, Face, OnConflict, PromoteRules, Space, VersionQuery, VersionRef, VersionStore,
    Window, WriteFile, WriteTarget,
};

/// A fresh directory under the system's temporary one, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "restore-mock-durable-{name}-{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4()
        ));
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn open_at(dir: &Path) -> Result<Opened, OpenError> {
    open(dir, Arc::new(Clock::real()), Accounts::open())
}

fn space(store: &DurableStore) -> Space {
    Space::own(Face::Box, store.sign_in("token").unwrap().user)
}

/// Writes `body` at `path` below the root (`a.txt`, or `F/G/b.txt` with the folders made on the
/// way), replacing a file there, hashed as a Graph upload is; returns the file's id.
fn upload(store: &DurableStore, space: &Space, path: &str, body: &'static [u8]) -> ItemIdOf {
    upload_content(store, space, path, Content::new(Bytes::from_static(body)))
}

/// `upload` with the content made by the caller.
fn upload_content(store: &DurableStore, space: &Space, path: &str, content: Content) -> ItemIdOf {
    let root = store.root_id(space).unwrap();
    let write = WriteFile {
        target: WriteTarget::Path {
            base: root,
            segments: path.split('/').map(str::to_owned).collect(),
            on_conflict: OnConflict::Replace,
            create_parents: true,
        },
        content,
        mime_type: None,
        rename: None,
        content_created_at: None,
        content_modified_at: None,
    };
    store.write_file(space, write, None).unwrap().item.id
}

type ItemIdOf = crate::store::ItemId;

const ALL: VersionQuery = VersionQuery {
    include_current: true,
    window: Window {
        offset: 0,
        limit: 100,
    },
};

#[test]
fn a_reopened_data_dir_holds_every_acknowledged_change_and_only_live_bodies() {
    let dir = TempDir::new("reopen");
    let (file, deleted_body) = {
        let store = open_at(&dir.0).unwrap().store;
        assert!(store.sink().dir() == dir.0);
        let space = space(&store);
        let file = upload(&store, &space, "a.txt", b"one");
        upload(&store, &space, "a.txt", b"two");
        let rules = PromoteRules {
            allow_current: false,
            restore_name: true,
        };
        store
            .promote_version(&space, file, VersionRef::Number(1), rules, None)
            .unwrap();
        store
            .trash_version(&space, file, VersionRef::Number(2), None)
            .unwrap();
        let gone = upload(&store, &space, "b.txt", b"only in b");
        store.delete_item(&space, gone, None).unwrap();
        (file, Content::new(Bytes::from_static(b"only in b")).blake3)
    };

    let opened = open_at(&dir.0).unwrap();
    assert!(!opened.fresh);
    let store = opened.store;
    let space = space(&store);
    let history = store.versions(&space, file, ALL).unwrap();
    let bodies: Vec<(u32, &[u8], bool)> = history
        .entries
        .iter()
        .map(|v| (v.number, &v.content.bytes[..], v.trashed_at.is_some()))
        .collect();
    assert_eq!(
        bodies,
        vec![
            (3, &b"one"[..], false),
            (2, b"two", true),
            (1, b"one", false)
        ]
    );
    let blobs = Blobs::open(&dir.0, None).unwrap().list().unwrap();
    assert_eq!(blobs.len(), 2, "one file per distinct body");
    assert!(
        !blobs.contains(&crate::store::content::hex(&deleted_body)),
        "a deleted file's body is gone"
    );
    // New ids continue after the kept ones.
    let next = upload(&store, &space, "c.txt", b"three");
    assert!(next.0 > file.0);
}

#[test]
fn a_deleted_version_is_gone_from_a_reopened_data_dir_and_so_is_its_body() {
    let dir = TempDir::new("delete-version");
    let file = {
        let store = open_at(&dir.0).unwrap().store;
        let space = space(&store);
        let file = upload(&store, &space, "a.txt", b"one");
        upload(&store, &space, "a.txt", b"two");
        upload(&store, &space, "a.txt", b"three");
        store
            .delete_version(&space, file, VersionRef::Number(2), None)
            .unwrap();
        file
    };

    let store = open_at(&dir.0).unwrap().store;
    let space = space(&store);
    let history = store.versions(&space, file, ALL).unwrap();
    let bodies: Vec<(u32, &[u8])> = history
        .entries
        .iter()
        .map(|v| (v.number, &v.content.bytes[..]))
        .collect();
    assert_eq!(bodies, vec![(3, &b"three"[..]), (1, b"one")]);
    // Each kept version is found by number and by id, the current one included.
    let current = store.version(&space, file, VersionRef::Number(3)).unwrap();
    assert!(current.is_current);
    let by_id = store.version_by_id(current.version.id).unwrap();
    assert_eq!(&by_id.content.bytes[..], b"three");
    let blobs = Blobs::open(&dir.0, None).unwrap().list().unwrap();
    let two = Content::new(Bytes::from_static(b"two")).blake3;
    assert_eq!(blobs.len(), 2, "the bodies of 1 and 3");
    assert!(
        !blobs.contains(&crate::store::content::hex(&two)),
        "the deleted version's body is gone"
    );
}

#[test]
fn a_full_reset_is_kept_and_empties_the_bodies() {
    let dir = TempDir::new("reset");
    {
        let store = open_at(&dir.0).unwrap().store;
        let space = space(&store);
        upload(&store, &space, "a.txt", b"one");
        store.reset(None).unwrap();
    }
    let opened = open_at(&dir.0).unwrap();
    assert!(opened.fresh, "nothing is left after a reset");
    assert!(Blobs::open(&dir.0, None)
        .unwrap()
        .list()
        .unwrap()
        .is_empty());
}

#[test]
fn a_second_opener_of_a_data_dir_is_refused() {
    let dir = TempDir::new("twice");
    let _first = open_at(&dir.0).unwrap();
    let error = open_at(&dir.0).err().expect("refused");
    assert_eq!(error.dir, dir.0);
    assert_eq!(error.reason, "another restore-mock process has it open");
}

#[test]
fn bad_data_dirs_are_refused_and_left_as_they_were() {
    let dir = TempDir::new("bad");
    fs::create_dir_all(&dir.0).unwrap();
    let file = dir.0.join("a-file");
    fs::write(&file, b"not a dir").unwrap();

    let garbled = dir.0.join("garbled");
    fs::create_dir_all(&garbled).unwrap();
    fs::write(garbled.join("metadata.redb"), vec![0x5a; 8192]).unwrap();

    let newer = dir.0.join("newer");
    drop(open_at(&newer).unwrap());
    {
        let newer_format = backend::Rows {
            meta: vec![("format", (FORMAT + 1).to_string().into_bytes())],
            ..backend::Rows::default()
        };
        let mut db = Redb::open(&newer).unwrap();
        db.commit(&[&newer_format]).unwrap();
    }

    let truncated = dir.0.join("truncated");
    {
        let store = open_at(&truncated).unwrap().store;
        let space = space(&store);
        upload(&store, &space, "a.txt", b"one");
    }
    let db = truncated.join("metadata.redb");
    let length = fs::metadata(&db).unwrap().len();
    fs::OpenOptions::new()
        .write(true)
        .open(&db)
        .unwrap()
        .set_len(length / 3)
        .unwrap();

    let newer_reason = format!(
        "it was written in format {}, newer than this restore-mock's {FORMAT}",
        FORMAT + 1
    );
    for (path, reason) in [
        (&file, "it is not a directory"),
        (&truncated, "the database cannot be opened"),
        (&garbled, "the database cannot be opened"),
        (&newer, newer_reason.as_str()),
    ] {
        let before = snapshot(path);
        let error = open_at(path).err().expect("refused");
        assert_eq!(error.dir, *path);
        assert!(
            error.reason.starts_with(reason),
            "{}: {}",
            path.display(),
            error.reason
        );
        assert_eq!(snapshot(path), before, "{} is unchanged", path.display());
    }
}

/// Every file's path and bytes below `path` (or the file's own).
fn snapshot(path: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    if path.is_file() {
        return vec![(path.to_owned(), fs::read(path).unwrap())];
    }
    let mut out = Vec::new();
    for entry in fs::read_dir(path).unwrap() {
        out.extend(snapshot(&entry.unwrap().path()));
    }
    out.sort();
    out
}

#[test]
fn a_reset_of_one_user_is_kept_and_leaves_the_others() {
    let dir = TempDir::new("reset-one");
    let (kept, gone) = {
        let store = open_at(&dir.0).unwrap().store;
        let ada = space(&store);
        let bob = Space::own(Face::Box, store.sign_in("bob").unwrap().user);
        let kept = upload(&store, &ada, "a.txt", b"ada's");
        let gone = upload(&store, &bob, "b.txt", b"bob's");
        store.reset(Some(&bob.actor.id)).unwrap();
        (kept, gone)
    };
    let store = open_at(&dir.0).unwrap().store;
    let ada = space(&store);
    let bob = Space::own(Face::Box, store.sign_in("bob").unwrap().user);
    assert_eq!(store.item(&ada, kept).unwrap().name, "a.txt");
    assert!(matches!(
        store.item(&bob, gone),
        Err(StoreError::ItemNotFound)
    ));
    let blobs = Blobs::open(&dir.0, None).unwrap().list().unwrap();
    assert_eq!(
        blobs,
        vec![crate::store::content::hex(
            &Content::new(Bytes::from_static(b"ada's")).blake3
        )]
    );
}

#[test]
fn an_item_in_the_trash_is_still_there_after_reopening_and_comes_back() {
    let dir = TempDir::new("trash");
    let file = {
        let store = open_at(&dir.0).unwrap().store;
        let space = space(&store);
        let file = upload(&store, &space, "a.txt", b"one");
        (store.trash_item(&space, file, crate::store::ItemKind::File, false, None)).unwrap();
        file
    };
    let store = open_at(&dir.0).unwrap().store;
    let space = space(&store);
    let window = Window {
        offset: 0,
        limit: 10,
    };
    let trash = store.trash(&space, window).unwrap();
    assert_eq!(
        trash.entries.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![file]
    );
    let root = store.root_id(&space).unwrap();
    assert_eq!(store.children(&space, root, window).unwrap().total, 0);
    let back = crate::store::RestoreItem {
        parent: None,
        name: None,
    };
    let restored = store.restore_item(&space, file, crate::store::ItemKind::File, back);
    assert_eq!(restored.unwrap().name, "a.txt");
}

#[test]
fn a_file_trashed_inside_a_renamed_folder_comes_back_into_it_after_reopening() {
    // Arrange: `F/G/b.txt` and `F/a.txt`, with `a.txt` and then `G` trashed on their own, so
    // that the walk of `F` meets trashed items at two levels.
    let dir = TempDir::new("trash-in-renamed");
    let window = Window {
        offset: 0,
        limit: 10,
    };
    let (folder, file) = {
        let store = open_at(&dir.0).unwrap().store;
        let space = space(&store);
        let b = upload(&store, &space, "F/G/b.txt", b"x");
        let a = upload(&store, &space, "F/a.txt", b"x");
        let parent = |id| store.item(&space, id).unwrap().parent.unwrap();
        let (folder, inner) = (parent(a), parent(b));
        let trash = |id, kind, recursive| {
            (store.trash_item(&space, id, kind, recursive, None)).unwrap();
        };
        trash(a, crate::store::ItemKind::File, false);
        trash(inner, crate::store::ItemKind::Folder, true);

        // Act: rename `F`, then reopen.
        let change = crate::store::MoveItem {
            kind: None,
            parent: None,
            name: Some("F2".into()),
            on_conflict: OnConflict::Fail,
            times: crate::store::FileTimes::default(),
        };
        store.move_item(&space, folder, change, None).unwrap();
        (folder, a)
    };
    let store = open_at(&dir.0).unwrap().store;
    let space = space(&store);

    // Assert: both come back into `F2` (`G` still holding `b.txt`), and no `F` is made for them.
    let back = || crate::store::RestoreItem {
        parent: None,
        name: None,
    };
    let restored = store.restore_item(&space, file, crate::store::ItemKind::File, back());
    assert_eq!(restored.unwrap().parent, Some(folder));
    let trash = store.trash(&space, window).unwrap();
    let inner = trash.entries[0].id;
    let restored = store.restore_item(&space, inner, crate::store::ItemKind::Folder, back());
    assert_eq!(restored.unwrap().parent, Some(folder));
    let held = store.children(&space, inner, window).unwrap().entries;
    assert_eq!(
        held.iter().map(|i| i.name.as_str()).collect::<Vec<_>>(),
        ["b.txt"]
    );
    let root = store.root_id(&space).unwrap();
    let top: Vec<String> = (store.children(&space, root, window).unwrap().entries)
        .into_iter()
        .map(|item| item.name)
        .collect();
    assert_eq!(top, ["F2"]);
}

#[test]
fn a_files_own_times_are_there_after_reopening() {
    let dir = TempDir::new("times");
    let (created, modified) = (
        chrono::DateTime::from_timestamp(1_000_000_000, 0).unwrap(),
        chrono::DateTime::from_timestamp(1_500_000_000, 123_000_000).unwrap(),
    );
    let file = {
        let store = open_at(&dir.0).unwrap().store;
        let space = space(&store);
        let file = upload(&store, &space, "a.txt", b"one");
        let change = crate::store::MoveItem {
            kind: None,
            parent: None,
            name: None,
            on_conflict: OnConflict::Fail,
            times: crate::store::FileTimes {
                created: Some(created),
                modified: Some(modified),
            },
        };
        store.move_item(&space, file, change, None).unwrap();
        file
    };
    let store = open_at(&dir.0).unwrap().store;
    let space = space(&store);
    let view = store.item(&space, file).unwrap();
    let kept = view.file().unwrap();
    assert_eq!(
        (kept.content_created_at, kept.content_modified_at),
        (created, modified)
    );
    let versions = store.versions(&space, file, ALL).unwrap();
    assert_eq!(versions.total, 2, "setting the times made a version");
}

#[test]
fn a_shared_drive_its_files_and_their_authors_are_there_after_reopening() {
    let dir = TempDir::new("shared");
    let group = crate::store::DriveHolder::Group("eng".into());
    let (drive, file, authors) = {
        let store = open_at(&dir.0).unwrap().store;
        let ada = store.sign_in("ada").unwrap().user;
        let bob = store.sign_in("bob").unwrap().user;
        let drive = store
            .drives(&group, DriveAccess::Member(&ada))
            .unwrap()
            .remove(0);
        let file = upload(&store, &drive.space(&ada), "a.txt", b"one");
        upload(&store, &drive.space(&bob), "a.txt", b"two");
        (drive, file, vec![bob.id.clone(), ada.id.clone()])
    };
    let store = open_at(&dir.0).unwrap().store;
    let ada = store.sign_in("ada").unwrap().user;
    assert_eq!(
        store.drives(&group, DriveAccess::Member(&ada)).unwrap(),
        vec![drive.clone()]
    );
    let versions = store.versions(&drive.space(&ada), file, ALL).unwrap();
    let kept: Vec<String> = versions
        .entries
        .iter()
        .map(|v| v.created_by.id.clone())
        .collect();
    assert_eq!(kept, authors);
    let own = Space::own(Face::Graph, ada);
    assert!(matches!(
        store.item(&own, file),
        Err(StoreError::ItemNotFound)
    ));
}

#[test]
fn a_body_changed_on_disk_to_the_same_length_is_refused_when_the_data_dir_opens() {
    let dir = TempDir::new("altered");
    let body = Content::new(Bytes::from_static(b"the original body"));
    {
        let store = open_at(&dir.0).unwrap().store;
        let space = space(&store);
        upload(&store, &space, "a.txt", b"the original body");
    }
    let file = dir
        .0
        .join("blobs")
        .join(crate::store::content::hex(&body.blake3));
    fs::write(&file, b"THE ORIGINAL BODY").unwrap();

    let error = open_at(&dir.0).err().expect("refused");

    assert_eq!(error.dir, dir.0);
    let expected = format!(
        "the body blobs/{} of version 5000000001 was changed on disk: its BLAKE3 no longer \
         matches its name; put the original file back, or start on another data dir",
        crate::store::content::hex(&body.blake3)
    );
    assert_eq!(error.reason, expected);
    assert_eq!(
        fs::read(&file).unwrap(),
        b"THE ORIGINAL BODY",
        "left as it was"
    );
}

#[test]
fn a_body_whose_write_fails_half_way_leaves_no_file_behind() {
    let dir = TempDir::new("half-written");
    let disk = FullDisk::new();
    let opened = open_with(
        &dir.0,
        Arc::new(Clock::real()),
        Accounts::open(),
        Some(disk.clone()),
    );
    let store = opened.unwrap().store;
    let space = space(&store);
    store.root_id(&space).unwrap();
    disk.fill();
    let root = store.root_id(&space).unwrap();
    let write = WriteFile {
        target: WriteTarget::Path {
            base: root,
            segments: vec!["a.txt".into()],
            on_conflict: OnConflict::Replace,
            create_parents: false,
        },
        content: Content::new(Bytes::from_static(b"a body that does not fit")),
        mime_type: None,
        rename: None,
        content_created_at: None,
        content_modified_at: None,
    };

    let refused = store.write_file(&space, write, None);

    assert!(
        matches!(&refused, Err(StoreError::InsufficientStorage(m)) if m.contains("is full")),
        "{refused:?}"
    );
    let files = Blobs::open(&dir.0, None).unwrap().list().unwrap();
    assert_eq!(files, Vec::<String>::new(), "no body, whole or half");
}

/// A backend whose commits wait at a gate the test opens, with the outcome it chooses.
struct Gated {
    inner: Redb,
    gate: Arc<Gate>,
}

#[derive(Default)]
struct Gate {
    state: std::sync::Mutex<GateState>,
    changed: std::sync::Condvar,
}

#[derive(Default)]
struct GateState {
    closed: bool,
    /// A commit is waiting at the closed gate.
    waiting: bool,
    /// The outcome of the waiting commit, once the test gives it.
    outcome: Option<std::io::Result<()>>,
}

impl Gate {
    fn wait_for(&self, done: impl Fn(&GateState) -> bool) -> std::sync::MutexGuard<'_, GateState> {
        let state = self.state.lock().unwrap();
        self.changed.wait_while(state, |s| !done(s)).unwrap()
    }
}

impl Backend for Gated {
    fn commit(&mut self, batches: &[&backend::Rows]) -> std::io::Result<()> {
        let mut state = self.gate.state.lock().unwrap();
        if state.closed {
            state.waiting = true;
            self.gate.changed.notify_all();
            let mut state = (self.gate.changed)
                .wait_while(state, |s| s.outcome.is_none())
                .unwrap();
            state.closed = false;
            state.waiting = false;
            return state.outcome.take().expect("given");
        }
        drop(state);
        self.inner.commit(batches)
    }

    fn read_all(
        &mut self,
        each: &mut dyn FnMut(backend::Row<'_>) -> Result<(), String>,
    ) -> Result<(), backend::ReadError> {
        self.inner.read_all(each)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_waits_for_the_commit_of_what_it_saw_and_a_failed_one_is_never_shown() {
    // Arrange: a store whose next commit waits at a closed gate.
    let dir = TempDir::new("gated");
    fs::create_dir_all(&dir.0).unwrap();
    let gate = Arc::new(Gate::default());
    let backend = Gated {
        inner: Redb::open(&dir.0).unwrap(),
        gate: gate.clone(),
    };
    let opened = open_on(
        &dir.0,
        backend,
        Arc::new(Clock::real()),
        Accounts::open(),
        None,
    );
    let store = Arc::new(opened.unwrap().store);
    let space = space(&store);
    upload(&store, &space, "a.txt", b"kept");
    let root = store.root_id(&space).unwrap();
    gate.state.lock().unwrap().closed = true;

    // Act: a write applies in memory and waits for its commit; a read sees it meanwhile.
    let writer = std::thread::spawn({
        let (store, space) = (store.clone(), space.clone());
        move || {
            let write = WriteFile {
                target: WriteTarget::Path {
                    base: root,
                    segments: vec!["b.txt".into()],
                    on_conflict: OnConflict::Replace,
                    create_parents: false,
                },
                content: Content::new(Bytes::from_static(b"never kept")),
                mime_type: None,
                rename: None,
                content_created_at: None,
                content_modified_at: None,
            };
            store.write_file(&space, write, None).map(drop)
        }
    });
    drop(gate.wait_for(|s| s.waiting));
    // Inside a request's scope the store call returns at once and the reply waits: the
    // listing was taken while b.txt was in memory, before its commit's outcome was known.
    let read = acknowledge::held(async {
        Ok::<_, StoreError>(store.children(&space, root, WINDOW)?.entries.len())
    });
    let mut read = Box::pin(read);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    assert!(
        read.as_mut().poll(&mut context).is_pending(),
        "the reply waits for the commit of what the read saw"
    );
    gate.state.lock().unwrap().outcome = Some(Err(std::io::Error::new(
        std::io::ErrorKind::StorageFull,
        "No space left on device",
    )));
    gate.changed.notify_all();

    // Assert: neither the write nor the read that saw it answers with it, and it is gone.
    let written = writer.join().unwrap();
    assert!(
        matches!(&written, Err(StoreError::InsufficientStorage(_))),
        "{written:?}"
    );
    let seen = read.await;
    assert!(
        matches!(&seen, Err(StoreError::InsufficientStorage(_))),
        "{seen:?}"
    );
    let names: Vec<String> = (store.children(&space, root, WINDOW).unwrap().entries)
        .into_iter()
        .map(|item| item.name)
        .collect();
    assert_eq!(names, ["a.txt"]);
    upload(&store, &space, "b.txt", b"kept this time");
    let names: Vec<String> = (store.children(&space, root, WINDOW).unwrap().entries)
        .into_iter()
        .map(|item| item.name)
        .collect();
    assert_eq!(names, ["a.txt", "b.txt"]);
}

const WINDOW: Window = Window {
    offset: 0,
    limit: 10,
};

#[test]
fn links_and_check_outs_and_check_ins_are_there_after_reopening() {
    use crate::store::sharing::{LinkKind, LinkScope, SharingError};
    use crate::store::{CheckIn, NewLink};
    let dir = TempDir::new("sharing");
    let (file, link) = {
        let store = open_at(&dir.0).unwrap().store;
        let space = space(&store);
        let file = upload(&store, &space, "a.txt", b"one");
        let new = NewLink {
            kind: LinkKind::View,
            scope: LinkScope::Anonymous,
            expires: None,
        };
        let (link, created) = store.create_link(&space, file, new).unwrap();
        assert!(created);
        store.checkout(&space, file).unwrap();
        upload(&store, &space, "a.txt", b"two");
        let check_in = CheckIn {
            comment: Some("kept".into()),
            published: false,
        };
        store.checkin(&space, file, check_in).unwrap();
        store.checkout(&space, file).unwrap();
        (file, link.permission.id)
    };

    let store = open_at(&dir.0).unwrap().store;
    let space = space(&store);
    let listed = store.permissions(&space, file).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].permission.id, link);
    let (item, _) = store.linked_item(&link).unwrap();
    assert_eq!(&item.file().unwrap().current.content.bytes[..], b"two");
    // Still checked out to the same user, and the check-in's comment is on the timeline.
    let view = store.item(&space, file).unwrap();
    assert_eq!(
        view.file().unwrap().checked_out_by.as_deref(),
        Some(&*space.actor)
    );
    let other = Space::own(Face::Box, store.sign_in("other").unwrap().user);
    let other = Space {
        owner: space.owner.clone(),
        ..other
    };
    assert!(matches!(
        store.discard_checkout(&other, file),
        Err(StoreError::Sharing(SharingError::Locked))
    ));
    let timeline = store
        .timeline(
            file,
            crate::store::TimelineOrder::NewestFirst,
            Window {
                offset: 0,
                limit: 10,
            },
        )
        .unwrap();
    assert_eq!(timeline.entries[0].checked_in.as_deref(), Some("kept"));
}

#[test]
fn a_copy_is_there_after_reopening_with_its_one_version_and_shared_body() {
    let dir = TempDir::new("copy");
    let (source, copy) = {
        let store = open_at(&dir.0).unwrap().store;
        let space = space(&store);
        let source = upload(&store, &space, "a.txt", b"one");
        upload(&store, &space, "a.txt", b"two");
        let root = store.root_id(&space).unwrap();
        let copy = crate::store::CopyItem {
            kind: Some(crate::store::ItemKind::File),
            name: Some("b.txt".to_owned()),
            version: Some(VersionRef::Number(1)),
            keep_times: true,
            ..crate::store::CopyItem::into(space.clone(), root)
        };
        (source, store.copy_item(&space, source, copy).unwrap().id)
    };
    let store = open_at(&dir.0).unwrap().store;
    let space = space(&store);
    let copied = store.versions(&space, copy, ALL).unwrap();
    assert_eq!(copied.total, 1);
    assert_eq!(&copied.entries[0].content.bytes[..], b"one");
    assert_eq!(&*copied.entries[0].name, "b.txt");
    assert_eq!(store.versions(&space, source, ALL).unwrap().total, 2);
}

#[test]
fn a_box_shared_link_is_there_after_reopening_and_still_opens_its_item() {
    use crate::store::shared_link::{LinkAccess, SharedLinkChange, SharedLinkEdit};
    use crate::store::{FileTimes, MoveItem, OnConflict};
    let dir = TempDir::new("shared-link");
    let (file, link) = {
        let store = open_at(&dir.0).unwrap().store;
        let space = space(&store);
        let file = upload(&store, &space, "a.txt", b"one");
        let change = MoveItem {
            kind: None,
            parent: None,
            name: None,
            on_conflict: OnConflict::Fail,
            times: FileTimes::default(),
        };
        let edit = SharedLinkEdit {
            access: Some(LinkAccess::Open),
            password: Some(Some("Secret123@".into())),
            ..SharedLinkEdit::default()
        };
        let link = crate::store::ItemEdit {
            shared_link: Some(SharedLinkChange::Set(edit)),
            ..crate::store::ItemEdit::default()
        };
        let shared = store.update_item(&space, file, change, link, None).unwrap();
        (file, shared.shared_link.unwrap())
    };

    let store = open_at(&dir.0).unwrap().store;
    let space = space(&store);
    let view = store.item(&space, file).unwrap();
    assert_eq!(view.shared_link.as_deref(), Some(&*link));
    let opened = store
        .shared_item(&link.id, Some("Secret123@"), None)
        .unwrap();
    assert_eq!(&opened.file().unwrap().current.content.bytes[..], b"one");
    assert!(
        store.shared_item(&link.id, None, None).is_err(),
        "the password is kept"
    );
}

#[test]
fn a_librarys_minor_versions_switch_and_minor_labels_are_there_after_reopening() {
    use crate::store::CheckIn;
    let dir = TempDir::new("minor");
    let fixture = crate::fixture::Fixture::from_json(
        br#"{
            "users": [{"id": "a1", "name": "Alice", "tokens": ["alice"]}],
            "sites": [{"name": "eng", "libraries": [{"name": "Documents", "minor_versions": true,
                "items": [{"type": "file", "path": "a.txt", "created_by": "a1",
                    "versions": [{"text": "one"}, {"text": "draft", "minor": 1}]}]}]}]
        }"#,
    )
    .unwrap();
    let library_space = |store: &DurableStore| {
        let drive = store.shared_drives(WINDOW).entries.remove(0);
        let actor = store.sign_in("alice").unwrap().user;
        let space = Space::shared(Arc::from(drive.drive.library.id.as_str()), actor);
        let root = drive.root.expect("the fixture gave the library files");
        let file = store.children(&space, root, WINDOW).unwrap().entries[0].id;
        (space, file)
    };
    // Newest first.
    let labels = |store: &DurableStore, space: &Space, file| {
        (store.versions(space, file, ALL).unwrap().entries)
            .iter()
            .map(|v| (v.number, v.minor))
            .collect::<Vec<_>>()
    };
    {
        let store = open_at(&dir.0).unwrap().store;
        crate::fixture::load(&store, &fixture, chrono::Utc::now()).unwrap();
        let (space, file) = library_space(&store);
        assert_eq!(labels(&store, &space, file), [(1, 1), (1, 0)]);
    }

    // The reopened store still has the switch on: a check-in makes the next minor version.
    let store = open_at(&dir.0).unwrap().store;
    let (space, file) = library_space(&store);
    assert_eq!(labels(&store, &space, file), [(1, 1), (1, 0)]);
    store.checkout(&space, file).unwrap();
    let root = store.shared_drives(WINDOW).entries[0].root.unwrap();
    let write = WriteFile {
        target: WriteTarget::Path {
            base: root,
            segments: vec!["a.txt".to_owned()],
            on_conflict: OnConflict::Replace,
            create_parents: false,
        },
        content: Content::new(Bytes::from_static(b"second draft")),
        mime_type: None,
        rename: None,
        content_created_at: None,
        content_modified_at: None,
    };
    store.write_file(&space, write, None).unwrap();
    let check_in = CheckIn {
        comment: None,
        published: false,
    };
    store.checkin(&space, file, check_in).unwrap();
    assert_eq!(labels(&store, &space, file), [(1, 2), (1, 1), (1, 0)]);
    let found = store
        .version(&space, file, VersionRef::Minor(1, 1))
        .unwrap();
    assert_eq!(&found.version.content.bytes[..], b"draft");
}

#[test]
fn a_deleted_versions_mark_and_a_copys_source_are_on_the_timeline_after_reopening() {
    let dir = TempDir::new("marks");
    let (file, copy) = {
        let store = open_at(&dir.0).unwrap().store;
        let space = space(&store);
        let file = upload(&store, &space, "a.txt", b"one");
        upload(&store, &space, "a.txt", b"two");
        upload(&store, &space, "a.txt", b"three");
        store
            .delete_version(&space, file, VersionRef::Number(2), None)
            .unwrap();
        let root = store.root_id(&space).unwrap();
        let copy = crate::store::CopyItem {
            kind: Some(crate::store::ItemKind::File),
            name: Some("b.txt".to_owned()),
            ..crate::store::CopyItem::into(space.clone(), root)
        };
        (file, store.copy_item(&space, file, copy).unwrap().id)
    };

    let store = open_at(&dir.0).unwrap().store;
    let order = crate::store::TimelineOrder::NewestFirst;
    let timeline = store.timeline(file, order, WINDOW).unwrap();
    let marks = &timeline.entries[0].deleted_before;
    assert_eq!(marks.len(), 1);
    assert_eq!((marks[0].number, marks[0].minor), (2, 0));
    assert_eq!(marks[0].by, *space(&store).actor);
    assert!(timeline.entries[1].deleted_before.is_empty());
    let copied = store.timeline(copy, order, WINDOW).unwrap();
    let source = copied.entries[0].copied_from.clone().unwrap();
    assert_eq!((source.name.as_str(), source.item), ("a.txt", Some(file)));
}

#[test]
fn metadata_templates_and_instances_are_there_after_reopening_and_go_with_a_purge_or_a_reset() {
    use crate::store::metadata::{FieldType, NewField, PatchKind};
    use crate::store::{InstanceRef, ItemKind, MetadataScope, NewTemplate, PatchOp};
    let dir = TempDir::new("metadata");
    let at = |item| InstanceRef {
        item,
        kind: ItemKind::File,
        scope: MetadataScope::Enterprise,
        template: "contract".into(),
    };
    let (kept, purged, made) = {
        let store = open_at(&dir.0).unwrap().store;
        let space = space(&store);
        let template = NewTemplate {
            key: "contract".into(),
            display_name: "Contract".into(),
            hidden: false,
            copy_instance_on_item_copy: false,
            fields: vec![NewField {
                kind: FieldType::Float,
                key: "amount".into(),
                display_name: "Amount".into(),
                description: None,
                hidden: false,
                options: Vec::new(),
            }],
        };
        store.create_metadata_template(template).unwrap();
        let kept = upload(&store, &space, "a.txt", b"one");
        let purged = upload(&store, &space, "b.txt", b"two");
        let values = serde_json::json!({"amount": 23});
        let values = values.as_object().unwrap().clone();
        store
            .create_metadata_instance(&space, &at(kept), values.clone())
            .unwrap();
        store
            .create_metadata_instance(&space, &at(purged), values)
            .unwrap();
        let patch = [PatchOp {
            op: PatchKind::Replace,
            path: "/amount".into(),
            from: None,
            value: Some(serde_json::json!(24)),
        }];
        let made = (store.update_metadata_instance(&space, &at(kept), &patch)).unwrap();
        store
            .trash_item(&space, purged, ItemKind::File, false, None)
            .unwrap();
        store.purge_item(&space, purged, ItemKind::File).unwrap();
        (kept, purged, made)
    };

    let store = open_at(&dir.0).unwrap().store;
    let space = space(&store);
    let read = store.metadata_instance(&space, &at(kept)).unwrap();
    assert_eq!(read, made);
    assert_eq!(read.version, 1);
    let template = store.metadata_template(MetadataScope::Enterprise, "contract");
    assert_eq!(template.unwrap().fields[0].key, "amount");
    // The purged file's instance went with it, not only out of reach.
    assert_eq!(store.metadata_for_tests().instances(purged), []);
    assert_eq!(store.metadata_for_tests().instances(kept).len(), 1);
    store.reset(None).unwrap();
    drop(store);
    let store = open_at(&dir.0).unwrap().store;
    assert_eq!(store.metadata_templates().unwrap(), []);
}

#[test]
fn box_collaborations_are_there_after_reopening_and_still_open_the_item() {
    use crate::store::sharing::{BoxRole, BoxTarget, CollabStatus, Collaborator, NewCollaboration};
    use crate::store::ItemKind;
    let dir = TempDir::new("collaborations");
    let (file, id) = {
        let store = open_at(&dir.0).unwrap().store;
        let space = space(&store);
        let guest = store.sign_in("guest").unwrap().user;
        let file = upload(&store, &space, "a.txt", b"one");
        let new = NewCollaboration {
            item: file,
            kind: ItemKind::File,
            collaborator: Collaborator::User(guest),
            role: BoxRole::Viewer,
            is_access_only: false,
            can_view_path: false,
            expires: None,
        };
        let made = store.create_collaboration(&space, new).unwrap();
        (file, made.permission.id)
    };

    let store = open_at(&dir.0).unwrap().store;
    let guest = store.sign_in("guest").unwrap().user;
    let kept = store.collaboration(&guest, &id).unwrap();
    let collab = kept.collab();
    assert_eq!(
        (collab.box_role, collab.status, kept.item.id),
        (BoxRole::Viewer, CollabStatus::Accepted, file)
    );
    let (reached, role) = store
        .box_reach(&guest, BoxTarget::Item(file))
        .unwrap()
        .expect("still opens it");
    assert_eq!(
        (reached.owner.id(), role),
        (space(&store).actor.id.as_str(), BoxRole::Viewer)
    );
    // The collaborator may leave, and then reaches nothing.
    store.delete_collaboration(&guest, &id).unwrap();
    assert!(store
        .box_reach(&guest, BoxTarget::Item(file))
        .unwrap()
        .is_none());
}

#[test]
fn a_version_row_keeps_sha1_only_when_the_upload_made_it() {
    let dir = TempDir::new("sha1");
    let (graph, boxed) = {
        let store = open_at(&dir.0).unwrap().store;
        let space = space(&store);
        let graph = upload(&store, &space, "graph.txt", b"no sha1 yet");
        let with_sha1 = Content::with(Bytes::from_static(b"with sha1"), Hashes::WithSha1);
        let boxed = upload_content(&store, &space, "box.txt", with_sha1);
        (graph, boxed)
    };

    let store = open_at(&dir.0).unwrap().store;
    let space = space(&store);
    let current = |file| store.versions(&space, file, ALL).unwrap().entries[0].clone();
    // (file, its bytes, whether SHA-1 comes back with the row, why)
    let cases = [
        (
            graph,
            &b"no sha1 yet"[..],
            false,
            "a Graph upload made none",
        ),
        (boxed, b"with sha1", true, "a Box upload made it"),
    ];
    for (file, bytes, kept, why) in cases {
        let content = current(file).content.clone();
        assert_eq!(content.made_sha1().is_some(), kept, "{why}");
        assert_eq!(
            content.sha1(),
            <[u8; 20]>::from(<sha1::Sha1 as sha1::Digest>::digest(bytes)),
            "{why}: made on first use all the same"
        );
    }
}
