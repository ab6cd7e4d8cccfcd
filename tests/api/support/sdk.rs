//! The official SDKs the flows under `tests/sdk/` run: a Python venv and pinned Node modules,
//! made under the target directory on first use, and runners that fail with the script's output.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// Cargo's target directory (`CARGO_TARGET_DIR` when set, else `target/`): where the SDKs'
/// environments go, so that they are cleaned with the build and never land in the source tree.
pub fn target_dir() -> PathBuf {
    // Cargo gives integration tests `<target dir>/tmp`; its parent honours every way of moving
    // the target directory (the variable, `--target-dir`, `build.target-dir`).
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).to_owned()
}

/// The Python interpreter of a virtual environment holding the official SDKs
/// (`tests/sdk/requirements.txt`), made under the target directory on first use.
pub fn sdk_python() -> PathBuf {
    static READY: Mutex<bool> = Mutex::new(false);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let venv = target_dir().join("sdk-venv");
    let python = venv.join("bin").join("python");
    let requirements = root.join("tests").join("sdk").join("requirements.txt");
    let stamp = venv.join("installed-requirements.txt");
    let mut ready = READY.lock().unwrap_or_else(|e| e.into_inner());
    if *ready {
        return python;
    }
    let wanted = std::fs::read_to_string(&requirements).expect("tests/sdk/requirements.txt");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str()) {
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv));
        run(Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(&requirements));
        std::fs::write(&stamp, wanted).expect("write the venv stamp");
    }
    *ready = true;
    python
}

/// A directory holding the official Node SDKs at the versions `tests/sdk/node/package-lock.json`
/// pins (`npm ci`), made under the target directory on first use; scripts placed in it find them.
pub fn sdk_node() -> PathBuf {
    static READY: Mutex<bool> = Mutex::new(false);
    let pinned = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("sdk")
        .join("node");
    let dir = target_dir().join("sdk-node");
    let stamp = dir.join("installed-package-lock.json");
    let mut ready = READY.lock().unwrap_or_else(|e| e.into_inner());
    if *ready {
        return dir;
    }
    let lock = std::fs::read_to_string(pinned.join("package-lock.json"))
        .expect("tests/sdk/node/package-lock.json");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(lock.as_str()) {
        std::fs::create_dir_all(&dir).expect("make the node SDK directory");
        for file in ["package.json", "package-lock.json"] {
            std::fs::copy(pinned.join(file), dir.join(file)).expect("copy the npm manifest");
        }
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir));
        std::fs::write(&stamp, lock).expect("write the node_modules stamp");
    }
    *ready = true;
    dir
}

/// Runs `tests/sdk/{script}` with the SDK interpreter and `args`; panics with its output on failure.
pub fn run_sdk_script(script: &str, args: &[&str]) -> String {
    run_sdk_script_with_env(script, args, &[])
}

/// `run_sdk_script` with the emulator's base URL as its one argument, on tokio's blocking pool:
/// the script blocks, and the emulator it talks to needs the runtime's threads.
pub async fn run_sdk_script_off_runtime(script: &'static str, base_url: &str) -> String {
    let base_url = base_url.to_owned();
    tokio::task::spawn_blocking(move || run_sdk_script(script, &[&base_url]))
        .await
        .expect("the SDK script ran")
}

/// `run_sdk_script` with extra environment variables (a CA bundle for HTTPS, say).
pub fn run_sdk_script_with_env(script: &str, args: &[&str], env: &[(&str, &Path)]) -> String {
    let mut command = Command::new(sdk_python());
    command.arg(sdk_dir().join(script));
    run_script(command, script, args, env)
}

/// Runs `tests/sdk/node/{script}` with node, finding the pinned SDKs of `sdk_node()` through
/// `NODE_PATH`, with `args` and `env`; panics with its output on failure.
pub fn run_node_script(script: &str, args: &[&str], env: &[(&str, &Path)]) -> String {
    let modules = sdk_node().join("node_modules");
    let mut command = Command::new("node");
    command
        .arg(sdk_dir().join("node").join(script))
        .env("NODE_PATH", modules);
    run_script(command, script, args, env)
}

fn sdk_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("sdk")
}

/// Runs an SDK script and returns its stdout; panics with stdout and stderr if it fails.
fn run_script(mut command: Command, script: &str, args: &[&str], env: &[(&str, &Path)]) -> String {
    let output = command
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("cannot start {script}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{script} failed\n--- stdout\n{stdout}\n--- stderr\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn run(command: &mut Command) {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?} failed\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
