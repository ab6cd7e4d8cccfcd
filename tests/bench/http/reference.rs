//! Issue 22's "no operation slower at c=1 or c=16 than today": the figures of the report that
//! issue was written from (`a8d7d08`, 2026-11-23, quoted whole in `main.rs`), and the check of a
//! run against them.
//!
//! The machine moves between days, so a reference figure is scaled by how fast this run's
//! fixed-JSON route was against that day's at the same concurrency (the median over every row
//! compared with it); a row passes when it reaches 0.9 of the scaled figure, the spread the
//! docs give for one row between runs. That report ran without an access log (its benchmark
//! installed no subscriber); `RESTORE_MOCK_BENCH_ACCESS_LOG=0` gives the like-for-like run.

use crate::baseline::Baseline;
use crate::report::{OperationRow, TargetCheck};

/// The reference commit.
pub const COMMIT: &str = "a8d7d08";

/// Requests/s per operation and concurrency at [`COMMIT`].
const ROWS: &[(&str, usize, f64)] = &[
    ("graph_restore_version", 1, 10541.0),
    ("graph_restore_version", 16, 69210.0),
    ("graph_list_versions", 1, 6971.0),
    ("graph_list_versions", 16, 22321.0),
    ("graph_upload_1mib", 1, 542.0),
    ("graph_upload_1mib", 16, 1153.0),
    ("box_restore_version", 1, 16071.0),
    ("box_restore_version", 16, 64849.0),
    ("box_promote_version", 1, 8370.0),
    ("box_promote_version", 16, 56275.0),
    ("box_list_versions", 1, 4141.0),
    ("box_list_versions", 16, 12715.0),
    ("graph_get_item", 1, 9701.0),
    ("graph_get_item", 16, 63429.0),
    ("box_get_file", 1, 10584.0),
    ("box_get_file", 16, 65675.0),
    ("download_version", 1, 10888.0),
    ("download_version", 16, 95256.0),
];

/// The fixed-JSON route's requests/s at [`COMMIT`]: the median of the seven rows compared
/// with it, at c=1 and at c=16.
const FIXED_JSON: [(usize, f64); 2] = [(1, 11907.0), (16, 163338.0)];

/// The fall allowed for noise.
const ALLOWANCE: f64 = 0.9;

/// One check per reference row this run measured.
pub fn checks(operations: &[OperationRow]) -> Vec<TargetCheck> {
    let mut checks = Vec::new();
    for &(c, then_fixed) in &FIXED_JSON {
        let drift = fixed_json_rps(operations, c).map(|now| now / then_fixed);
        for &(op, _, then) in ROWS.iter().filter(|row| row.1 == c) {
            let Some(row) = (operations.iter()).find(|r| r.operation == op && r.concurrency == c)
            else {
                continue;
            };
            let scaled = drift.map(|d| (d, ALLOWANCE * then * d));
            let measured = match scaled {
                Some((d, bar)) => format!(
                    "{:.0} req/s against {bar:.0} ({ALLOWANCE} × {then:.0} then × {d:.2}, the fixed route's drift)",
                    row.rps
                ),
                None => format!("{:.0} req/s; no fixed-JSON row at c={c} to scale by", row.rps),
            };
            checks.push(TargetCheck {
                target: format!("{op} at c={c}: req/s no lower than at {COMMIT}"),
                measured,
                met: scaled.map(|(_, bar)| row.errors == 0 && row.rps >= bar),
            });
        }
    }
    checks
}

/// The median requests/s of this run's fixed-JSON route at `c`, over the rows compared with it.
fn fixed_json_rps(operations: &[OperationRow], c: usize) -> Option<f64> {
    let mut rps: Vec<f64> = (operations.iter())
        .filter(|r| r.concurrency == c && r.baseline == Baseline::Json.name())
        .map(|r| r.baseline_rps)
        .collect();
    rps.sort_by(f64::total_cmp);
    rps.get(rps.len() / 2).copied()
}
