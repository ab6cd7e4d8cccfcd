//! Where the binary's log lines go on their way to stderr (or `exec --log-file`): a bounded
//! buffer in memory that a thread of its own ([`THREAD_NAME`]) writes out a few milliseconds
//! after the first line arrives, and once more when the [`LogGuard`] is dropped at shutdown.
//!
//! The access log writes a line per API request. Written straight to stderr, each line was a
//! `write` system call on the request's own thread (and, to a terminal or a slow pipe, a wait);
//! here a request copies its line into memory under a short lock. When the buffer is full
//! because the output cannot keep up, lines are dropped rather than making requests wait, and
//! their number is written as a line of its own, `restore-mock: N log lines dropped …`.

use std::io::{self, Write};
use std::mem;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::{self, JoinHandle, Thread};
use std::time::Duration;

use tracing_subscriber::fmt::MakeWriter;

/// The writer thread's name (the kernel keeps 15 bytes of it: `restore-mock-lo`).
pub const THREAD_NAME: &str = "restore-mock-log";

/// At most this many bytes wait in memory: several thousand lines, far more than a few
/// milliseconds of traffic, so lines are only dropped when the output itself stalls.
const CAPACITY: usize = 1 << 20;

/// How long the writer lets lines gather after the first: a person watching sees no lag, and
/// under load the output gets one `write` per this long instead of one per request.
const GATHER: Duration = Duration::from_millis(5);

/// Hands the subscriber a writer per line; see the module's docs.
#[derive(Debug, Clone)]
pub struct LogWriter {
    shared: Arc<Shared>,
}

/// Stops the writer thread when dropped, after it has written every line still buffered.
#[derive(Debug)]
pub struct LogGuard {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Debug, Default)]
struct Shared {
    pending: Mutex<Pending>,
    stop: AtomicBool,
    /// The writer thread, woken when a line lands in an empty buffer.
    writer: OnceLock<Thread>,
}

#[derive(Debug, Default)]
struct Pending {
    bytes: Vec<u8>,
    dropped: u64,
}

/// Starts the writer thread, writing to `sink`.
pub fn start(sink: impl Write + Send + 'static) -> io::Result<(LogWriter, LogGuard)> {
    let shared = Arc::new(Shared::default());
    let thread = thread::Builder::new().name(THREAD_NAME.to_owned()).spawn({
        let shared = shared.clone();
        move || write_out(&shared, sink)
    })?;
    let _ = shared.writer.set(thread.thread().clone());
    Ok((
        LogWriter {
            shared: shared.clone(),
        },
        LogGuard {
            shared,
            thread: Some(thread),
        },
    ))
}

/// The writer thread: sleeps until a line arrives, lets more gather, writes them all at once.
fn write_out(shared: &Shared, mut sink: impl Write) {
    let mut out = Vec::new();
    loop {
        // Read before taking the lines, so that every line written before the stop goes out.
        let stopping = shared.stop.load(Ordering::Acquire);
        let dropped = {
            let mut pending = shared.lock();
            mem::swap(&mut pending.bytes, &mut out);
            mem::take(&mut pending.dropped)
        };
        if dropped > 0 {
            let _ = writeln!(
                out,
                "restore-mock: {dropped} log lines dropped: the log's output did not keep up"
            );
        }
        if !out.is_empty() {
            // Nowhere to report a failing stderr; the lines are lost either way.
            let _ = sink.write_all(&out).and_then(|()| sink.flush());
            out.clear();
        }
        if stopping {
            return;
        }
        thread::park();
        if !shared.stop.load(Ordering::Acquire) {
            thread::sleep(GATHER);
        }
    }
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// One line's writer: the subscriber formats a whole line, then writes it in one call.
#[derive(Debug)]
pub struct Appender<'a> {
    shared: &'a Shared,
}

impl Write for Appender<'_> {
    fn write(&mut self, line: &[u8]) -> io::Result<usize> {
        let was_empty = {
            let mut pending = self.shared.lock();
            let was_empty = pending.bytes.is_empty();
            if pending.bytes.len() + line.len() > CAPACITY {
                pending.dropped += 1;
            } else {
                pending.bytes.extend_from_slice(line);
            }
            was_empty
        };
        // Only the first line after a write-out wakes the writer: later ones find it awake.
        if was_empty {
            if let Some(writer) = self.shared.writer.get() {
                writer.unpark();
            }
        }
        Ok(line.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for LogWriter {
    type Writer = Appender<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        Appender {
            shared: &self.shared,
        }
    }
}

impl Drop for LogGuard {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sink the test can read after the writer has stopped.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn every_line_is_written_by_the_time_the_guard_is_dropped() {
        let sink = Captured::default();
        let (writer, guard) = start(sink.clone()).unwrap();
        for n in 0..1000 {
            writer
                .make_writer()
                .write_all(format!("line {n}\n").as_bytes())
                .unwrap();
        }
        drop(guard);
        let written = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        let expected: String = (0..1000).map(|n| format!("line {n}\n")).collect();
        assert_eq!(written, expected);
    }

    #[test]
    fn lines_past_the_capacity_are_dropped_and_counted_not_waited_for() {
        // A sink that takes nothing until the test lets it: the buffer fills.
        let gate = Arc::new(Mutex::new(()));
        struct Gated(Arc<Mutex<()>>, Captured);
        impl Write for Gated {
            fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
                let _open = self.0.lock().unwrap();
                self.1.write(bytes)
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let sink = Captured::default();
        let closed = gate.lock().unwrap();
        let (writer, guard) = start(Gated(gate.clone(), sink.clone())).unwrap();
        let mut line = vec![b'x'; 1023];
        line.push(b'\n');
        // The writer takes at most one buffer's worth before it waits at the gate, and the
        // buffer holds another: of three buffers' worth, at least one is dropped.
        let lines = 3 * CAPACITY / line.len();
        for _ in 0..lines {
            writer.make_writer().write_all(&line).unwrap();
        }
        drop(closed);
        drop(guard);
        let written = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        let kept = written.lines().filter(|l| l.starts_with('x')).count();
        let reported: usize = written
            .lines()
            .filter_map(|l| l.strip_prefix("restore-mock: "))
            .filter_map(|l| l.strip_suffix(" log lines dropped: the log's output did not keep up"))
            .map(|n| n.parse::<usize>().unwrap())
            .sum();
        assert!(kept <= 2 * CAPACITY / line.len(), "{kept} lines kept");
        assert_eq!(reported, lines - kept);
    }
}
