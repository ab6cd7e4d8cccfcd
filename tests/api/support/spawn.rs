//! The one way a test starts an emulator: `spawn()`, options, `.start()`.

use chrono::{DateTime, Utc};
use restore_mock::fixture::{Fixture, FixtureUser};
use restore_mock::{Config, Emulator, EmulatorBuilder};

use super::graph::Graph;
use super::now;

/// A running emulator and a client for it. Each test makes its own: servers are never shared.
pub struct TestApp {
    pub emulator: Emulator,
    /// A client that does not follow redirects: tests look at them themselves.
    pub client: reqwest::Client,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        self.emulator.url(path)
    }
}

/// Options for one test's emulator. By default: the store `RESTORE_MOCK_TEST_STORE` names, no
/// fixture, every token signs in, plain HTTP, no admin token, and the clock frozen at
/// [`NOW`](super::NOW), so that ids, dates, eTags, signed links and upload URLs repeat.
#[must_use]
pub struct Spawn {
    builder: EmulatorBuilder,
    clock: Option<DateTime<Utc>>,
    /// A data dir the test chose, which `RESTORE_MOCK_TEST_STORE` must not replace.
    own_data_dir: bool,
}

/// Starts building a test's emulator; see [`Spawn`].
pub fn spawn() -> Spawn {
    Spawn {
        builder: Emulator::builder(),
        clock: Some(now()),
        own_data_dir: false,
    }
}

impl Spawn {
    /// Every option at once, as the command line would set them: call it first, it replaces the
    /// options set before it (the clock option still wins).
    pub fn config(mut self, config: Config) -> Self {
        self.builder = self.builder.config(config);
        self
    }

    /// State to start with, as a fixture document (`POST /__admin/fixtures` takes the same).
    pub fn fixture(mut self, fixture: impl Into<FixtureSource>) -> Self {
        self.builder = self.builder.fixture(fixture.into().0);
        self
    }

    /// Only these users' tokens sign in.
    pub fn tokens(mut self, users: Vec<FixtureUser>) -> Self {
        self.builder = self.builder.tokens(users);
        self
    }

    /// HTTPS with a self-signed certificate written to `dir`.
    pub fn tls_self_signed(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.builder = self.builder.tls_self_signed(dir);
        self
    }

    /// One more name the self-signed certificate is for (`--tls-name`).
    pub fn tls_name(mut self, name: &str) -> Self {
        self.builder = self.builder.tls_name(name);
        self
    }

    /// The admin API asks for this bearer token.
    pub fn admin_token(mut self, token: &str) -> Self {
        self.builder = self.builder.admin_token(token);
        self
    }

    pub fn max_body(mut self, bytes: usize) -> Self {
        self.builder = self.builder.max_body(bytes);
        self
    }

    pub fn journal_limit(mut self, entries: usize) -> Self {
        self.builder = self.builder.journal_limit(entries);
        self
    }

    /// The durable store on this data dir, whatever `RESTORE_MOCK_TEST_STORE` says (for tests
    /// whose expectations name the dir).
    pub fn data_dir(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.builder = self.builder.data_dir(dir);
        self.own_data_dir = true;
        self
    }

    /// A full disk on demand for the durable store (see `EmulatorBuilder::full_disk`).
    pub fn full_disk(mut self, switch: restore_mock::store::durable::FullDisk) -> Self {
        self.builder = self.builder.full_disk(switch);
        self
    }

    /// The clock frozen at `instant` instead of `NOW`.
    pub fn clock(mut self, instant: DateTime<Utc>) -> Self {
        self.clock = Some(instant);
        self
    }

    /// The wall clock, for the tests of what a running clock and unseeded secrets do.
    pub fn running_clock(mut self) -> Self {
        self.clock = None;
        self
    }

    /// The builder as it would start, for tests of starting itself (`try_start`).
    pub fn builder(self) -> EmulatorBuilder {
        let builder = match self.clock {
            Some(instant) => self.builder.clock(instant),
            None => self.builder,
        };
        // One switch runs the whole suite on either store: `durable` gives each emulator the
        // durable store on a temporary data dir of its own; unset (or `memory`), the memory one.
        match std::env::var("RESTORE_MOCK_TEST_STORE").as_deref() {
            _ if self.own_data_dir => builder,
            Ok("durable") => builder.temporary_data_dir(),
            Ok("memory") | Err(_) => builder,
            Ok(other) => panic!("RESTORE_MOCK_TEST_STORE is `durable` or `memory`, not {other:?}"),
        }
    }

    pub async fn start(self) -> TestApp {
        TestApp {
            emulator: self.builder().start().await,
            client: client(),
        }
    }

    /// Starts it and signs in to Graph as [`graph::TOKEN`](super::graph::TOKEN).
    pub async fn graph(self) -> Graph {
        Graph {
            app: self.start().await,
        }
    }
}

/// A fixture, given as the typed document or as JSON.
pub struct FixtureSource(Fixture);

impl From<Fixture> for FixtureSource {
    fn from(fixture: Fixture) -> Self {
        Self(fixture)
    }
}

impl From<serde_json::Value> for FixtureSource {
    fn from(json: serde_json::Value) -> Self {
        Self(serde_json::from_value(json).unwrap_or_else(|e| panic!("not a fixture: {e}")))
    }
}

/// A client that leaves redirects to the test.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a reqwest client")
}
