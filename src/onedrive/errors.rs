//! `GraphError`, every failure the Graph face answers, and Graph's error envelope
//! (`{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`).
//!
//! Store failures become Graph errors only in `From<StoreError>`; path, body and query problems
//! only in the `From` impls below; the envelope is written only by `envelope`.

use std::borrow::Cow;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::address::AddressError;
use super::correlation::Correlation;
use crate::control::faults::InjectedError;
use crate::http::admission::Refusal;
use crate::http::body::BodyError;
use crate::store::{SharingError, StoreError};
use crate::timestamp::utc_seconds;

/// The `WWW-Authenticate` value Graph sends with its 401s, as recordings of live Graph traffic
/// show (the 401s are described at <https://learn.microsoft.com/en-us/graph/errors>).
const WWW_AUTHENTICATE: &str = "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"";

/// A Graph failure. Variants are named after the code they answer with.
#[derive(Debug, Clone, thiserror::Error)]
pub(crate) enum GraphError {
    /// The gateway's code: wrong version prefix, unknown segment, malformed URL or query.
    #[error("{0}")]
    BadRequest(Cow<'static, str>),
    /// OneDrive's code for a request it understood but cannot do as asked.
    #[error("{0}")]
    InvalidRequest(Cow<'static, str>),
    #[error("{0}")]
    NotSupported(Cow<'static, str>),
    #[error("{0}")]
    InvalidAuthenticationToken(&'static str),
    /// A token without the scope the operation needs
    /// (<https://learn.microsoft.com/en-us/graph/errors>: `accessDenied`).
    #[error("Access denied")]
    AccessDenied,
    #[error("Item not found")]
    ItemNotFound,
    /// The directory's answer (not OneDrive's) to a user it does not know.
    #[error("Resource '{0}' does not exist or one of its queried reference-property objects are not present.")]
    RequestResourceNotFound(String),
    /// A known path with a method it does not take. Graph's code for it is not documented:
    /// `invalidRequest`, pinned by `bad_inputs_get_graphs_envelope_and_change_nothing`.
    #[error("The HTTP method is not allowed for this resource.")]
    MethodNotAllowed { allow: Cow<'static, str> },
    #[error("An item with the same name already exists under the parent.")]
    NameAlreadyExists,
    /// A copy monitor the emulator does not have (never made, dropped, or before a reset): the
    /// code and message a OneDrive monitor answered with in
    /// <https://github.com/OneDrive/onedrive-api-docs/issues/766>.
    #[error("The operation does not exist.")]
    OperationNotFound,
    #[error("ETag does not match current item's value")]
    ResourceModified,
    /// An upload-session fragment that overlaps what the session has, or leaves a gap
    /// (<https://learn.microsoft.com/en-us/graph/api/driveitem-createuploadsession>).
    /// `inner` is the `innerError.code` the real service adds (`fragmentOverlap`).
    #[error("{message}")]
    InvalidRange {
        message: &'static str,
        inner: Option<&'static str>,
    },
    /// A body over the configured limit. Graph has been seen answering this `413` with the code
    /// `BadRequest` (<https://github.com/abraunegg/onedrive/issues/593>) and ASP.NET's message.
    #[error("Maximum request length exceeded.")]
    PayloadTooLarge,
    /// A declared file size over the emulator's limit on one file. OneDrive names this case
    /// `maxFileSizeExceeded` among its detailed error codes
    /// (<https://learn.microsoft.com/onedrive/developer/rest-api/concepts/errors>); it comes
    /// as the inner code of a 400 `invalidRequest`.
    #[error("{0}")]
    MaxFileSizeExceeded(String),
    /// A path over the 400 characters OneDrive and SharePoint take: a 400 `invalidRequest` with
    /// the detailed code OneDrive names for it (same page as `MaxFileSizeExceeded`). The service's
    /// wording is not on record; the message is the code's description on that page.
    #[error("Path exceeds maximum length.")]
    PathIsTooLong,
    /// Storage the request would need is not there: Graph's 507 (a session whose `fileSize`
    /// is over the quota, per the createUploadSession page,
    /// <https://learn.microsoft.com/en-us/graph/api/driveitem-createuploadsession>), here also the bounds on what open
    /// upload sessions may hold, and a full disk under the data dir (the text says which and
    /// why).
    #[error("{0}")]
    QuotaLimitReached(String),
    /// A change to a file another user has checked out. The body is the one captured for a
    /// locked file (<https://github.com/microsoftgraph/microsoft-graph-explorer-v4/issues/3435>):
    /// `423`, `notAllowed`, inner `resourceLocked`.
    #[error("The resource you are attempting to access is locked")]
    Locked,
    /// The subscriptions service's code for a request it refuses (PascalCase, unlike OneDrive's
    /// `invalidRequest`; captured in
    /// <https://github.com/microsoftgraph/nodejs-webhooks-sample/issues/350>).
    #[error("{0}")]
    SubscriptionInvalidRequest(Cow<'static, str>),
    /// The subscriptions service's code for an expiration too far ahead
    /// (<https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/2988>).
    #[error("{0}")]
    ExtensionError(Cow<'static, str>),
    /// A subscription id that names none of the caller's subscriptions.
    #[error("The object was not found.")]
    ResourceNotFound,
    /// A delta token the service can no longer answer for (older than the change log's window,
    /// or expired through the admin API): `410` with a `Location` that starts a fresh round. The
    /// message is the service's own text and the inner code the one the delta page documents
    /// (<https://learn.microsoft.com/en-us/graph/api/driveitem-delta>, "Error responses").
    #[error("Resync required. Replace any local items with the server's version (including deletes) if you're sure that the service was up to date with your local changes when you last sync'd. Upload any local changes that the server doesn't know about.")]
    ResyncRequired { location: String },
    /// A request of a `$batch` that depends on one that failed
    /// (<https://learn.microsoft.com/en-us/graph/json-batching>: "fails with status code `424`").
    /// The page gives no code or message for it: these are the emulator's.
    #[error("The request it depends on failed.")]
    FailedDependency,
    /// Unreachable in practice (a reply that cannot be serialized); kept so nothing panics.
    #[error("An unexpected error occurred.")]
    GeneralException,
    /// An error a fault rule asked for, with the code Graph uses for its status unless the rule
    /// named one.
    #[error("{message}")]
    Injected {
        fault: Box<InjectedError>,
        code: Cow<'static, str>,
        message: Cow<'static, str>,
    },
}

impl GraphError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_)
            | Self::InvalidRequest(_)
            | Self::NotSupported(_)
            | Self::MaxFileSizeExceeded(_)
            | Self::PathIsTooLong
            | Self::SubscriptionInvalidRequest(_)
            | Self::ExtensionError(_) => StatusCode::BAD_REQUEST,
            Self::InvalidAuthenticationToken(_) => StatusCode::UNAUTHORIZED,
            Self::AccessDenied => StatusCode::FORBIDDEN,
            Self::ItemNotFound
            | Self::RequestResourceNotFound(_)
            | Self::OperationNotFound
            | Self::ResourceNotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::NameAlreadyExists => StatusCode::CONFLICT,
            Self::ResourceModified => StatusCode::PRECONDITION_FAILED,
            Self::InvalidRange { .. } => StatusCode::RANGE_NOT_SATISFIABLE,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::QuotaLimitReached(_) => StatusCode::INSUFFICIENT_STORAGE,
            Self::ResyncRequired { .. } => StatusCode::GONE,
            Self::GeneralException => StatusCode::INTERNAL_SERVER_ERROR,
            Self::FailedDependency => StatusCode::FAILED_DEPENDENCY,
            Self::Locked => StatusCode::LOCKED,
            Self::Injected { fault, .. } => fault.status,
        }
    }

    pub fn code(&self) -> &str {
        match self {
            Self::BadRequest(_) | Self::PayloadTooLarge => "BadRequest",
            Self::InvalidRequest(_)
            | Self::MethodNotAllowed { .. }
            | Self::MaxFileSizeExceeded(_)
            | Self::PathIsTooLong => "invalidRequest",
            Self::NotSupported(_) => "notSupported",
            Self::SubscriptionInvalidRequest(_) => "InvalidRequest",
            Self::ExtensionError(_) => "ExtensionError",
            Self::ResourceNotFound => "ResourceNotFound",
            Self::InvalidAuthenticationToken(_) => "InvalidAuthenticationToken",
            Self::AccessDenied => "accessDenied",
            Self::ItemNotFound => "itemNotFound",
            Self::RequestResourceNotFound(_) => "Request_ResourceNotFound",
            Self::NameAlreadyExists => "nameAlreadyExists",
            Self::OperationNotFound => "operationNotFound",
            Self::ResourceModified => "resourceModified",
            Self::InvalidRange { .. } => "invalidRange",
            Self::QuotaLimitReached(_) => "quotaLimitReached",
            Self::ResyncRequired { .. } => "resyncRequired",
            Self::GeneralException => "generalException",
            Self::FailedDependency => "failedDependency",
            Self::Locked => "notAllowed",
            Self::Injected { code, .. } => code,
        }
    }

    /// Graph's answer to an unknown path segment, as captured in
    /// <https://github.com/OneDrive/onedrive-api-docs/issues/814>.
    pub fn unknown_segment(segment: &str) -> Self {
        Self::BadRequest(format!("Resource not found for the segment '{segment}'.").into())
    }

    /// Graph's answer to a wrong or missing version prefix, as captured in
    /// <https://github.com/microsoftgraph/msgraph-sdk-dotnet/issues/2023>.
    pub fn invalid_version() -> Self {
        Self::BadRequest("Invalid version.".into())
    }

    /// The whole reply: the envelope plus the headers some codes carry. This takes the place of
    /// `IntoResponse`: the envelope names the request's ids and the emulator's clock, which an
    /// error value alone does not know.
    pub fn render(&self, correlation: &Correlation, now: DateTime<Utc>) -> Response {
        let inner_code = match self {
            Self::InvalidRange { inner, .. } => *inner,
            Self::MaxFileSizeExceeded(_) => Some("maxFileSizeExceeded"),
            Self::PathIsTooLong => Some("pathIsTooLong"),
            Self::Locked => Some("resourceLocked"),
            Self::ResyncRequired { .. } => Some("resyncChangesApplyDifferences"),
            _ => None,
        };
        let mut response = envelope(
            self.status(),
            self.code(),
            inner_code,
            &self.to_string(),
            correlation,
            now,
        );
        let headers = response.headers_mut();
        match self {
            Self::InvalidAuthenticationToken(_) => {
                headers.insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static(WWW_AUTHENTICATE),
                );
            }
            Self::ResyncRequired { location } => {
                if let Ok(location) = HeaderValue::try_from(location.as_str()) {
                    headers.insert(header::LOCATION, location);
                }
            }
            Self::MethodNotAllowed { allow } => {
                // Method names only, so always a valid value.
                if let Ok(allow) = HeaderValue::try_from(allow.as_ref()) {
                    headers.insert(header::ALLOW, allow);
                }
            }
            Self::Injected { fault, .. } => {
                fault.add_headers(&mut response);
                return response;
            }
            _ => {}
        }
        // A full session budget is the client's doing, not the emulator's fault.
        if self.status().is_server_error() && !matches!(self, Self::QuotaLimitReached(_)) {
            tracing::error!(code = self.code(), "the Graph face answered a server error");
        }
        response
    }
}

#[derive(Serialize)]
struct Envelope<'a> {
    error: MainError<'a>,
}

#[derive(Serialize)]
struct MainError<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(rename = "innerError")]
    inner_error: InnerError<'a>,
}

#[derive(Serialize)]
struct InnerError<'a> {
    /// A more specific code, when the real service sends one (`fragmentOverlap`).
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
    /// UTC, seconds, no zone suffix: `2022-09-18T02:21:45`.
    date: String,
    #[serde(rename = "request-id")]
    request_id: &'a str,
    #[serde(rename = "client-request-id")]
    client_request_id: &'a str,
}

/// Graph's error envelope with `status`, `code`, `message` and, when given, `innerError.code`
/// (upload sessions' `fragmentOverlap`): the one place it is written, so
/// that later callers (fault injection) answer exactly as real errors do.
pub(crate) fn envelope(
    status: StatusCode,
    code: &str,
    inner_code: Option<&str>,
    message: &str,
    correlation: &Correlation,
    now: DateTime<Utc>,
) -> Response {
    let body = Envelope {
        error: MainError {
            code,
            message,
            inner_error: InnerError {
                code: inner_code,
                date: utc_seconds(now, "").to_string(),
                request_id: correlation.request_id(),
                client_request_id: correlation.client_request_id(),
            },
        },
    };
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    let mut response = (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        bytes,
    )
        .into_response();
    correlation.write_headers(response.headers_mut());
    response
}

impl From<StoreError> for GraphError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::InsufficientStorage(cause) => {
                Self::QuotaLimitReached(format!("Insufficient Storage: {cause}"))
            }
            // The data dir failed otherwise (an I/O error): the emulator's fault, not the
            // client's, and Graph's answer to those is generalException.
            StoreError::Storage(_) => Self::GeneralException,
            // Folders have no versions and no content stream; Graph never trashes versions.
            // All of these are "not found" to a Graph client (undocumented; pinned by
            // `folders_and_unknown_items_have_no_versions` and
            // `unknown_versions_are_not_found_and_nothing_changes`).
            StoreError::ItemNotFound
            | StoreError::VersionNotFound
            | StoreError::NotAFile
            | StoreError::VersionTrashed
            // Only Box trashes whole items; a Graph space never holds one, and it would be gone.
            | StoreError::Trashed
            | StoreError::NotTrashed
            | StoreError::RestoreTargetGone => Self::ItemNotFound,
            // A non-member of a group or site, or another user's own drive: 403 rather than
            // 404, because SharePoint answers `accessDenied` for a site the user cannot open, and
            // a test author learns more from "refused" than from "absent".
            StoreError::AccessDenied => Self::AccessDenied,
            StoreError::FolderNotEmpty => {
                Self::InvalidRequest("The folder is not empty.".into())
            }
            StoreError::MoveIntoItself => {
                Self::InvalidRequest("A folder cannot be moved into itself or below.".into())
            }
            StoreError::WriteToFolder => {
                Self::NotSupported("Cannot upload content to an item representing a folder.".into())
            }
            StoreError::NotAFolder => {
                Self::InvalidRequest("A segment of the path is a file, not a folder.".into())
            }
            StoreError::NameConflict { .. } => Self::NameAlreadyExists,
            StoreError::PreconditionFailed => Self::ResourceModified,
            StoreError::InvalidName(reason) => {
                Self::InvalidRequest(format!("Invalid name: {reason}").into())
            }
            StoreError::PathTooLong => Self::PathIsTooLong,
            StoreError::CurrentVersion => {
                Self::InvalidRequest("The operation is not allowed on the current version.".into())
            }
            StoreError::RootFolder => {
                Self::InvalidRequest("The root folder cannot be deleted, moved or renamed.".into())
            }
            StoreError::Sharing(error) => error.into(),
            // Box metadata: no Graph operation reaches it.
            StoreError::Metadata(_) => Self::ItemNotFound,
            // Box's user admin API: no Graph operation reaches it.
            StoreError::Users(_) => Self::ItemNotFound,
        }
    }
}

impl From<SharingError> for GraphError {
    fn from(error: SharingError) -> Self {
        match error {
            // Not documented; an unknown permission id is as absent as an unknown item.
            SharingError::PermissionNotFound => Self::ItemNotFound,
            // The permission pages say only non-inherited permissions can be changed or deleted
            // (<https://learn.microsoft.com/en-us/graph/api/permission-delete>), not with what
            // error: `400 invalidRequest`, as for the other refused requests on sharing.
            SharingError::Inherited => Self::InvalidRequest(
                "Inherited permissions cannot be updated or deleted on this item.".into(),
            ),
            SharingError::Locked => Self::Locked,
            // The message msgraph-sdk-dotnet#628 captured for a check-in of a file not checked
            // out; the status is `discardCheckout`'s documented `400`.
            SharingError::NotCheckedOut => {
                Self::InvalidRequest("The file is not checked out.".into())
            }
            SharingError::NotAFile => {
                Self::InvalidRequest("Only files can be checked out or checked in.".into())
            }
            // Box shared links, comments and tasks are the Box face's; no Graph operation
            // reaches them.
            SharingError::SharedLink(_) | SharingError::CommentNotFound | SharingError::Task(_) => {
                Self::ItemNotFound
            }
            // Box collaborations: no Graph operation reaches them.
            SharingError::CollaborationNotFound
            | SharingError::CollaborationOnRoot
            | SharingError::AlreadyCollaborator
            | SharingError::InvalidStatus
            | SharingError::InsufficientRole => Self::ItemNotFound,
            // Box locks only; no Graph request sets one.
            SharingError::LockExpiry => {
                Self::InvalidRequest("The expiry has already passed.".into())
            }
        }
    }
}

impl GraphError {
    /// A store failure while finding a drive. A drive the caller may not reach is `403
    /// accessDenied` (SharePoint's answer for a site the user cannot open), or with `hide`
    /// (`--hide-unreachable-drives`) `404 itemNotFound`, for tests written against a tenant that
    /// hides what it refuses: whether the real service answers 403 or 404 is not verified (pinned
    /// by
    /// `with_hide_unreachable_drives_a_non_member_gets_not_found_but_a_missing_scope_stays_403`).
    pub fn finding_drive(error: StoreError, hide: bool) -> Self {
        match error {
            StoreError::AccessDenied if hide => Self::ItemNotFound,
            error => error.into(),
        }
    }
}

impl From<Refusal> for GraphError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            // Graph's messages for a missing and for a refused token, as captured in
            // https://github.com/microsoftgraph/msgraph-sample-reactspa/issues/54.
            Refusal::NoToken => Self::InvalidAuthenticationToken("Access token is empty."),
            Refusal::UnknownToken => {
                Self::InvalidAuthenticationToken("Access token validation failure.")
            }
            Refusal::MissingScope => Self::AccessDenied,
            Refusal::Injected(error) => error.into(),
        }
    }
}

impl From<InjectedError> for GraphError {
    /// Fills in the code and message Graph sends with the status
    /// (<https://learn.microsoft.com/en-us/graph/errors>) where the rule
    /// gave none.
    fn from(error: InjectedError) -> Self {
        let (code, message) = match error.status.as_u16() {
            400 => ("invalidRequest", "The request is malformed or incorrect."),
            401 => (
                "InvalidAuthenticationToken",
                "Access token validation failure.",
            ),
            403 => ("accessDenied", "Access denied"),
            404 => ("itemNotFound", "Item not found"),
            409 => (
                "nameAlreadyExists",
                "An item with the same name already exists under the parent.",
            ),
            412 => (
                "resourceModified",
                "ETag does not match current item's value",
            ),
            416 => (
                "invalidRange",
                "The specified byte range is invalid or unavailable.",
            ),
            429 => ("activityLimitReached", "The request has been throttled"),
            503 => (
                "serviceNotAvailable",
                "The service is not available. Try the request again after a delay.",
            ),
            507 => ("quotaLimitReached", "Insufficient Storage"),
            _ => ("generalException", "An unspecified error has occurred."),
        };
        Self::Injected {
            code: error.code.clone().map_or(Cow::Borrowed(code), Cow::Owned),
            message: error
                .message
                .clone()
                .map_or(Cow::Borrowed(message), Cow::Owned),
            fault: Box::new(error),
        }
    }
}

impl From<AddressError> for GraphError {
    fn from(error: AddressError) -> Self {
        match error {
            AddressError::UnknownSegment(segment) => Self::unknown_segment(&segment),
            AddressError::BadEncoding(segment) => Self::BadRequest(
                format!("The segment '{segment}' is not validly percent-encoded UTF-8.").into(),
            ),
            AddressError::BadPath(segment) => Self::InvalidRequest(
                format!("The path segment '{segment}' is not a valid item path.").into(),
            ),
            // The service's words for a broken `q` literal
            // (<https://github.com/abraunegg/onedrive/issues/3613>).
            AddressError::SearchSyntax(error) => Self::BadRequest(
                format!(
                    "Syntax error at position {} in '{}'.",
                    error.position, error.segment
                )
                .into(),
            ),
        }
    }
}

impl From<BodyError> for GraphError {
    fn from(error: BodyError) -> Self {
        match error {
            BodyError::TooLarge => Self::PayloadTooLarge,
            BodyError::Unreadable(_) => {
                Self::BadRequest("The request body could not be read.".into())
            }
        }
    }
}
