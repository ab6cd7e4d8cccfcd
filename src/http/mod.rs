//! What every request passes through, whichever face answers it: the app layer (body limit,
//! journal, access log, `Date`, CORS), admission (request id, sign-in, scopes, fault rules), the
//! scopes a face's handler runs in (`request_scope`), and the small readers of a request both
//! faces share (bearer token, `Host`, the origin of links, the body under the limit).

pub(crate) mod access_log;
pub(crate) mod admission;
pub(crate) mod app_layer;
pub(crate) mod bearer;
pub(crate) mod body;
pub(crate) mod cors;
pub(crate) mod date;
pub(crate) mod host;
pub(crate) mod origin;
pub(crate) mod request_id;
pub(crate) mod request_scope;
pub(crate) mod secrets;
