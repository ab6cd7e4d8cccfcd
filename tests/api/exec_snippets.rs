//! The README's test-runner snippets (the pytest fixture, the Vitest global setup, the GitHub
//! Actions job), run as written beside a test file that uses them: each under `restore-mock exec`
//! and, where the snippet starts its own emulator otherwise, on its own with the built binary on
//! PATH.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::readme::snippets_in;
use crate::support::binary::run_to_exit;

/// The one README block marked `<!-- tested: {kind} -->`.
fn snippet(kind: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let [block] = &snippets_in(&path, kind)[..] else {
        panic!("one `{kind}` block in the README");
    };
    block.clone()
}

/// Tests a user would write on the pytest fixture: each run starts from an empty emulator, so
/// the second sees the same versions as the first, and a file left over would make Box's upload
/// a 409.
const PYTEST_TESTS: &str = r#"import asyncio, io

import pytest
from box_sdk_gen.managers.uploads import UploadFileAttributes, UploadFileAttributesParentField


@pytest.mark.parametrize("run", [1, 2])
def test_graph_keeps_each_upload_as_a_version(graph, run):
    async def versions():
        items = graph.drives.by_drive_id((await graph.me.drive.get()).id).items
        for text in (b"one", b"two"):
            made = await items.by_drive_item_id("root:/notes.txt:").content.put(text)
        return [v.id for v in (await items.by_drive_item_id(made.id).versions.get()).value]
    assert asyncio.run(versions()) == ["2.0", "1.0"]


@pytest.mark.parametrize("run", [1, 2])
def test_box_starts_empty(box, run):
    attributes = UploadFileAttributes(name="a.txt", parent=UploadFileAttributesParentField(id="0"))
    file = box.uploads.upload_file(attributes, io.BytesIO(b"one")).entries[0]  # 409 if left over
    assert box.files.get_file_by_id(file.id).name == "a.txt"
"#;

/// Tests a user would write on the Vitest global setup: they read what it put in `process.env`.
const VITEST_TESTS: &str = r#"import { beforeEach, expect, test } from "vitest";

const { RESTORE_MOCK_ADMIN_URL, RESTORE_MOCK_GRAPH_URL } = process.env;
const auth = { Authorization: "Bearer any-token" };
beforeEach(() => fetch(RESTORE_MOCK_ADMIN_URL + "/reset", { method: "POST" }));

test.each([1, 2])("each upload is a version (run %i)", async () => {
  const file = RESTORE_MOCK_GRAPH_URL + "/me/drive/root:/notes.txt:";
  for (const body of ["one", "two"]) {
    await fetch(file + "/content", { method: "PUT", headers: auth, body });
  }
  const versions = await (await fetch(file + "/versions", { headers: auth })).json();
  expect(versions.value.map((v) => v.id)).toEqual(["2.0", "1.0"]);
});
"#;

/// A project directory of its own for each test, emptied first, holding `files`: (name, the
/// README block it holds) and (name, contents) for the test files.
fn project(name: &str, files: &[(&str, &str)], tests: (&str, &str)) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("exec-snippets-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (test_file, test_contents) = tests;
    std::fs::write(dir.join(test_file), test_contents).unwrap();
    for (file, kind) in files {
        std::fs::write(dir.join(file), snippet(kind)).unwrap();
    }
    dir
}

/// PATH with the built `restore-mock` first, then `extra`, then the caller's.
fn path_with(extra: &[PathBuf]) -> OsString {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_restore-mock"));
    let mut dirs = vec![binary.parent().unwrap().to_owned()];
    dirs.extend(extra.iter().cloned());
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).unwrap()
}

/// `program args` in `dir` with `path`, outside any emulator (no RESTORE_MOCK_* inherited).
fn command(dir: &Path, path: &OsString, program: &str, args: &[&str]) -> Command {
    let mut command = Command::new(program);
    command.args(args).current_dir(dir).env("PATH", path);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("RESTORE_MOCK_") {
            command.env_remove(name);
        }
    }
    command
}

fn assert_ran(output: &Output, expected: &str, what: &str) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains(expected),
        "{what} ({}): `{expected}` expected\n--- stdout\n{stdout}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The SDK virtual environment's `bin` (pytest, msgraph-sdk, boxsdk), made on first use.
fn venv_bin() -> PathBuf {
    crate::support::sdk_python().parent().unwrap().to_owned()
}

#[test]
fn the_pytest_fixture_runs_under_exec_and_starts_its_own_emulator_without() {
    // Arrange
    let dir = project(
        "pytest",
        &[("conftest.py", "pytest conftest.py")],
        ("test_versions.py", PYTEST_TESTS),
    );
    let path = path_with(&[venv_bin()]);

    // Act and assert: four tests pass (two per face, the second of each on a reset emulator).
    let mut under_exec = command(&dir, &path, "restore-mock", &["exec", "-q", "--", "pytest"]);
    assert_ran(
        &run_to_exit(&mut under_exec),
        "4 passed",
        "restore-mock exec -- pytest",
    );
    let mut alone = command(&dir, &path, "pytest", &[]);
    assert_ran(
        &run_to_exit(&mut alone),
        "4 passed",
        "pytest starting restore-mock",
    );
}

#[test]
fn the_vitest_global_setup_runs_under_exec_and_starts_its_own_emulator_without() {
    // Arrange: the pinned Vitest (tests/sdk/node) as the project's own `node_modules`, where
    // `npx` finds it without the network and the test file's `import "vitest"` resolves.
    let dir = project(
        "vitest",
        &[
            (
                "restore-mock.global-setup.mjs",
                "vitest restore-mock.global-setup.mjs",
            ),
            ("vitest.config.mjs", "vitest vitest.config.mjs"),
        ],
        ("versions.test.mjs", VITEST_TESTS),
    );
    let modules = crate::support::sdk_node().join("node_modules");
    std::os::unix::fs::symlink(&modules, dir.join("node_modules")).unwrap();
    let path = path_with(&[]);
    let vitest = |program: &str, args: &[&str]| {
        let mut vitest = command(&dir, &path, program, args);
        vitest.env("NO_COLOR", "1").env_remove("FORCE_COLOR");
        vitest
    };

    // Act and assert: Vitest's summary counts both runs as passed.
    let mut under_exec = vitest(
        "restore-mock",
        &["exec", "-q", "--", "npx", "vitest", "run"],
    );
    assert_ran(
        &run_to_exit(&mut under_exec),
        "Tests  2 passed (2)",
        "restore-mock exec -- npx vitest run",
    );
    let mut alone = vitest("npx", &["vitest", "run"]);
    assert_ran(
        &run_to_exit(&mut alone),
        "Tests  2 passed (2)",
        "npx vitest run starting restore-mock",
    );
}

#[test]
fn the_github_actions_job_runs_its_shell_steps() {
    // Arrange: the job's `run:` steps, in the pytest snippets' project (the checkout). The
    // install steps would need the network: `cargo install` is skipped by the job itself when
    // restore-mock is on PATH (as after a cache hit), and the pip step is left out here because
    // the SDK virtual environment on PATH already has those packages.
    let job = snippet("github actions");
    let steps: Vec<&str> = job
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("- run: "))
        .collect();
    let (skipped, run): (Vec<&str>, Vec<&str>) = steps
        .iter()
        .partition(|step| step.starts_with("pip install"));
    assert_eq!(skipped, ["pip install pytest msgraph-sdk boxsdk"]);
    assert_eq!(run.len(), 2, "{job}");
    let dir = project(
        "actions",
        &[("conftest.py", "pytest conftest.py")],
        ("test_versions.py", PYTEST_TESTS),
    );
    let path = path_with(&[venv_bin()]);

    // Act and assert: each step as Actions runs one (`bash -e`), the last one the tests.
    let mut outputs = Vec::new();
    for step in &run {
        assert!(
            !step.contains("${{"),
            "a step the shell can run alone: {step}"
        );
        let mut bash = command(
            &dir,
            &path,
            "bash",
            &["--noprofile", "--norc", "-eo", "pipefail", "-c", step],
        );
        let output = run_to_exit(&mut bash);
        assert!(
            output.status.success(),
            "{step}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        outputs.push(output);
    }
    let binary = Path::new(env!("CARGO_BIN_EXE_restore-mock"));
    assert_eq!(
        String::from_utf8_lossy(&outputs[0].stdout).trim(),
        binary.display().to_string(),
        "the install step found restore-mock and built nothing"
    );
    assert_ran(&outputs[1], "4 passed", "the job's test step");
}
