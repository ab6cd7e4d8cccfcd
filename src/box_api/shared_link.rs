//! A file's or folder's `shared_link` as Box prints it
//! (<https://developer.box.com/reference/put-files-id--add-shared-link/>), with URLs on the
//! emulator itself: `url` is the signed `/_share/{token}` a Graph sharing link has
//! (`download::links::LinkSigner::share_token`), `download_url` the same with `/download`.
//! Both open the item's current bytes without a token while the link lives (`download::shared`).

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use percent_encoding::percent_decode_str;
use serde::Serialize;

use super::model::Date;
use crate::download::links::LinkSigner;
use crate::http::origin::Origin;
use crate::state::AppState;
use crate::store::shared_link::{LinkAccess, SharedLink};
use crate::store::ItemView;

/// What a `shared_link`'s URLs are made of: the root of the reply's absolute links and the
/// signer of the share tokens (in the state). An extractor, so a handler takes it as it takes
/// `Origin`.
#[derive(Clone)]
pub(crate) struct LinkUrls {
    origin: String,
    state: AppState,
}

impl LinkUrls {
    /// For what no request asked for (events, webhook deliveries): `--public-url`, else the
    /// address the emulator listens on.
    pub fn unrequested(state: &AppState) -> Self {
        let origin = match &state.public_url {
            Some(url) => url.origin(),
            None => format!("http://{}", state.listen),
        };
        Self {
            origin,
            state: state.clone(),
        }
    }

    fn signer(&self) -> &LinkSigner {
        &self.state.links
    }
}

/// For a reply to a request: on the origin it came to (`http::origin`).
impl FromRequestParts<AppState> for LinkUrls {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Origin(origin) = Origin::from_request_parts(parts, state).await?;
        Ok(Self {
            origin,
            state: state.clone(),
        })
    }
}

pub(crate) fn access_name(access: LinkAccess) -> &'static str {
    match access {
        LinkAccess::Open => "open",
        LinkAccess::Company => "company",
        LinkAccess::Collaborators => "collaborators",
    }
}

#[derive(Debug, Serialize)]
struct LinkPermissions {
    can_preview: bool,
    can_download: bool,
    can_edit: bool,
}

/// The `shared_link` object, in the key order of the spec's example.
#[derive(Debug, Serialize)]
pub(crate) struct SharedLinkJson {
    url: String,
    download_url: Option<String>,
    /// Vanity names are refused (`routes::shared_links`), so both are always `null`.
    vanity_url: Option<String>,
    vanity_name: Option<String>,
    effective_access: &'static str,
    effective_permission: &'static str,
    is_password_enabled: bool,
    unshared_at: Option<Date>,
    /// Opening a link is not counted: the counts stay at Box's starting 0.
    download_count: u64,
    preview_count: u64,
    access: &'static str,
    permissions: LinkPermissions,
}

impl SharedLinkJson {
    /// The item's live link, or `None` (`shared_link: null`).
    pub fn of(item: &ItemView, urls: &LinkUrls) -> Option<Self> {
        let link: &SharedLink = item.shared_link.as_deref()?;
        let url = format!(
            "{}/_share/{}",
            urls.origin,
            urls.signer().share_token(&link.id)
        );
        // Without a policy model, the effective values are the link's own; the permission is
        // the strongest one the link grants (`effective_permission` in the spec).
        let effective_permission = match (link.can_edit, link.can_download) {
            (true, _) => "can_edit",
            (false, true) => "can_download",
            (false, false) => "can_preview",
        };
        Some(Self {
            download_url: item.file().map(|_| format!("{url}/download")),
            url,
            vanity_url: None,
            vanity_name: None,
            effective_access: access_name(link.access),
            effective_permission,
            is_password_enabled: link.password.is_some(),
            unshared_at: link.unshared_at.map(Date),
            download_count: 0,
            preview_count: 0,
            access: access_name(link.access),
            permissions: LinkPermissions {
                can_preview: true,
                can_download: link.can_download,
                can_edit: link.can_edit,
            },
        })
    }
}

/// `text`, percent-decoded when it holds a `%` (the legacy Node SDK encodes the `BoxApi`
/// header's parts, box_sdk_gen does not, and a raw password may hold other characters).
pub(crate) fn decoded(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// The password a tokenless open of a link's URL carries: in the `BoxApi` header, as
/// `GET /shared_items` takes it.
pub(crate) fn url_password(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("boxapi")?.to_str().ok()?;
    let (_, password) = value.split_once("shared_link_password=")?;
    Some(decoded(password))
}
