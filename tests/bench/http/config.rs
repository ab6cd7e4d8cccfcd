//! The benchmark's knobs, all from environment variables so `cargo bench --bench http` needs no
//! arguments. `RESTORE_MOCK_BENCH_QUICK=1` shrinks everything to a run of seconds that checks the
//! benchmark works (its figures are too short to trust).

use std::time::Duration;

use crate::fixture::Sizes;
use crate::rounds::Schedule;

#[derive(Debug, Clone, serde::Serialize)]
pub struct BenchConfig {
    pub quick: bool,
    pub schedule: Schedule,
    pub concurrency: Vec<usize>,
    pub sweep_concurrency: usize,
    /// Operations whose name contains one of these run; empty means all.
    pub only: Vec<String>,
    /// Sections to run: startup, memory, hashing, sessions, layers, durable, throughput, sweeps.
    pub sections: Vec<String>,
    pub sizes: Sizes,
    pub memory_restores: u64,
    pub memory_records: u64,
    pub startup_runs: usize,
    pub server_threads: usize,
    pub client_threads: usize,
    /// The emulator's access log, as the binary has it by default (one line per API request),
    /// written to `/dev/null`; `RESTORE_MOCK_BENCH_ACCESS_LOG=0` measures without it.
    pub access_log: bool,
    /// `RESTORE_MOCK_BENCH_README=README.md`: rewrite that file's benchmark table (see
    /// `readme_table`) from this run.
    pub readme: Option<std::path::PathBuf>,
}

impl BenchConfig {
    pub fn from_env() -> Self {
        let quick = flag("RESTORE_MOCK_BENCH_QUICK");
        let pick = |full: u64, short: u64| if quick { short } else { full };
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            quick,
            schedule: Schedule {
                rounds: number("RESTORE_MOCK_BENCH_ROUNDS", pick(5, 2)) as usize,
                round: Duration::from_millis(number("RESTORE_MOCK_BENCH_ROUND_MS", pick(400, 100))),
                warmup: Duration::from_millis(number(
                    "RESTORE_MOCK_BENCH_WARMUP_MS",
                    pick(150, 30),
                )),
            },
            concurrency: list("RESTORE_MOCK_BENCH_CONCURRENCY")
                .map(|c| c.iter().filter_map(|s| s.parse().ok()).collect())
                .unwrap_or_else(|| vec![1, 16, 64]),
            sweep_concurrency: number("RESTORE_MOCK_BENCH_SWEEP_CONCURRENCY", 16) as usize,
            only: list("RESTORE_MOCK_BENCH_ONLY").unwrap_or_default(),
            sections: list("RESTORE_MOCK_BENCH_SECTIONS").unwrap_or_else(|| {
                [
                    "startup",
                    "memory",
                    "hashing",
                    "sessions",
                    "layers",
                    "durable",
                    "throughput",
                    "sweeps",
                ]
                .map(str::to_owned)
                .to_vec()
            }),
            sizes: Sizes {
                files: number("RESTORE_MOCK_BENCH_FILES", pick(10_000, 1_000)) as usize,
                history: 100,
                mid_files: pick(10, 2) as usize,
                mid_history: 10_000,
                long_history: 100_000,
            },
            memory_restores: number("RESTORE_MOCK_BENCH_MEMORY_RESTORES", pick(100_000, 10_000)),
            memory_records: pick(1_000_000, 100_000),
            startup_runs: number("RESTORE_MOCK_BENCH_STARTUP_RUNS", pick(20, 5)) as usize,
            server_threads: number("RESTORE_MOCK_BENCH_SERVER_THREADS", cores as u64) as usize,
            client_threads: number("RESTORE_MOCK_BENCH_CLIENT_THREADS", cores as u64) as usize,
            access_log: std::env::var("RESTORE_MOCK_BENCH_ACCESS_LOG").map_or(true, |v| v != "0"),
            readme: std::env::var_os("RESTORE_MOCK_BENCH_README")
                .filter(|v| !v.is_empty())
                .map(Into::into),
        }
    }

    pub fn runs(&self, section: &str) -> bool {
        self.sections.iter().any(|s| s == section)
    }

    pub fn wants(&self, operation: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|o| operation.contains(o.as_str()))
    }
}

fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0")
}

fn number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v:?} is not a whole number")),
        Err(_) => default,
    }
}

fn list(name: &str) -> Option<Vec<String>> {
    let v = std::env::var(name).ok()?;
    Some(
        v.split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect(),
    )
}
