//! The README's performance table: written from a run by `RESTORE_MOCK_BENCH_README=README.md
//! cargo bench --bench http`, between two marker lines, and its shape (markers, header, rows,
//! targets; not the figures) checked by `tests/api` (`readme_bench`), which includes this file,
//! so a hand edit or a stale layout fails the suite instead of drifting unnoticed.
//!
//! Only std here: the test binary compiles this file too.

/// The line before the table.
pub const BEGIN: &str = "<!-- benchmark table: written by `RESTORE_MOCK_BENCH_README=README.md \
                         cargo bench --bench http`; do not edit by hand -->";
/// The line after it.
pub const END: &str = "<!-- end of benchmark table -->";

/// The concurrency the README's rows are measured at.
pub const CONCURRENCY: usize = 64;

/// The rows the README shows, in order, each with the target it is held to (issue 22).
pub const ROWS: [(&str, &str); 10] = [
    ("graph_restore_version", RESTORE),
    ("box_restore_version", RESTORE),
    ("box_promote_version", RESTORE),
    ("graph_get_item", RESTORE),
    ("box_get_file", RESTORE),
    ("graph_list_versions", LISTING),
    ("box_list_versions", LISTING),
    ("graph_list_children", LISTING),
    ("box_list_folder_items", LISTING),
    ("graph_upload_1mib", UPLOAD),
];

/// Restores, promotes and single-item reads against the fixed route.
pub const RESTORE: &str = "CPU ≤ 1.5 ×, req/s ≥ 0.85 ×";
/// Listings against a fixed route that answers the same bytes.
pub const LISTING: &str = "CPU ≤ 1.5 ×";
/// Uploads against reading the body plus the hashes the face computes, on one core.
pub const UPLOAD: &str = "CPU ≤ 1.3 × (body + hashes)";

const HEADER: &str = "| operation | c | req/s | CPU µs | compared with | its req/s | its CPU µs \
                      | req/s × | CPU × | serde_json alone µs | target | verdict |";
const RULE: &str = "|---|--:|--:|--:|---|--:|--:|--:|--:|--:|---|---|";

/// One measured row; `None` figures were not measured in this run.
#[derive(Debug, Clone, Default)]
pub struct Row {
    pub operation: String,
    pub rps: Option<f64>,
    pub cpu_us: Option<f64>,
    pub baseline: String,
    pub baseline_rps: Option<f64>,
    pub baseline_cpu_us: Option<f64>,
    pub ratio: Option<f64>,
    pub cpu_ratio: Option<f64>,
    /// Listings only: what serde_json alone takes to write the reply (the bench's `serializer`).
    pub serializer_us: Option<f64>,
    pub met: Option<bool>,
}

/// The whole block, markers included: `about` (one line: commit, machine, configuration), then
/// the table, one line per entry of [`ROWS`] (`rows` may miss some, or hold others).
pub fn render(about: &str, rows: &[Row]) -> String {
    let mut out = format!("{BEGIN}\n{about}\n\n{HEADER}\n{RULE}\n");
    for (operation, target) in ROWS {
        let row = rows
            .iter()
            .find(|r| r.operation == operation)
            .cloned()
            .unwrap_or_default();
        let figure =
            |v: Option<f64>, digits: usize| v.map_or("-".to_owned(), |v| format!("{v:.digits$}"));
        out.push_str(&format!(
            "| `{operation}` | {CONCURRENCY} | {} | {} | {} | {} | {} | {} | {} | {} | {target} | {} |\n",
            figure(row.rps, 0),
            figure(row.cpu_us, 1),
            if row.baseline.is_empty() { "-" } else { &row.baseline },
            figure(row.baseline_rps, 0),
            figure(row.baseline_cpu_us, 1),
            figure(row.ratio, 2),
            figure(row.cpu_ratio, 2),
            figure(row.serializer_us, 1),
            verdict(row.met),
        ));
    }
    out.push_str(END);
    out
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "**not met**",
        None => "-",
    }
}

/// `readme` with its block replaced by `block`.
pub fn splice(readme: &str, block: &str) -> Result<String, String> {
    let (start, end) = bounds(readme)?;
    Ok(format!("{}{block}{}", &readme[..start], &readme[end..]))
}

/// Where the block is: from the start of [`BEGIN`] to the end of [`END`], each present once.
fn bounds(readme: &str) -> Result<(usize, usize), String> {
    let once = |marker: &str| match (readme.matches(marker).count(), readme.find(marker)) {
        (1, Some(at)) => Ok(at),
        (n, _) => Err(format!(
            "the README has {n} copies of the marker line {marker:?}"
        )),
    };
    let (start, end) = (once(BEGIN)?, once(END)?);
    if end < start {
        return Err("the README's table ends before it begins".into());
    }
    Ok((start, end + END.len()))
}

/// Checks that `readme`'s block is what [`render`] writes, whatever the figures: the markers,
/// an `about` line naming the commit and the machine, the header, and one row per entry of
/// [`ROWS`] with its target, figures that are numbers (or `-`) and a verdict.
pub fn check(readme: &str) -> Result<(), String> {
    let (start, end) = bounds(readme)?;
    let block = &readme[start..end];
    let lines: Vec<&str> = block.lines().collect();
    let expected_lines = ROWS.len() + 6;
    if lines.len() != expected_lines {
        return Err(format!(
            "the table has {} lines, the benchmark writes {expected_lines}",
            lines.len()
        ));
    }
    let about = lines[1];
    if !(about.starts_with("Commit `") && about.contains(" cores")) {
        return Err(format!(
            "the line under the marker must name the commit and the machine: {about:?}"
        ));
    }
    if !lines[2].is_empty() || lines[3] != HEADER || lines[4] != RULE {
        return Err("the table's header is not the one the benchmark writes".into());
    }
    for ((operation, target), line) in ROWS.iter().zip(&lines[5..]) {
        let cells: Vec<&str> = line
            .strip_prefix("| ")
            .and_then(|l| l.strip_suffix(" |"))
            .map(|l| l.split(" | ").collect())
            .unwrap_or_default();
        let number = |cell: &str| cell == "-" || cell.parse::<f64>().is_ok();
        let shaped = cells.len() == 12
            && cells[0] == format!("`{operation}`")
            && cells[1] == CONCURRENCY.to_string()
            && [2, 3, 5, 6, 7, 8, 9].iter().all(|&i| number(cells[i]))
            && !cells[4].is_empty()
            && cells[10] == *target
            && ["met", "**not met**", "-"].contains(&cells[11]);
        if !shaped {
            return Err(format!(
                "the row of {operation} is not what the benchmark writes: {line:?}"
            ));
        }
    }
    Ok(())
}
