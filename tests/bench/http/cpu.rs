//! The server's own CPU time, told apart from the load generator's in one process: the server
//! runs on a runtime whose threads carry a distinctive name, and this sums those threads' time.
//!
//! `/proc/self/task/*/schedstat` gives on-CPU nanoseconds per thread; where the kernel has no
//! schedstat, `utime + stime` from `/proc/self/task/*/stat` (clock ticks, 10 ms) is the fallback.

use std::fs;
use std::time::Duration;

/// Linux's USER_HZ, the unit of `utime`/`stime`; 100 on every mainstream architecture.
const TICKS_PER_SECOND: u64 = 100;

/// Reads the CPU time of every thread whose name (`comm`) is one of `names`.
#[derive(Debug, Clone)]
pub struct ThreadCpu {
    names: Vec<String>,
}

impl ThreadCpu {
    pub fn new(name: &str) -> Self {
        Self::of(&[name])
    }

    /// Threads of any of these names: the server's work is done on its runtime's threads and on
    /// the log writer's thread.
    pub fn of(names: &[&str]) -> Self {
        // The kernel keeps the first 15 bytes of a thread's name.
        Self {
            names: names.iter().map(|n| n.chars().take(15).collect()).collect(),
        }
    }

    /// Total CPU time so far of the named threads that are alive now.
    pub fn total(&self) -> Duration {
        let Ok(tasks) = fs::read_dir("/proc/self/task") else {
            return Duration::ZERO;
        };
        tasks
            .flatten()
            .filter(|task| {
                fs::read_to_string(task.path().join("comm"))
                    .is_ok_and(|comm| self.names.iter().any(|n| comm.trim_end() == n))
            })
            .map(|task| {
                fs::read_to_string(task.path().join("schedstat"))
                    .ok()
                    .and_then(|s| parse_schedstat(&s))
                    .or_else(|| {
                        fs::read_to_string(task.path().join("stat"))
                            .ok()
                            .and_then(|s| parse_stat(&s))
                    })
                    .unwrap_or(Duration::ZERO)
            })
            .sum()
    }
}

/// The first field of `schedstat`: nanoseconds spent on a CPU.
fn parse_schedstat(text: &str) -> Option<Duration> {
    let nanos = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// `utime + stime` (fields 14 and 15) of a `stat` line. The name in parentheses may itself
/// hold spaces or parentheses, so fields are counted from the last `)`.
fn parse_stat(text: &str) -> Option<Duration> {
    let rest = &text[text.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    // After the name come state (field 3) … utime is field 14, i.e. the 12th after the name.
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis(
        (utime + stime) * 1000 / TICKS_PER_SECOND,
    ))
}
