//! `cargo bench --bench http`: restore-mock's speed, side by side with a bare baseline.
//!
//! One process, two runtimes: the emulator and the baseline server run on a runtime whose threads
//! are named `rm-bench-server` (their CPU time is read from `/proc`), and the load generator on
//! another. Each operation is measured in short rounds that alternate with its baseline, and the
//! report gives medians of per-round figures. See the README's "Performance" section for the
//! knobs (`RESTORE_MOCK_BENCH_*`).
//!
//! Layout: `config` (knobs), `runtime`, `cpu` (server CPU), `load` (the load generator),
//! `rounds` (interleaving, medians), `baseline` (the fixed routes), `fixture` (the seeded state),
//! `operations` (the per-operation drivers), `startup`, `memory` (child-process probes),
//! `hash_rate`, `sessions` (uploads through upload sessions), `layers` (the app-level layers'
//! cost), `durable` (the `--data-dir` store against the in-memory one), `report` (tables, JSON,
//! targets).

// The same allocator as the binary, so the in-process server is measured as it ships.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod admin_page;
mod baseline;
mod config;
mod cpu;
mod durable;
mod fixture;
mod hash_rate;
mod layers;
mod load;
mod memory;
mod operations;
mod report;
mod rounds;
mod runtime;
mod sessions;
mod startup;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use hyper::header::HeaderValue;
use restore_mock::store::{Face, Space, VersionQuery, VersionStore, Window};
use restore_mock::Emulator;
use tokio::runtime::Runtime;

use config::BenchConfig;
use cpu::ThreadCpu;
use fixture::{Pool, Seeded};
use load::{Rng, Target};
use operations::{Context, Operation};
use report::{Machine, Memory, OperationRow, Report, Skipped, SweepRow};
use rounds::{median_of, median_ratio};

fn main() {
    if let Ok(probe) = std::env::var(memory::PROBE) {
        memory::run_probe(&probe);
        return;
    }
    let config = BenchConfig::from_env();
    let started = Instant::now();
    let mut report = Report {
        generated_at: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
        machine: Machine::this(),
        config: config.clone(),
        operations: Vec::new(),
        skipped: Vec::new(),
        sweeps: Vec::new(),
        layers: Vec::new(),
        startup: None,
        memory: Memory::default(),
        hashing: None,
        sessions: sessions::Sessions::default(),
        durable: durable::Durable::default(),
        targets: Vec::new(),
        notes: Vec::new(),
    };
    let server = runtime::server(config.server_threads);
    let client = runtime::client(config.client_threads);
    let cpu = ThreadCpu::new(runtime::SERVER_THREAD);

    // The small, process-level measurements first, before the big fixture is in memory.
    if config.runs("startup") {
        progress("start-up: the release binary, then in-process starts");
        match startup::process(config.startup_runs, None, startup::Stop::Kill) {
            Ok((median, min, max)) => {
                let (first, later, ready) =
                    server.block_on(startup::in_process(config.startup_runs));
                report.startup = Some(startup::Startup {
                    binary: env!("CARGO_BIN_EXE_restore-mock").to_owned(),
                    process_runs: config.startup_runs,
                    process_to_first_2xx_ms: median,
                    process_min_ms: min,
                    process_max_ms: max,
                    in_process_runs: config.startup_runs,
                    in_process_first_us: first,
                    in_process_start_us: later,
                    in_process_to_first_2xx_us: ready,
                });
            }
            Err(e) => report.notes.push(format!("start-up not measured: {e}")),
        }
    }
    if config.runs("memory") {
        progress(
            "memory: restores of a 1 MiB file, version records, purged files, half-written sessions (child processes)",
        );
        match memory::in_child("restores", config.memory_restores) {
            Ok(m) => report.memory.restores = Some(m),
            Err(e) => report.memory.errors.push(e),
        }
        match memory::in_child("records", config.memory_records) {
            Ok(m) => report.memory.records = Some(m),
            Err(e) => report.memory.errors.push(e),
        }
        // Files of 1 MiB, distinct so that no two share their bytes.
        let files = if config.quick { 32 } else { 256 };
        match memory::in_child("purge", files) {
            Ok(m) => report.memory.purge = Some(m),
            Err(e) => report.memory.errors.push(e),
        }
        // Half-written Graph sessions of 2 MiB: the 300 (and a tenth in quick mode).
        let sessions = if config.quick { 30 } else { 300 };
        match memory::in_child("sessions", sessions) {
            Ok(m) => report.memory.sessions = Some(m),
            Err(e) => report.memory.errors.push(e),
        }
    }
    if config.runs("hashing") {
        progress("hashing: 1 MiB bodies on one core");
        let (rounds, round) = if config.quick {
            (3, Duration::from_millis(50))
        } else {
            (5, Duration::from_millis(200))
        };
        report.hashing = Some(hash_rate::measure(rounds, round));
    }

    if config.runs("sessions") {
        progress(
            "sessions: uploads per face, 64 and 256 MiB (child processes), then p99 under uploads",
        );
        // Box takes sessions from 20 MB only, so even the quick run uploads 24 MiB.
        let (small, big) = if config.quick { (24, 64) } else { (64, 256) };
        for (probe, mib) in [
            ("session_graph", small),
            ("session_box", small),
            ("session_graph", big),
            ("session_box", big),
        ] {
            match memory::in_child(probe, mib) {
                Ok(upload) => report.sessions.uploads.push(upload),
                Err(e) => report.sessions.errors.push(e),
            }
        }
        let duration = config.schedule.round * config.schedule.rounds as u32;
        match sessions::under_load(&server, &client, &cpu, 16, 2, small, duration) {
            Ok(loaded) => report.sessions.under_load = Some(loaded),
            Err(e) => report.sessions.errors.push(e),
        }
    }

    if config.runs("layers") {
        let concurrency = config.concurrency.iter().copied().max().unwrap_or(64);
        progress(&format!(
            "layers: the app-level layers on a fixed-204 route at c={concurrency}"
        ));
        report.layers = layers::measure(&server, &client, &cpu, concurrency, config.schedule);
    }

    if config.runs("durable") {
        progress("durable: the --data-dir store against the in-memory one, then its start-up");
        report.durable = durable::measure(&config, &server, &client, &cpu);
    }

    if config.runs("throughput") || config.runs("sweeps") {
        let seeded = Seeded::new(config.sizes);
        progress(&format!(
            "seeding: {} files × {} versions, {} × {}, 1 × {}, per face",
            config.sizes.files,
            config.sizes.history,
            config.sizes.mid_files,
            config.sizes.mid_history,
            config.sizes.long_history
        ));
        let seeding = Instant::now();
        let emulator = server.block_on(Emulator::start());
        seeded.load(&emulator);
        progress(&format!(
            "seeded in {:.1} s",
            seeding.elapsed().as_secs_f64()
        ));
        let baseline = server.block_on(baseline::start());
        let host = host(emulator.address());
        let context = Context {
            graph_drive: client.block_on(operations::graph_drive(emulator.address(), &host)),
            host,
        };
        report.notes.push(format!(
            "Graph items addressed under {} (from GET /v1.0/me/drive)",
            context.graph_drive
        ));
        let bench = Bench {
            config: &config,
            client: &client,
            cpu: &cpu,
            emulator: emulator.address(),
            baseline: baseline.address,
            context: &context,
        };
        if config.runs("throughput") {
            bench.throughput(&seeded, &mut report);
        }
        if config.runs("sweeps") {
            bench.sweeps(&seeded, &emulator, &mut report);
        }
        drop(baseline);
        drop(emulator);
    }

    report.check_targets();
    report.notes.push(format!(
        "whole run {:.0} s",
        started.elapsed().as_secs_f64()
    ));
    print!("{}", report.render());
    match report.write_json() {
        Ok(path) => println!("JSON report: {}", path.display()),
        Err(e) => eprintln!("could not write the JSON report: {e}"),
    }
}

/// What the load-driven sections share.
struct Bench<'a> {
    config: &'a BenchConfig,
    client: &'a Runtime,
    cpu: &'a ThreadCpu,
    emulator: SocketAddr,
    baseline: SocketAddr,
    context: &'a Context,
}

impl Bench<'_> {
    /// Every operation at every concurrency, alternating with its baseline.
    fn throughput(&self, seeded: &Seeded, report: &mut Report) {
        let admin = admin_page::table(self.context, seeded);
        // 100 files' worth of links (10⁴ with the standard history): enough that downloads are
        // not all of one hot version.
        let downloads = match self.config.wants("download_version") {
            true => self.client.block_on(operations::download_links(
                self.emulator,
                self.context,
                seeded.graph.standard,
                100,
            )),
            false => Vec::new().into(),
        };
        for op in operations::table(self.context, seeded, downloads)
            .into_iter()
            .chain(admin)
        {
            if !self.config.wants(op.name) {
                continue;
            }
            if let Err(reason) = self.probe(&op) {
                progress(&format!("skipping {}: {reason}", op.name));
                report.skipped.push(Skipped {
                    operation: op.name.to_owned(),
                    reason,
                });
                continue;
            }
            let body = (op.baseline == baseline::Baseline::UploadJson)
                .then(|| bytes::Bytes::from(vec![0x5a; operations::UPLOAD_BYTES]));
            let base = operations::baseline(self.context, op.baseline, body);
            for &concurrency in &self.config.concurrency {
                progress(&format!("{} at c={concurrency}", op.name));
                let row = self.compare(&op, &base, op.baseline.name(), concurrency);
                report.operations.push(row);
            }
        }
    }

    /// `op` on the emulator against `baseline` on the baseline address, in alternating rounds
    /// at `concurrency`: one row of the report. Errors on either side count (a failing baseline
    /// makes the ratio meaningless too).
    fn compare(
        &self,
        op: &Operation,
        baseline: &Operation,
        baseline_name: &str,
        concurrency: usize,
    ) -> OperationRow {
        let targets = [
            self.target(self.emulator, op),
            self.target(self.baseline, baseline),
        ];
        let results = self.client.block_on(rounds::rotate(
            &targets,
            concurrency,
            self.config.schedule,
            self.cpu,
        ));
        let (ours, theirs) = (&results[0], &results[1]);
        let (requests, errors, first_error) = rounds::errors(ours);
        let (_, baseline_errors, baseline_error) = rounds::errors(theirs);
        OperationRow {
            operation: op.name.to_owned(),
            concurrency,
            rps: median_of(ours, |r| r.rps()),
            p50_us: median_of(ours, |r| r.percentile_us(0.5)),
            p99_us: median_of(ours, |r| r.percentile_us(0.99)),
            cpu_us_per_req: median_of(ours, |r| r.cpu_us_per_request()),
            baseline: baseline_name.to_owned(),
            baseline_rps: median_of(theirs, |r| r.rps()),
            baseline_p99_us: median_of(theirs, |r| r.percentile_us(0.99)),
            baseline_cpu_us_per_req: median_of(theirs, |r| r.cpu_us_per_request()),
            ratio: median_ratio(ours, theirs, |r| r.rps()),
            cpu_ratio: median_ratio(ours, theirs, |r| r.cpu_us_per_request()),
            rounds: ours.len(),
            requests,
            errors: errors + baseline_errors,
            first_error: first_error.or(baseline_error),
        }
    }

    /// Restore, promote and one-page listings on pools of 10², 10⁴ and 10⁵ versions, in rotation.
    fn sweeps(&self, seeded: &Seeded, emulator: &Emulator, report: &mut Report) {
        let pools: Vec<(Pool, Pool)> = seeded
            .graph
            .by_history()
            .into_iter()
            .zip(seeded.box_api.by_history())
            .collect();
        let per_pool: Vec<Vec<Operation>> = pools
            .iter()
            .map(|(graph, box_api)| operations::sweep(self.context, *graph, *box_api))
            .collect();
        let store = emulator.store();
        let user = store
            .sign_in(fixture::TOKEN)
            .expect("the bench token signs in")
            .user;
        for (k, name) in per_pool[0].iter().map(|op| op.name).enumerate() {
            if !self.config.wants(name) {
                continue;
            }
            if let Err(reason) = self.probe(&per_pool[0][k]) {
                progress(&format!("skipping the {name} sweep: {reason}"));
                report.skipped.push(Skipped {
                    operation: format!("{name} (sweep)"),
                    reason,
                });
                continue;
            }
            progress(&format!("sweep: {name}"));
            let targets: Vec<Target> = per_pool
                .iter()
                .map(|ops| self.target(self.emulator, &ops[k]))
                .collect();
            let results = self.client.block_on(rounds::rotate(
                &targets,
                self.config.sweep_concurrency,
                self.config.schedule,
                self.cpu,
            ));
            let face = if name.starts_with("graph") {
                Face::Graph
            } else {
                Face::Box
            };
            let space = Space::own(face, user.clone());
            for (i, (graph, box_api)) in pools.iter().enumerate() {
                let pool = if face == Face::Graph { graph } else { box_api };
                let (_, errors, _) = rounds::errors(&results[i]);
                report.sweeps.push(SweepRow {
                    operation: name.to_owned(),
                    history: pool.history,
                    history_after_max: longest_history(store.as_ref(), &space, pool),
                    files: pool.files,
                    concurrency: self.config.sweep_concurrency,
                    rps: median_of(&results[i], |r| r.rps()),
                    p50_us: median_of(&results[i], |r| r.percentile_us(0.5)),
                    p99_us: median_of(&results[i], |r| r.percentile_us(0.99)),
                    cpu_us_per_req: median_of(&results[i], |r| r.cpu_us_per_request()),
                    cost_ratio: median_ratio(&results[i], &results[0], |r| r.cpu_us_per_request()),
                    errors,
                });
            }
        }
    }

    fn target(&self, address: SocketAddr, op: &Operation) -> Target {
        Target {
            address,
            expected: op.expected,
            make: op.make.clone(),
        }
    }

    /// One request of `op`: whether its face answers it as expected yet.
    fn probe(&self, op: &Operation) -> Result<(), String> {
        self.client.block_on(async {
            let mut sender = load::connect(self.emulator)
                .await
                .map_err(|e| e.to_string())?;
            let request = (op.make)(&mut Rng::new(42));
            let uri = request.uri().to_string();
            match load::send(&mut sender, request).await? {
                (status, _) if status == op.expected => Ok(()),
                (status, body) => Err(format!(
                    "{uri} answered {status} (expected {}): {}",
                    op.expected,
                    String::from_utf8_lossy(&body[..body.len().min(200)])
                )),
            }
        })
    }
}

/// The most versions any file of `pool` has now.
fn longest_history(store: &dyn VersionStore, space: &Space, pool: &Pool) -> usize {
    let count = VersionQuery {
        include_current: true,
        window: Window {
            offset: 0,
            limit: 0,
        },
    };
    (0..pool.files as u64)
        .filter_map(|file| store.versions(space, pool.item(file), count).ok())
        .map(|listing| listing.total)
        .max()
        .unwrap_or(0)
}

fn host(address: SocketAddr) -> HeaderValue {
    HeaderValue::from_str(&address.to_string()).expect("an address is a valid Host")
}

/// Progress goes to stderr, so stdout holds the report alone.
fn progress(message: &str) {
    eprintln!("[bench] {message}");
}
