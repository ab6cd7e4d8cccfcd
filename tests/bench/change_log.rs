//! `cargo bench --bench change_log`: one page (50 entries) of the change log (what a Graph delta round or a
//! Box events call reads) at 10² and 10⁵ logged changes. The page is found by binary search over
//! the positions, so its cost should not grow with the history (target: within 1.5×).
//!
//! One run of `cargo bench --bench change_log` (release) on the 2-core VM, 2026-12-06 at
//! `0d3f545`, median of criterion's samples:
//!
//! | page | 10² changes | 10⁵ changes | ratio |
//! |---|---|---|---|
//! | newest | 3.26 µs | 3.89 µs | 1.19 |
//! | middle | 3.58 µs | 3.10 µs | 0.87 |

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use restore_mock::clock::Clock;
use restore_mock::content::Content;
use restore_mock::store::{
    ChangeFilter, Face, MemoryStore, OnConflict, Space, VersionStore, WriteFile, WriteTarget,
};

const LOGGED: [usize; 2] = [100, 100_000];
/// A page both histories fill, so the two rows read as many entries.
const PAGE: usize = 50;

/// A store whose log holds `changes` entries: new versions of one file.
fn logged(changes: usize) -> (MemoryStore, Space) {
    let store = MemoryStore::new(Arc::new(Clock::real()));
    let space = Space::own(Face::Graph, store.sign_in("bench").expect("sign in").user);
    let root = store.root_id(&space).expect("a root");
    let content = Content::new(Bytes::from_static(b"v"));
    for _ in 0..changes {
        let write = WriteFile {
            target: WriteTarget::Path {
                base: root,
                segments: vec!["f.txt".to_owned()],
                on_conflict: OnConflict::Replace,
                create_parents: false,
            },
            content: content.clone(),
            mime_type: None,
            rename: None,
            content_created_at: None,
            content_modified_at: None,
        };
        store.write_file(&space, write, None).expect("a write");
    }
    (store, space)
}

fn page(c: &mut Criterion) {
    let mut group = c.benchmark_group("change_log_page");
    for changes in LOGGED {
        let (store, space) = logged(changes);
        let filter = ChangeFilter::space(&space);
        // The newest page, and one from the middle of the history.
        let newest = store.latest_position().saturating_sub(PAGE as u64);
        let middle = (store.latest_position() / 2).saturating_sub((PAGE / 2) as u64);
        for (name, after) in [("newest", newest), ("middle", middle)] {
            group.bench_with_input(BenchmarkId::new(name, changes), &after, |b, &after| {
                b.iter(|| black_box(store.changes_since(after, PAGE, &filter)).expect("a page"))
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20);
    targets = page
}
criterion_main!(benches);
