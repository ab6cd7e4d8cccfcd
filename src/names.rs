//! The users that replies name (Box's user minis, Graph's identity sets), as the directory has
//! them when the reply is written: a reply refers to a user (Box shows a renamed user's new name
//! on everything that names them, and so does the Graph face here), while the store keeps on
//! each item, version, comment, task and lock the user as they were when it was made. Rewriting
//! every record on a rename would touch the whole store; instead each request's reply is written
//! inside a `scope` holding the store, and `current` looks the user up by id there (one map
//! lookup, no scan). Outside a scope (code driving the models directly) a reply shows the user
//! as kept.

use std::future::Future;
use std::sync::Arc;

use crate::store::{User, VersionStore};

tokio::task_local! {
    static STORE: Arc<dyn VersionStore>;
}

/// Runs `work` (a request's handler) with `store` answering `current`.
pub(crate) async fn scope<F: Future>(store: Arc<dyn VersionStore>, work: F) -> F::Output {
    STORE.scope(store, work).await
}

/// Runs `write` (a reply written outside a request, such as a webhook delivery's body) with
/// `store` answering `current`.
pub(crate) fn sync_scope<T>(store: Arc<dyn VersionStore>, write: impl FnOnce() -> T) -> T {
    STORE.sync_scope(store, write)
}

/// The user as the directory has them now, when a scope is set and the directory knows them.
pub(crate) fn current(user: &User) -> Option<Arc<User>> {
    STORE
        .try_with(|store| store.user_by_id(&user.id))
        .ok()
        .flatten()
}
