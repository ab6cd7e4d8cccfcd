//! The README's performance table is the one `cargo bench --bench http` writes
//! (`tests/bench/http/readme_table.rs`): its markers, header, rows and targets, whatever its figures.

use crate::readme_table::{self, Row};

const README: &str = include_str!("../../README.md");

#[test]
fn the_readme_benchmark_table_has_the_shape_the_benchmark_writes() {
    // Act
    let checked = readme_table::check(README);

    // Assert
    assert_eq!(
        checked,
        Ok(()),
        "rewrite it with `RESTORE_MOCK_BENCH_README=README.md cargo bench --bench http`"
    );
}

#[test]
fn a_written_table_checks_and_hand_edits_to_its_shape_do_not() {
    // Arrange
    let about = "Commit `abc1234`, 2026-12-06 08:00 UTC; Some CPU (2 cores, 8 GiB, Linux 6.1); …";
    let rows = [Row {
        operation: "graph_restore_version".into(),
        rps: Some(74784.0),
        cpu_us: Some(15.1),
        baseline: "fixed 204".into(),
        baseline_rps: Some(160938.0),
        baseline_cpu_us: Some(5.8),
        ratio: Some(0.45),
        cpu_ratio: Some(2.57),
        serializer_us: None,
        met: Some(false),
    }];
    let readme = format!(
        "# title\n\n{}\n\nafter\n",
        readme_table::render(about, &rows)
    );
    let cases = [
        ("a row removed", "| `box_get_file` | 64 | - | - | - | - | - | - | - | - | CPU ≤ 1.5 ×, req/s ≥ 0.85 × | - |\n", ""),
        ("a target changed", "| CPU ≤ 1.3 × (body + hashes) |", "| CPU ≤ 2 × |"),
        ("a figure made words", "| 74784 |", "| about 75k |"),
        ("the commit line dropped", "Commit `abc1234`", "Figures"),
        ("the end marker dropped", readme_table::END, ""),
    ];

    // Act + Assert
    assert_eq!(readme_table::check(&readme), Ok(()));
    for (reason, from, to) in cases {
        assert!(readme.contains(from), "{reason}: the case edits nothing");
        let edited = readme.replacen(from, to, 1);
        assert!(
            readme_table::check(&edited).is_err(),
            "{reason}: still checks"
        );
    }
    let spliced =
        readme_table::splice(&readme, &readme_table::render("Commit `x`, (1 cores)", &[]));
    assert_eq!(spliced.as_deref().map(readme_table::check), Ok(Ok(())));
}
