//! Admission, the same for both faces: the request's id, who its bearer token signs in as,
//! whether its scopes allow the request's method, and whether a fault rule answers instead of
//! the API. Each face calls `admit` (or `admit_by_url` for URLs that are their own credential)
//! and renders a refusal in its own envelope (`From<Refusal>`).

use std::sync::Arc;

use axum::http::request::Parts;
use axum::http::Method;

use crate::control::faults::{Fault, InjectedError};
use crate::control::journal::{Answered, Api};
use crate::http::bearer::bearer_token;
use crate::identity::Identity;
use crate::state::AppState;
use crate::store::{Face, Grant, User};

/// The scopes a face's reads and writes need; a token must hold one of the listed ones.
pub struct ScopeRules {
    pub read: &'static [&'static str],
    pub write: &'static [&'static str],
}

/// What the face does with a request: for `admit`, `T` is the caller's `Grant`.
#[derive(Debug)]
pub enum Verdict<T> {
    /// Serve it (as this caller).
    Admitted(T),
    /// Answer with the face's error for this refusal.
    Refused(Refusal),
    /// A fault rule drops the connection: send `faults::dropped_connection()`.
    Dropped,
}

/// Why a request is not served by its API; each face maps this to its own error once.
#[derive(Debug)]
pub enum Refusal {
    /// No `Authorization: Bearer` header, or a blank token.
    NoToken,
    /// A token the store will not sign in (only with a fixed token list).
    UnknownToken,
    /// The token lacks the scope the request's method needs.
    MissingScope,
    /// A fault rule answers with this error.
    Injected(InjectedError),
}

/// Admits a request: draws its id, then decides. The `Answered` mark (the id, the user when the
/// token signed in, the rule that fired) goes on the face's reply, whatever it is, for the
/// journal.
///
/// Every write in both APIs is a method other than GET, HEAD and OPTIONS, so the method alone
/// says which scopes apply. Faults are decided after sign-in (rules can match a user) and before
/// the operation, so an injected error never leaves a half-applied change; a delay rule is
/// waited out here.
pub async fn admit(
    state: &AppState,
    face: Face,
    scopes: &ScopeRules,
    request: &Parts,
) -> (Answered, Verdict<Grant>) {
    let mut answered = Answered::anonymous(api(face), state.request_ids.next());
    let Some(token) = bearer_token(&request.headers) else {
        return (answered, Verdict::Refused(Refusal::NoToken));
    };
    // `StoreError::UnknownToken` is the only way sign-in fails.
    let Ok(grant) = state.store.sign_in(token) else {
        return (answered, Verdict::Refused(Refusal::UnknownToken));
    };
    answered.user = Some(grant.user.clone());
    if let Identity::App { client_id, .. } = &grant.identity {
        answered.app = Some(client_id.clone());
    }
    let reads = matches!(request.method, Method::GET | Method::HEAD | Method::OPTIONS);
    if !grant.has_any_scope(if reads { scopes.read } else { scopes.write }) {
        return (answered, Verdict::Refused(Refusal::MissingScope));
    }
    let verdict = apply_faults(state, face, request, &mut answered, grant).await;
    (answered, verdict)
}

/// The journal's mark for a request refused before admission (a Box page from an origin not let
/// in): its id, no user.
pub fn unadmitted(state: &AppState, face: Face) -> Answered {
    Answered::anonymous(api(face), state.request_ids.next())
}

/// Admits a request whose URL is its own credential (an upload-session URL, like the real
/// services' pre-authenticated ones): no token, no scopes, only the fault rules, matched against
/// `owner`, the user the URL belongs to (none when it names nothing, which the face then
/// answers as not found).
pub async fn admit_by_url(
    state: &AppState,
    face: Face,
    owner: Option<Arc<User>>,
    request: &Parts,
) -> (Answered, Verdict<()>) {
    let mut answered = Answered::anonymous(api(face), state.request_ids.next());
    answered.user = owner;
    let verdict = apply_faults(state, face, request, &mut answered, ()).await;
    (answered, verdict)
}

fn api(face: Face) -> Api {
    match face {
        Face::Graph => Api::Graph,
        Face::Box => Api::Box,
    }
}

/// The fault rules' say, for a request otherwise admitted as `admitted` (also the identity
/// platform's, which has no bearer token to admit).
pub(crate) async fn apply_faults<T>(
    state: &AppState,
    face: Face,
    request: &Parts,
    answered: &mut Answered,
    admitted: T,
) -> Verdict<T> {
    let user = answered.user.as_ref().map_or("", |user| user.id.as_str());
    let fault = state
        .faults
        .decide(face, request.method.as_str(), request.uri.path(), user);
    answered.fault = fault.as_ref().map(Fault::rule);
    match fault {
        None => Verdict::Admitted(admitted),
        Some(Fault::Delay { wait, .. }) => {
            tokio::time::sleep(wait).await;
            Verdict::Admitted(admitted)
        }
        Some(Fault::Error(error)) => Verdict::Refused(Refusal::Injected(error)),
        Some(Fault::Drop { .. }) => Verdict::Dropped,
    }
}
