//! Replies that wait for their writes to be kept, by awaiting rather than by blocking a runtime
//! worker.
//!
//! A durable store acknowledges a write once its commit is on disk, milliseconds of fsync later,
//! and shows a read once every change it saw is. Inside a request's `held` scope the store's
//! (synchronous) call returns as soon as the change applied (or the read was taken) and leaves
//! its wait here; the scope awaits every such wait before the reply goes out, so the worker
//! serves other requests meanwhile and one group commit answers many. Outside a scope (code
//! driving the store directly, fixtures at start-up, the admin API) the store blocks for it.

use std::cell::RefCell;
use std::future::Future;
use std::sync::mpsc;

use tokio::sync::oneshot;

use super::StoreError;

/// What became of one commit: `Err` says why it was not kept.
pub type Kept = Result<(), StoreError>;

tokio::task_local! {
    static WAITS: RefCell<Vec<oneshot::Receiver<Kept>>>;
}

/// Where the writer reports a commit's outcome.
#[derive(Debug)]
pub enum Report {
    /// To a `held` scope, which awaits it.
    Deferred(oneshot::Sender<Kept>),
    /// To a thread that blocks for it.
    Waiting(mpsc::SyncSender<Kept>),
}

/// What the caller of a write waits on.
#[derive(Debug)]
pub enum Wait {
    /// The `held` scope of the request waits.
    Deferred,
    Blocking(mpsc::Receiver<Kept>),
}

impl Report {
    pub fn send(self, kept: Kept) {
        // A receiver that is gone was a request whose client went away: nothing to tell.
        let _ = match self {
            Report::Deferred(sender) => sender.send(kept),
            Report::Waiting(sender) => sender.send(kept).map_err(|e| e.0),
        };
    }
}

/// A channel for one commit's outcome: the wait goes to the current request's `held` scope if
/// there is one, else to the caller.
pub fn report() -> (Report, Wait) {
    let (sender, receiver) = oneshot::channel();
    let deferred = WAITS.try_with(|waits| waits.borrow_mut().push(receiver));
    match deferred {
        Ok(()) => (Report::Deferred(sender), Wait::Deferred),
        Err(_) => {
            let (sender, receiver) = mpsc::sync_channel(1);
            (Report::Waiting(sender), Wait::Blocking(receiver))
        }
    }
}

impl Wait {
    /// The commit's outcome, blocking for it if this caller waits itself; `None` when the
    /// writer went away without saying. A deferred wait is `Ok` here: the scope reports it.
    pub fn settle(self) -> Option<Kept> {
        let Wait::Blocking(receiver) = self else {
            return Some(Ok(()));
        };
        let wait = || receiver.recv().ok();
        // On a multi-threaded runtime, let tokio move the worker's other tasks elsewhere while
        // this thread blocks for milliseconds.
        match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
            Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(wait),
            _ => wait(),
        }
    }
}

/// Runs a request's `work`, then waits until every write it made, and every write its reads
/// saw, is kept, whether the work succeeded or not (a failed request may have written before it
/// failed). One that was not kept makes the reply the store's error instead (a full disk's, or
/// another storage error): the reply never shows a change the disk did not keep.
pub async fn held<T, E: From<StoreError>>(
    work: impl Future<Output = Result<T, E>>,
) -> Result<T, E> {
    let (result, waits) = WAITS
        .scope(RefCell::new(Vec::new()), async {
            let result = work.await;
            (result, WAITS.with(RefCell::take))
        })
        .await;
    for wait in waits {
        match wait.await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => return Err(error.into()),
            Err(_) => {
                return Err(
                    StoreError::Storage("the store stopped before keeping it".into()).into(),
                )
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_wait_inside_a_scope_is_deferred_and_its_failure_is_the_reply() {
        let outcome: Result<u8, StoreError> = held(async {
            let (report, wait) = report();
            assert!(matches!(wait, Wait::Deferred));
            report.send(Err(StoreError::InsufficientStorage("disk full".into())));
            Ok(7)
        })
        .await;
        assert!(matches!(outcome, Err(StoreError::InsufficientStorage(e)) if e == "disk full"));
    }

    #[tokio::test]
    async fn a_wait_outside_a_scope_is_the_callers() {
        let (report, wait) = report();
        assert!(matches!(wait, Wait::Blocking(_)));
        report.send(Ok(()));
        assert!(matches!(wait.settle(), Some(Ok(()))));
    }
}
