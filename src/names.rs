//! The users that replies name (Box's user minis, Graph's identity sets), as the directory has
//! them when the reply is written: a reply refers to a user (Box shows a renamed user's new name
//! on everything that names them, and so does the Graph face here), while the store keeps on
//! each item, version, comment, task and lock the user as they were when it was made. Rewriting
//! every record on a rename would touch the whole store; instead each request's reply is written
//! inside a `scope` holding the store, and `as_now` looks the user up by id there (one map
//! lookup, no scan). Outside a scope (code driving the models directly) a reply shows the user
//! as kept.

use std::cell::RefCell;
use std::future::Future;
use std::sync::Arc;

use crate::store::{User, VersionStore};

tokio::task_local! {
    static SCOPE: Scope;
}

/// The store to look users up in, and the last user found: a page of versions or items names
/// the same few users over and over, and one comparison of ids is cheaper than a directory read.
struct Scope {
    store: Arc<dyn VersionStore>,
    last: RefCell<Option<Arc<User>>>,
}

impl Scope {
    fn new(store: Arc<dyn VersionStore>) -> Self {
        Self {
            store,
            last: RefCell::new(None),
        }
    }
}

/// Runs `work` (a request's handler) with `store` answering `as_now`.
pub(crate) async fn scope<F: Future>(store: Arc<dyn VersionStore>, work: F) -> F::Output {
    SCOPE.scope(Scope::new(store), work).await
}

/// Runs `write` (a reply written outside a request, such as a webhook delivery's body) with
/// `store` answering `as_now`.
pub(crate) fn sync_scope<T>(store: Arc<dyn VersionStore>, write: impl FnOnce() -> T) -> T {
    SCOPE.sync_scope(Scope::new(store), write)
}

/// `show` applied to `user` as the directory has them now, when a scope is set and the directory
/// knows them; otherwise to `user` as kept. Each face's user shape is written inside `show`.
pub(crate) fn as_now<R>(user: &User, show: impl FnOnce(&User) -> R) -> R {
    let current = current(user);
    show(current.as_deref().unwrap_or(user))
}

/// The user as the directory has them now, when a scope is set and the directory knows them.
fn current(user: &User) -> Option<Arc<User>> {
    let found = SCOPE.try_with(|scope| {
        let mut last = scope.last.borrow_mut();
        if let Some(known) = last.as_ref().filter(|known| known.id == user.id) {
            return Some(known.clone());
        }
        let found = scope.store.user_by_id(&user.id)?;
        *last = Some(found.clone());
        Some(found)
    });
    found.ok().flatten()
}
