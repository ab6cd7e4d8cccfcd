//! Check-out and check-in: `checkout`, `checkin`, `discardCheckout`
//! (<https://learn.microsoft.com/en-us/graph/api/driveitem-checkout>,
//! <https://learn.microsoft.com/en-us/graph/api/driveitem-checkin>,
//! <https://learn.microsoft.com/en-us/graph/api/driveitem-discardcheckout>), on every drive the
//! emulator has (OneDrive for Business and document libraries both take them).
//!
//! While a file is checked out, changes by anyone else (content, rename, move, delete, restore
//! or delete of a version) are `423` with `notAllowed` and inner `resourceLocked`. The holder's
//! uploads are drafts: the holder sees them as versions, everyone else (sharing links included)
//! the last version from before the check-out. `checkin` folds the drafts into one version
//! numbered after that one (SharePoint publishes the draft as one version), and
//! `discardCheckout` drops them.
//!
//! A library's `minor_versions` switch (off by default) models minor versioning
//! (<https://support.microsoft.com/en-us/office/enable-and-configure-versioning-for-a-list-or-library-1555d642-23ee-446a-990a-bcab618c7a37>):
//! off, every check-in makes the next major version (`2.0`); on, the drafts are numbered as the
//! next minor version (`1.1`), a check-in keeps that number and a `checkInAs: "published"`
//! check-in makes it the next major one (`2.0`); publishing with no drafts makes the next major
//! version from the current minor one's bytes. Checked-in minor versions are listed for everyone
//! (SharePoint's default lets every reader see drafts); the facet's `publication.level` is then
//! `draft`. Graph's pages do not spell out the numbering: `includeAllVersionHistory` on
//! <https://learn.microsoft.com/en-us/graph/api/driveitem-copy?view=graph-rest-beta> speaks of
//! "major versions and minor versions".

use axum::response::Response;
use serde::Deserialize;

use super::{no_content, Call};
use crate::onedrive::address::ItemAddress;
use crate::onedrive::errors::GraphError;
use crate::store::CheckIn;

/// `POST {item}/checkout`: `204`. Any body is ignored (the action takes none).
pub(super) fn checkout(
    call: &Call,
    item: &ItemAddress,
    _body: &[u8],
) -> Result<Response, GraphError> {
    let id = call.item_id(item)?;
    call.store.checkout(&call.space, id)?;
    Ok(no_content())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CheckInBody {
    comment: Option<String>,
    check_in_as: Option<String>,
}

/// `POST {item}/checkin` with `comment` and `checkInAs` (`published`, `unspecified` or absent):
/// `204`.
pub(super) fn checkin(
    call: &Call,
    item: &ItemAddress,
    bytes: &[u8],
) -> Result<Response, GraphError> {
    let request: CheckInBody = match bytes.is_empty() {
        true => CheckInBody {
            comment: None,
            check_in_as: None,
        },
        false => serde_json::from_slice(bytes).map_err(|_| {
            GraphError::BadRequest(
                "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.".into(),
            )
        })?,
    };
    match request.check_in_as.as_deref() {
        None | Some("published") | Some("unspecified") => {}
        Some(other) => {
            return Err(GraphError::InvalidRequest(
                format!("Invalid value '{other}' for checkInAs.").into(),
            ))
        }
    }
    let id = call.item_id(item)?;
    let check_in = CheckIn {
        comment: request.comment,
        published: request.check_in_as.as_deref() == Some("published"),
    };
    call.store.checkin(&call.space, id, check_in)?;
    Ok(no_content())
}

/// `POST {item}/discardCheckout`: `204`; `400` when the file is not checked out, `423` when
/// another user holds it.
pub(super) fn discard_checkout(
    call: &Call,
    item: &ItemAddress,
    _body: &[u8],
) -> Result<Response, GraphError> {
    let id = call.item_id(item)?;
    call.store.discard_checkout(&call.space, id)?;
    Ok(no_content())
}
