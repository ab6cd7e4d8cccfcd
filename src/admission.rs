//! Admission, the same for both faces: who a request's bearer token signs in as, whether its
//! scopes allow the request's method, and whether a fault rule answers instead of the API.
//! Each face renders a refusal in its own envelope.

use std::future::Future;

use axum::extract::Request;
use axum::http::{HeaderMap, Method};
use axum::response::Response;

use crate::bearer::bearer_token;
use crate::faults::{FaultFired, Intercept};
use crate::state::AppState;
use crate::store::{Face, Grant};

/// The scopes a face's reads and writes need; a token must hold one of the listed ones.
pub struct ScopeRules {
    pub read: &'static [&'static str],
    pub write: &'static [&'static str],
}

/// Why a request is not served by its API.
#[derive(Debug)]
pub enum Refusal {
    /// No `Authorization: Bearer` header, or a blank token.
    NoToken,
    /// A token the store will not sign in (only with a fixed token list).
    UnknownToken,
    /// The token lacks the scope the request's method needs.
    MissingScope,
    /// A fault rule fired.
    Fault(Intercept),
}

/// An admitted request: who it signed in as, and the delay rule that held it, if one did.
#[derive(Debug)]
pub struct Admitted {
    pub grant: Grant,
    delayed_by: Option<FaultFired>,
}

/// A refused request, with the grant when the token did sign in (the journal records the user).
#[derive(Debug)]
pub struct Refused {
    pub grant: Option<Grant>,
    pub why: Refusal,
}

impl Admitted {
    /// Puts who signed in, and the rule that delayed the request, on its reply for the journal.
    pub fn mark(self, response: &mut Response) {
        response.extensions_mut().insert(self.grant);
        if let Some(fired) = self.delayed_by {
            response.extensions_mut().insert(fired);
        }
    }
}

impl Refused {
    /// Puts who signed in, if anyone did, on the reply for the journal.
    pub fn mark(grant: Option<Grant>, response: &mut Response) {
        if let Some(grant) = grant {
            response.extensions_mut().insert(grant);
        }
    }
}

/// Admits a request or says why not. Every write in both APIs is a method other than GET, HEAD
/// and OPTIONS, so the method alone says which scopes apply. Faults are decided after sign-in
/// (rules can match a user) and before the operation, so an injected error never leaves a
/// half-applied change; a delay rule is waited out here.
pub fn admit<'a>(
    state: &'a AppState,
    face: Face,
    scopes: &'a ScopeRules,
    request: &'a Request,
) -> impl Future<Output = Result<Admitted, Refused>> + Send + 'a {
    // The request's body is not `Sync`, so the future may hold only the parts it reads across
    // the fault delay's await, not the request itself.
    let (method, path) = (request.method(), request.uri().path());
    admit_parts(state, face, scopes, method, path, request.headers())
}

async fn admit_parts(
    state: &AppState,
    face: Face,
    scopes: &ScopeRules,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
) -> Result<Admitted, Refused> {
    let refuse = |grant, why| Refused { grant, why };
    let token = bearer_token(headers).ok_or(refuse(None, Refusal::NoToken))?;
    // `StoreError::UnknownToken` is the only way sign-in fails.
    let grant = state
        .store
        .sign_in(token)
        .map_err(|_| refuse(None, Refusal::UnknownToken))?;
    let reads = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    if !grant.has_any_scope(if reads { scopes.read } else { scopes.write }) {
        return Err(refuse(Some(grant), Refusal::MissingScope));
    }
    match state
        .faults
        .intercept(face, method.as_str(), path, &grant.user.id)
        .await
    {
        Ok(delayed_by) => Ok(Admitted { grant, delayed_by }),
        Err(intercept) => Err(refuse(Some(grant), Refusal::Fault(intercept))),
    }
}
