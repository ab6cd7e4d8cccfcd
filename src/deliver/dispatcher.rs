//! The reader of the store's change log that feeds both faces' push outlets: one task per
//! server, which wakes when the log moves, reads what was added since it last read, and hands
//! each entry to Graph's subscriptions and Box's webhooks, which queue their deliveries.
//!
//! It starts at the log's newest position when the server starts (a restart does not replay
//! history to receivers) and publishes how far it has read, so that "settle" can wait for the
//! entries committed before it was asked to be handed on.

use crate::state::AppState;
use crate::store::{ChangeFilter, ChangeLogError};
use crate::{box_api, onedrive};

/// Entries read per call: a page of the log costs the page.
const PAGE: usize = 1_000;

/// Runs until the task is aborted (when the server stops).
pub(crate) async fn run(state: AppState) {
    let mut moved = state.store.subscribe_changes();
    let mut cursor = state.store.latest_position();
    state.deliveries.dispatched_to(cursor);
    let every = ChangeFilter::default();
    loop {
        loop {
            match state.store.changes_since(cursor, PAGE, &every) {
                Ok(page) => {
                    for entry in &page.entries {
                        onedrive::subscriptions::outlet::on_change(&state, entry);
                        box_api::webhooks::outlet::on_change(&state, entry);
                    }
                    cursor = page.next;
                    if !page.more {
                        break;
                    }
                }
                // A reset (or the window) dropped entries this reader had not read: they are
                // gone for every reader; go on from the oldest kept.
                Err(ChangeLogError::TooOld { floor, .. }) => cursor = floor,
                Err(ChangeLogError::Ahead { latest, .. }) => cursor = latest,
                Err(ChangeLogError::Store(_)) => break,
            }
        }
        state.deliveries.dispatched_to(cursor);
        // Lets the requests that woke it run first, so that under load it reads the changes
        // of several of them in one page rather than one lock and one wake each.
        tokio::task::yield_now().await;
        if moved.changed().await.is_err() {
            return;
        }
    }
}
