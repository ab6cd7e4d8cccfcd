//! `GET {item}/delta`: the changes below a folder (the drive's root, any folder, a shared
//! drive's root), read from the store's change log
//! (<https://learn.microsoft.com/en-us/graph/api/driveitem-delta>).
//!
//! - Without a token, a round enumerates the folder and everything below it, each folder before
//!   what it holds, paged by `$top` (default 200, at most 5000) with `@odata.nextLink`, and ends
//!   with `@odata.deltaLink`. Both links carry the token as `?token=` (clients such as rclone
//!   parse it out of the query; the Python SDK follows the link or sends
//!   `delta(token='…')`, which is read as well), and keep the request's `$select` and `$top`.
//! - With a deltaLink's token, a round returns each item changed since, once per page, in its
//!   latest state, after the folders above it (as the service returns ancestors with a change);
//!   an item that is gone or in the trash comes as a tombstone with the `deleted` facet (the
//!   business shape: `id`, `parentReference`, `deleted: {state: deleted}`, `file` or `folder`,
//!   `size: 0`; `$select` must name `deleted` to keep it, as on the service). A page is never
//!   empty while a `nextLink` follows.
//! - `token=latest` returns no items and a deltaLink for now.
//! - A token older than the change log's window (`--change-log-len`), or one from before
//!   `POST /__admin/changes/expire-tokens`, gets `410 resyncRequired` with a `Location` that
//!   starts a new round; a token that is not one of ours is `400 invalidRequest`.
//!
//! Tokens are base64url text: `c.{position}` (changes after a change-log position) or
//! `e.{position}.{keys}` (an enumeration in progress, whose deltaLink is `c.{position}`; `keys`
//! are the name keys on the way down to the last item shown, joined by `/`). An enumeration
//! resumes after that item's place rather than after a count of items, so an item removed before
//! it while the pages are read makes the round skip nothing, and a page costs its own items, not
//! the walk up to it.

use std::collections::HashSet;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use percent_encoding::percent_decode_str;
use serde::Serialize;
use serde_json::{json, Value};

use super::{json_collection, Call};
use crate::onedrive::address::ItemAddress;
use crate::onedrive::errors::GraphError;
use crate::onedrive::model::DriveItem;
use crate::store::{ChangeEntry, ChangeFilter, ChangeLogError, ItemId, ItemView};

/// Items per page without `$top`; the page size is undocumented, 200 is what children use.
const DELTA_PAGE: usize = 200;
/// The largest page a `$top` gets.
const DELTA_MAX_PAGE: usize = 5000;

/// Where a round stands, as a token carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// `token=latest`: no items, a deltaLink for now.
    Latest,
    /// A first round in progress: the log's position before it began, and the position (name
    /// keys from the top) of the last item it showed.
    Enumerate { at: u64, after: Vec<String> },
    /// Changes after this log position.
    Changes { after: u64 },
}

impl Token {
    fn parse(raw: &str) -> Result<Self, GraphError> {
        if raw.eq_ignore_ascii_case("latest") {
            return Ok(Self::Latest);
        }
        let invalid = || GraphError::InvalidRequest("Invalid delta token.".into());
        let text = URL_SAFE_NO_PAD.decode(raw).map_err(|_| invalid())?;
        let text = String::from_utf8(text).map_err(|_| invalid())?;
        let number = |s: &str| -> Result<u64, GraphError> {
            match s.bytes().all(|b| b.is_ascii_digit()) && !s.is_empty() {
                true => s.parse().map_err(|_| invalid()),
                false => Err(invalid()),
            }
        };
        // A position's name keys may hold dots but never a slash (neither service allows one
        // in a name), so they go last, joined by slashes.
        match text.splitn(3, '.').collect::<Vec<_>>().as_slice() {
            ["c", after] => Ok(Self::Changes {
                after: number(after)?,
            }),
            ["e", at, ""] => Ok(Self::Enumerate {
                at: number(at)?,
                after: Vec::new(),
            }),
            ["e", at, keys] if keys.split('/').all(|key| !key.is_empty()) => Ok(Self::Enumerate {
                at: number(at)?,
                after: keys.split('/').map(str::to_owned).collect(),
            }),
            _ => Err(invalid()),
        }
    }

    fn encode(self) -> String {
        let text = match self {
            Self::Latest => "latest".to_owned(),
            Self::Enumerate { at, after } => format!("e.{at}.{}", after.join("/")),
            Self::Changes { after } => format!("c.{after}"),
        };
        URL_SAFE_NO_PAD.encode(text)
    }
}

/// A delta page: exactly one of the two links.
#[derive(Serialize)]
struct DeltaPage {
    #[serde(rename = "@odata.context")]
    context: String,
    value: Vec<Value>,
    #[serde(rename = "@odata.nextLink", skip_serializing_if = "Option::is_none")]
    next_link: Option<String>,
    #[serde(rename = "@odata.deltaLink", skip_serializing_if = "Option::is_none")]
    delta_link: Option<String>,
}

/// `GET {item}/delta`.
pub(super) fn delta(
    call: &Call,
    item: &ItemAddress,
) -> Result<axum::response::Response, GraphError> {
    let token = request_token(call)?;
    let top = call.item_view(item)?;
    let size = call.query.top.unwrap_or(DELTA_PAGE).min(DELTA_MAX_PAGE);
    let (value, next) = match token {
        None => {
            let at = call.store.latest_position();
            enumerate(call, &top, at, None, size)?
        }
        Some(Token::Latest) => {
            let after = call.store.latest_position();
            (Vec::new(), Link::Delta(Token::Changes { after }))
        }
        Some(Token::Enumerate { at, after }) => enumerate(call, &top, at, Some(&after), size)?,
        Some(Token::Changes { after }) => changes(call, &top, after, size)?,
    };
    let (next_link, delta_link) = match next {
        Link::Next(token) => (Some(link(call, Some(token))), None),
        Link::Delta(token) => (None, Some(link(call, Some(token)))),
    };
    let page = DeltaPage {
        context: format!(
            "{}{}/$metadata#Collection(driveItem)",
            call.links.origin, call.links.base
        ),
        value,
        next_link,
        delta_link,
    };
    json_collection(&page, &call.query)
}

enum Link {
    Next(Token),
    Delta(Token),
}

/// The token of the request: inside the function's parentheses (`delta(token='…')`, as the
/// Python SDK's `delta_with_token` sends it) or as `?token=`.
fn request_token(call: &Call) -> Result<Option<Token>, GraphError> {
    let segment = call.path.rsplit('/').next().unwrap_or_default();
    let in_path = segment
        .split_once('(')
        .map(|(_, arguments)| arguments.trim_end_matches(')'))
        .filter(|arguments| !arguments.is_empty());
    if let Some(arguments) = in_path {
        let decoded = percent_decode_str(arguments).decode_utf8_lossy();
        let value = decoded
            .strip_prefix("token=")
            .map(|v| v.trim_matches('\''))
            .ok_or_else(|| {
                GraphError::InvalidRequest(
                    format!("The delta function takes a token, not '{decoded}'.").into(),
                )
            })?;
        return Token::parse(value).map(Some);
    }
    for pair in call.raw_query.unwrap_or_default().split('&') {
        if let Some(("token", value)) = pair.split_once('=') {
            let value = percent_decode_str(value).decode_utf8_lossy();
            return Token::parse(&value).map(Some);
        }
    }
    Ok(None)
}

/// The request's own delta URL with `token` (or none: a new round), keeping its other query
/// options; the function's parentheses are dropped.
fn link(call: &Call, token: Option<Token>) -> String {
    let (dir, last) = call.path.rsplit_once('/').unwrap_or(("", call.path));
    let name = last.split('(').next().unwrap_or(last);
    let mut link = format!("{}{dir}/{name}", call.links.origin);
    let mut separator = '?';
    for pair in call.raw_query.unwrap_or_default().split('&') {
        let key = pair.split_once('=').map_or(pair, |(key, _)| key);
        let key = percent_decode_str(key).decode_utf8_lossy();
        let drop = ["token", "$skiptoken", "$skip"]
            .iter()
            .any(|k| key.eq_ignore_ascii_case(k));
        if !pair.is_empty() && !drop {
            link.push(separator);
            link.push_str(pair);
            separator = '&';
        }
    }
    if let Some(token) = token {
        link.push(separator);
        link.push_str("token=");
        link.push_str(&token.encode());
    }
    link
}

/// A page of the first round: the folder and what is below it, from the top or `after` the
/// position the last page ended at.
fn enumerate(
    call: &Call,
    top: &ItemView,
    at: u64,
    after: Option<&[String]>,
    size: usize,
) -> Result<(Vec<Value>, Link), GraphError> {
    let page = call.store.subtree(&call.space, top.id, after, size)?;
    let value = (page.entries.iter())
        .map(|view| rendered(call, view))
        .collect::<Result<Vec<_>, _>>()?;
    let next = match page.next {
        None => Link::Delta(Token::Changes { after: at }),
        Some(after) => Link::Next(Token::Enumerate { at, after }),
    };
    Ok((value, next))
}

/// A page of changes after `after`: each changed item under `top` once, after its folders.
fn changes(
    call: &Call,
    top: &ItemView,
    after: u64,
    size: usize,
) -> Result<(Vec<Value>, Link), GraphError> {
    let filter = ChangeFilter::space(&call.space);
    let mut page = Page {
        call,
        top,
        seen: HashSet::new(),
        value: Vec::new(),
    };
    let mut after = after;
    // A page of the log may hold nothing for this folder; read on until something does or the
    // log ends, so that no empty page comes with a nextLink. Bounded by the log's length.
    loop {
        let read = match call.store.changes_since(after, size, &filter) {
            Ok(read) => read,
            Err(ChangeLogError::Store(error)) => return Err(error.into()),
            Err(ChangeLogError::TooOld { .. } | ChangeLogError::Ahead { .. }) => {
                return Err(GraphError::ResyncRequired {
                    location: link(call, None),
                })
            }
        };
        for entry in &read.entries {
            page.add(entry)?;
        }
        after = read.next;
        if !read.more {
            return Ok((page.value, Link::Delta(Token::Changes { after })));
        }
        if !page.value.is_empty() {
            return Ok((page.value, Link::Next(Token::Changes { after })));
        }
    }
}

struct Page<'c, 'a> {
    call: &'c Call<'a>,
    top: &'c ItemView,
    seen: HashSet<ItemId>,
    value: Vec<Value>,
}

impl Page<'_, '_> {
    fn add(&mut self, entry: &ChangeEntry) -> Result<(), GraphError> {
        if self.seen.contains(&entry.item) {
            return Ok(());
        }
        let call = self.call;
        match call.store.item(&call.space, entry.item) {
            Ok(view) => {
                let from_top = view.ancestors.iter().position(|a| a.id == self.top.id);
                if view.id != self.top.id && from_top.is_none() {
                    return Ok(());
                }
                // The folders between `top` and the item, unless this page showed them.
                for ancestor in &view.ancestors[from_top.unwrap_or(view.ancestors.len())..] {
                    if self.seen.insert(ancestor.id) {
                        let folder = call.store.item(&call.space, ancestor.id)?;
                        self.value.push(rendered(call, &folder)?);
                    }
                }
                self.seen.insert(view.id);
                self.value.push(rendered(call, &view)?);
            }
            Err(_) => {
                if !self.under_top(entry.parent) {
                    return Ok(());
                }
                self.seen.insert(entry.item);
                self.value.push(tombstone(call, entry));
            }
        }
        Ok(())
    }

    /// Whether a removed item's last folder is `top` or below it.
    fn under_top(&self, parent: Option<ItemId>) -> bool {
        let Some(parent) = parent else { return false };
        if parent == self.top.id || self.top.is_root() {
            return true;
        }
        let folder = self.call.store.item(&self.call.space, parent);
        folder.is_ok_and(|f| f.ancestors.iter().any(|a| a.id == self.top.id))
    }
}

fn rendered(call: &Call, view: &ItemView) -> Result<Value, GraphError> {
    serde_json::to_value(DriveItem::new(view, &call.links, false))
        .map_err(|_| GraphError::GeneralException)
}

/// An item that is gone, as a business drive's delta shows it.
fn tombstone(call: &Call, entry: &ChangeEntry) -> Value {
    let facet = match entry.folder {
        true => "folder",
        false => "file",
    };
    let mut reference = json!({
        "driveId": call.links.drive.id,
        "driveType": call.links.drive.drive_type,
    });
    if let Some(site) = &call.links.drive.site_id {
        reference["siteId"] = json!(site);
    }
    if let Some(parent) = entry.parent {
        reference["id"] = json!(parent.to_string());
    }
    json!({
        "id": entry.item.to_string(),
        "parentReference": reference,
        "deleted": {"state": "deleted"},
        facet: {},
        "size": 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_read_back_as_written_and_others_are_refused() {
        for token in [
            Token::Changes { after: 0 },
            Token::Changes { after: 42 },
            Token::Enumerate {
                at: 7,
                after: Vec::new(),
            },
            Token::Enumerate {
                at: 7,
                after: vec!["docs".into(), "v1.2 notes.txt".into()],
            },
        ] {
            assert_eq!(Token::parse(&token.clone().encode()).unwrap(), token);
        }
        assert_eq!(Token::parse("LATEST").unwrap(), Token::Latest);
        for (raw, why) in [
            ("", "empty"),
            ("not base64!", "not base64url"),
            ("Yy4", "c. without a position"),
            ("Yy4tMQ", "c.-1"),
            ("eC4x", "x.1: unknown kind"),
            ("ZS4x", "e.1 without a position"),
            ("ZS4xLmEvL2I", "e.1.a//b: an empty name in the position"),
        ] {
            assert!(Token::parse(raw).is_err(), "{why}: {raw}");
        }
    }
}
