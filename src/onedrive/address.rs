//! Reading a Graph request path, once, into typed values: the drive-root and item address forms
//! (<https://learn.microsoft.com/en-us/onedrive/developer/rest-api/concepts/addressing-driveitems>), item ids as
//! `ItemId`, version labels as `VersionRef`, and what the segments after them ask (`ItemOp`,
//! `VersionOp`). axum's router cannot express Graph's colon paths, so this small parser does it,
//! working on the raw path so that encoded and literal forms agree. Which handler answers a
//! parsed target is `routes/table.rs`'s business.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;

use super::search_text::{search_text, SearchSyntaxError};
use crate::store::{ItemId, SpecialFolder, VersionRef};

/// A parsed path below the version prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Address {
    pub drive: DriveRoot,
    pub target: Target,
}

/// The drive-root prefix, as written. Whether it names the caller's drive is decided later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DriveRoot {
    pub owner: Owner,
    /// The `{drive-id}` of `/drives/{id}` and `/{owner}/drives/{id}`.
    pub drive_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Owner {
    /// `/drives/{id}`: no owner given.
    Any,
    /// `/me/...` and the older `/drive` alias.
    Me,
    User(String),
    Group(String),
    /// A site by id or name; `root` is the tenant's root site.
    Site(String),
    /// `/groups/{g}/sites/root`: the group's team site.
    GroupSite(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// The user itself: `GET /me`, `GET /users/{id or userPrincipalName}`.
    Profile,
    /// The drives of an owner, or all the caller may reach: `/me/drives`, `/drives`.
    Drives,
    /// The drive itself: `GET /me/drive`.
    Drive,
    /// A site itself: `GET /sites/{s}`, `/sites/root`, `/groups/{g}/sites/root`.
    Site,
    /// An item, or what follows it: `{item}`, `{item}/content`, `{item}/versions`, ….
    Item { item: ItemAddress, op: ItemOp },
    /// One of an item's versions, or what follows it: `{item}/versions/{id}…`.
    Version {
        item: ItemAddress,
        version: VersionLabel,
        op: VersionOp,
    },
    /// One permission of an item: `{item}/permissions/{id}`.
    Permission {
        item: ItemAddress,
        permission: String,
    },
    /// What others shared with the caller: `{drive}/sharedWithMe`.
    SharedWithMe,
    /// A shared item by share id or encoded sharing URL: `/shares/{id}…`.
    Share { share: String, op: ShareOp },
}

/// An item: a base (`root` or an id) and a path below it, empty for the base itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ItemAddress {
    pub base: ItemRef,
    pub path: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ItemRef {
    Root,
    Id(ItemId),
    /// `special/{name}`: a special folder, found (or made) when the request is served.
    Special(SpecialFolder),
    /// An id that is not in the emulator's form. Ids are opaque to clients, so such an id is not
    /// refused as malformed: it names no item, and looking it up answers `404` in its turn (after
    /// the method and the drive are checked), as an unknown id of ours does.
    Unknown,
}

/// What the segments after an item ask of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ItemOp {
    /// Nothing after the item: the item itself.
    Item,
    Content,
    Children,
    Versions,
    CreateUploadSession,
    /// `createLink`: a sharing link.
    CreateLink,
    /// `permissions`: the list.
    Permissions,
    /// `invite`: invitations of other users.
    Invite,
    Checkout,
    Checkin,
    DiscardCheckout,
    /// `copy`, and the qualified forms older clients send.
    Copy,
    /// `thumbnails`, `thumbnails/{set}`, `thumbnails/{set}/{size}` and `…/{size}/content`; the
    /// set and size are read again from the path by the handler, as a search's text is.
    Thumbnails,
    ThumbnailSet,
    Thumbnail,
    ThumbnailContent,
    /// `search(q='…')`; the text is read again from the path by the handler
    /// (`search_text`), so that the op stays a plain key of the dispatch table.
    Search,
    /// `delta`, `delta()`, `delta(token='…')` or `microsoft.graph.delta`: the changes below the
    /// item (`routes/delta.rs`, which reads a token in the segment itself).
    Delta,
}

/// What `/shares/{id}` is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ShareOp {
    /// `/shares/{id}`: the sharedDriveItem.
    Share,
    /// `/shares/{id}/driveItem` (or `/root`): the shared item.
    DriveItem,
    /// `/shares/{id}/driveItem/content` (or `/root/content`): its bytes.
    Content,
}

/// What the segments after `versions/{id}` ask of that version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VersionOp {
    /// Nothing after the id: the version itself.
    Version,
    Content,
    Restore,
}

/// A version id as Graph clients send it: a business label `N.0` (or `N.M` for a minor
/// version), or `current`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VersionLabel {
    Known(VersionRef),
    /// Any other label (`01.0`, `1.05`, `abc`). Like an id not in our form, it names no version:
    /// looking it up answers `404` once the item is found.
    Unknown,
}

impl VersionLabel {
    fn parse(label: &str) -> Self {
        if label.eq_ignore_ascii_case("current") {
            return Self::Known(VersionRef::Current);
        }
        // Each part as the service prints it: digits without a leading zero (but `0` itself).
        let part = |n: &str| -> Option<u32> {
            let plain = n.bytes().all(|b| b.is_ascii_digit()) && (n == "0" || !n.starts_with('0'));
            plain.then(|| n.parse().ok()).flatten()
        };
        let Some((number, minor)) = label.split_once('.') else {
            return Self::Unknown;
        };
        match (part(number), part(minor)) {
            (Some(number), Some(0)) if number > 0 => Self::Known(VersionRef::Number(number)),
            (Some(number), Some(minor)) if minor > 0 => {
                Self::Known(VersionRef::Minor(number, minor))
            }
            _ => Self::Unknown,
        }
    }
}

/// Why a path could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AddressError {
    /// A segment Graph does not know at that position.
    UnknownSegment(String),
    /// A `%` escape that is malformed or decodes to something other than UTF-8.
    BadEncoding(String),
    /// A colon path that is not `:/segment/…[:]` (empty segments, a trailing `:/`, …).
    BadPath(String),
    /// A `search(q='…')` whose literal does not parse.
    SearchSyntax(SearchSyntaxError),
}

/// Parses `rest`, the raw path after the version prefix (`/drives/d1/items/5/versions`).
pub(crate) fn parse(rest: &str) -> Result<Address, AddressError> {
    let Some(rest) = rest.strip_prefix('/') else {
        return Err(AddressError::UnknownSegment(rest.to_owned()));
    };
    // Decode each raw segment, then split again: the Python SDK sends `root:/a/b:` as one
    // segment with `:` and `/` encoded, the Rust crate encodes only the `/`, and the literal form
    // splits it across segments. After decoding all three read the same.
    let mut decoded = String::with_capacity(rest.len());
    for (i, raw) in rest.split('/').enumerate() {
        if i > 0 {
            decoded.push('/');
        }
        decoded.push_str(&decode(raw)?);
    }
    let mut tokens: Vec<&str> = decoded.split('/').collect();
    if let Some(address) = shares(&tokens)? {
        return Ok(address);
    }
    hostname_site(&mut tokens)?;
    if let Some(address) = collection_or_profile(&tokens)? {
        return Ok(address);
    }
    let (drive, used) = drive_root(&tokens)?;
    let target = match &tokens[used..] {
        [] => Target::Drive,
        [t] if function(t, "sharedWithMe") => Target::SharedWithMe,
        rest => item(rest)?,
    };
    Ok(Address { drive, target })
}

/// Percent-decodes one segment. `+` stays a plus: this is a path, not a form. Raw bytes above
/// ASCII (which hyper lets through, unlike `<` or `"`) are refused as the parser refuses those:
/// a client must percent-encode them.
fn decode(raw: &str) -> Result<String, AddressError> {
    if !raw.is_ascii() {
        return Err(AddressError::BadEncoding(raw.to_owned()));
    }
    strict_percent_decode(raw)
        .map(Cow::into_owned)
        .ok_or_else(|| AddressError::BadEncoding(raw.to_owned()))
}

/// `raw` percent-decoded as UTF-8, or `None` when it is not validly encoded (`percent_decode_str`
/// alone would pass a `%` without two hex digits through as it is). The one check for paths and
/// query components alike; `+` is left as it is.
pub(super) fn strict_percent_decode(raw: &str) -> Option<Cow<'_, str>> {
    let bytes = raw.as_bytes();
    let well_formed = bytes.iter().enumerate().all(|(i, b)| {
        *b != b'%'
            || (bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return None;
    }
    percent_decode_str(raw).decode_utf8().ok()
}

/// Rewrites `/sites/{hostname}:/{path}[:]…`
/// (<https://learn.microsoft.com/en-us/graph/api/site-getbypath>) as `/sites/{name}…`, where the
/// name is the last segment of the server-relative path (`/sites/marketing` names `marketing`), or
/// `root` for none. The host is the emulator's, whatever it is called. Any other path is left as it
/// is.
fn hostname_site(tokens: &mut Vec<&str>) -> Result<(), AddressError> {
    let (Some(first), Some(host)) = (tokens.first(), tokens.get(1)) else {
        return Ok(());
    };
    let Some(host) = host.strip_suffix(':').filter(|_| is(first, "sites")) else {
        return Ok(());
    };
    if host.is_empty() || host.contains(':') {
        return Err(AddressError::BadPath(tokens[1].to_owned()));
    }
    // The path runs to the token that closes it with `:`, or to the end.
    let mut end = tokens.len();
    for (i, token) in tokens.iter().enumerate().skip(2) {
        if token.ends_with(':') {
            end = i + 1;
            break;
        }
    }
    let path: Vec<&str> = tokens[2..end]
        .iter()
        .map(|t| t.strip_suffix(':').unwrap_or(t))
        .filter(|t| !t.is_empty())
        .collect();
    let name = match path.as_slice() {
        [] => "root",
        [.., name] if !name.contains(':') => name,
        _ => return Err(AddressError::BadPath(tokens[2..end].join("/"))),
    };
    tokens.splice(1..end, [name]);
    Ok(())
}

fn is(token: &str, keyword: &str) -> bool {
    token.eq_ignore_ascii_case(keyword)
}

/// An OData action segment, bare or namespace-qualified (`microsoft.graph.copy`), as older
/// generated clients send bound operations.
fn action(token: &str, name: &str) -> bool {
    is(token, name)
        || token
            .get(..16)
            .is_some_and(|ns| ns.eq_ignore_ascii_case("microsoft.graph."))
            && is(&token[16..], name)
}

/// An OData function segment: an action's spellings, with or without `()` (the Python SDK
/// sends `sharedWithMe()`).
fn function(token: &str, name: &str) -> bool {
    action(token.strip_suffix("()").unwrap_or(token), name)
}

/// `/shares/{shareIdOrEncodedSharingUrl}[/driveItem|/root][/content]`
/// (<https://learn.microsoft.com/en-us/graph/api/shares-get>); `None` for every other path.
fn shares(tokens: &[&str]) -> Result<Option<Address>, AddressError> {
    let unknown = |token: &str| Err(AddressError::UnknownSegment(token.to_owned()));
    let (share, op) = match tokens {
        [s, ..] if !is(s, "shares") => return Ok(None),
        [_, id] if !id.is_empty() => (id, ShareOp::Share),
        [_, id, d] if !id.is_empty() && (is(d, "driveItem") || is(d, "root")) => {
            (id, ShareOp::DriveItem)
        }
        [_, id, d, c]
            if !id.is_empty() && (is(d, "driveItem") || is(d, "root")) && is(c, "content") =>
        {
            (id, ShareOp::Content)
        }
        [_, id, d, other, ..] if !id.is_empty() && (is(d, "driveItem") || is(d, "root")) => {
            return unknown(other)
        }
        [_, id, other, ..] if !id.is_empty() => return unknown(other),
        [s, ..] => return unknown(s),
        [] => return Ok(None),
    };
    Ok(Some(Address {
        drive: DriveRoot {
            owner: Owner::Me,
            drive_id: None,
        },
        target: Target::Share {
            share: (*share).to_owned(),
            op,
        },
    }))
}

/// The delta function's segment in each form the SDKs send: bare, with empty parentheses (the
/// Python SDK), with the token inside (`delta(token='…')`), and namespace-qualified
/// (<https://learn.microsoft.com/en-us/graph/api/driveitem-delta>).
pub(crate) fn is_delta(token: &str) -> bool {
    let (name, arguments) = match token.split_once('(') {
        Some((name, rest)) => (name, Some(rest)),
        None => (token, None),
    };
    (is(name, "delta") || is(name, "microsoft.graph.delta"))
        && arguments.is_none_or(|a| a.ends_with(')'))
}

/// `/me`, `/users/{u}` (a profile) and `/drives`, `{owner}/drives` (a list), which name no
/// single drive; `None` for every other path.
fn collection_or_profile(tokens: &[&str]) -> Result<Option<Address>, AddressError> {
    let address = |owner, target| {
        Ok(Some(Address {
            drive: DriveRoot {
                owner,
                drive_id: None,
            },
            target,
        }))
    };
    let owner = |kind: &str, id: &str| {
        let id = id.to_owned();
        match kind.to_ascii_lowercase().as_str() {
            "users" => Some(Owner::User(id)),
            "groups" => Some(Owner::Group(id)),
            "sites" => Some(Owner::Site(id)),
            _ => None,
        }
    };
    match tokens {
        [me] if is(me, "me") => address(Owner::Me, Target::Profile),
        [sites, id] if is(sites, "sites") && !id.is_empty() => {
            address(Owner::Site((*id).to_owned()), Target::Site)
        }
        [groups, id, sites, root]
            if is(groups, "groups") && !id.is_empty() && is(sites, "sites") && is(root, "root") =>
        {
            address(Owner::GroupSite((*id).to_owned()), Target::Site)
        }
        [groups, id, sites, root, drives]
            if is(groups, "groups")
                && !id.is_empty()
                && is(sites, "sites")
                && is(root, "root")
                && is(drives, "drives") =>
        {
            address(Owner::GroupSite((*id).to_owned()), Target::Drives)
        }
        [users, id] if is(users, "users") && !id.is_empty() => {
            address(Owner::User((*id).to_owned()), Target::Profile)
        }
        [drives] if is(drives, "drives") => address(Owner::Any, Target::Drives),
        [me, drives] if is(me, "me") && is(drives, "drives") => address(Owner::Me, Target::Drives),
        [kind, id, drives] if !id.is_empty() && is(drives, "drives") => match owner(kind, id) {
            Some(owner) => address(owner, Target::Drives),
            None => Ok(None),
        },
        _ => Ok(None),
    }
}

/// Reads the drive-root prefix and says how many tokens it took.
fn drive_root(tokens: &[&str]) -> Result<(DriveRoot, usize), AddressError> {
    let unknown = |token: &str| AddressError::UnknownSegment(token.to_owned());
    let first = tokens[0];
    if is(first, "drive") {
        return Ok((
            DriveRoot {
                owner: Owner::Me,
                drive_id: None,
            },
            1,
        ));
    }
    if is(first, "drives") {
        let id = named(tokens.get(1), first)?;
        return Ok((
            DriveRoot {
                owner: Owner::Any,
                drive_id: Some(id),
            },
            2,
        ));
    }
    let (owner, used) = if is(first, "me") {
        (Owner::Me, 1)
    } else if is(first, "users") {
        (Owner::User(named(tokens.get(1), first)?), 2)
    } else if is(first, "groups") {
        let group = named(tokens.get(1), first)?;
        // `/groups/{g}/sites/root/drive…`: the team site's drives, which are the group's.
        match (tokens.get(2), tokens.get(3)) {
            (Some(sites), Some(root)) if is(sites, "sites") && is(root, "root") => {
                (Owner::GroupSite(group), 4)
            }
            (Some(sites), Some(other)) if is(sites, "sites") => return Err(unknown(other)),
            _ => (Owner::Group(group), 2),
        }
    } else if is(first, "sites") {
        (Owner::Site(named(tokens.get(1), first)?), 2)
    } else {
        return Err(unknown(first));
    };
    match tokens.get(used) {
        Some(t) if is(t, "drive") => Ok((
            DriveRoot {
                owner,
                drive_id: None,
            },
            used + 1,
        )),
        Some(t) if is(t, "drives") => {
            let id = named(tokens.get(used + 1), t)?;
            Ok((
                DriveRoot {
                    owner,
                    drive_id: Some(id),
                },
                used + 2,
            ))
        }
        Some(t) => Err(unknown(t)),
        None => Err(unknown(tokens[used - 1])),
    }
}

/// The non-empty token after `keyword`, e.g. the id in `drives/{id}`.
fn named(token: Option<&&str>, keyword: &str) -> Result<String, AddressError> {
    match token {
        Some(t) if !t.is_empty() => Ok((*t).to_owned()),
        Some(t) => Err(AddressError::UnknownSegment((*t).to_owned())),
        None => Err(AddressError::UnknownSegment(keyword.to_owned())),
    }
}

/// Reads `root…` or `items/{id}…`, an optional colon path, and the operation segments.
fn item(tokens: &[&str]) -> Result<Target, AddressError> {
    // `{drive}/search(q='…')` searches the whole drive, as its root's search does.
    if search_text(tokens[0]).is_some() {
        let item = ItemAddress {
            base: ItemRef::Root,
            path: Vec::new(),
        };
        return match operation(tokens)? {
            Operation::OnItem(op) => Ok(Target::Item { item, op }),
            Operation::OnVersion(..) | Operation::PermissionOf(_) => {
                Err(AddressError::UnknownSegment(tokens[0].to_owned()))
            }
        };
    }
    let is_special = is(tokens[0], "special");
    let (reference, rest) = if is(tokens[0], "items") || is_special {
        match tokens.get(1) {
            Some(t) if !t.is_empty() => (*t, &tokens[2..]),
            Some(t) => return Err(AddressError::UnknownSegment((*t).to_owned())),
            None => return Err(AddressError::UnknownSegment(tokens[0].to_owned())),
        }
    } else {
        (tokens[0], &tokens[1..])
    };
    let is_items_form = is(tokens[0], "items");
    let (name, colon) = match reference.split_once(':') {
        Some((name, "")) => (name, true),
        Some(_) => return Err(AddressError::BadPath(reference.to_owned())),
        None => (reference, false),
    };
    let base = if is_special {
        // An unknown name is the client's mistake, not a missing item (the docs do not say
        // which error; `invalidRequest` through `BadPath`).
        SpecialFolder::parse(name)
            .map(ItemRef::Special)
            .ok_or_else(|| AddressError::BadPath(name.to_owned()))?
    } else if is(name, "root") {
        ItemRef::Root
    } else if is_items_form && !name.is_empty() {
        name.parse().map_or(ItemRef::Unknown, ItemRef::Id)
    } else {
        return Err(AddressError::UnknownSegment(reference.to_owned()));
    };
    let (path, ops) = if colon {
        colon_path(rest)?
    } else {
        (Vec::new(), rest)
    };
    let item = ItemAddress { base, path };
    Ok(match operation(ops)? {
        Operation::OnItem(op) => Target::Item { item, op },
        Operation::OnVersion(label, op) => Target::Version {
            item,
            version: VersionLabel::parse(label),
            op,
        },
        Operation::PermissionOf(permission) => Target::Permission {
            item,
            permission: permission.to_owned(),
        },
    })
}

/// Splits what follows `{item}:` into the path and the operation segments. The path ends at the
/// token carrying the closing `:`, or at the end when nothing follows it.
fn colon_path<'t>(tokens: &'t [&'t str]) -> Result<(Vec<String>, &'t [&'t str]), AddressError> {
    // `items/{id}:/` and `root:/`, an empty path with nothing after it, are the item itself: the
    // real service reads them so, and rclone (`backend/onedrive/onedrive.go`) sends
    // `GET items/{id}:/` in every folder move.
    if tokens == [""] {
        return Ok((Vec::new(), &[]));
    }
    let mut path = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let (name, closed) = match token.strip_suffix(':') {
            Some(name) => (name, true),
            None => (*token, false),
        };
        if name.is_empty() || name.contains(':') {
            return Err(AddressError::BadPath((*token).to_owned()));
        }
        path.push(name.to_owned());
        if closed {
            return Ok((path, &tokens[i + 1..]));
        }
    }
    // `root:` with nothing after it is the root itself.
    Ok((path, &[]))
}

/// What the segments after an item ask: of the item, or of the version they name.
enum Operation<'t> {
    OnItem(ItemOp),
    OnVersion(&'t str, VersionOp),
    /// `permissions/{id}`: one permission of the item.
    PermissionOf(&'t str),
}

fn operation<'t>(tokens: &[&'t str]) -> Result<Operation<'t>, AddressError> {
    use Operation::{OnItem, OnVersion};
    let unknown = |token: &str| Err(AddressError::UnknownSegment(token.to_owned()));
    match tokens {
        [] => Ok(OnItem(ItemOp::Item)),
        [t] if is_delta(t) => Ok(OnItem(ItemOp::Delta)),
        [t] if is(t, "content") => Ok(OnItem(ItemOp::Content)),
        [t] if is(t, "children") => Ok(OnItem(ItemOp::Children)),
        [t] if is(t, "versions") => Ok(OnItem(ItemOp::Versions)),
        [t] if is(t, "createUploadSession") || is(t, "microsoft.graph.createUploadSession") => {
            Ok(OnItem(ItemOp::CreateUploadSession))
        }
        [t] if action(t, "createLink") => Ok(OnItem(ItemOp::CreateLink)),
        [t] if action(t, "invite") => Ok(OnItem(ItemOp::Invite)),
        [t] if action(t, "checkout") => Ok(OnItem(ItemOp::Checkout)),
        [t] if action(t, "checkin") => Ok(OnItem(ItemOp::Checkin)),
        [t] if action(t, "discardCheckout") => Ok(OnItem(ItemOp::DiscardCheckout)),
        [t] if is(t, "permissions") => Ok(OnItem(ItemOp::Permissions)),
        [t, p] if is(t, "permissions") && !p.is_empty() => Ok(Operation::PermissionOf(p)),
        [t, p, other, ..] if is(t, "permissions") && !p.is_empty() => unknown(other),
        // `microsoft.graph.copy` is OData's qualified form; `action.copy` and `oneDrive.copy`
        // are older OneDrive spellings
        // (<https://learn.microsoft.com/en-us/onedrive/developer/rest-api/api/driveitem_copy>).
        [t] if [
            "copy",
            "microsoft.graph.copy",
            "action.copy",
            "oneDrive.copy",
        ]
        .iter()
        .any(|name| is(t, name)) =>
        {
            Ok(OnItem(ItemOp::Copy))
        }
        [t] if search_text(t).is_some() => match search_text(t) {
            Some(Err(error)) => Err(AddressError::SearchSyntax(error)),
            _ => Ok(OnItem(ItemOp::Search)),
        },
        [t] if is(t, "thumbnails") => Ok(OnItem(ItemOp::Thumbnails)),
        [t, set] if is(t, "thumbnails") && !set.is_empty() => Ok(OnItem(ItemOp::ThumbnailSet)),
        [t, set, size] if is(t, "thumbnails") && !set.is_empty() && !size.is_empty() => {
            Ok(OnItem(ItemOp::Thumbnail))
        }
        [t, set, size, c]
            if is(t, "thumbnails") && !set.is_empty() && !size.is_empty() && is(c, "content") =>
        {
            Ok(OnItem(ItemOp::ThumbnailContent))
        }
        [t, v] if is(t, "versions") && !v.is_empty() => Ok(OnVersion(v, VersionOp::Version)),
        [t, v, c] if is(t, "versions") && !v.is_empty() && is(c, "content") => {
            Ok(OnVersion(v, VersionOp::Content))
        }
        // OData lets a bound action be namespace-qualified; older generated clients send that.
        [t, v, r]
            if is(t, "versions")
                && !v.is_empty()
                && (is(r, "restoreVersion") || is(r, "microsoft.graph.restoreVersion")) =>
        {
            Ok(OnVersion(v, VersionOp::Restore))
        }
        [t, v, other, ..] if is(t, "versions") && !v.is_empty() => unknown(other),
        [t, v, ..] if is(t, "versions") => unknown(v),
        [t, ..] if !is(t, "content") && !is(t, "children") && !is(t, "versions") => unknown(t),
        [_, next, ..] => unknown(next),
        [t] => unknown(t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me() -> DriveRoot {
        DriveRoot {
            owner: Owner::Me,
            drive_id: None,
        }
    }

    fn address(base: ItemRef, path: &[&str]) -> ItemAddress {
        ItemAddress {
            base,
            path: path.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn item(base: ItemRef, path: &[&str], op: ItemOp) -> Target {
        Target::Item {
            item: address(base, path),
            op,
        }
    }

    fn version(base: ItemRef, path: &[&str], label: VersionRef, op: VersionOp) -> Target {
        Target::Version {
            item: address(base, path),
            version: VersionLabel::Known(label),
            op,
        }
    }

    fn id(n: u64) -> ItemRef {
        ItemRef::Id(ItemId(n))
    }

    #[test]
    fn every_drive_root_form_is_read() {
        let cases = [
            ("/me/drive", Owner::Me, None),
            ("/drive", Owner::Me, None),
            ("/drives/b%21x", Owner::Any, Some("b!x")),
            ("/me/drives/d1", Owner::Me, Some("d1")),
            (
                "/users/u%40x.com/drive",
                Owner::User("u@x.com".into()),
                None,
            ),
            ("/users/u1/drives/d1", Owner::User("u1".into()), Some("d1")),
            ("/groups/g1/drive", Owner::Group("g1".into()), None),
            (
                "/groups/g1/drives/d1",
                Owner::Group("g1".into()),
                Some("d1"),
            ),
            ("/sites/s1/drive", Owner::Site("s1".into()), None),
            (
                "/sites/contoso.sharepoint.com:/sites/s1:/drive",
                Owner::Site("s1".into()),
                None,
            ),
            ("/SITES/s1/Drives/d1", Owner::Site("s1".into()), Some("d1")),
            // The tenant's root site is a site like any other to the parser.
            ("/sites/root/drive", Owner::Site("root".into()), None),
            // A group's team site: its drives are the group's.
            (
                "/groups/g1/sites/root/drive",
                Owner::GroupSite("g1".into()),
                None,
            ),
            (
                "/groups/g1/Sites/ROOT/drives/d1",
                Owner::GroupSite("g1".into()),
                Some("d1"),
            ),
        ];
        for (path, owner, drive_id) in cases {
            let expected = Address {
                drive: DriveRoot {
                    owner,
                    drive_id: drive_id.map(str::to_owned),
                },
                target: Target::Drive,
            };
            assert_eq!(parse(path), Ok(expected), "{path}");
        }
    }

    #[test]
    fn profiles_and_drive_lists_are_read() {
        let cases = [
            ("/me", Owner::Me, Target::Profile),
            (
                "/users/u%40x.com",
                Owner::User("u@x.com".into()),
                Target::Profile,
            ),
            ("/drives", Owner::Any, Target::Drives),
            ("/me/drives", Owner::Me, Target::Drives),
            ("/users/u1/drives", Owner::User("u1".into()), Target::Drives),
            (
                "/groups/g1/drives",
                Owner::Group("g1".into()),
                Target::Drives,
            ),
            ("/Sites/s1/Drives", Owner::Site("s1".into()), Target::Drives),
            // A site by itself, by name, composite id or as the root site.
            ("/sites/s1", Owner::Site("s1".into()), Target::Site),
            (
                "/sites/host%2Cguid1%2Cguid2",
                Owner::Site("host,guid1,guid2".into()),
                Target::Site,
            ),
            ("/sites/root", Owner::Site("root".into()), Target::Site),
            // A site by host and server-relative path names the path's last segment.
            (
                "/sites/contoso.sharepoint.com:/sites/marketing",
                Owner::Site("marketing".into()),
                Target::Site,
            ),
            (
                "/sites/contoso.sharepoint.com:/teams/eng:/drives",
                Owner::Site("eng".into()),
                Target::Drives,
            ),
            // The host alone is its root site.
            (
                "/sites/contoso.sharepoint.com:",
                Owner::Site("root".into()),
                Target::Site,
            ),
            (
                "/groups/g1/sites/root",
                Owner::GroupSite("g1".into()),
                Target::Site,
            ),
            (
                "/groups/g1/sites/root/drives",
                Owner::GroupSite("g1".into()),
                Target::Drives,
            ),
        ];
        for (path, owner, target) in cases {
            let expected = Address {
                drive: DriveRoot {
                    owner,
                    drive_id: None,
                },
                target,
            };
            assert_eq!(parse(path), Ok(expected), "{path}");
        }
    }

    #[test]
    fn every_item_form_is_read() {
        use ItemOp::*;
        let cases = [
            ("/me/drive/root", item(ItemRef::Root, &[], Item)),
            ("/me/drive/items/root", item(ItemRef::Root, &[], Item)),
            ("/me/drive/items/42", item(id(42), &[], Item)),
            ("/me/drive/root:", item(ItemRef::Root, &[], Item)),
            ("/me/drive/root:/", item(ItemRef::Root, &[], Item)),
            ("/me/drive/items/7:/", item(id(7), &[], Item)),
            ("/me/drive/items/7%3A%2F", item(id(7), &[], Item)),
            (
                "/me/drive/root:/a/b.txt",
                item(ItemRef::Root, &["a", "b.txt"], Item),
            ),
            (
                "/me/drive/root:/a/b.txt:",
                item(ItemRef::Root, &["a", "b.txt"], Item),
            ),
            (
                "/me/drive/root:/a/b.txt:/content",
                item(ItemRef::Root, &["a", "b.txt"], Content),
            ),
            // The Python SDK: `:` and `/` encoded inside one segment.
            (
                "/me/drive/items/root%3A%2Fdir%2Fa.txt%3A/content",
                item(ItemRef::Root, &["dir", "a.txt"], Content),
            ),
            // The Rust crate: only `/` encoded.
            (
                "/me/drive/root:%2Fdir%2Fa.txt:/versions",
                item(ItemRef::Root, &["dir", "a.txt"], Versions),
            ),
            // The JS client: literal separators, encoded spaces; `+` stays a plus.
            (
                "/me/drive/root:/My%20Folder/a+b%25.txt:/children",
                item(ItemRef::Root, &["My Folder", "a+b%.txt"], Children),
            ),
            (
                "/me/drive/items/7:/new.txt:/content",
                item(id(7), &["new.txt"], Content),
            ),
            (
                "/me/drive/items/7%3A%2Fnew.txt%3A/content",
                item(id(7), &["new.txt"], Content),
            ),
            // An id not in our form parses; it names no item.
            ("/me/drive/items/abc", item(ItemRef::Unknown, &[], Item)),
            (
                "/me/drive/items/7/versions/2.0",
                version(id(7), &[], VersionRef::Number(2), VersionOp::Version),
            ),
            (
                "/me/drive/items/7/versions/current/content",
                version(id(7), &[], VersionRef::Current, VersionOp::Content),
            ),
            (
                "/me/drive/items/7/versions/1.0/restoreVersion",
                version(id(7), &[], VersionRef::Number(1), VersionOp::Restore),
            ),
            (
                "/me/drive/items/7/versions/1.0/microsoft.graph.restoreVersion",
                version(id(7), &[], VersionRef::Number(1), VersionOp::Restore),
            ),
            (
                "/me/drive/root:/a.txt:/versions/1.0/restoreVersion",
                version(
                    ItemRef::Root,
                    &["a.txt"],
                    VersionRef::Number(1),
                    VersionOp::Restore,
                ),
            ),
        ];
        for (path, target) in cases {
            assert_eq!(
                parse(path),
                Ok(Address {
                    drive: me(),
                    target
                }),
                "{path}"
            );
        }
    }

    #[test]
    fn version_ids_are_business_labels_major_or_minor_or_current() {
        for (label, expected) in [
            ("1.0", VersionLabel::Known(VersionRef::Number(1))),
            ("12.0", VersionLabel::Known(VersionRef::Number(12))),
            ("current", VersionLabel::Known(VersionRef::Current)),
            ("CURRENT", VersionLabel::Known(VersionRef::Current)),
            ("0.0", VersionLabel::Unknown),
            ("01.0", VersionLabel::Unknown),
            ("1.5", VersionLabel::Known(VersionRef::Minor(1, 5))),
            ("0.1", VersionLabel::Known(VersionRef::Minor(0, 1))),
            ("2.12", VersionLabel::Known(VersionRef::Minor(2, 12))),
            ("1.05", VersionLabel::Unknown),
            ("1.00", VersionLabel::Unknown),
            ("1.", VersionLabel::Unknown),
            ("1.1.1", VersionLabel::Unknown),
            ("1", VersionLabel::Unknown),
            (".0", VersionLabel::Unknown),
            ("+1.0", VersionLabel::Unknown),
            ("99999999999.0", VersionLabel::Unknown),
            ("abc", VersionLabel::Unknown),
        ] {
            assert_eq!(VersionLabel::parse(label), expected, "{label}");
        }
    }

    #[test]
    fn malformed_paths_are_refused_with_the_offending_part() {
        let unknown = |s: &str| Err(AddressError::UnknownSegment(s.to_owned()));
        let bad_path = |s: &str| Err(AddressError::BadPath(s.to_owned()));
        let bad_encoding = |s: &str| Err(AddressError::BadEncoding(s.to_owned()));
        let cases = [
            ("", unknown(""), "no leading slash"),
            ("/", unknown(""), "nothing at all"),
            ("/me/drivez", unknown("drivez"), "misspelt drive"),
            ("/drives//root", unknown(""), "empty drive id"),
            ("/users", unknown("users"), "users without an id"),
            ("/users//drive", unknown(""), "empty user id"),
            ("/groups/g1", unknown("g1"), "a group is not a drive"),
            (
                "/groups/g1/sites",
                unknown("sites"),
                "a group's sites need root",
            ),
            (
                "/groups/g1/sites/other/drive",
                unknown("other"),
                "a group has only its root site",
            ),
            ("/sites//drive", unknown(""), "empty site id"),
            (
                "/sites/:/sites/x",
                bad_path(":"),
                "a host form without a host",
            ),
            ("/me/drives/", unknown(""), "empty drive id after drives"),
            ("/planner/drive", unknown("planner"), "unknown root"),
            ("/me/drive/rooot", unknown("rooot"), "misspelt root"),
            ("/me/drive/items", unknown("items"), "items without an id"),
            ("/me/drive/items//content", unknown(""), "empty item id"),
            (
                "/me/drive/items/7/contents",
                unknown("contents"),
                "unknown op",
            ),
            (
                "/me/drive/items/7/content/x",
                unknown("x"),
                "segment after content",
            ),
            (
                "/me/drive/items/7/versions/",
                unknown(""),
                "empty version id",
            ),
            (
                "/me/drive/items/7/versions/1.0/restore",
                unknown("restore"),
                "unknown version action",
            ),
            ("/me/drive/items/7/", unknown(""), "trailing slash"),
            (
                "/me/drive/root:/:/content",
                bad_path(":"),
                "empty colon path before an operation",
            ),
            ("/me/drive/root:/a//b:", bad_path(""), "empty path segment"),
            ("/me/drive/root:/a:/", unknown(""), "trailing colon-slash"),
            (
                "/me/drive/root:x",
                bad_path("root:x"),
                "path not starting with /",
            ),
            (
                "/me/drive/root:/a:b:",
                bad_path("a:b:"),
                "colon inside a name",
            ),
            ("/me/drive/items/7%zz", bad_encoding("7%zz"), "bad escape"),
            ("/me/drive/items/7%2", bad_encoding("7%2"), "short escape"),
            ("/me/drive/items/%FF", bad_encoding("%FF"), "not UTF-8"),
        ];
        for (path, expected, why) in cases {
            assert_eq!(parse(path), expected, "{why}: {path}");
        }
    }
}
