//! Admission, the same for both faces: the request's id, who its bearer token signs in as,
//! whether its scopes allow the request's method, and whether a fault rule answers instead of
//! the API. Each face calls `admit` and renders a refusal in its own envelope (`From<Refusal>`).

use axum::http::request::Parts;
use axum::http::Method;

use crate::bearer::bearer_token;
use crate::faults::{Fault, InjectedError};
use crate::journal::{Answered, Api};
use crate::state::AppState;
use crate::store::{Face, Grant};

/// The scopes a face's reads and writes need; a token must hold one of the listed ones.
pub struct ScopeRules {
    pub read: &'static [&'static str],
    pub write: &'static [&'static str],
}

/// What the face does with an admitted request.
#[derive(Debug)]
pub enum Verdict {
    /// Serve it as this caller.
    Admitted(Grant),
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
) -> (Answered, Verdict) {
    let api = match face {
        Face::Graph => Api::Graph,
        Face::Box => Api::Box,
    };
    let mut answered = Answered::anonymous(api, state.request_ids.next());
    let Some(token) = bearer_token(&request.headers) else {
        return (answered, Verdict::Refused(Refusal::NoToken));
    };
    // `StoreError::UnknownToken` is the only way sign-in fails.
    let Ok(grant) = state.store.sign_in(token) else {
        return (answered, Verdict::Refused(Refusal::UnknownToken));
    };
    answered.user = Some(grant.user.clone());
    let method = &request.method;
    let reads = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    if !grant.has_any_scope(if reads { scopes.read } else { scopes.write }) {
        return (answered, Verdict::Refused(Refusal::MissingScope));
    }
    let fault = state
        .faults
        .decide(face, method.as_str(), request.uri.path(), &grant.user.id);
    answered.fault = fault.as_ref().map(Fault::rule);
    let verdict = match fault {
        None => Verdict::Admitted(grant),
        Some(Fault::Delay { wait, .. }) => {
            tokio::time::sleep(wait).await;
            Verdict::Admitted(grant)
        }
        Some(Fault::Error(error)) => Verdict::Refused(Refusal::Injected(error)),
        Some(Fault::Drop { .. }) => Verdict::Dropped,
    };
    (answered, verdict)
}
