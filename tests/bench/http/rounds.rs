//! Interleaved rounds. This machine drifts (two identical servers measured minutes apart differ by
//! up to 2x), so targets are never measured in one long block: short rounds alternate between
//! them, the starting target rotates each round, and results are medians of per-round figures.

use std::time::Duration;

use crate::cpu::ThreadCpu;
use crate::load::{self, RoundResult, Target};

/// How long and how often to measure.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Schedule {
    pub rounds: usize,
    #[serde(serialize_with = "as_millis")]
    pub round: Duration,
    /// Unmeasured load on each target first, so connections, caches and allocators are warm.
    #[serde(serialize_with = "as_millis")]
    pub warmup: Duration,
}

fn as_millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis() as u64)
}

/// Runs `schedule.rounds` rounds over `targets` in rotation; returns each target's rounds.
pub async fn rotate(
    targets: &[Target],
    concurrency: usize,
    schedule: Schedule,
    server: &ThreadCpu,
) -> Vec<Vec<RoundResult>> {
    for (i, target) in targets.iter().enumerate() {
        load::round(target, concurrency, schedule.warmup, server, i as u64).await;
    }
    let mut results = vec![Vec::with_capacity(schedule.rounds); targets.len()];
    // RESTORE_MOCK_BENCH_VERBOSE=1 prints every round, with the load generator's CPU as well.
    let verbose = std::env::var_os("RESTORE_MOCK_BENCH_VERBOSE")
        .map(|_| ThreadCpu::new(crate::runtime::CLIENT_THREAD));
    for round in 0..schedule.rounds {
        for k in 0..targets.len() {
            let i = (round + k) % targets.len();
            let seed = (round * targets.len() + k) as u64 + 1;
            let client_before = verbose.as_ref().map(ThreadCpu::total);
            let result = load::round(&targets[i], concurrency, schedule.round, server, seed).await;
            if let (Some(client), Some(before)) = (&verbose, client_before) {
                let requests = result.requests.max(1) as f64;
                eprintln!(
                    "    round {round} target {i}: {} requests, {:.0} req/s, server {:.1} µs/req, \
                     client {:.1} µs/req, p99 {:.0} µs, errors {}",
                    result.requests,
                    result.rps(),
                    result.cpu_us_per_request(),
                    client.total().saturating_sub(before).as_secs_f64() * 1e6 / requests,
                    result.percentile_us(0.99),
                    result.errors
                );
            }
            results[i].push(result);
        }
    }
    results
}

/// The median of `values` (0 for none).
pub fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

/// The median over rounds of one figure of a round.
pub fn median_of(rounds: &[RoundResult], figure: impl Fn(&RoundResult) -> f64) -> f64 {
    median(rounds.iter().map(figure).collect())
}

/// The median over rounds of `figure(a) / figure(b)`, pairing the two targets' rounds.
pub fn median_ratio(
    a: &[RoundResult],
    b: &[RoundResult],
    figure: impl Fn(&RoundResult) -> f64,
) -> f64 {
    median(
        a.iter()
            .zip(b)
            .filter(|(_, b)| figure(b) > 0.0)
            .map(|(a, b)| figure(a) / figure(b))
            .collect(),
    )
}

/// Requests and errors over all rounds, with the first error seen.
pub fn errors(rounds: &[RoundResult]) -> (u64, u64, Option<String>) {
    let requests = rounds.iter().map(|r| r.requests).sum();
    let errors = rounds.iter().map(|r| r.errors).sum();
    let first = rounds.iter().find_map(|r| r.first_error.clone());
    (requests, errors, first)
}
