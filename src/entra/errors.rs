//! The identity platform's errors, in its OAuth envelope: `error`, an `error_description` that
//! starts with the `AADSTS` code, `error_codes`, `timestamp`, `trace_id`, `correlation_id` and
//! `error_uri` (<https://learn.microsoft.com/entra/identity-platform/reference-error-codes>).
//! MSAL reads `error` (and `error_codes` for some decisions); the text is for people.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::control::faults::InjectedError;
use crate::http::body::BodyError;

/// Why a sign-in request is refused. Each variant is one AADSTS code.
#[derive(Debug, thiserror::Error)]
pub(crate) enum AadError {
    #[error("AADSTS900144: The request body must contain the following parameter: '{0}'.")]
    MissingParameter(&'static str),
    #[error("AADSTS70003: The app requested an unsupported grant type '{0}'.")]
    UnsupportedGrantType(String),
    #[error("AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")]
    MissingSecret,
    #[error("AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{0}'.")]
    InvalidSecret(String),
    #[error("AADSTS700016: Application with identifier '{client_id}' was not found in the directory '{tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.")]
    UnknownClient { client_id: String, tenant: String },
    #[error("AADSTS1002012: The provided value for scope {0} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).")]
    DefaultScopeRequired(String),
    #[error("AADSTS70000: The provided value for the 'code' parameter is not valid.")]
    InvalidCode,
    #[error("AADSTS70008: The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.")]
    ExpiredCode,
    #[error("AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.")]
    RedeemedCode,
    #[error("AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.")]
    PkceMismatch,
    #[error("AADSTS9002313: Invalid request. Request is malformed or invalid.")]
    InvalidRefreshToken,
    #[error(
        "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling."
    )]
    AuthorizationPending,
    #[error("AADSTS70000: The user declined to authorize the device.")]
    AuthorizationDeclined,
    #[error("AADSTS70019: Verification code expired.")]
    ExpiredDeviceCode,
    #[error("AADSTS70000: The provided value for the input parameter 'device_code' is not valid.")]
    InvalidDeviceCode,
    /// A method the route does not take (the service's words for a `GET` of the token endpoint;
    /// <https://github.com/BitySA/oauth2-auth-code-pkce/issues/30>, answered `400`:
    /// <https://github.com/NunoFilipeMota/PublicScripts/issues/5>).
    #[error("AADSTS900561: The endpoint only accepts {allowed} requests. Received a {received} request.")]
    WrongMethod {
        allowed: &'static str,
        received: axum::http::Method,
    },
    #[error("AADSTS50011: The redirect URI specified in the request does not match the redirect URIs configured for the application '{0}'.")]
    RedirectMismatch(String),
    /// A body that could not be read whole: over `--max-body` (`413`, as the other faces answer
    /// it), or cut off by the client. The platform's generic code for a malformed request.
    #[error("AADSTS9002313: Invalid request. Request is malformed or invalid.")]
    Body(BodyError),
    /// The signing key could not be made (no randomness from the OS).
    #[error("AADSTS90033: A transient error has occurred. Please try again.")]
    Unavailable,
    /// A fault rule answers instead of the platform.
    #[error("AADSTS90033: A transient error has occurred. Please try again.")]
    Injected(Box<InjectedError>),
}

impl AadError {
    /// The OAuth `error` MSAL branches on.
    fn error(&self) -> &str {
        match self {
            Self::MissingParameter(_)
            | Self::RedirectMismatch(_)
            | Self::WrongMethod { .. }
            | Self::Body(_) => "invalid_request",
            Self::UnsupportedGrantType(_) => "unsupported_grant_type",
            Self::MissingSecret | Self::InvalidSecret(_) => "invalid_client",
            Self::UnknownClient { .. } => "unauthorized_client",
            Self::DefaultScopeRequired(_) => "invalid_scope",
            Self::InvalidCode
            | Self::ExpiredCode
            | Self::RedeemedCode
            | Self::PkceMismatch
            | Self::InvalidRefreshToken
            | Self::InvalidDeviceCode => "invalid_grant",
            Self::AuthorizationPending => "authorization_pending",
            Self::AuthorizationDeclined => "authorization_declined",
            Self::ExpiredDeviceCode => "expired_token",
            Self::Unavailable => "temporarily_unavailable",
            Self::Injected(injected) => injected
                .code
                .as_deref()
                .unwrap_or("temporarily_unavailable"),
        }
    }

    /// The service answers a client it cannot authenticate with 401, the rest with 400.
    fn status(&self) -> StatusCode {
        match self {
            Self::MissingSecret | Self::InvalidSecret(_) => StatusCode::UNAUTHORIZED,
            Self::Body(BodyError::TooLarge) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Injected(injected) => injected.status,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    /// The `AADSTS` number at the start of the description.
    fn code(&self) -> u64 {
        let text = self.to_string();
        text.strip_prefix("AADSTS")
            .and_then(|rest| rest.split(':').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    }

    /// The reply, with the ids of this request and the time on the emulator's clock.
    pub fn reply(&self, trace_id: &str, correlation_id: &str, now: DateTime<Utc>) -> Response {
        let code = self.code();
        let message = match self {
            Self::Injected(injected) if injected.message.is_some() => {
                injected.message.clone().unwrap_or_default()
            }
            _ => self.to_string(),
        };
        let timestamp = now.format("%Y-%m-%d %H:%M:%SZ").to_string();
        let description = format!(
            "{message} Trace ID: {trace_id} Correlation ID: {correlation_id} Timestamp: {timestamp}"
        );
        let body = json!({
            "error": self.error(),
            "error_description": description,
            "error_codes": [code],
            "timestamp": timestamp,
            "trace_id": trace_id,
            "correlation_id": correlation_id,
            "error_uri": format!("https://login.microsoftonline.com/error?code={code}"),
        });
        let mut response = (self.status(), axum::Json(body)).into_response();
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store, no-cache"),
        );
        if let Self::Injected(injected) = self {
            injected.add_headers(&mut response);
        }
        response
    }
}
