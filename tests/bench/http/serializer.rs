//! What serde_json alone takes to write a listing's reply, beside the listing's row: the reply
//! is parsed once into a `serde_json::Value`, then written again and again on this thread into
//! one buffer kept between writes, with no HTTP, store or handler around it.
//!
//! A listing is held to 1.5 × the CPU of a route that answers the same bytes. When writing the
//! JSON alone costs more than that, no work elsewhere can meet the target while each reply is
//! serialized per request. The figure is a little high for the emulator, whose replies are typed
//! structs with borrowed fields: in a standalone check those were 0 to 20 % faster than the
//! `Value` on the same two pages.

use std::time::{Duration, Instant};

/// Each batch writes the reply for at least this long; the figure is the fastest batch, as the
/// least disturbed by the rest of the machine.
const BATCH: Duration = Duration::from_millis(40);
const BATCHES: usize = 5;

/// Microseconds serde_json takes to write `reply` once; `None` when it is not JSON.
pub fn write_us(reply: &[u8]) -> Option<f64> {
    let value: serde_json::Value = serde_json::from_slice(reply).ok()?;
    let mut out = Vec::with_capacity(reply.len());
    let fastest = (0..BATCHES)
        .map(|_| {
            let (started, mut writes) = (Instant::now(), 0u32);
            while started.elapsed() < BATCH {
                out.clear();
                serde_json::to_writer(&mut out, &value).ok()?;
                std::hint::black_box(&out);
                writes += 1;
            }
            Some(started.elapsed().as_secs_f64() * 1e6 / f64::from(writes))
        })
        .collect::<Option<Vec<f64>>>()?;
    fastest.into_iter().reduce(f64::min)
}
