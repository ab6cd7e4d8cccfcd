//! `cargo bench --bench store`: the in-memory store without HTTP. Promote (Graph restore, Box
//! promote) and one-page listings at histories of 10², 10⁴ and 10⁵ versions, the small reads, and
//! promote from 1, 2 and 4 threads at once to show whether the store's one lock limits throughput;
//! a page of a folder of 10⁴ files in Box's orders; Graph's search over 10⁴ names and Box's
//! search over 10⁴ files (each with its p99 printed), and a copy of a folder of 100 files.

use std::hint::black_box;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use restore_mock::clock::Clock;
use restore_mock::content::Content;
use restore_mock::fixture::{
    self, Fixture, FixtureItem, FixtureSpace, FixtureUser, FixtureVersion,
};
use restore_mock::store::{
    ChildKey, ChildOrder, CopyItem, Face, ItemId, MemoryStore, OnConflict, PromoteRules,
    SearchQuery, Space, VersionQuery, VersionRef, VersionStore, Window, WriteFile, WriteTarget,
};

const TOKEN: &str = "bench-token";
const HISTORIES: [usize; 3] = [100, 10_000, 100_000];
const GRAPH_RESTORE: PromoteRules = PromoteRules {
    allow_current: true,
    restore_name: false,
};

/// A store holding `files` files of `history` versions each, a hundred to a folder, seeded
/// through the fixture format.
fn seeded(files: usize, history: usize) -> (Arc<MemoryStore>, Space, Vec<ItemId>) {
    seeded_in(files, history, 100)
}

/// `seeded`, with `per_folder` files to a folder (`d0`, `d1`, …).
fn seeded_in(
    files: usize,
    history: usize,
    per_folder: usize,
) -> (Arc<MemoryStore>, Space, Vec<ItemId>) {
    let store = MemoryStore::new(Arc::new(Clock::real()));
    let items = (0..files)
        .map(|file| {
            let versions = (1..=history)
                .map(|n| FixtureVersion::text(format!("version {n}")))
                .collect();
            FixtureItem::file(format!("d{}/f{file}.txt", file / per_folder), versions)
        })
        .collect();
    let fixture = Fixture {
        users: vec![FixtureUser {
            id: "bench".to_owned(),
            name: None,
            login: None,
            tokens: vec![TOKEN.to_owned()],
            scopes: None,
            ..Default::default()
        }],
        spaces: vec![FixtureSpace {
            face: Face::Graph,
            owner: "bench".to_owned(),
            root: None,
            items,
        }],
        ..Fixture::default()
    };
    fixture::load(&store, &fixture, chrono::Utc::now()).expect("the fixture loads");
    let space = Space::own(Face::Graph, store.sign_in(TOKEN).expect("sign in").user);
    let root = store.root(&space).expect("a root").id;
    let ids = (0..files)
        .map(|file| {
            let path = [format!("d{}", file / per_folder), format!("f{file}.txt")];
            store
                .resolve(&space, root, &path)
                .expect("a seeded file")
                .id
        })
        .collect();
    (Arc::new(store), space, ids)
}

/// Promote at each history length. Every promote appends a version, so each sample gets fresh
/// files, enough of them that no history more than doubles during the sample. Appends are
/// amortized O(1), but the one that outgrows a file's vector copies the whole history under the
/// store's lock: a latency spike that grows with the history.
fn promote(c: &mut Criterion) {
    let mut group = c.benchmark_group("store/promote_version");
    for history in HISTORIES {
        group.bench_with_input(
            BenchmarkId::new("history", history),
            &history,
            |b, &history| {
                b.iter_custom(|iters| {
                    let files = (iters as usize).div_ceil(history).max(1);
                    let (store, space, ids) = seeded(files, history);
                    // A seeded history fills its vector exactly, so the first append to each
                    // file moves the whole history once (amortized over the next `history`
                    // appends). Pay it before the clock starts: a long run sees the steady state.
                    for file in &ids {
                        store
                            .promote_version(
                                &space,
                                *file,
                                VersionRef::Number(1),
                                GRAPH_RESTORE,
                                None,
                            )
                            .expect("a promote");
                    }
                    let started = Instant::now();
                    for i in 0..iters as usize {
                        let file = ids[i % files];
                        let at = VersionRef::Number(1 + (i % (history - 1)) as u32);
                        black_box(store.promote_version(&space, file, at, GRAPH_RESTORE, None))
                            .expect("a promote");
                    }
                    started.elapsed()
                });
            },
        );
    }
    group.finish();
}

/// The newest page of a hundred at each history length, current version included (Graph).
fn list_page(c: &mut Criterion) {
    let mut group = c.benchmark_group("store/versions_page_of_100");
    for history in HISTORIES {
        let (store, space, ids) = seeded(1, history);
        let query = VersionQuery {
            include_current: true,
            window: Window {
                offset: 0,
                limit: 100,
            },
        };
        group.bench_function(BenchmarkId::new("history", history), |b| {
            b.iter(|| black_box(store.versions(&space, ids[0], query)).expect("a page"));
        });
    }
    group.finish();
}

/// A page of 100 and of 1000 of a folder of 10⁴ files, in Box's default order (folders first,
/// then by name) and by size, from the first offset and from the last page: what
/// `GET /2.0/folders/{id}/items` asks the store.
fn folder_page(c: &mut Criterion) {
    let mut group = c.benchmark_group("store/folder_page_of_10k");
    let (store, space, ids) = seeded_in(10_000, 1, 10_000);
    let folder = store
        .item(&space, ids[0])
        .expect("a file")
        .parent
        .expect("its folder");
    for (key, name) in [(ChildKey::Name, "name"), (ChildKey::Size, "size")] {
        for limit in [100, 1000] {
            let order = ChildOrder {
                key,
                descending: false,
            };
            let window = Window {
                offset: 10_000 - limit,
                limit,
            };
            group.bench_function(
                BenchmarkId::new(format!("{name}/last_page_of"), limit),
                |b| {
                    b.iter(|| {
                        black_box(store.ordered_children(&space, folder, order, window))
                            .expect("a page")
                    });
                },
            );
        }
    }
    group.finish();
}

/// A search over 10⁴ files (a hundred to a folder): a name that few match, one that all match
/// (the first page of 30 of them), and the same below one folder. The target is a p99 of 10 ms
/// (issue 24), printed from 1000 timed calls since criterion reports means. Quiet machine
/// (2026-12-06, `07f066f`): few 1.52 ms (p99 3.3 ms), all 5.59 ms (p99 6.1 ms), all below a
/// folder 2.61 ms (p99 3.9 ms): met.
fn box_search(c: &mut Criterion) {
    let mut group = c.benchmark_group("store/search_10k");
    let (store, space, ids) = seeded_in(10_000, 1, 100);
    let folder = store
        .item(&space, ids[0])
        .expect("a file")
        .parent
        .expect("its folder");
    let window = Window {
        offset: 0,
        limit: 30,
    };
    let queries = [
        (
            "few",
            SearchQuery {
                words: vec!["f999".to_owned()],
                ..SearchQuery::default()
            },
        ),
        (
            "all",
            SearchQuery {
                words: vec!["txt".to_owned()],
                ..SearchQuery::default()
            },
        ),
        (
            "all_below_a_folder",
            SearchQuery {
                words: vec!["txt".to_owned()],
                ancestors: vec![folder],
                ..SearchQuery::default()
            },
        ),
    ];
    for (name, query) in &queries {
        group.bench_function(*name, |b| {
            b.iter(|| black_box(store.find_items(&space, query, window)).expect("results"));
        });
        let mut times: Vec<Duration> = (0..1000)
            .map(|_| {
                let start = Instant::now();
                black_box(store.find_items(&space, query, window)).expect("results");
                start.elapsed()
            })
            .collect();
        times.sort_unstable();
        println!(
            "store/search_10k/{name}: p99 {:?} over 1000 calls",
            times[989]
        );
    }
    group.finish();
}

/// One version by number (Graph's `N.0` labels) and by id (Box) at each history length: the
/// lookups restore and promote start with.
fn version_lookup(c: &mut Criterion) {
    let mut group = c.benchmark_group("store/version_lookup");
    for history in HISTORIES {
        let (store, space, ids) = seeded(1, history);
        let ids_of: Vec<_> = (1..=history as u32)
            .map(|n| {
                store
                    .version(&space, ids[0], VersionRef::Number(n))
                    .expect("a version")
                    .version
                    .id
            })
            .collect();
        let mut n = 0usize;
        group.bench_function(BenchmarkId::new("by_number/history", history), |b| {
            b.iter(|| {
                n = (n + 7919) % history;
                black_box(store.version(&space, ids[0], VersionRef::Number(1 + n as u32)))
                    .expect("a version")
            });
        });
        group.bench_function(BenchmarkId::new("by_id/history", history), |b| {
            b.iter(|| {
                n = (n + 7919) % history;
                black_box(store.version(&space, ids[0], VersionRef::Id(ids_of[n])))
                    .expect("a version")
            });
        });
    }
    group.finish();
}

/// The small calls every request makes or many do: sign-in, an item, an upload's
/// store call (the hashing happens before it, outside the lock).
fn reads_and_writes(c: &mut Criterion) {
    let (store, space, ids) = seeded(1_000, 100);
    let mut group = c.benchmark_group("store");
    group.bench_function("sign_in", |b| {
        b.iter(|| black_box(store.sign_in(TOKEN)).expect("sign in"));
    });
    group.bench_function("item", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % ids.len();
            black_box(store.item(&space, ids[i])).expect("an item")
        });
    });
    let content = Content::new(Bytes::from_static(b"a small new version"));
    group.bench_function("write_file_new_version", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % ids.len();
            let write = WriteFile {
                target: WriteTarget::Item(ids[i]),
                content: content.clone(),
                mime_type: None,
                rename: None,
                content_created_at: None,
                content_modified_at: None,
            };
            black_box(store.write_file(&space, write, None)).expect("a write")
        });
    });
    group.finish();
}

/// Promotes from 1, 2 and 4 threads at once, each on its own file: time per promote. If the one
/// lock is the limit, more threads make each promote no cheaper (or dearer).
fn contention(c: &mut Criterion) {
    let mut group = c.benchmark_group("store/promote_contended");
    for threads in [1usize, 2, 4] {
        group.bench_with_input(
            BenchmarkId::new("threads", threads),
            &threads,
            |b, &threads| {
                b.iter_custom(|iters| {
                    let (store, space, ids) = seeded(threads, 100);
                    let barrier = Arc::new(Barrier::new(threads + 1));
                    let workers: Vec<_> = (0..threads)
                        .map(|t| {
                            let (store, space, barrier) =
                                (store.clone(), space.clone(), barrier.clone());
                            let file = ids[t];
                            let share = iters / threads as u64
                                + u64::from((t as u64) < iters % threads as u64);
                            std::thread::spawn(move || {
                                barrier.wait();
                                for i in 0..share {
                                    let at = VersionRef::Number(1 + (i % 99) as u32);
                                    black_box(store.promote_version(
                                        &space,
                                        file,
                                        at,
                                        GRAPH_RESTORE,
                                        None,
                                    ))
                                    .expect("a promote");
                                }
                            })
                        })
                        .collect();
                    barrier.wait();
                    let started = Instant::now();
                    for worker in workers {
                        worker.join().expect("a worker");
                    }
                    started.elapsed()
                });
            },
        );
    }
    group.finish();
}

/// `search(q='…')` over 10⁴ files in 100 folders: a text that matches 111 names, first page of
/// 200, as the Graph face asks the store. The target is p99 ≤ 10 ms; the p99 of 1000
/// searches is printed before criterion's figures. First run (2 shared cores, seven other
/// builds running): mean 3.0 ms [1.5, 5.8], p99 57 ms; again at load average 23: mean 3.4 ms,
/// p99 25 ms. The tail was the machine's queue: on the quiet machine (2026-12-06, `07f066f`,
/// load average 1.7) mean 1.24 ms [1.02, 1.51], p99 1.8 ms (target met).
fn search(c: &mut Criterion) {
    let (store, space, _) = seeded(10_000, 1);
    let root = store.root(&space).expect("a root").id;
    let window = Window {
        offset: 0,
        limit: 200,
    };
    let mut took: Vec<Duration> = (0..1000)
        .map(|_| {
            let started = Instant::now();
            black_box(store.search(&space, root, "f99", window)).expect("hits");
            started.elapsed()
        })
        .collect();
    took.sort();
    eprintln!("store/search_10k_names: p99 of 1000 = {:?}", took[989]);
    let mut group = c.benchmark_group("store/search_10k_names");
    group.bench_function("first_page_of_200", |b| {
        b.iter(|| black_box(store.search(&space, root, "f99", window)).expect("hits"));
    });
    group.finish();
}

/// A copy of a folder of 100 one-version files into the root (each a new name, so the store
/// grows by 101 items per copy). First run, same machine: mean 2.5 ms [1.7, 3.2].
fn copy_folder(c: &mut Criterion) {
    let (store, space, ids) = seeded(100, 1);
    let folder = store
        .item(&space, ids[0])
        .expect("a file")
        .parent
        .expect("its folder");
    let mut group = c.benchmark_group("store/copy_folder");
    group.bench_function("of_100_files", |b| {
        b.iter(|| {
            let copy = CopyItem {
                parent: None,
                on_conflict: OnConflict::Rename,
                ..CopyItem::into(space.clone(), folder)
            };
            black_box(store.copy_item(&space, folder, copy)).expect("a copy")
        });
    });
    group.finish();
}

criterion_group! {
    name = benches;
    // Short, so the whole file runs in about a minute on two cores.
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20);
    targets = promote, list_page, folder_page, version_lookup, reads_and_writes, contention,
        search, box_search, copy_folder
}
criterion_main!(benches);
