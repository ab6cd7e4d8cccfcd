//! The durable store (`--data-dir`, issue 12) against the in-memory one in the same run: writes
//! (Graph restore, Box promote, Graph upload) and reads at each concurrency, in rounds that
//! alternate between the two stores, and the release binary's start-up on a data dir that holds
//! 10⁵ versions. The data dir lives under the target dir and is removed afterwards.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use restore_mock::Emulator;
use serde::Serialize;
use tokio::runtime::Runtime;

use crate::config::BenchConfig;
use crate::cpu::ThreadCpu;

use crate::fixture::{Seeded, Sizes};
use crate::operations::{self, Context};
use crate::report::{OperationRow, TargetCheck};
use crate::startup::{self, Stop};
use crate::{progress, Bench};

/// Versions the start-up is timed on: the 10⁵, over both faces.
pub const STARTUP_VERSIONS: usize = 100_000;

#[derive(Debug, Default, Serialize)]
pub struct Durable {
    /// One row per operation and concurrency on the durable store; its "baseline" is the same
    /// operation on the in-memory store, and `ratio` is durable over in-memory req/s.
    pub rows: Vec<OperationRow>,
    pub startup: Option<DurableStartup>,
    pub errors: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DurableStartup {
    /// Versions stored in the data dir the binary opens.
    pub versions: usize,
    pub runs: usize,
    /// Median time from spawning `restore-mock --data-dir DIR` to the first 2xx of the health
    /// route, each start after a clean stop (SIGTERM), so the database was closed cleanly.
    pub process_to_first_2xx_ms: f64,
    pub process_min_ms: f64,
    pub process_max_ms: f64,
    /// The same, each start after the one before was killed (SIGKILL): redb first checks and
    /// repairs the whole database file, as after any crash.
    pub after_kill_to_first_2xx_ms: f64,
    pub after_kill_min_ms: f64,
    pub after_kill_max_ms: f64,
}

/// The seed: the standard pools only, 10² versions a file, files enough for
/// [`STARTUP_VERSIONS`] over both faces (the 10⁴- and 10⁵-version pools reduced to nothing, as
/// the sweeps are not repeated here).
fn sizes() -> Sizes {
    Sizes {
        files: STARTUP_VERSIONS / 2 / 100,
        history: 100,
        mid_files: 0,
        mid_history: 2,
        long_history: 2,
    }
}

/// Runs the whole section: seeds a data dir, times the binary's start on it, then measures the
/// durable store on that dir against a memory store seeded alike.
pub fn measure(
    config: &BenchConfig,
    server: &Runtime,
    client: &Runtime,
    cpu: &ThreadCpu,
) -> Durable {
    let mut found = Durable::default();
    let dir = crate::report::target_dir()
        .join("bench")
        .join(format!("durable-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let seeded = Seeded::new(sizes());
    progress(&format!(
        "durable: seeding {STARTUP_VERSIONS} versions into {}",
        dir.display()
    ));
    let seeding = std::time::Instant::now();
    let durable = match server.block_on(Emulator::builder().data_dir(&dir).try_start()) {
        Ok(emulator) => emulator,
        Err(e) => {
            found
                .errors
                .push(format!("the durable store did not open: {e}"));
            let _ = std::fs::remove_dir_all(&dir);
            return found;
        }
    };
    seeded.load(&durable);
    progress(&format!(
        "durable: seeded in {:.1} s",
        seeding.elapsed().as_secs_f64()
    ));
    // The binary needs the data dir to itself (a second process on it is refused).
    drop(durable);
    match timed_startup(&dir, config.startup_runs) {
        Ok(s) => found.startup = Some(s),
        Err(e) => found.errors.push(format!("start-up not measured: {e}")),
    }
    let durable = server.block_on(Emulator::builder().data_dir(&dir).start());
    let memory = server.block_on(Emulator::start());
    seeded.load(&memory);
    // Each store its own `Host` and Graph drive prefix, as a client would ask for them.
    let context = |address| {
        let host = crate::host(address);
        Context {
            graph_drive: client.block_on(operations::graph_drive(address, &host)),
            host,
        }
    };
    let (on_durable, on_memory) = (context(durable.address()), context(memory.address()));
    let upload = bytes::Bytes::from(vec![0x5a; operations::UPLOAD_BYTES]);
    let (graph, box_api) = (seeded.graph.standard, seeded.box_api.standard);
    let table = |context: &Context| {
        [
            operations::graph_restore_version(context, graph),
            operations::box_promote_version(context, box_api),
            operations::graph_upload(context, graph, upload.clone()),
            operations::graph_get_item(context, graph),
            operations::box_get_file(context, box_api),
        ]
    };
    let bench = Bench {
        config,
        server,
        client,
        cpu,
        emulator: durable.address(),
        baseline: memory.address(),
        context: &on_durable,
    };
    for (op, same_on_memory) in table(&on_durable).into_iter().zip(table(&on_memory)) {
        if !bench.config.wants(op.name) {
            continue;
        }
        if let Err(reason) = bench.probe(&op) {
            found.errors.push(format!(
                "{} skipped on the durable store: {reason}",
                op.name
            ));
            continue;
        }
        for &concurrency in &bench.config.concurrency {
            progress(&format!("durable: {} at c={concurrency}", op.name));
            let row = bench.compare(
                &op,
                &same_on_memory,
                bench.baseline,
                "memory store",
                concurrency,
            );
            found.rows.push(row);
        }
    }
    drop(durable);
    drop(memory);
    remove(&dir, &mut found.errors);
    found
}

/// The binary's start on `dir`, `runs` times after clean stops, then `runs` times after kills,
/// each series after one unmeasured start that leaves the dir as the series needs it. The first
/// also waits, for up to a few seconds, for the in-process store that seeded the dir to let go.
fn timed_startup(dir: &Path, runs: usize) -> Result<DurableStartup, String> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while let Err(e) = startup::process(1, Some(dir), Stop::Term) {
        if std::time::Instant::now() > deadline {
            return Err(e);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let (median, min, max) = startup::process(runs, Some(dir), Stop::Term)?;
    startup::process(1, Some(dir), Stop::Kill)?;
    let (after_kill, kill_min, kill_max) = startup::process(runs, Some(dir), Stop::Kill)?;
    Ok(DurableStartup {
        versions: STARTUP_VERSIONS,
        runs,
        process_to_first_2xx_ms: median,
        process_min_ms: min,
        process_max_ms: max,
        after_kill_to_first_2xx_ms: after_kill,
        after_kill_min_ms: kill_min,
        after_kill_max_ms: kill_max,
    })
}

fn remove(dir: &PathBuf, errors: &mut Vec<String>) {
    if let Err(e) = std::fs::remove_dir_all(dir) {
        errors.push(format!("could not remove {}: {e}", dir.display()));
    }
}

impl Durable {
    /// The targets for the durable store: a quarter of the in-memory writes per second
    /// at c=16, reads within 1.1×, start-up on 10⁵ versions within 300 ms.
    pub fn targets(&self) -> Vec<TargetCheck> {
        let at16 = |op: &str| {
            self.rows
                .iter()
                .find(|r| r.operation == op && r.concurrency == 16)
        };
        let mut checks = Vec::new();
        for (op, least, what) in [
            ("graph_restore_version", 0.25, "write"),
            ("box_promote_version", 0.25, "write"),
            ("graph_upload_1mib", 0.25, "write"),
            ("graph_get_item", 1.0 / 1.1, "read"),
            ("box_get_file", 1.0 / 1.1, "read"),
        ] {
            let found = at16(op);
            checks.push(TargetCheck {
                target: if what == "write" {
                    format!("durable {op} at c=16: rps ≥ 0.25 × the memory store's")
                } else {
                    format!("durable {op} at c=16: rps within 1.1 × the memory store's")
                },
                measured: found.map_or("not measured".into(), |r| {
                    format!(
                        "{:.0} vs {:.0} req/s, ratio {:.2}",
                        r.rps, r.baseline_rps, r.ratio
                    )
                }),
                met: found.map(|r| r.errors == 0 && r.ratio >= least),
            });
        }
        let startup = self.startup.as_ref();
        let timing = |median: f64, min: f64, max: f64, runs: usize| {
            format!("{median:.1} ms (min {min:.1}, max {max:.1}, {runs} runs)")
        };
        checks.push(TargetCheck {
            target: format!(
                "process start on a data dir of {STARTUP_VERSIONS} versions to first 2xx ≤ 300 ms (median, after a clean stop)"
            ),
            measured: startup.map_or("not measured".into(), |s| {
                timing(s.process_to_first_2xx_ms, s.process_min_ms, s.process_max_ms, s.runs)
            }),
            met: startup.map(|s| s.process_to_first_2xx_ms <= 300.0),
        });
        checks.push(TargetCheck {
            target: format!(
                "process start on a data dir of {STARTUP_VERSIONS} versions to first 2xx ≤ 300 ms (median, after SIGKILL)"
            ),
            measured: startup.map_or("not measured".into(), |s| {
                timing(s.after_kill_to_first_2xx_ms, s.after_kill_min_ms, s.after_kill_max_ms, s.runs)
            }),
            met: startup.map(|s| s.after_kill_to_first_2xx_ms <= 300.0),
        });
        checks
    }

    pub fn render(&self, out: &mut String) {
        if !self.rows.is_empty() {
            crate::report::operation_table(out, "durable store", &self.rows);
        }
        if let Some(s) = &self.startup {
            let _ = writeln!(
                out,
                "durable start-up ({} versions): process to first 2xx median {:.1} ms after a clean stop (min {:.1}, max {:.1}), {:.1} ms after SIGKILL (min {:.1}, max {:.1}), {} runs each",
                s.versions,
                s.process_to_first_2xx_ms,
                s.process_min_ms,
                s.process_max_ms,
                s.after_kill_to_first_2xx_ms,
                s.after_kill_min_ms,
                s.after_kill_max_ms,
                s.runs
            );
        }
        for e in &self.errors {
            let _ = writeln!(out, "durable bench: {e}");
        }
    }
}
