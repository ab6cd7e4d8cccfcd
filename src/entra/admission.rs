//! What every platform request goes through before its grant runs: a request id (the
//! `trace_id` of its errors), the client's correlation id, the journal mark and the fault rules.

use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue};
use axum::response::Response;

use super::errors::AadError;
use crate::control::faults;
use crate::control::journal::{Answered, Api};
use crate::http::admission::{apply_faults, Refusal, Verdict};
use crate::identity::Identity;
use crate::state::AppState;
use crate::store::{Face, Grant};

const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");

/// One admitted platform request.
pub(crate) struct Call {
    answered: Answered,
    pub trace_id: String,
    pub correlation_id: String,
}

/// Admits `request`: its ids, then the fault rules (matched as `graph` requests). A refusal is
/// the reply to send.
pub(crate) async fn admit(state: &AppState, request: &Parts) -> Result<Call, Response> {
    let mut answered = Answered::anonymous(Api::Graph, state.request_ids.next());
    let trace_id = answered.request_id.uuid().to_string();
    // msal-node sends it as a query parameter, the others as a header.
    let correlation_id = request
        .headers
        .get(&CLIENT_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| {
            request.uri.query().and_then(|q| {
                q.split('&')
                    .find_map(|pair| pair.strip_prefix("client-request-id="))
                    .filter(|id| id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
                    .map(str::to_owned)
            })
        })
        .unwrap_or_else(|| trace_id.clone());
    let call = |answered| Call {
        answered,
        trace_id: trace_id.clone(),
        correlation_id: correlation_id.clone(),
    };
    match apply_faults(state, Face::Graph, request, &mut answered, ()).await {
        Verdict::Admitted(()) => Ok(call(answered)),
        Verdict::Refused(Refusal::Injected(injected)) => {
            Err(call(answered).refuse(state, AadError::Injected(Box::new(injected))))
        }
        // Fault rules refuse only by injecting an error.
        Verdict::Refused(_) => Err(call(answered).refuse(state, AadError::Unavailable)),
        Verdict::Dropped => {
            let mut response = faults::dropped_connection();
            answered.mark(&mut response);
            Err(response)
        }
    }
}

/// The answer to a method the route does not take (`allowed` names the one it does), admitted,
/// journaled and faulted like any platform request.
pub(crate) async fn wrong_method(
    State(state): State<AppState>,
    request: Parts,
    allowed: &'static str,
) -> Response {
    match admit(&state, &request).await {
        Ok(call) => call.refuse(
            &state,
            AadError::WrongMethod {
                allowed,
                received: request.method,
            },
        ),
        Err(refused) => refused,
    }
}

impl Call {
    /// Records who the request signed in as, for the journal: the user, and the app when it
    /// is one.
    pub fn signed_in(&mut self, grant: &Grant) {
        self.answered.user = Some(grant.user.clone());
        if let Identity::App { client_id, .. } = &grant.identity {
            self.answered.app = Some(client_id.clone());
        }
    }

    /// The reply to send, marked for the journal.
    pub fn reply(self, mut response: Response) -> Response {
        response.headers_mut().insert(
            HeaderName::from_static("x-ms-request-id"),
            HeaderValue::from_str(&self.trace_id).expect("a uuid is a header value"),
        );
        if let Ok(value) = HeaderValue::from_str(&self.correlation_id) {
            response.headers_mut().insert(CLIENT_REQUEST_ID, value);
        }
        self.answered.mark(&mut response);
        response
    }

    /// `error` in the platform's envelope, marked for the journal.
    pub fn refuse(self, state: &AppState, error: AadError) -> Response {
        let response = error.reply(&self.trace_id, &self.correlation_id, state.clock.now());
        self.reply(response)
    }
}
