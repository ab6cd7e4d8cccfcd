//! Graph's wire types: `driveItem`, `driveItemVersion`, `user` and the
//! collection envelope, borrowed from store views and serialized straight into the reply;
//! `drive` and `site` are in `drive`. The resources are
//! <https://learn.microsoft.com/en-us/graph/api/resources/driveitem> and
//! <https://learn.microsoft.com/en-us/graph/api/resources/driveitemversion>.

mod drive;
mod permission;

pub(crate) use drive::{Drive, DriveFacts, Site};
pub(crate) use permission::{Permission, Publication};

use std::fmt;

use chrono::{DateTime, Utc};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde::{Deserialize, Serialize, Serializer};

use super::tags::Tag;
use crate::download::links::{LinkSigner, GRAPH_DOWNLOAD_URL, GRAPH_REDIRECT};
use crate::short_text::{as_short, Short, ShortText};
use crate::store::{FileTimes, ItemId, ItemKindView, ItemView, SpecialFolder, User, Version};
use crate::timestamp::utc_seconds;

/// Characters encoded in the path segments of `webUrl`.
pub(crate) const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/');

/// What absolute links in a reply are built from: where the client reached us, under which
/// version prefix, the drive the request is in, and the signer and instant for download links.
#[derive(Clone, Copy)]
pub(crate) struct Links<'a> {
    /// `http://host:port` as the client addressed the server.
    pub origin: &'a str,
    /// `/v1.0` or `/beta`.
    pub base: &'a str,
    pub drive: &'a DriveFacts,
    pub signer: &'a LinkSigner,
    /// The emulator's clock when the request was served: links expire from here.
    pub now: DateTime<Utc>,
}

impl Links<'_> {
    /// `@microsoft.graph.downloadUrl` for a version's bytes.
    pub fn download_url(&self, version: &Version) -> String {
        self.signer
            .url(self.origin, version, self.now + GRAPH_DOWNLOAD_URL)
    }

    /// The `Location` of a content redirect, shorter-lived than `downloadUrl`.
    pub fn redirect_url(&self, version: &Version) -> String {
        self.signer
            .url(self.origin, version, self.now + GRAPH_REDIRECT)
    }

    fn metadata(&self) -> String {
        // Graph prints the drive id percent-encoded in contexts (`b!` as `b%21`), as captured
        // SharePoint replies show; pinned by
        // `versions_are_listed_newest_first_with_the_current_one_first`.
        format!(
            "{}{}/$metadata#drives('{}')",
            self.origin,
            self.base,
            self.drive.id.replace('!', "%21")
        )
    }

    pub fn item_context(&self) -> String {
        format!("{}/items/$entity", self.metadata())
    }

    pub fn versions_context(&self, item: ItemId) -> String {
        format!("{}/items('{item}')/versions", self.metadata())
    }

    pub fn version_context(&self, item: ItemId) -> String {
        format!("{}/items('{item}')/versions/$entity", self.metadata())
    }

    pub fn children_context(&self, item: ItemId) -> String {
        format!("{}/items('{item}')/children", self.metadata())
    }

    /// The drive's `webUrl` with `names` (the item's path from the root) below it.
    fn web_url(&self, names: impl Iterator<Item = impl AsRef<str>>) -> String {
        let mut url = self.drive.web_url.clone();
        for name in names {
            url.push('/');
            url.extend(utf8_percent_encode(name.as_ref(), SEGMENT));
        }
        url
    }
}

/// Dates as Graph prints them: UTC, whole seconds, `Z`.
fn graph_time<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    as_short(&utc_seconds(*at, "Z"), serializer)
}

/// `{"user": {"email", "id", "displayName"}}` of the user as they are now, renamed or not
/// (`names::as_now`), though the store kept them as they were.
#[derive(Debug)]
pub(crate) struct IdentitySet<'a> {
    user: &'a User,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Identity<'a> {
    email: &'a str,
    id: &'a str,
    display_name: &'a str,
}

impl Serialize for IdentitySet<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        crate::names::as_now(self.user, |user| {
            let mut set = serializer.serialize_struct("IdentitySet", 1)?;
            let identity = Identity {
                email: &user.login,
                id: &user.id,
                display_name: &user.name,
            };
            set.serialize_field("user", &identity)?;
            set.end()
        })
    }
}

impl<'a> From<&'a User> for IdentitySet<'a> {
    fn from(user: &'a User) -> Self {
        Self { user }
    }
}

/// A file or folder.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DriveItem<'a> {
    #[serde(rename = "@odata.context", skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    #[serde(
        rename = "@microsoft.graph.downloadUrl",
        skip_serializing_if = "Option::is_none"
    )]
    pub download_url: Option<String>,
    #[serde(serialize_with = "as_short")]
    pub id: ItemId,
    pub name: &'a str,
    #[serde(serialize_with = "as_short")]
    pub e_tag: Tag,
    /// Business drives send no cTag for folders (the `cTag` property's note in
    /// <https://learn.microsoft.com/en-us/graph/api/resources/driveitem>).
    #[serde(
        serialize_with = "option_short",
        skip_serializing_if = "Option::is_none"
    )]
    pub c_tag: Option<Tag>,
    pub size: u64,
    #[serde(serialize_with = "graph_time")]
    pub created_date_time: DateTime<Utc>,
    #[serde(serialize_with = "graph_time")]
    pub last_modified_date_time: DateTime<Utc>,
    pub web_url: String,
    pub created_by: IdentitySet<'a>,
    pub last_modified_by: IdentitySet<'a>,
    pub parent_reference: ItemReference<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<FileFacet<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folder: Option<FolderFacet>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root: Option<Empty>,
    pub file_system_info: FileSystemInfo,
    /// Only when `$select` names it: the service leaves it out otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publication: Option<Publication<'a>>,
    /// Only with `$expand=permissions`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<Permission>>,
    /// On a folder at a special folder's path (`store::special`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub special_folder: Option<SpecialFolderFacet>,
}

/// `{"name": "approot"}`
/// (<https://learn.microsoft.com/en-us/graph/api/resources/specialfolder>).
#[derive(Debug, Serialize)]
pub(crate) struct SpecialFolderFacet {
    pub name: &'static str,
}

/// Ids (JSON strings in Graph even though ours are numbers) and tags, where they may be absent.
fn option_short<S: Serializer>(
    value: &Option<impl Short>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => as_short(value, serializer),
        None => serializer.serialize_none(),
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ItemReference<'a> {
    pub drive_id: &'a str,
    pub drive_type: &'static str,
    /// A library's items name their site too (`siteId` in
    /// <https://learn.microsoft.com/en-us/graph/api/resources/itemreference>).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_id: Option<&'a str>,
    #[serde(
        serialize_with = "option_short",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<ItemId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    /// `/drives/{d}/root:` plus the parent's path; absent on the root
    /// (<https://learn.microsoft.com/en-us/graph/api/resources/itemreference>).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FileFacet<'a> {
    pub mime_type: &'a str,
    pub hashes: Hashes,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
/// Only `quickXorHash`: OneDrive for Business and SharePoint, the drives this face is, return no
/// `sha1Hash`, and Graph documents `sha256Hash` as not supported; `quickXorHash` is the one hash
/// "guaranteed to be available" (<https://learn.microsoft.com/en-us/graph/api/resources/hashes>).
pub(crate) struct Hashes {
    pub quick_xor_hash: ShortText<28>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FolderFacet {
    pub child_count: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct Empty {}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FileSystemInfo {
    #[serde(serialize_with = "graph_time")]
    pub created_date_time: DateTime<Utc>,
    #[serde(serialize_with = "graph_time")]
    pub last_modified_date_time: DateTime<Utc>,
}

/// `fileSystemInfo` as a client sends it, in an upload session's `item` or a `PATCH {item}`: the
/// times it keeps on a file, read-write
/// (<https://learn.microsoft.com/en-us/graph/api/resources/filesysteminfo>). Other properties
/// (`lastAccessedDateTime`) are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FileSystemInfoInput {
    #[serde(default, deserialize_with = "crate::timestamp::writable_option")]
    created_date_time: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "crate::timestamp::writable_option")]
    last_modified_date_time: Option<DateTime<Utc>>,
}

impl From<FileSystemInfoInput> for FileTimes {
    fn from(input: FileSystemInfoInput) -> Self {
        Self {
            created: input.created_date_time,
            modified: input.last_modified_date_time,
        }
    }
}

impl<'a> DriveItem<'a> {
    /// The item as Graph shows it. `context` is for replies that are the item itself, not an
    /// element of a collection.
    pub fn new(item: &'a ItemView, links: &Links<'a>, context: bool) -> Self {
        let names = item.path_names();
        let parent_reference = match item.ancestors.last() {
            None => ItemReference {
                drive_id: &links.drive.id,
                drive_type: links.drive.drive_type,
                site_id: links.drive.site_id.as_deref(),
                id: None,
                name: None,
                path: None,
            },
            Some(parent) => {
                let mut path = format!("/drives/{}/root:", links.drive.id);
                for ancestor in item.ancestors.iter().skip(1) {
                    path.push('/');
                    path.push_str(&ancestor.name);
                }
                ItemReference {
                    drive_id: &links.drive.id,
                    drive_type: links.drive.drive_type,
                    site_id: links.drive.site_id.as_deref(),
                    id: Some(parent.id),
                    name: Some(&parent.name),
                    path: Some(path),
                }
            }
        };
        let (size, file, folder, c_tag, download_url, created, modified) = match &item.kind {
            ItemKindView::Folder { child_count, size } => (
                *size,
                None,
                Some(FolderFacet {
                    child_count: *child_count,
                }),
                None,
                None,
                item.created_at,
                item.modified_at,
            ),
            ItemKindView::File(file) => {
                let content = &file.current.content;
                (
                    content.len(),
                    Some(FileFacet {
                        mime_type: &file.mime_type,
                        hashes: Hashes {
                            quick_xor_hash: content.quick_xor_base64(),
                        },
                    }),
                    None,
                    Some(Tag::ctag(item.tags())),
                    Some(links.download_url(&file.current)),
                    file.content_created_at,
                    file.content_modified_at,
                )
            }
        };
        DriveItem {
            context: context.then(|| links.item_context()),
            download_url,
            id: item.id,
            name: &item.name,
            e_tag: Tag::etag(item.tags()),
            c_tag,
            size,
            created_date_time: item.created_at,
            last_modified_date_time: item.modified_at,
            web_url: links.web_url(names),
            created_by: IdentitySet::from(&*item.created_by),
            last_modified_by: IdentitySet::from(&*item.modified_by),
            parent_reference,
            file,
            folder,
            root: item.is_root().then_some(Empty {}),
            file_system_info: FileSystemInfo {
                created_date_time: created,
                last_modified_date_time: modified,
            },
            publication: None,
            permissions: None,
            special_folder: special_folder(item),
        }
    }
}

/// The special folder `item` is, if it is one: a folder one or two levels below the root at
/// a special folder's path.
fn special_folder(item: &ItemView) -> Option<SpecialFolderFacet> {
    let depth = item.ancestors.len();
    if item.file().is_some() || !(1..=2).contains(&depth) {
        return None;
    }
    let mut path: Vec<&str> = item.ancestors[1..]
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    path.push(&item.name);
    SpecialFolder::at(&path).map(|folder| SpecialFolderFacet {
        name: folder.name(),
    })
}

/// A business version label, `1.0`, `2.0`, …, or a minor one, `1.1`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Label {
    pub number: u32,
    pub minor: u32,
}

impl Label {
    pub fn of(version: &Version) -> Self {
        Self {
            number: version.number,
            minor: version.minor,
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.short().as_str())
    }
}

impl Short for Label {
    fn short(&self) -> ShortText {
        let mut text = ShortText::default();
        text.push_decimal(self.number.into());
        text.push(".");
        text.push_decimal(self.minor.into());
        text
    }
}

/// One entry of a file's history. OneDrive keeps no name or hashes for versions
/// (<https://learn.microsoft.com/en-us/graph/api/resources/driveitemversion>).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DriveItemVersion<'a> {
    #[serde(rename = "@odata.context", skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// Only when `$select`ed: a real list response leaves it out (the docs do not say; pinned by
    /// `select_on_versions_can_ask_for_download_urls`).
    #[serde(
        rename = "@microsoft.graph.downloadUrl",
        skip_serializing_if = "Option::is_none"
    )]
    pub download_url: Option<String>,
    #[serde(serialize_with = "as_short")]
    pub id: Label,
    pub last_modified_by: IdentitySet<'a>,
    #[serde(serialize_with = "graph_time")]
    pub last_modified_date_time: DateTime<Utc>,
    pub size: u64,
}

impl<'a> DriveItemVersion<'a> {
    pub fn new(version: &'a Version, links: &Links<'_>, download_url: bool) -> Self {
        Self {
            context: None,
            download_url: download_url.then(|| links.download_url(version)),
            id: Label::of(version),
            last_modified_by: IdentitySet::from(&*version.created_by),
            last_modified_date_time: version.created_at,
            size: version.content.len(),
        }
    }
}

/// `{"@odata.context", "value", "@odata.nextLink"}`.
#[derive(Debug, Serialize)]
pub(crate) struct Collection<T> {
    #[serde(rename = "@odata.context")]
    pub context: String,
    pub value: Vec<T>,
    #[serde(rename = "@odata.nextLink", skip_serializing_if = "Option::is_none")]
    pub next_link: Option<String>,
}

/// A user as the directory shows it (`GET /me`, `GET /users/{id}`): the default properties of
/// Graph's `user` resource. The emulator keeps id, name and login; the rest are null, as for a
/// user whose profile nobody filled in.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UserProfile<'a> {
    #[serde(rename = "@odata.context")]
    pub context: String,
    pub business_phones: [&'static str; 0],
    pub display_name: &'a str,
    pub given_name: Option<()>,
    pub job_title: Option<()>,
    pub mail: &'a str,
    pub mobile_phone: Option<()>,
    pub office_location: Option<()>,
    pub preferred_language: Option<()>,
    pub surname: Option<()>,
    pub user_principal_name: &'a str,
    pub id: &'a str,
}

impl<'a> UserProfile<'a> {
    pub fn new(user: &'a User, links: &Links<'_>) -> Self {
        Self {
            context: format!("{}{}/$metadata#users/$entity", links.origin, links.base),
            business_phones: [],
            display_name: &user.name,
            given_name: None,
            job_title: None,
            mail: &user.login,
            mobile_phone: None,
            office_location: None,
            preferred_language: None,
            surname: None,
            user_principal_name: &user.login,
            id: &user.id,
        }
    }
}
