//! Box shared links (<https://developer.box.com/guides/shared-links/>): the `shared_link` key
//! of `PUT /2.0/files/{id}` and `PUT /2.0/folders/{id}` (create with `{}`, change, remove with
//! `null`), and `GET /2.0/shared_items`, which answers the item behind a link to whoever holds
//! it. The link is kept by the store (`store::shared_link`); its URL is the signed `/_share`
//! link Graph's sharing links use (`box_api::shared_link`).

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::box_api::errors::BoxApiError;
use crate::box_api::extract::{BoxQuery, Caller};
use crate::box_api::fields::{shape, FieldsQuery, FILE_BASE};
use crate::box_api::model::{FileJson, FolderJson};
use crate::box_api::shared_link::{decoded, LinkUrls};
use crate::control::journal::Touched;
use crate::state::AppState;
use crate::store::shared_link::{LinkAccess, SharedLinkChange, SharedLinkEdit};

/// A body key that may be absent (`None`) or `null` (`Some(Value::Null)`): `shared_link: null`
/// removes the link, leaving the key out leaves it be.
pub(crate) fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// `shared_link`'s value as a change: `null` removes, an object sets what it names
/// (<https://developer.box.com/reference/put-files-id--add-shared-link/>). Checks that need no
/// state are made here; the store checks the rest against the link as it is.
pub(crate) fn link_change(value: Value) -> Result<SharedLinkChange, BoxApiError> {
    let map = match value {
        Value::Null => return Ok(SharedLinkChange::Remove),
        Value::Object(map) => map,
        _ => {
            return Err(BoxApiError::invalid(
                "shared_link",
                "Invalid value. An object, or null to remove the link, is expected.",
            ))
        }
    };
    let access = match map.get("access") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(match text.as_str() {
            "open" => LinkAccess::Open,
            "company" => LinkAccess::Company,
            "collaborators" => LinkAccess::Collaborators,
            other => return Err(bad_access(other)),
        }),
        Some(other) => return Err(bad_access(&other.to_string())),
    };
    let password = match map.get("password") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::String(password)) if strong(password) => Some(Some(password.clone())),
        Some(_) => {
            return Err(BoxApiError::invalid(
                "password",
                "Invalid value. A password has at least eight characters, including a number, \
                 an upper case letter or a character that is neither a letter nor a number.",
            ))
        }
    };
    let unshared_at = match map.get("unshared_at") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::String(text)) => match DateTime::parse_from_rfc3339(text) {
            Ok(at) => Some(Some(at.with_timezone(&Utc))),
            Err(_) => return Err(bad_date(text)),
        },
        Some(other) => return Err(bad_date(&other.to_string())),
    };
    // A vanity URL would be a second, guessable address for the item; the emulator does not
    // serve one, so it refuses the name rather than show a URL that opens nothing.
    if map.get("vanity_name").is_some_and(|v| !v.is_null()) {
        return Err(BoxApiError::invalid(
            "vanity_name",
            "The emulator does not keep vanity names; nothing was changed.",
        ));
    }
    let (can_download, can_edit) = match map.get("permissions") {
        None | Some(Value::Null) => (None, None),
        Some(Value::Object(permissions)) => {
            // `can_preview` "is always true" (the spec's words).
            if flag(permissions, "can_preview")? == Some(false) {
                return Err(bad_permissions());
            }
            (
                flag(permissions, "can_download")?,
                flag(permissions, "can_edit")?,
            )
        }
        Some(_) => return Err(bad_permissions()),
    };
    Ok(SharedLinkChange::Set(SharedLinkEdit {
        access,
        password,
        unshared_at,
        can_download,
        can_edit,
    }))
}

/// Box's rule for shared-link passwords: eight characters or more, with a digit, an upper-case
/// letter or a character that is neither (the `password` of the spec's request body).
fn strong(password: &str) -> bool {
    password.chars().count() >= 8
        && password
            .chars()
            .any(|c| c.is_ascii_digit() || c.is_uppercase() || !c.is_alphanumeric())
}

fn flag(permissions: &Map<String, Value>, name: &str) -> Result<Option<bool>, BoxApiError> {
    match permissions.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(flag)) => Ok(Some(*flag)),
        Some(_) => Err(bad_permissions()),
    }
}

fn bad_access(value: &str) -> BoxApiError {
    BoxApiError::invalid(
        "access",
        format!("Invalid value '{value}'. Must be one of: open, company, collaborators."),
    )
}

fn bad_date(value: &str) -> BoxApiError {
    BoxApiError::invalid(
        "unshared_at",
        format!("Invalid value '{value}'. An RFC 3339 date in the future is expected."),
    )
}

/// The spec's 400 "incorrect permission combination".
pub(crate) fn bad_permissions() -> BoxApiError {
    BoxApiError::invalid(
        "permissions",
        "Invalid value. Incorrect permission combination: can_preview is always true, \
         can_download needs open or company access, can_edit needs can_download and a file.",
    )
}

/// `BoxApi: shared_link=<url>[&shared_link_password=<password>]`, as box_sdk_gen writes it raw
/// and the legacy Node SDK percent-encoded (`buildSharedItemAuthHeader` in
/// <https://github.com/box/box-node-sdk/blob/main/src/box-client.ts>): the link's id (`None`
/// for a URL no link of this emulator has) and the password.
pub(crate) fn read_box_api(
    state: &AppState,
    value: &str,
) -> Option<(Option<String>, Option<String>)> {
    let value = value.trim();
    let rest = value
        .get(..12)?
        .eq_ignore_ascii_case("shared_link=")
        .then(|| &value[12..])?;
    let (url, password) = match rest.split_once("&shared_link_password=") {
        Some((url, password)) => (url, Some(decoded(password))),
        None => (rest, None),
    };
    let url = decoded(url);
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let mut segments = path.trim_end_matches('/').rsplit('/');
    // The link's token: the last segment of `url`, or the one before `download_url`'s `download`.
    let token = match segments.next() {
        Some("download") => segments.next(),
        last => last,
    }
    .unwrap_or_default();
    Some((state.links.share_claim(token), password))
}

/// 200 with the file or folder a shared link opens (standard, or cut to `fields`), for any
/// signed-in user holding the link (<https://developer.box.com/reference/get-shared-items/>); 304
/// when `If-None-Match` holds its etag. No `BoxApi` header is `400`, a link that is unknown,
/// removed, expired, in the trash or not for the caller `404 not_found`, a missing or wrong
/// password `403 incorrect_shared_item_password`.
pub(crate) async fn find_shared_item(
    State(state): State<AppState>,
    Caller(space): Caller,
    BoxQuery(query): BoxQuery<FieldsQuery>,
    urls: LinkUrls,
    headers: HeaderMap,
) -> Result<Response, BoxApiError> {
    let header = (headers.get("boxapi"))
        .and_then(|value| value.to_str().ok())
        .ok_or_else(|| BoxApiError::missing("boxapi"))?;
    let (link, password) = read_box_api(&state, header).ok_or_else(|| {
        BoxApiError::invalid(
            "boxapi",
            "Invalid value. Expected shared_link=<url>[&shared_link_password=<password>].",
        )
    })?;
    let link = link.ok_or(BoxApiError::NotFound)?;
    let item = (state.store).shared_item(&link, password.as_deref(), Some(&space.actor))?;
    let unchanged = (headers.get(header::IF_NONE_MATCH))
        .and_then(|v| v.to_str().ok())
        .is_some_and(|etag| etag.trim().trim_matches('"') == item.revision.to_string());
    if unchanged {
        return Ok(Touched::mark(
            item.id,
            StatusCode::NOT_MODIFIED.into_response(),
        ));
    }
    let fields = query.fields();
    let full = fields.is_some();
    let reply = match (
        FileJson::new(&item, full, &urls),
        FolderJson::with_full(&item, full, &urls),
    ) {
        (Some(file), _) => Json(shape(fields.as_ref(), file, FILE_BASE)).into_response(),
        (None, Some(folder)) => Json(shape(fields.as_ref(), folder, FILE_BASE)).into_response(),
        (None, None) => return Err(BoxApiError::NotFound),
    };
    Ok(Touched::mark(item.id, reply))
}
