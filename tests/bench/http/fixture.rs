//! The benchmark's state, seeded through the fixture format (never through HTTP): per face, a pool
//! of standard files (10⁴ files of 10² versions), a pool of 10⁴-version files and one 10⁵-version
//! file. Ids are given explicitly, so every driver computes its URLs without asking the server.

use chrono::{DateTime, Utc};
use restore_mock::fixture::{Fixture, FixtureItem, FixtureSpace, FixtureUser, FixtureVersion};
use restore_mock::store::{Face, ItemId, VersionId};
use restore_mock::Emulator;

/// The bearer token every request carries, and the user it signs in as.
pub const TOKEN: &str = "bench-token";
pub const USER: &str = "bench";
/// The `Authorization` header for [`TOKEN`].
pub const AUTHORIZATION: &str = "Bearer bench-token";

/// Files of one history length, with consecutive item ids and version ids.
#[derive(Debug, Clone, Copy)]
pub struct Pool {
    pub first_item: u64,
    pub first_version: u64,
    pub files: usize,
    /// Versions per file when seeded; restores and promotes add more.
    pub history: usize,
    /// Box pools only: every odd-numbered previous version starts in the trash, for Box restore.
    pub trashed_odd: bool,
}

impl Pool {
    pub fn item(&self, file: u64) -> ItemId {
        ItemId(self.first_item + file)
    }

    /// The id of version `number` (1-based) of file `file`.
    pub fn version(&self, file: u64, number: u64) -> VersionId {
        VersionId(self.first_version + file * self.history as u64 + number - 1)
    }
}

/// The three pools of one face.
#[derive(Debug, Clone, Copy)]
pub struct FacePools {
    pub standard: Pool,
    pub mid: Pool,
    pub long: Pool,
}

impl FacePools {
    pub fn by_history(&self) -> [Pool; 3] {
        [self.standard, self.mid, self.long]
    }
}

/// How big the seeded state is.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Sizes {
    pub files: usize,
    pub history: usize,
    pub mid_files: usize,
    pub mid_history: usize,
    pub long_history: usize,
}

#[derive(Debug, Clone, Copy)]
pub struct Seeded {
    pub graph: FacePools,
    pub box_api: FacePools,
    /// One Box folder holding as many files as the standard pool, of one version each (issue
    /// 24's listing rows: pages of 100 and 1000 in a folder of 10⁴).
    pub box_wide: Pool,
}

impl Seeded {
    pub fn new(sizes: Sizes) -> Self {
        let pools = |items: u64, versions: u64, trashed_odd| FacePools {
            standard: Pool {
                first_item: items,
                first_version: versions,
                files: sizes.files,
                history: sizes.history,
                trashed_odd,
            },
            mid: Pool {
                first_item: items + 100_000_000,
                first_version: versions + 100_000_000,
                files: sizes.mid_files,
                history: sizes.mid_history,
                trashed_odd: false,
            },
            long: Pool {
                first_item: items + 200_000_000,
                first_version: versions + 200_000_000,
                files: 1,
                history: sizes.long_history,
                trashed_odd: false,
            },
        };
        Self {
            graph: pools(2_000_000_000, 6_000_000_000, false),
            box_api: pools(3_000_000_000, 7_000_000_000, true),
            box_wide: Pool {
                first_item: 3_400_000_000,
                first_version: 7_400_000_000,
                files: sizes.files,
                history: 1,
                trashed_odd: false,
            },
        }
    }

    /// Loads every pool into `emulator`, one pool per fixture so that only one pool's fixture
    /// document is in memory at a time.
    pub fn load(&self, emulator: &Emulator) {
        let user = FixtureUser {
            id: USER.to_owned(),
            name: Some("Bench User".to_owned()),
            login: Some("bench@example.com".to_owned()),
            tokens: vec![TOKEN.to_owned()],
            scopes: None,
            ..Default::default()
        };
        emulator
            .load_fixture(&Fixture {
                users: vec![user],
                ..Fixture::default()
            })
            .expect("the bench user loads");
        for (face, pools) in [(Face::Graph, self.graph), (Face::Box, self.box_api)] {
            for (dir, pool) in ["std", "mid", "long"].into_iter().zip(pools.by_history()) {
                let fixture = Fixture {
                    spaces: vec![space(face, dir, pool)],
                    ..Fixture::default()
                };
                emulator
                    .load_fixture(&fixture)
                    .unwrap_or_else(|e| panic!("the {face:?} {dir} pool loads: {e}"));
            }
        }
        let wide = Fixture {
            spaces: vec![wide_space(self.box_wide)],
            ..Fixture::default()
        };
        emulator
            .load_fixture(&wide)
            .unwrap_or_else(|e| panic!("the Box wide folder loads: {e}"));
    }
}

/// The Box folder `wide` with every file of `pool` directly in it (folder id
/// `pool.first_item + FOLDER_IDS`).
fn wide_space(pool: Pool) -> FixtureSpace {
    let mut items = vec![FixtureItem {
        id: Some(ItemId(pool.first_item + FOLDER_IDS)),
        ..FixtureItem::folder("wide".to_owned())
    }];
    items.extend((0..pool.files as u64).map(|file| {
        let version = FixtureVersion {
            id: Some(pool.version(file, 1)),
            number: Some(1),
            text: Some("a file in a wide folder\n".to_owned()),
            ..FixtureVersion::default()
        };
        FixtureItem {
            id: Some(pool.item(file)),
            ..FixtureItem::file(format!("wide/w{file:05}.txt"), vec![version])
        }
    }));
    FixtureSpace {
        face: Face::Box,
        owner: USER.to_owned(),
        root: None,
        items,
    }
}

fn space(face: Face, dir: &str, pool: Pool) -> FixtureSpace {
    let trashed_at: DateTime<Utc> = "2024-01-02T03:04:05Z".parse().expect("a date");
    // Folders get ids of their own range: a folder the store made on the way would take the
    // next free id, which is the next file's.
    let folder = |path: String, id: u64| FixtureItem {
        id: Some(ItemId(pool.first_item + FOLDER_IDS + id)),
        ..FixtureItem::folder(path)
    };
    let mut items = vec![folder(dir.to_owned(), 0)];
    for file in 0..pool.files as u64 {
        // A hundred files a folder, as a real drive would have them.
        if file % 100 == 0 {
            items.push(folder(format!("{dir}/d{}", file / 100), 1 + file / 100));
        }
        let versions = (1..=pool.history as u64)
            .map(|number| {
                let trashed = pool.trashed_odd && number % 2 == 1 && number < pool.history as u64;
                FixtureVersion {
                    id: Some(pool.version(file, number)),
                    number: Some(number as u32),
                    // Bodies differ by version number only: every file shares them through
                    // the store's content interning, so the seed costs records, not bytes.
                    text: Some(format!("version {number} of a benchmark file\n")),
                    trashed_at: trashed.then_some(trashed_at),
                    trashed_by: trashed.then(|| USER.to_owned()),
                    ..FixtureVersion::default()
                }
            })
            .collect();
        let path = format!("{dir}/d{}/f{file}.txt", file / 100);
        items.push(FixtureItem {
            id: Some(pool.item(file)),
            ..FixtureItem::file(path, versions)
        });
    }
    FixtureSpace {
        face,
        owner: USER.to_owned(),
        root: None,
        items,
    }
}

/// Where a pool's folder ids start, past any file id.
pub const FOLDER_IDS: u64 = 90_000_000;
