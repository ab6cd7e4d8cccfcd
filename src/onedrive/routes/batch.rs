//! Graph's JSON batching, `POST {base}/$batch` (<https://learn.microsoft.com/en-us/graph/json-batching>):
//! up to 20 requests in one JSON body, answered as `{"responses": [{"id", "status", "headers",
//! "body"}]}`.
//!
//! Each request is served by the same dispatcher as if it had come alone, with the batch's
//! `Authorization`: its own sign-in, scopes, fault rules and errors. So one batch can hold a
//! `403`, a `404` and a `429` beside its `200`s, and the batch itself is still `200`; only a
//! batch that cannot be read (not JSON, more than 20 requests, an id twice, a `dependsOn` that
//! names no request or goes round in a circle, a body without `Content-Type`, a `url` that is
//! absolute or starts with the version) is a `400 BadRequest`, and then none of it runs. The
//! service refuses those URLs too: msgraph-core sends absolute ones
//! (<https://github.com/microsoftgraph/msgraph-sdk-python/issues/1015>), and the JS client, given
//! absolute ones, sends `/v1.0/…`, which Graph answers with "Invalid batch payload format."
//! (<https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/8576>). The
//! emulator's messages say what is wrong instead.
//!
//! Choices where the page leaves room:
//! - The requests run one after the other, each after the ones it `dependsOn`, otherwise in the
//!   order listed (the service may run independent ones in parallel, in any order). One whose
//!   dependency failed (status 400 or more) does not run: it is a `424`, code `failedDependency`
//!   (the page names no code). The responses are listed in the order of the requests.
//! - A request body is sent as JSON when its `Content-Type` says JSON, and otherwise is a base64
//!   string decoded to bytes (the page's "base64 URL-encoded value"; both alphabets are taken). A
//!   reply body is the JSON value when the reply is JSON, else base64, and absent when empty.
//! - A reply's headers are listed without those the batch's own reply carries (`Date`, the
//!   correlation ids) or that describe its framing (`Content-Length`).
//! - The batch itself needs a token with one of Graph's file-reading scopes; each request then
//!   needs the scope its own method does.
//! - The journal has one entry, the batch's.
//!
//! msgraph-sdk-python (msgraph-core 1.5) writes `depends_on` rather than `dependsOn`; the
//! service ignores unknown properties, and so does the emulator (its requests then run in the
//! order listed, which is the order that SDK adds them in).

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use base64::Engine;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::{answer_admitted, dispatch, json_bytes, SCOPES};
use crate::control::faults::dropped_connection;
use crate::http::admission::ScopeRules;
use crate::http::body;
use crate::onedrive::correlation::Correlation;
use crate::onedrive::errors::GraphError;
use crate::state::AppState;

/// The most requests one batch may hold (the page's "limited to 20 individual requests").
const MOST_REQUESTS: usize = 20;

/// The batch is a POST whatever it holds: reading files is the least it can be for.
const BATCH_SCOPES: ScopeRules = ScopeRules {
    read: SCOPES.read,
    write: SCOPES.read,
};

/// What a relative URL may hold as typed (the page's own example has spaces in a `$filter`)
/// that a request line may not.
const NOT_IN_URI: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^');

/// Headers of a reply the batch's listing leaves out.
const LEFT_OUT: [HeaderName; 4] = [
    header::CONTENT_LENGTH,
    header::DATE,
    HeaderName::from_static("request-id"),
    HeaderName::from_static("client-request-id"),
];

#[derive(Deserialize)]
struct BatchBody {
    requests: Vec<Step>,
}

/// One request as the client wrote it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Step {
    id: String,
    method: String,
    url: String,
    headers: Option<HashMap<String, String>>,
    body: Option<Value>,
    depends_on: Option<Vec<String>>,
}

/// One request ready to send, with the positions of those it depends on.
struct Prepared {
    id: String,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
    depends_on: Vec<usize>,
}

/// `POST {base}/$batch`.
pub(crate) async fn run(
    state: AppState,
    origin: String,
    base: &'static str,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    answer_admitted(
        &state,
        &BATCH_SCOPES,
        parts,
        async |_, parts, correlation, _| {
            if parts.method != Method::POST {
                let allow = "POST".into();
                return Err(GraphError::MethodNotAllowed { allow });
            }
            let call = BatchCall {
                state: &state,
                origin: &origin,
                base,
                authorization: parts.headers.get(header::AUTHORIZATION).cloned(),
                correlation,
            };
            answer(&call, body).await
        },
    )
    .await
}

/// The batch's reply: each of its requests' replies, or why the batch cannot be run.
async fn answer(call: &BatchCall<'_>, body: Body) -> Result<Response, GraphError> {
    let bytes = body::read(body).await?;
    let (steps, order) = plan(&bytes, call.base)?;
    serve(call, steps, order).await
}

/// The batch's requests as sent, checked whole before any of them runs, and the order they
/// run in (positions in the list).
fn plan(bytes: &[u8], base: &str) -> Result<(Vec<Prepared>, Vec<usize>), GraphError> {
    let batch: BatchBody = serde_json::from_slice(bytes)
        .map_err(|e| bad(format!("The batch request body is not valid: {e}.")))?;
    if batch.requests.len() > MOST_REQUESTS {
        return Err(bad(format!(
            "A batch holds at most {MOST_REQUESTS} requests; this one has {}.",
            batch.requests.len()
        )));
    }
    let mut positions = HashMap::new();
    for (position, step) in batch.requests.iter().enumerate() {
        if step.id.is_empty() {
            return Err(bad("Every request in a batch needs an id.".into()));
        }
        // Ids are not case-sensitive.
        if positions.insert(step.id.to_lowercase(), position).is_some() {
            return Err(bad(format!(
                "The id '{}' is used twice in the batch.",
                step.id
            )));
        }
    }
    let steps = (batch.requests.into_iter())
        .map(|step| prepare(step, base, &positions))
        .collect::<Result<Vec<_>, _>>()?;
    let order = order(&steps)?;
    Ok((steps, order))
}

fn prepare(
    step: Step,
    base: &str,
    positions: &HashMap<String, usize>,
) -> Result<Prepared, GraphError> {
    let id = step.id;
    let method = Method::from_bytes(step.method.to_ascii_uppercase().as_bytes()).map_err(|_| {
        bad(format!(
            "The method of request '{id}' is not an HTTP method."
        ))
    })?;
    let relative = step.url.trim_start_matches('/');
    let versioned = ["v1.0", "beta"].iter().any(|version| {
        (relative.strip_prefix(version))
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?']))
    });
    if step.url.contains("://") || versioned {
        return Err(bad(format!(
            "The url of request '{id}' must be relative to the version, such as /me/drive."
        )));
    }
    let path = utf8_percent_encode(relative, NOT_IN_URI);
    let uri = Uri::try_from(format!("{base}/{path}"))
        .map_err(|_| bad(format!("The url of request '{id}' is not a valid URL.")))?;
    let mut headers = HeaderMap::new();
    for (name, value) in step.headers.iter().flatten() {
        let (Ok(name), Ok(value)) = (
            HeaderName::try_from(name.as_str()),
            HeaderValue::try_from(value.as_str()),
        ) else {
            return Err(bad(format!(
                "Request '{id}' has a header that is not valid."
            )));
        };
        headers.append(name, value);
    }
    let body = match step.body {
        None => None,
        Some(_) if !headers.contains_key(header::CONTENT_TYPE) => {
            return Err(bad(format!(
                "Request '{id}' has a body, so its headers must give its Content-Type."
            )))
        }
        Some(value) => Some(request_body(&id, value, is_json(&headers))?),
    };
    let depends_on = (step.depends_on.iter().flatten())
        .map(|other| match positions.get(&other.to_lowercase()) {
            Some(position) if !other.eq_ignore_ascii_case(&id) => Ok(*position),
            _ => Err(bad(format!(
                "Request '{id}' depends on '{other}', which is not another request of the batch."
            ))),
        })
        .collect::<Result<_, _>>()?;
    Ok(Prepared {
        id,
        method,
        uri,
        headers,
        body,
        depends_on,
    })
}

/// A request's bytes: its JSON, or the bytes a base64 string stands for.
fn request_body(id: &str, value: Value, json: bool) -> Result<Vec<u8>, GraphError> {
    match value {
        Value::String(text) if !json => {
            let engines = [
                base64::engine::general_purpose::STANDARD,
                base64::engine::general_purpose::URL_SAFE,
                base64::engine::general_purpose::STANDARD_NO_PAD,
                base64::engine::general_purpose::URL_SAFE_NO_PAD,
            ];
            (engines.iter())
                .find_map(|engine| engine.decode(&text).ok())
                .ok_or_else(|| bad(format!("The body of request '{id}' is not base64.")))
        }
        value => Ok(serde_json::to_vec(&value).unwrap_or_default()),
    }
}

/// The order the requests run in: each after those it depends on, otherwise as listed. A
/// circle of dependencies leaves some that can never run, which refuses the batch.
fn order(steps: &[Prepared]) -> Result<Vec<usize>, GraphError> {
    let mut done = vec![false; steps.len()];
    let mut order = Vec::with_capacity(steps.len());
    while order.len() < steps.len() {
        let next = (0..steps.len())
            .find(|&i| !done[i] && steps[i].depends_on.iter().all(|&d| done[d]))
            .ok_or_else(|| {
                bad("The dependsOn of the batch's requests go round in a circle.".into())
            })?;
        done[next] = true;
        order.push(next);
    }
    Ok(order)
}

/// Runs the requests in `order` and lists their replies in the order they were sent.
async fn serve(
    call: &BatchCall<'_>,
    steps: Vec<Prepared>,
    order: Vec<usize>,
) -> Result<Response, GraphError> {
    let mut statuses: Vec<u16> = vec![0; steps.len()];
    let mut entries: Vec<Option<Entry>> = (0..steps.len()).map(|_| None).collect();
    let mut steps: Vec<Option<Prepared>> = steps.into_iter().map(Some).collect();
    for position in order {
        let step = steps[position].take().expect("each request runs once");
        let failed = step.depends_on.iter().any(|&d| statuses[d] >= 400);
        let id = step.id.clone();
        let response = match failed {
            true => GraphError::FailedDependency.render(call.correlation, call.state.clock.now()),
            false => {
                let request = call.request(step);
                // Boxed: the dispatcher's future is large, and this one would hold it inline.
                Box::pin(dispatch(
                    call.state.clone(),
                    call.origin.to_owned(),
                    call.base,
                    request,
                ))
                .await
            }
        };
        statuses[position] = response.status().as_u16();
        match entry(id, response).await {
            Some(entry) => entries[position] = Some(entry),
            // Only a drop fault's reply fails to read: the batch is dropped with it.
            None => return Ok(dropped_connection()),
        }
    }
    json_bytes(
        StatusCode::OK,
        // Every position ran: `order` holds each once.
        serde_json::to_vec(&Responses {
            responses: entries.into_iter().flatten().collect(),
        }),
    )
}

/// What every request of one batch shares.
struct BatchCall<'a> {
    state: &'a AppState,
    origin: &'a str,
    base: &'static str,
    authorization: Option<HeaderValue>,
    correlation: &'a Correlation,
}

impl BatchCall<'_> {
    /// The request as the dispatcher would have had it alone, signed in as the batch is.
    fn request(&self, step: Prepared) -> Request {
        let mut request = Request::new(step.body.map_or_else(Body::empty, Body::from));
        *request.method_mut() = step.method;
        *request.uri_mut() = step.uri;
        *request.headers_mut() = step.headers;
        if let Some(authorization) = &self.authorization {
            (request.headers_mut()).insert(header::AUTHORIZATION, authorization.clone());
        }
        request
    }
}

/// The batch's reply body. Serialized from these types rather than a `json!` tree, which would
/// parse every reply's body again.
#[derive(Serialize)]
struct Responses {
    responses: Vec<Entry>,
}

/// One reply as the batch lists it.
#[derive(Serialize)]
struct Entry {
    id: String,
    status: u16,
    headers: Map<String, Value>,
    /// Kept as the reply's own JSON text (or a base64 string), not parsed into a tree.
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<Box<RawValue>>,
}

/// One reply as the batch lists it; `None` when its body could not be read.
async fn entry(id: String, response: Response) -> Option<Entry> {
    let (parts, body) = response.into_parts();
    // No bound but the reply's own size: it is the emulator's, sized by what the store holds (a
    // version list without `$top` lists every version), not by anything the client declared.
    let bytes = axum::body::to_bytes(body, usize::MAX).await.ok()?;
    let headers = (parts.headers.iter())
        .filter(|(name, _)| !LEFT_OUT.contains(name))
        .filter_map(|(name, value)| Some((title_case(name.as_str()), value.to_str().ok()?.into())))
        .collect();
    let body = match bytes.is_empty() {
        true => None,
        false => {
            let json = is_json(&parts.headers).then(|| String::from_utf8(bytes.to_vec()).ok());
            let json = json
                .flatten()
                .and_then(|text| RawValue::from_string(text).ok());
            let base64 = || {
                let text = base64::engine::general_purpose::STANDARD.encode(&bytes);
                RawValue::from_string(Value::String(text).to_string()).ok()
            };
            json.or_else(base64)
        }
    };
    Some(Entry {
        id,
        status: parts.status.as_u16(),
        headers,
        body,
    })
}

/// `content-type` as Graph writes it in a batch, `Content-Type`.
fn title_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for c in name.chars() {
        out.push(if upper { c.to_ascii_uppercase() } else { c });
        upper = c == '-';
    }
    out
}

fn bad(message: String) -> GraphError {
    GraphError::BadRequest(message.into())
}

fn is_json(headers: &HeaderMap) -> bool {
    (headers.get(header::CONTENT_TYPE))
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("application/json")
        })
}
