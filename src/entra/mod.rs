//! The Microsoft identity platform (Entra ID), enough of it for an app's production sign-in to
//! run unchanged: azure-identity, @azure/identity and MSAL get their tokens here, and each token
//! names the user or app identity Graph then serves.
//!
//! # Routes
//! Under any tenant (`common`, `organizations`, a GUID or a domain), on the emulator's port:
//!
//! | route | what it does |
//! |---|---|
//! | `GET /{tenant}/v2.0/.well-known/openid-configuration` | the endpoints MSAL reads, all on this origin |
//! | `GET /{tenant}/discovery/v2.0/keys` | the key every token is signed with (RS256, made on first use) |
//! | `POST /{tenant}/oauth2/v2.0/token` | `client_credentials`, `refresh_token`, `authorization_code` (PKCE checked), device code |
//! | `POST /{tenant}/oauth2/v2.0/devicecode` | a device code, approved at once unless the admin API says otherwise |
//! | `GET /{tenant}/oauth2/v2.0/authorize` | redirects at once to `redirect_uri` with a code |
//! | `GET /common/discovery/instance` | instance discovery, naming this host only |
//! | `GET /metadata/identity/oauth2/token` | managed identity, the IMDS form (`Metadata: true`) |
//! | `GET /msi/token` | managed identity, the App Service form (`X-IDENTITY-HEADER`) |
//!
//! The SDKs want an `https` authority (`--tls-self-signed DIR` makes one and prints how to trust
//! it) and instance discovery off; managed identity works over plain http with two environment
//! variables. The README's "Sign in as in production" shows each.
//!
//! # Tokens
//! Access tokens are JWTs signed with the emulator's own key, with `aud`, `iss`
//! (`https://sts.windows.net/{tid}/`, as v1 tokens for Graph have), `iat`, `nbf`, `exp`, `tid`,
//! `oid`, `appid`, `idtyp`, `uti`, `ver`, and `roles` (an app) or `scp` (a user). Times in a
//! token and its server-side expiry follow the emulator's clock (move it to expire a token);
//! `expires_in` is relative and managed identity's `expires_on` is on the wall clock, because
//! clients compare them with their own clocks and a frozen clock would make every token look
//! expired to them. Replies carry `expires_in` (azure-identity fails without it).
//!
//! Requests here are journaled as `graph` requests (with the identity they signed in as), and
//! fault rules for the `graph` API apply to them (a `429` with `Retry-After` is honoured by
//! msal-node); match `path` `*/oauth2/v2.0/token` to fault only sign-ins. The journal never holds
//! a request body, so secrets, codes and assertions never reach it.

mod admission;
mod authorize;
mod codes;
mod discovery;
mod errors;
mod identity;
mod issue;
pub(crate) mod managed_identity;
mod recent;
mod signing;
mod token;

use std::sync::Mutex;

use axum::extract::State;
use axum::http::request::Parts;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use serde::{Deserialize, Serialize};

use crate::state::AppState;

pub(crate) use self::codes::Codes;
pub(crate) use self::signing::Signer;
pub use self::signing::ISSUED_PREFIX;

/// The tenant id tokens carry when the request named `common`, `organizations`, `consumers` or
/// a domain rather than a tenant's GUID.
const EMULATOR_TENANT: &str = "00000000-0000-4000-8000-00000000e1a0";

/// How the device flow answers its polls: a test sets it with the admin API.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceAnswer {
    /// The user signs in at once (the default).
    #[default]
    Approved,
    /// Polls get `authorization_pending` until the answer changes.
    Pending,
    /// Polls get `authorization_declined`.
    Denied,
}

/// The platform's own state: the signing key, the codes it handed out, the device flow's answer.
#[derive(Default)]
pub(crate) struct Platform {
    pub signer: Signer,
    pub codes: Codes,
    pub recent: recent::RecentTokens,
    device_answer: Mutex<DeviceAnswer>,
}

impl Platform {
    /// The tenant id for the tenant segment of a request.
    pub fn tenant_id(tenant: &str) -> &str {
        if uuid::Uuid::try_parse(tenant).is_ok() {
            tenant
        } else {
            EMULATOR_TENANT
        }
    }

    pub fn device_answer(&self) -> DeviceAnswer {
        *self.device_answer.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn set_device_answer(&self, answer: DeviceAnswer) {
        *self.device_answer.lock().unwrap_or_else(|e| e.into_inner()) = answer;
    }

    /// Forgets every code and token handed out, and approves device sign-ins again; the key
    /// stays (clients may hold its JWK).
    pub fn reset(&self) {
        self.codes.clear();
        self.recent.clear();
        self.set_device_answer(DeviceAnswer::Approved);
    }
}

/// The platform's routes. Any other method gets the platform's refusal (`AADSTS900561`) in its
/// envelope, managed identity's in its own; none gets an empty `405`.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            only("GET", get(discovery::openid_configuration)),
        )
        .route(
            "/{tenant}/discovery/v2.0/keys",
            only("GET", get(discovery::keys)),
        )
        .route(
            "/common/discovery/instance",
            only("GET", get(discovery::instance_discovery)),
        )
        .route(
            "/{tenant}/oauth2/v2.0/token",
            only("POST", post(token::token)),
        )
        .route(
            "/{tenant}/oauth2/v2.0/devicecode",
            only("POST", post(token::device_code)),
        )
        .route(
            "/{tenant}/oauth2/v2.0/authorize",
            only("GET", get(authorize::authorize)),
        )
        .route(
            "/metadata/identity/oauth2/token",
            get(managed_identity::imds).fallback(managed_identity::wrong_method),
        )
        .route(
            managed_identity::APP_SERVICE_PATH,
            get(managed_identity::app_service).fallback(managed_identity::wrong_method),
        )
}

/// `route`, refusing every method but `allowed` as the platform does.
fn only(allowed: &'static str, route: MethodRouter<AppState>) -> MethodRouter<AppState> {
    route.fallback(move |state: State<AppState>, request: Parts| {
        admission::wrong_method(state, request, allowed)
    })
}
