//! The two runtimes of a run: the server's, whose threads carry [`SERVER_THREAD`] as their name
//! so that `cpu::ThreadCpu` can count their CPU time alone, and the load generator's.

use tokio::runtime::{Builder, Runtime};

/// The name of every server thread (at most 15 bytes: the kernel's `comm` limit).
pub const SERVER_THREAD: &str = "rm-bench-server";
pub const CLIENT_THREAD: &str = "rm-bench-client";

pub fn server(threads: usize) -> Runtime {
    build(threads, SERVER_THREAD)
}

pub fn client(threads: usize) -> Runtime {
    build(threads, CLIENT_THREAD)
}

fn build(threads: usize, name: &str) -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(threads.max(1))
        .thread_name(name)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}
