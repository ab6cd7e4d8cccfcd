//! `BoxApiError`: every way a Box request fails, mapped once to Box's status, code and envelope
//! (<https://developer.box.com/guides/api-calls/permissions-and-errors/common-errors/>). Handlers
//! return it; the face's middleware renders it, because only the middleware knows the request id
//! that the envelope carries.

use axum::body::Body;
use axum::extract::rejection::{QueryRejection, RawPathParamsRejection};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::model::ItemMini;
use crate::control::faults::InjectedError;
use crate::http::admission::Refusal;
use crate::http::body::BodyError;
use crate::http::request_id::RequestId;
use crate::store::shared_link::SharedLinkError;
use crate::store::tasks::TaskError;
use crate::store::{ItemView, MetadataError, SharingError, StoreError, UserError};

/// What Box sends with a 403 for a token whose scopes are too narrow (RFC 6750 §3.1).
const WWW_AUTHENTICATE_SCOPE: &str = "Bearer realm=\"Service\", error=\"insufficient_scope\", \
     error_description=\"The request requires higher privileges than provided by the access token.\"";

/// Real bodies from 2013 to 2025 carry this `help_url`, not the guide's address (captures in
/// <https://github.com/box/box-python-sdk-gen/issues/432> and
/// <https://github.com/syndesisio/syndesis/issues/5233>).
const HELP_URL: &str = "http://developers.box.com/docs/#errors";

/// What real Box sends with its empty 401 body (<https://github.com/box/box-node-sdk/issues/571>
/// shows the empty body; the header is from captured traffic).
const WWW_AUTHENTICATE: &str = "Bearer realm=\"Service\", error=\"invalid_token\", \
     error_description=\"The access token provided is invalid.\"";

/// A Box error. Variants are named after the `code` they send.
#[derive(Debug, Clone, thiserror::Error)]
pub(crate) enum BoxApiError {
    #[error("bad request")]
    BadRequest(Option<ParamError>),
    #[error("the content-md5 header does not match the content")]
    BadDigest,
    #[error("the attributes part came after the file part")]
    MetadataAfterFileContents,
    #[error("invalid item name: {0}")]
    ItemNameInvalid(String),
    #[error("limit is not a valid number")]
    InvalidLimit,
    #[error("offset is not a valid number")]
    InvalidOffset,
    #[error("no valid bearer token")]
    Unauthorized,
    /// A token without `root_readwrite` on a write, or without any read scope
    /// (<https://developer.box.com/guides/api-calls/permissions-and-errors/scopes/>).
    #[error("insufficient scope")]
    InsufficientScope,
    #[error("not found")]
    NotFound,
    /// The file or folder, or a folder above it, is in the trash (`trashed` in
    /// <https://developer.box.com/guides/api-calls/permissions-and-errors/common-errors/>).
    #[error("item is trashed")]
    Trashed,
    /// `DELETE /folders/{id}` of a non-empty folder without `recursive=true`
    /// (<https://developer.box.com/reference/delete-folders-id/>).
    #[error("folder not empty")]
    FolderNotEmpty,
    /// A restore whose original folder is gone and that names no other: the spec's 403 for "the
    /// folder the file is being restored to".
    #[error("access denied")]
    AccessDeniedInsufficientPermissions,
    /// A change to a file another user locked: Box has no 423
    /// (<https://github.com/box/box-ui-elements/issues/4831> shows it for a new version).
    #[error("item locked")]
    AccessDeniedItemLocked,
    #[error("method not allowed")]
    MethodNotAllowed,
    /// A page on an origin `--cors-origin` does not let in
    /// (<https://developer.box.com/guides/security/cors/>).
    #[error("origin {0} is not allowed")]
    CorsOriginNotWhitelisted(String),
    /// `GET /shared_items` without the password of a link that has one, or with another
    /// (<https://developer.box.com/guides/api-calls/permissions-and-errors/common-errors/>).
    #[error("incorrect shared item password")]
    IncorrectSharedItemPassword,
    #[error("item name in use")]
    ItemNameInUse {
        existing: Box<ItemView>,
        /// Folder creation lists conflicts in an array; uploads send one object, whatever the spec
        /// says (<https://github.com/syndesisio/syndesis/issues/5233>,
        /// <https://github.com/box/box-windows-sdk-v2/pull/930>).
        as_list: bool,
    },
    /// A folder copied into itself or a folder below it (the code Box's common errors guide
    /// lists for such a move).
    #[error("a folder cannot go into itself")]
    CyclicalFolderStructure,
    #[error("precondition failed")]
    PreconditionFailed,
    #[error("request entity too large")]
    RequestEntityTooLarge,
    /// Upload sessions (<https://developer.box.com/reference/post-files-upload-sessions/>): the
    /// codes Box's `POST /files/upload_sessions` documents for a bad body.
    #[error("no folder_id")]
    MissingDestination,
    #[error("folder_id is not valid")]
    InvalidFolderId,
    #[error("no file_size")]
    MissingFileSize,
    #[error("file_size is not valid")]
    InvalidFileSize,
    #[error("file_size is below the chunked upload minimum")]
    FileSizeTooSmall,
    #[error("no file_name")]
    MissingFileName,
    /// A session's `file_size` over the emulator's limit on one file: Box's 403 for a file over
    /// the account's `max_upload_size` (common errors guide). The message says which limit.
    #[error("{0}")]
    FileSizeLimitExceeded(String),
    /// Open sessions hold what the emulator allows: Box's 403 for a full account (common
    /// errors guide; box-windows-sdk-v2#867 shows it on uploads). The message says which limit.
    #[error("{0}")]
    StorageLimitExceeded(String),
    /// A part off the session's grid, or a total that is not the session's file size.
    #[error("range not satisfiable")]
    RangeNotSatisfiable,
    /// A part where one was already uploaded: parts are immutable.
    #[error("the part conflicts with an uploaded part")]
    PartConflict,
    /// A second webhook on one item for one user and application
    /// (<https://developer.box.com/guides/webhooks/v2/limitations-v2/>).
    #[error("a webhook already exists on this item")]
    Conflict,
    /// A part whose `digest` is not the SHA-1 of its bytes.
    #[error("the part's digest does not match its bytes")]
    PartDigestMismatch,
    /// The commit's `digest` is not the SHA-1 of the whole file (box-windows-sdk-v2#767).
    #[error("the file's digest does not match")]
    DigestMismatch,
    /// The commit lists parts the session does not have, or parts are missing.
    #[error("the parts listed do not match the parts uploaded")]
    PartsMismatch,
    /// Thumbnail bounds out of range, contradicting each other, or met by no size the format has
    /// (<https://developer.box.com/reference/get-files-id-thumbnail-id/>).
    #[error("requested preview unavailable")]
    RequestedPreviewUnavailable,
    /// A thumbnail the emulator cannot make (a `.jpg` one: no JPEG encoder is linked).
    #[error("preview cannot be generated")]
    PreviewCannotBeGenerated,
    /// Metadata (<https://developer.box.com/reference/post-files-id-metadata-id-id/>): an unknown
    /// template (`instance_tuple_not_found`, in the metadata service's shape as the spec's
    /// `MetadataError` has it), no instance (`instance_not_found`, Box's envelope), a second
    /// instance (409), a value that does not fit (400) and a failed `test` (409); see
    /// `metadata_body` for the shape.
    #[error("no such metadata template")]
    InstanceTupleNotFound,
    #[error("no such metadata instance")]
    InstanceNotFound,
    #[error("the metadata instance exists")]
    TupleAlreadyExists,
    #[error("{0}")]
    SchemaValidationFailed(String),
    #[error("value differs from expectations")]
    FailedJsonPatchApplication,
    /// A template key already taken (Box does not document the reply; 409 `conflict`).
    #[error("a template with this key exists")]
    TemplateConflict,
    /// Collaborations (<https://developer.box.com/reference/post-collaborations/>; the codes
    /// are the common errors guide's): an unknown or hidden collaboration id (404 naming
    /// `collab`, as box-node-sdk's `get_collaborations_id_404.json` fixture has it), one on a
    /// root folder, a user who already collaborates, and a status change of one not pending.
    #[error("no such collaboration")]
    CollaborationNotFound(String),
    #[error("collaborations are not available on the root folder")]
    CollaborationsNotAvailableOnRootFolder,
    #[error("the user already collaborates on the item")]
    UserAlreadyCollaborator,
    #[error("the collaboration is not pending")]
    InvalidStatus,
    #[error("internal server error")]
    InternalServerError,
    /// `POST /users` with a login another user has (409 `user_login_already_used`,
    /// <https://developer.box.com/guides/api-calls/permissions-and-errors/common-errors/>).
    #[error("user login already used")]
    UserLoginAlreadyUsed,

    /// The data dir's disk is full; the text says which and why
    /// (https://developer.box.com/guides/api-calls/permissions-and-errors/common-errors/ lists
    /// `507 insufficient_storage`).
    #[error("Insufficient Storage: {0}")]
    InsufficientStorage(String),
    /// An error a fault rule asked for, with the code Box uses for its status unless the rule
    /// named one.
    #[error("injected {}", .0.status)]
    Injected(Box<InjectedError>),
    /// A zip download of more files than Box's 10,000
    /// (<https://developer.box.com/reference/post-zip-downloads/>).
    #[error("too many files for one zip download")]
    ZipDownloadFileCountExceededLimit,
    /// More unread zip downloads than the emulator keeps for one user (Box's code for its own
    /// limit on parallel downloads, in the spec of `GET /zip_downloads/{id}/content`).
    #[error("too many zip downloads")]
    UserTooManyConcurrentDownloads,
}

/// One entry of `context_info.errors`: which parameter was wrong and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ParamError {
    pub reason: &'static str,
    pub name: &'static str,
    pub message: String,
}

impl ParamError {
    pub fn invalid(name: &'static str, message: impl Into<String>) -> Self {
        Self {
            reason: "invalid_parameter",
            name,
            message: message.into(),
        }
    }

    pub fn missing(name: &'static str) -> Self {
        Self {
            reason: "missing_parameter",
            name,
            message: format!("'{name}' is required"),
        }
    }
}

impl BoxApiError {
    pub fn invalid(name: &'static str, message: impl Into<String>) -> Self {
        Self::BadRequest(Some(ParamError::invalid(name, message)))
    }

    pub fn missing(name: &'static str) -> Self {
        Self::BadRequest(Some(ParamError::missing(name)))
    }

    /// The same conflict, in the array form folder creation uses.
    pub fn listing_conflicts(self) -> Self {
        match self {
            Self::ItemNameInUse { existing, .. } => Self::ItemNameInUse {
                existing,
                as_list: true,
            },
            other => other,
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_)
            | Self::BadDigest
            | Self::MetadataAfterFileContents
            | Self::ItemNameInvalid(_)
            | Self::InvalidLimit
            | Self::InvalidOffset
            | Self::MissingDestination
            | Self::InvalidFolderId
            | Self::MissingFileSize
            | Self::InvalidFileSize
            | Self::FileSizeTooSmall
            | Self::MissingFileName
            | Self::DigestMismatch
            | Self::PartsMismatch
            | Self::CyclicalFolderStructure
            | Self::RequestedPreviewUnavailable
            | Self::ZipDownloadFileCountExceededLimit => StatusCode::BAD_REQUEST,
            Self::UserTooManyConcurrentDownloads => StatusCode::TOO_MANY_REQUESTS,
            Self::RangeNotSatisfiable => StatusCode::RANGE_NOT_SATISFIABLE,
            Self::PartConflict
            | Self::Conflict
            | Self::TupleAlreadyExists
            | Self::FailedJsonPatchApplication
            | Self::TemplateConflict
            | Self::UserLoginAlreadyUsed => StatusCode::CONFLICT,
            Self::InstanceTupleNotFound | Self::InstanceNotFound => StatusCode::NOT_FOUND,
            Self::CollaborationNotFound(_) => StatusCode::NOT_FOUND,
            Self::CollaborationsNotAvailableOnRootFolder
            | Self::UserAlreadyCollaborator
            | Self::InvalidStatus => StatusCode::BAD_REQUEST,
            Self::SchemaValidationFailed(_) => StatusCode::BAD_REQUEST,
            Self::PartDigestMismatch => StatusCode::PRECONDITION_FAILED,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::InsufficientScope
            | Self::FileSizeLimitExceeded(_)
            | Self::StorageLimitExceeded(_) => StatusCode::FORBIDDEN,
            Self::NotFound | Self::Trashed | Self::PreviewCannotBeGenerated => {
                StatusCode::NOT_FOUND
            }
            Self::FolderNotEmpty => StatusCode::BAD_REQUEST,
            Self::AccessDeniedInsufficientPermissions
            | Self::IncorrectSharedItemPassword
            | Self::AccessDeniedItemLocked
            | Self::CorsOriginNotWhitelisted(_) => StatusCode::FORBIDDEN,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::ItemNameInUse { .. } => StatusCode::CONFLICT,
            Self::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            Self::RequestEntityTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::InternalServerError => StatusCode::INTERNAL_SERVER_ERROR,
            Self::InsufficientStorage(_) => StatusCode::INSUFFICIENT_STORAGE,
            Self::Injected(fault) => fault.status,
        }
    }

    /// Box's `code` and `message`, in the wording of
    /// <https://developer.box.com/guides/api-calls/permissions-and-errors/common-errors/>.
    fn code_and_message(&self) -> (&'static str, &'static str) {
        match self {
            Self::BadRequest(_) => ("bad_request", "Bad Request"),
            Self::BadDigest => (
                "bad_digest",
                "The specified content-md5 did not match what we received",
            ),
            Self::MetadataAfterFileContents => (
                "metadata_after_file_contents",
                "Metadata is included after file contents in a file upload request",
            ),
            Self::ItemNameInvalid(_) => ("item_name_invalid", "Item name invalid"),
            Self::InvalidLimit => ("invalid_limit", "Limit is not a valid number"),
            Self::InvalidOffset => ("invalid_offset", "Offset is not a valid number"),
            Self::Unauthorized => ("unauthorized", "Unauthorized"),
            Self::InsufficientScope => (
                "insufficient_scope",
                "The request requires higher privileges than provided by the access token.",
            ),
            Self::NotFound => ("not_found", "Not Found"),
            Self::Trashed => ("trashed", "Item is trashed"),
            Self::FolderNotEmpty => ("folder_not_empty", "Cannot delete – folder not empty"),
            Self::AccessDeniedInsufficientPermissions => (
                "access_denied_insufficient_permissions",
                "Access denied - insufficient permission",
            ),
            Self::AccessDeniedItemLocked => {
                ("access_denied_item_locked", "Access denied – item locked")
            }
            Self::MethodNotAllowed => ("method_not_allowed", "Method Not Allowed"),
            Self::CorsOriginNotWhitelisted(_) => (
                "cors_origin_not_whitelisted",
                "Access denied - Did you forget to safelist your origin in the CORS config of your app?",
            ),
            Self::IncorrectSharedItemPassword => (
                "incorrect_shared_item_password",
                "The password for the shared item is incorrect",
            ),
            Self::ItemNameInUse { .. } => {
                ("item_name_in_use", "Item with the same name already exists")
            }
            Self::CyclicalFolderStructure => (
                "cyclical_folder_structure",
                "Folder cannot be copied into itself or a folder below it",
            ),
            Self::PreconditionFailed => (
                "precondition_failed",
                "The resource has been modified. Retrieve the resource again and retry",
            ),
            Self::RequestEntityTooLarge => ("request_entity_too_large", "Request Entity too Large"),
            Self::MissingDestination => ("missing_destination", "A folder_id is required"),
            Self::InvalidFolderId => ("invalid_folder_id", "The folder_id is not valid"),
            Self::MissingFileSize => ("missing_file_size", "A file_size is required"),
            Self::InvalidFileSize => ("invalid_file_size", "The file_size is not valid"),
            Self::FileSizeTooSmall => (
                "file_size_too_small",
                "The file size is too small for a chunked upload session",
            ),
            Self::MissingFileName => ("missing_file_name", "A file_name is required"),
            Self::FileSizeLimitExceeded(_) => (
                "file_size_limit_exceeded",
                "File size exceeds the folder owner's file size limit",
            ),
            Self::StorageLimitExceeded(_) => {
                ("storage_limit_exceeded", "Account storage limit reached")
            }
            Self::RangeNotSatisfiable => (
                "range_not_satisfiable",
                "The content range does not match a part of this upload session",
            ),
            Self::PartConflict => (
                "range_overlap",
                "The part overlaps a part already uploaded to this session",
            ),
            Self::Conflict => (
                "conflict",
                "Webhook already exists for this target and application",
            ),
            Self::PartDigestMismatch => (
                "digest_mismatch",
                "The digest of the part does not match its content",
            ),
            Self::DigestMismatch => ("digest_mismatch", "File digest was incorrect."),
            Self::PartsMismatch => ("parts_mismatch", "No matching part found on server"),
            // Box documents the codes, not the messages.
            Self::RequestedPreviewUnavailable => (
                "requested_preview_unavailable",
                "The requested thumbnail size is not available",
            ),
            Self::PreviewCannotBeGenerated => (
                "preview_cannot_be_generated",
                "A thumbnail cannot be generated for this file",
            ),
            Self::InstanceTupleNotFound => (
                "instance_tuple_not_found",
                "Template not found for the given scope and template key.",
            ),
            Self::InstanceNotFound => ("instance_not_found", "Instance not found."),
            Self::TupleAlreadyExists => ("tuple_already_exists", "Conflict on Metadata Instance."),
            Self::SchemaValidationFailed(_) => ("schema_validation_failed", "Invalid value."),
            Self::FailedJsonPatchApplication => (
                "failed_json_patch_application",
                "value differs from expectations",
            ),
            Self::TemplateConflict => ("conflict", "A template with this key already exists."),
            Self::CollaborationNotFound(_) => ("not_found", "Not Found"),
            Self::CollaborationsNotAvailableOnRootFolder => (
                "collaborations_not_available_on_root_folder",
                "Root folder cannot be collaborated",
            ),
            Self::UserAlreadyCollaborator => (
                "user_already_collaborator",
                "User is already a collaborator",
            ),
            Self::InvalidStatus => (
                "invalid_status",
                "You can change the status only if the collaboration is pending",
            ),
            Self::InternalServerError => ("internal_server_error", "Internal Server Error"),
            Self::UserLoginAlreadyUsed => (
                "user_login_already_used",
                "User with the specified login already exists",
            ),
            Self::InsufficientStorage(_) => ("insufficient_storage", "Insufficient Storage"),
            Self::Injected(fault) => default_for_status(fault.status),
            Self::ZipDownloadFileCountExceededLimit => (
                "zip_download_file_count_exceeded_limit",
                "The requested files and folders would make an archive of more than 10,000 files",
            ),
            Self::UserTooManyConcurrentDownloads => (
                "user_too_many_concurrent_downloads",
                "The user has made the most zip downloads that can wait to be read",
            ),
        }
    }

    /// The whole reply for this error.
    pub fn render(&self, request_id: RequestId) -> Response {
        match self {
            Self::Unauthorized => return unauthorized(),
            Self::InsufficientScope => {
                let (code, message) = self.code_and_message();
                let mut response = envelope(self.status(), code, message, None, request_id);
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static(WWW_AUTHENTICATE_SCOPE),
                );
                return response;
            }
            Self::Injected(fault) => {
                let (default_code, default_message) = default_for_status(fault.status);
                let mut response =
                    if fault.status == StatusCode::UNAUTHORIZED && fault.code.is_none() {
                        unauthorized()
                    } else if fault.status == StatusCode::ACCEPTED {
                        // A commit "not processed yet" carries no body, only `Retry-After`.
                        StatusCode::ACCEPTED.into_response()
                    } else {
                        let code = fault.code.as_deref().unwrap_or(default_code);
                        let message = fault.message.as_deref().unwrap_or(default_message);
                        envelope(fault.status, code, message, None, request_id)
                    };
                fault.add_headers(&mut response);
                return response;
            }
            // The metadata service answers in its own shape, without `type`, `status` or
            // `help_url` (a real 409 in https://github.com/box/box-openapi/issues/393; the spec's
            // `MetadataError` since box/box-openapi#536).
            Self::InstanceTupleNotFound
            | Self::TupleAlreadyExists
            | Self::FailedJsonPatchApplication => {
                let (code, message) = self.code_and_message();
                return metadata_body(self.status(), code, message, request_id);
            }
            Self::SchemaValidationFailed(detail) => {
                let (code, _) = self.code_and_message();
                return metadata_body(self.status(), code, detail, request_id);
            }
            // The message names the cause, which Box's fixed one cannot.
            Self::InsufficientStorage(_) => {
                let (code, _) = self.code_and_message();
                return envelope(self.status(), code, &self.to_string(), None, request_id);
            }
            _ => {}
        }
        let (code, message) = match self {
            // The emulator's own limits: the message names the option behind the refusal.
            Self::FileSizeLimitExceeded(detail) | Self::StorageLimitExceeded(detail) => {
                (self.code_and_message().0, detail.as_str())
            }
            _ => self.code_and_message(),
        };
        let context = match self {
            Self::BadRequest(Some(param)) => Some(ContextInfo::Errors {
                errors: [param.clone()],
            }),
            Self::ItemNameInvalid(detail) => Some(ContextInfo::Errors {
                errors: [ParamError::invalid("name", detail.clone())],
            }),
            Self::CollaborationNotFound(id) => Some(ContextInfo::Errors {
                errors: [ParamError::invalid(
                    "collab",
                    format!("Invalid value '{id}'. 'collab' with value '{id}' not found"),
                )],
            }),
            Self::CorsOriginNotWhitelisted(origin) => Some(ContextInfo::Origin { origin }),
            Self::ItemNameInUse { existing, as_list } => {
                let item = ItemMini::new(existing);
                Some(if *as_list {
                    ContextInfo::ConflictList { conflicts: [item] }
                } else {
                    ContextInfo::Conflict { conflicts: item }
                })
            }
            _ => None,
        };
        envelope(self.status(), code, message, context.as_ref(), request_id)
    }
}

/// The code and message Box sends with a status
/// (<https://developer.box.com/guides/api-calls/permissions-and-errors/common-errors/>), for
/// injected faults that name neither.
fn default_for_status(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => ("bad_request", "Bad Request"),
        401 => ("unauthorized", "Unauthorized"),
        403 => (
            "access_denied_insufficient_permissions",
            "Access denied - insufficient permission",
        ),
        404 => ("not_found", "Not Found"),
        405 => ("method_not_allowed", "Method Not Allowed"),
        409 => ("conflict", "Conflict"),
        412 => (
            "precondition_failed",
            "The resource has been modified. Retrieve the resource again and retry",
        ),
        413 => ("request_entity_too_large", "Request Entity too Large"),
        429 => (
            "rate_limit_exceeded",
            "Request rate limit exceeded, please try again later",
        ),
        502 => ("bad_gateway", "Bad Gateway"),
        503 => ("unavailable", "Unavailable"),
        507 => ("insufficient_storage", "Insufficient Storage"),
        _ => ("internal_server_error", "Internal Server Error"),
    }
}

impl From<Refusal> for BoxApiError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::NoToken | Refusal::UnknownToken => Self::Unauthorized,
            Refusal::MissingScope => Self::InsufficientScope,
            Refusal::Injected(error) => error.into(),
        }
    }
}

impl From<InjectedError> for BoxApiError {
    fn from(error: InjectedError) -> Self {
        Self::Injected(Box::new(error))
    }
}

/// `context_info`, in the shapes real Box sends.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum ContextInfo<'a> {
    Errors { errors: [ParamError; 1] },
    Conflict { conflicts: ItemMini<'a> },
    ConflictList { conflicts: [ItemMini<'a>; 1] },
    Origin { origin: &'a str },
}

/// Box's error envelope (<https://developer.box.com/reference/resources/client-error/>), in the key
/// order real bodies use (<https://github.com/box/box-python-sdk-gen/issues/432>). The one place a
/// Box error body is written, so an injected fault can send exactly what a real failure sends.
pub(crate) fn envelope(
    status: StatusCode,
    code: &str,
    message: &str,
    context_info: Option<&ContextInfo<'_>>,
    request_id: RequestId,
) -> Response {
    #[derive(Serialize)]
    struct Envelope<'a> {
        #[serde(rename = "type")]
        kind: &'static str,
        status: u16,
        code: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        context_info: Option<&'a ContextInfo<'a>>,
        help_url: &'static str,
        message: &'a str,
        request_id: &'a str,
    }
    let body = Envelope {
        kind: "error",
        status: status.as_u16(),
        code,
        context_info,
        help_url: HELP_URL,
        message,
        request_id: &request_id.short(),
    };
    (status, axum::Json(body)).into_response()
}

/// The metadata service's error body: `{"message", "code", "request_id"}` only.
fn metadata_body(status: StatusCode, code: &str, message: &str, request_id: RequestId) -> Response {
    #[derive(Serialize)]
    struct MetadataBody<'a> {
        message: &'a str,
        code: &'a str,
        request_id: &'a str,
    }
    let body = MetadataBody {
        message,
        code,
        request_id: &request_id.short(),
    };
    (status, axum::Json(body)).into_response()
}

/// Real Box answers a bad token with an empty body and a `WWW-Authenticate` header, which every
/// SDK accepts (<https://github.com/box/box-node-sdk/issues/571>; pinned by
/// `a_missing_or_blank_token_is_401_with_an_empty_body_and_www_authenticate`).
fn unauthorized() -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::UNAUTHORIZED;
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(WWW_AUTHENTICATE),
    );
    response
}

/// The error travels to the face's middleware in the response's extensions; the middleware turns
/// it into the envelope with the request's id.
impl IntoResponse for BoxApiError {
    fn into_response(self) -> Response {
        let mut response = self.status().into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// The one place where the store's failures become Box errors.
impl From<StoreError> for BoxApiError {
    fn from(error: StoreError) -> Self {
        match error {
            // A folder id where a file is wanted (and the reverse) names nothing Box would find.
            StoreError::ItemNotFound
            | StoreError::VersionNotFound
            | StoreError::NotAFile
            | StoreError::WriteToFolder
            | StoreError::NotAFolder => Self::NotFound,
            StoreError::NameConflict { existing } => Self::ItemNameInUse {
                existing,
                as_list: false,
            },
            StoreError::PreconditionFailed => Self::PreconditionFailed,
            StoreError::InvalidName(detail) => Self::ItemNameInvalid(detail),
            // Box documents no depth limit (`rules::BOX_MAX_DEPTH` is the emulator's); the
            // folder the item would go in is what makes it too deep.
            StoreError::PathTooLong => Self::invalid(
                "parent",
                format!(
                    "Invalid value. Items nest at most {} levels below All Files here.",
                    crate::store::rules::BOX_MAX_DEPTH
                ),
            ),
            // The shape of the only refused-version body on record
            // (https://github.com/box/box-java-sdk/issues/167); promote of the current version
            // answers the same, as Box does not say (pinned by
            // `promote_refuses_the_current_and_trashed_versions_and_needs_a_known_id`).
            StoreError::CurrentVersion => Self::invalid(
                "file_version_id",
                "Invalid value. The current version cannot be removed or promoted.",
            ),
            StoreError::VersionTrashed => Self::invalid(
                "file_version_id",
                "Invalid value. A version in the trash cannot be promoted.",
            ),
            // Folder `0` is never an item id in a Box path, so this means a bug here.
            StoreError::RootFolder => Self::InternalServerError,
            StoreError::Trashed => Self::Trashed,
            StoreError::NotTrashed => Self::NotFound,
            StoreError::Sharing(SharingError::Locked) => Self::AccessDeniedItemLocked,
            // Box does not say what a folder lock through `PUT /folders/{id}` answers (folder
            // locks are `/folder_locks`, another feature); the body's key is named.
            StoreError::Sharing(SharingError::NotAFile) => {
                Self::invalid("lock", "Only files can be locked this way.")
            }
            StoreError::Sharing(SharingError::LockExpiry) => {
                Self::invalid("expires_at", "The lock's expiry must be in the future.")
            }
            StoreError::Sharing(SharingError::SharedLink(refused)) => match refused {
                SharedLinkError::Permissions => {
                    crate::box_api::routes::shared_links::bad_permissions()
                }
                SharedLinkError::PasswordNeedsOpen => Self::invalid(
                    "password",
                    "Invalid value. A password can only be set when access is open.",
                ),
                SharedLinkError::PastUnsharedAt => Self::invalid(
                    "unshared_at",
                    "Invalid value. The date must be in the future.",
                ),
                SharedLinkError::IncorrectPassword => Self::IncorrectSharedItemPassword,
            },
            StoreError::Sharing(SharingError::CollaborationOnRoot) => {
                Self::CollaborationsNotAvailableOnRootFolder
            }
            StoreError::Sharing(SharingError::AlreadyCollaborator) => Self::UserAlreadyCollaborator,
            StoreError::Sharing(SharingError::InvalidStatus) => Self::InvalidStatus,
            StoreError::Sharing(SharingError::InsufficientRole) => {
                Self::AccessDeniedInsufficientPermissions
            }
            // The handlers name the id (`routes::collaborations`).
            StoreError::Sharing(SharingError::CollaborationNotFound) => {
                Self::CollaborationNotFound(String::new())
            }
            StoreError::Sharing(SharingError::Task(refused)) => match refused {
                TaskError::TaskNotFound
                | TaskError::AssignmentNotFound
                | TaskError::UserNotFound => Self::NotFound,
                TaskError::NotTheAssignee => Self::AccessDeniedInsufficientPermissions,
                TaskError::ResolutionForAction => Self::invalid(
                    "resolution_state",
                    "Invalid value. The state does not fit the task's action.",
                ),
                TaskError::TooManyTasks => Self::invalid(
                    "item",
                    "The file holds the most tasks the emulator keeps (1000).",
                ),
                TaskError::TooManyAssignments => Self::invalid(
                    "task",
                    "The task holds the most assignments the emulator keeps (1000).",
                ),
            },
            // Graph's permissions and check-outs: no Box operation reaches them.
            StoreError::Sharing(_) => Self::NotFound,
            StoreError::Metadata(refused) => match refused {
                MetadataError::TemplateNotFound => Self::InstanceTupleNotFound,
                MetadataError::InstanceNotFound => Self::InstanceNotFound,
                MetadataError::InstanceExists => Self::TupleAlreadyExists,
                MetadataError::TemplateExists => Self::TemplateConflict,
                MetadataError::GlobalTemplate => Self::AccessDeniedInsufficientPermissions,
                MetadataError::TooManyTemplates => Self::invalid(
                    "templateKey",
                    "The enterprise has the most templates the emulator keeps.",
                ),
                MetadataError::TestFailed => Self::FailedJsonPatchApplication,
                MetadataError::Invalid(detail) => Self::SchemaValidationFailed(detail),
                // Box's limit of 100 instances per item, in the validation shape.
                MetadataError::TooManyInstances => Self::SchemaValidationFailed(
                    "An item can have at most 100 template instances".into(),
                ),
                MetadataError::BadPatch(detail) => Self::invalid("body", detail),
                MetadataError::BadFilter(detail) => Self::invalid("mdfilters", detail),
            },
            StoreError::FolderNotEmpty => Self::FolderNotEmpty,
            StoreError::MoveIntoItself => Self::invalid(
                "parent",
                "Invalid value. A folder cannot be moved into itself or a folder below it.",
            ),
            // Box has no shared drives, so only a Graph drive refuses this way; Box's own
            // refusal fits should one ever reach here.
            StoreError::RestoreTargetGone | StoreError::AccessDenied => {
                Self::AccessDeniedInsufficientPermissions
            }
            StoreError::InsufficientStorage(cause) => Self::InsufficientStorage(cause),
            // The data dir failed otherwise (an I/O error): the emulator's fault.
            StoreError::Storage(_) => Self::InternalServerError,
            StoreError::Users(refused) => match refused {
                UserError::NotFound => Self::NotFound,
                UserError::LoginTaken => Self::UserLoginAlreadyUsed,
                // Box documents no code for it; `400 bad_request` naming `force` is the
                // emulator's guess.
                UserError::OwnsItems => Self::invalid(
                    "force",
                    "The user still owns files or folders; delete them or pass force=true.",
                ),
            },
        }
    }
}

impl From<BodyError> for BoxApiError {
    fn from(error: BodyError) -> Self {
        match error {
            BodyError::TooLarge => Self::RequestEntityTooLarge,
            BodyError::Unreadable(message) => Self::invalid("body", message),
        }
    }
}

impl From<QueryRejection> for BoxApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::invalid("query", rejection.body_text())
    }
}

impl From<RawPathParamsRejection> for BoxApiError {
    fn from(rejection: RawPathParamsRejection) -> Self {
        Self::invalid("path", rejection.body_text())
    }
}
