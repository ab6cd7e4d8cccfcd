//! The log of delivery attempts: every try of every delivery, bounded, for the admin API, the
//! admin page and the `Emulator` handle.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::Delivery;
use crate::store::ItemId;

/// How many attempts are kept; the oldest go first. Enough for any test, small enough that a
/// benchmark with a slow receiver never grows it past a few megabytes.
pub(crate) const KEPT: usize = 10_000;

/// One try of one delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeliveryAttempt {
    /// Increasing over the emulator's life (a reset starts it again).
    pub seq: u64,
    /// `graph` (change notification, or the validation request) or `box` (webhook).
    pub api: &'static str,
    /// The Graph subscription's or the Box webhook's id.
    pub subscription: String,
    /// `notification`, `validation` or `webhook`.
    pub kind: &'static str,
    /// The receiver's URL, as the request went out.
    pub target: String,
    /// 1 for the first try.
    pub attempt: u32,
    /// When it went out, on the emulator's clock.
    pub time: DateTime<Utc>,
    /// The receiver's status; `null` when it gave none (refused, timed out).
    pub status: Option<u16>,
    /// From sending the request to the end of the reply, in microseconds.
    pub latency_us: u64,
    /// Why the attempt failed, if it did (a non-2xx status is a failure too).
    pub error: Option<String>,
    /// `delivered`, `retrying` (another attempt follows), `gave_up` (the last allowed attempt
    /// failed), `dropped` (never sent: the subscription's queue was full) or `refused` (a
    /// validation request the receiver did not answer as Graph wants).
    pub outcome: &'static str,
    /// The request id (as its client saw it) of the request whose change this reports.
    pub cause: Option<String>,
    /// The change-log position of the change it reports; `null` for a validation request.
    pub change: Option<u64>,
    /// The file or folder that changed (the journal's `item` of the request that changed it).
    pub item: Option<ItemId>,
    /// Box's event id (the body's `id`, the same on every retry); `null` for Graph.
    pub event: Option<String>,
}

/// An attempt as the log keeps it: strings shared with the delivery, so that recording one
/// copies nothing. A slow receiver's full queue drops a delivery for each new one, on the
/// dispatcher's path, and each is recorded; a `DeliveryAttempt` is made only when the log is read.
#[derive(Debug, Clone)]
pub(crate) struct Kept {
    pub api: &'static str,
    pub subscription: Arc<str>,
    pub kind: &'static str,
    pub target: Arc<str>,
    pub attempt: u32,
    pub time: DateTime<Utc>,
    pub status: Option<u16>,
    pub latency_us: u64,
    pub error: Option<Cow<'static, str>>,
    pub outcome: &'static str,
    pub cause: Option<Arc<str>>,
    pub change: Option<u64>,
    pub item: Option<ItemId>,
    pub event: Option<Uuid>,
}

impl Kept {
    /// One try of `delivery` (attempt 0, never sent, for one dropped from a full queue).
    pub fn of(
        delivery: &Delivery,
        attempt: u32,
        time: DateTime<Utc>,
        status: Option<u16>,
        latency: Duration,
        error: Option<Cow<'static, str>>,
        outcome: &'static str,
    ) -> Self {
        let occasion = &delivery.occasion;
        Kept {
            api: occasion.api.as_str(),
            subscription: delivery.subscription.clone(),
            kind: occasion.kind,
            target: delivery.receiver.url(),
            attempt,
            time,
            status,
            latency_us: u64::try_from(latency.as_micros()).unwrap_or(u64::MAX),
            error,
            outcome,
            cause: occasion.cause.clone(),
            change: occasion.change,
            item: occasion.item,
            event: delivery.event,
        }
    }

    fn attempt(&self, seq: u64) -> DeliveryAttempt {
        DeliveryAttempt {
            seq,
            api: self.api,
            subscription: self.subscription.to_string(),
            kind: self.kind,
            target: self.target.to_string(),
            attempt: self.attempt,
            time: self.time,
            status: self.status,
            latency_us: self.latency_us,
            error: self.error.as_ref().map(|e| e.to_string()),
            outcome: self.outcome,
            cause: self.cause.as_ref().map(|c| c.to_string()),
            change: self.change,
            item: self.item,
            event: self.event.map(|e| e.hyphenated().to_string()),
        }
    }
}

impl From<DeliveryAttempt> for Kept {
    fn from(a: DeliveryAttempt) -> Self {
        Kept {
            api: a.api,
            subscription: a.subscription.into(),
            kind: a.kind,
            target: a.target.into(),
            attempt: a.attempt,
            time: a.time,
            status: a.status,
            latency_us: a.latency_us,
            error: a.error.map(Cow::Owned),
            outcome: a.outcome,
            cause: a.cause.map(Arc::from),
            change: a.change,
            item: a.item,
            // Only Graph's validation requests are recorded this way, and they have no event.
            event: a.event.and_then(|e| e.parse().ok()),
        }
    }
}

/// The attempts, oldest first.
#[derive(Debug, Default)]
pub(crate) struct Attempts {
    inner: Mutex<Log>,
}

#[derive(Debug, Default)]
struct Log {
    next_seq: u64,
    /// Each with its sequence number.
    entries: VecDeque<(u64, Kept)>,
}

impl Attempts {
    /// Records `attempt`, giving it the next sequence number.
    pub fn record(&self, attempt: Kept) {
        let mut log = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        log.next_seq += 1;
        let seq = log.next_seq;
        if log.entries.len() == KEPT {
            log.entries.pop_front();
        }
        log.entries.push_back((seq, attempt));
    }

    /// The attempts that pass `keep`, oldest first.
    pub fn matching(&self, keep: impl Fn(&DeliveryAttempt) -> bool) -> Vec<DeliveryAttempt> {
        let log = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        (log.entries.iter())
            .map(|(seq, kept)| kept.attempt(*seq))
            .filter(|a| keep(a))
            .collect()
    }

    /// The newest `limit` attempts that pass `keep`, newest first.
    pub fn newest(
        &self,
        limit: usize,
        keep: impl Fn(&DeliveryAttempt) -> bool,
    ) -> Vec<DeliveryAttempt> {
        let log = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        (log.entries.iter().rev())
            .map(|(seq, kept)| kept.attempt(*seq))
            .filter(|a| keep(a))
            .take(limit)
            .collect()
    }

    pub fn clear(&self) {
        let mut log = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        *log = Log::default();
    }
}
