//! Deliveries: the calls the emulator makes to its clients' receivers, for both faces' push
//! outlets (Graph change notifications in `onedrive::subscriptions`, Box webhooks in
//! `box_api::webhooks`).
//!
//! Each subscription (or webhook) has its own queue and its own tokio task, so deliveries leave
//! the request path (a change never waits for a receiver), go out one at a time in the order
//! they were queued, and a slow receiver holds up only its own subscription. An `https://`
//! receiver is called over TLS. A failed attempt (no connection, a TLS handshake that fails or a
//! certificate the emulator does not trust, no reply within the timeout, a status other than
//! 2xx) is retried with exponential back-off, a bounded number of times, then given up; a queue
//! holds at most `MAX_QUEUED` deliveries, dropping the oldest past that, so a receiver that
//! never answers costs bounded memory. Back-off and timeouts run on real time (a frozen emulator clock would otherwise stop
//! them); the times recorded follow the emulator's clock.
//!
//! Every attempt is kept (`attempts`) and shown by `GET /__admin/deliveries`;
//! `POST /__admin/deliveries/settle` and `Emulator::settle_deliveries` wait until no delivery is
//! queued, in flight or waiting to be retried. Deleting a subscription, or an admin reset,
//! drops its queue and stops its task.
//!
//! - `dispatcher`: the one reader of the store's change log that hands each change to the
//!   faces' outlets;
//! - `receiver`: the receiver's address and the `http://`/`https://` rule;
//! - `client`: the outgoing `POST`, over TLS for `https://` receivers;
//! - `trust`: the certificates an `https://` receiver may present (the emulator's own CA,
//!   `--receiver-ca-file`, the system's bundle);
//! - `attempts`: the log of attempts.

pub(crate) mod attempts;
pub(crate) mod client;
pub(crate) mod dispatcher;
pub(crate) mod receiver;
pub(crate) mod trust;

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderName, HeaderValue};
use chrono::{DateTime, Utc};
use tokio::sync::{watch, Notify};
use tokio::task::AbortHandle;
use uuid::Uuid;

pub use attempts::DeliveryAttempt;
use attempts::{Attempts, Kept};
use receiver::Receiver;
use trust::Trust;

use crate::control::clock::Clock;
use crate::control::journal::Api;
use crate::store::ItemId;

/// The most deliveries one subscription's queue holds; past it the oldest queued one is dropped
/// (and recorded as `dropped`).
pub(crate) const MAX_QUEUED: usize = 1_000;

/// The error recorded for a delivery dropped from a full queue (`MAX_QUEUED`).
const DROPPED: &str = "not sent: more than 1000 deliveries were waiting for this subscription";

/// Headers made anew for each attempt from the body (Box's delivery id, timestamp and
/// signatures).
pub(crate) type Stamp = Arc<dyn Fn(&[u8]) -> Vec<(HeaderName, HeaderValue)> + Send + Sync>;

/// How often, and how patiently, a delivery is tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RetryPolicy {
    /// Attempts after the first.
    pub retries: u32,
    /// The wait after the first failure; each later wait doubles, up to `max_backoff`.
    pub first_backoff: Duration,
    pub max_backoff: Duration,
    /// How long a receiver has to answer.
    pub timeout: Duration,
}

/// What the configuration changes in every face's policy (`--delivery-backoff-ms`,
/// `--delivery-retries`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tuning {
    pub first_backoff: Duration,
    pub retries: Option<u32>,
}

impl Tuning {
    /// `policy` with the configured first wait and, if set, number of retries.
    pub fn apply(self, policy: RetryPolicy) -> RetryPolicy {
        RetryPolicy {
            first_backoff: self.first_backoff,
            retries: self.retries.unwrap_or(policy.retries),
            ..policy
        }
    }
}

impl RetryPolicy {
    /// The wait after the `failed`-th failed attempt (1-based).
    fn backoff(&self, failed: u32) -> Duration {
        let doubled = self
            .first_backoff
            .saturating_mul(1u32 << failed.saturating_sub(1).min(20));
        doubled.min(self.max_backoff)
    }
}

/// What the deliveries of one change have in common: made once per change, however many
/// subscriptions hear it, so that queueing a delivery (and dropping one from a slow receiver's
/// full queue) costs a few reference counts rather than copies.
pub(crate) struct Occasion {
    pub api: Api,
    /// When the change was made, on the emulator's clock: also when the deliveries its own
    /// displace from full queues are recorded as dropped.
    pub at: DateTime<Utc>,
    /// `notification` or `webhook`.
    pub kind: &'static str,
    pub body: Body,
    /// Headers every attempt carries.
    pub headers: &'static [(HeaderName, HeaderValue)],
    /// Headers made per attempt.
    pub stamp: Option<Stamp>,
    /// The request id (as its client saw it) of the request that caused the change, when known.
    pub cause: Option<Arc<str>>,
    /// The change log position of the change it reports.
    pub change: Option<u64>,
    /// The item that changed.
    pub item: Option<ItemId>,
    /// A delivery that says only "something changed" (Graph's): not queued when one is already
    /// waiting for the same subscription, which will say the same.
    pub coalesce: bool,
    pub policy: RetryPolicy,
}

/// A delivery's body: made when it is queued, or for each delivery when it first goes out, so
/// that one dropped from a full queue (a slow receiver) never costs the dispatcher its
/// serialization.
pub(crate) enum Body {
    Ready(Bytes),
    PerDelivery(Box<dyn Fn(&Delivery) -> Bytes + Send + Sync>),
}

/// One call to make: an occasion's body for a receiver, on behalf of one subscription.
pub(crate) struct Delivery {
    pub occasion: Arc<Occasion>,
    pub subscription: Arc<str>,
    pub receiver: Receiver,
    /// Box's event id (the body's `id`, the same on every retry).
    pub event: Option<Uuid>,
}

impl Delivery {
    /// The body, made now if it is made per delivery.
    fn body(&self) -> Bytes {
        match &self.occasion.body {
            Body::Ready(body) => body.clone(),
            Body::PerDelivery(make) => make(self),
        }
    }
}

/// A subscription's queue, by face (`Api::as_str`) and subscription id.
type OutletKey = (&'static str, Arc<str>);

/// Every subscription's queue and task, and the attempts they made.
pub(crate) struct Deliveries {
    outlets: Mutex<HashMap<OutletKey, Arc<Outlet>>>,
    shared: Arc<Shared>,
    /// The change-log position up to which the dispatcher has handed entries to the outlets.
    dispatched: watch::Sender<u64>,
}

/// What the tasks share with the handle.
struct Shared {
    attempts: Attempts,
    clock: Arc<Clock>,
    /// The roots `https://` receivers are checked against.
    trust: Trust,
    /// Woken whenever a delivery ends, for `settle`.
    settled: Notify,
}

/// One subscription's queue.
struct Outlet {
    queue: Mutex<VecDeque<Delivery>>,
    /// Queued plus in flight (retry waits included).
    outstanding: AtomicUsize,
    wake: Notify,
    task: Mutex<Option<AbortHandle>>,
}

impl Deliveries {
    pub fn new(clock: Arc<Clock>, trust: Trust) -> Self {
        Self {
            outlets: Mutex::new(HashMap::new()),
            shared: Arc::new(Shared {
                attempts: Attempts::default(),
                clock,
                trust,
                settled: Notify::new(),
            }),
            dispatched: watch::Sender::new(0),
        }
    }

    /// Notes that every change-log entry up to `position` has been handed to the outlets.
    pub fn dispatched_to(&self, position: u64) {
        self.dispatched.send_replace(position);
    }

    /// Waits until the dispatcher has handed on every entry up to `position`, at most until
    /// `deadline`; whether it has.
    pub async fn dispatched(&self, position: u64, deadline: tokio::time::Instant) -> bool {
        let mut seen = self.dispatched.subscribe();
        let reached = tokio::time::timeout_at(deadline, seen.wait_for(|at| *at >= position)).await;
        matches!(reached, Ok(Ok(_)))
    }

    /// Queues `delivery` on its subscription's queue, starting the subscription's task on first
    /// use. Returns at once.
    pub fn enqueue(&self, delivery: Delivery) {
        let key = (
            delivery.occasion.api.as_str(),
            delivery.subscription.clone(),
        );
        let outlet = {
            let mut outlets = self.outlets.lock().unwrap_or_else(|e| e.into_inner());
            match outlets.get(&key) {
                Some(outlet) => outlet.clone(),
                None => {
                    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
                        // Only a caller outside any runtime gets here; nothing could deliver.
                        return;
                    };
                    let outlet = Arc::new(Outlet {
                        queue: Mutex::new(VecDeque::new()),
                        outstanding: AtomicUsize::new(0),
                        wake: Notify::new(),
                        task: Mutex::new(None),
                    });
                    let task = runtime.spawn(work(self.shared.clone(), outlet.clone()));
                    *outlet.task.lock().unwrap_or_else(|e| e.into_inner()) =
                        Some(task.abort_handle());
                    outlets.insert(key, outlet.clone());
                    outlet
                }
            }
        };
        let at = delivery.occasion.at;
        let dropped = {
            let mut queue = outlet.queue.lock().unwrap_or_else(|e| e.into_inner());
            if delivery.occasion.coalesce && !queue.is_empty() {
                return;
            }
            let dropped = match queue.len() >= MAX_QUEUED {
                true => queue.pop_front(),
                false => {
                    outlet.outstanding.fetch_add(1, Ordering::SeqCst);
                    None
                }
            };
            queue.push_back(delivery);
            dropped
        };
        outlet.wake.notify_one();
        if let Some(dropped) = dropped {
            let why = Some(Cow::Borrowed(DROPPED));
            let kept = Kept::of(&dropped, 0, at, None, Duration::ZERO, why, "dropped");
            self.shared.attempts.record(kept);
        }
    }

    /// Drops a subscription's queue and stops its task (a delivery in flight is cut off).
    pub fn close(&self, api: Api, subscription: &str) {
        let removed = self
            .outlets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&(api.as_str(), Arc::from(subscription)));
        if let Some(outlet) = removed {
            outlet.stop();
        }
        self.shared.settled.notify_waiters();
    }

    /// Drops every queue and the attempts: what an admin reset does.
    pub fn clear(&self) {
        let outlets: Vec<_> = self
            .outlets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drain()
            .map(|(_, outlet)| outlet)
            .collect();
        for outlet in outlets {
            outlet.stop();
        }
        self.shared.attempts.clear();
        self.shared.settled.notify_waiters();
    }

    /// Deliveries queued, in flight or waiting to be retried.
    pub fn outstanding(&self) -> usize {
        self.outlets
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .map(|o| o.outstanding.load(Ordering::SeqCst))
            .sum()
    }

    /// Waits until no delivery is outstanding, at most until `deadline`; whether they all
    /// settled.
    pub async fn settle(&self, deadline: tokio::time::Instant) -> bool {
        loop {
            let notified = self.shared.settled.notified();
            tokio::pin!(notified);
            // Registered before the check, so an end between the check and the wait wakes it.
            notified.as_mut().enable();
            if self.outstanding() == 0 {
                return true;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return self.outstanding() == 0;
            }
        }
    }

    /// The roots `https://` receivers are checked against, for calls made outside the queues.
    pub fn trust(&self) -> &Trust {
        &self.shared.trust
    }

    /// Records an attempt made outside the queues (Graph's validation request).
    pub fn record(&self, attempt: DeliveryAttempt) {
        self.shared.attempts.record(attempt.into());
    }

    /// The newest `limit` attempts that pass `keep`, newest first.
    pub fn newest_attempts(
        &self,
        limit: usize,
        keep: impl Fn(&DeliveryAttempt) -> bool,
    ) -> Vec<DeliveryAttempt> {
        self.shared.attempts.newest(limit, keep)
    }

    /// The attempts that pass `keep`, oldest first.
    pub fn attempts(&self, keep: impl Fn(&DeliveryAttempt) -> bool) -> Vec<DeliveryAttempt> {
        self.shared.attempts.matching(keep)
    }
}

impl Drop for Deliveries {
    /// The tasks end with the emulator, not with the runtime.
    fn drop(&mut self) {
        self.clear();
    }
}

impl Outlet {
    fn stop(&self) {
        if let Some(task) = self.task.lock().unwrap_or_else(|e| e.into_inner()).take() {
            task.abort();
        }
        self.queue.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

/// One subscription's task: its deliveries, one at a time, in order.
async fn work(shared: Arc<Shared>, outlet: Arc<Outlet>) {
    loop {
        let next = outlet
            .queue
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop_front();
        let Some(delivery) = next else {
            // `notify_one` keeps a permit when no one waits, so a delivery queued between the
            // pop and this wait is not missed.
            outlet.wake.notified().await;
            continue;
        };
        let body = delivery.body();
        deliver(&shared, &delivery, body).await;
        outlet.outstanding.fetch_sub(1, Ordering::SeqCst);
        shared.settled.notify_waiters();
    }
}

/// Tries `delivery` until a receiver takes it or the policy gives up.
async fn deliver(shared: &Shared, delivery: &Delivery, body: Bytes) {
    let policy = delivery.occasion.policy;
    for attempt in 1..=policy.retries.saturating_add(1) {
        let mut headers = delivery.occasion.headers.to_vec();
        if let Some(stamp) = &delivery.occasion.stamp {
            headers.extend(stamp(&body));
        }
        let time = shared.clock.now();
        let started = Instant::now();
        let result = client::post(
            &delivery.receiver,
            &headers,
            body.clone(),
            policy.timeout,
            &shared.trust,
        )
        .await;
        let latency = started.elapsed();
        let (status, error) = match result {
            Ok(reply) if reply.status.is_success() => (Some(reply.status.as_u16()), None),
            Ok(reply) => (
                Some(reply.status.as_u16()),
                Some(Cow::Owned(format!(
                    "the receiver answered {}",
                    reply.status
                ))),
            ),
            Err(e) => (None, Some(Cow::Owned(e.to_string()))),
        };
        let last = attempt > policy.retries;
        let outcome = match (&error, last) {
            (None, _) => "delivered",
            (Some(_), true) => "gave_up",
            (Some(_), false) => "retrying",
        };
        let done = error.is_none() || last;
        let kept = Kept::of(delivery, attempt, time, status, latency, error, outcome);
        shared.attempts.record(kept);
        if done {
            return;
        }
        tokio::time::sleep(policy.backoff(attempt)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dropped_message_names_the_queue_bound() {
        assert!(DROPPED.contains(&format!(" {MAX_QUEUED} ")));
    }

    #[test]
    fn back_off_doubles_from_the_first_wait_up_to_the_cap() {
        let policy = RetryPolicy {
            retries: 10,
            first_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(10),
            timeout: Duration::from_secs(1),
        };
        let waits: Vec<u64> = (1..=6).map(|n| policy.backoff(n).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 10, 10]);
    }
}
