//! Graph's `drive` and `site` resources, and what every item of a drive shows of it
//! (`DriveFacts`): a user's OneDrive for Business or a site's document library, as
//! <https://learn.microsoft.com/en-us/graph/api/resources/drive> and
//! <https://learn.microsoft.com/en-us/graph/api/resources/site> describe them.

use chrono::{DateTime, Utc};
use percent_encoding::utf8_percent_encode;
use serde::Serialize;

use super::{graph_time, IdentitySet, Links, SEGMENT};
use crate::store::org::{DEFAULT_LIBRARY, DEFAULT_QUOTA, ROOT_SITE, SITE_HOST};
use crate::store::{DriveView, Group, ItemKindView, ItemView, SharedDrive, SiteView, User};

/// What every item of a drive shows of it: `parentReference` and `webUrl` are built from this.
#[derive(Debug, Clone)]
pub(crate) struct DriveFacts {
    pub id: String,
    /// `business` for a user's drive, `documentLibrary` for a library
    /// (<https://learn.microsoft.com/en-us/graph/api/resources/drive>).
    pub drive_type: &'static str,
    /// A library's site id.
    pub site_id: Option<String>,
    /// The drive's own `webUrl`; items append their path.
    pub web_url: String,
}

impl DriveFacts {
    pub fn new(drive: &DriveView, origin: &str) -> Self {
        match drive {
            DriveView::Personal(user) => Self {
                id: drive.id(),
                drive_type: "business",
                site_id: None,
                web_url: personal_url(origin, user),
            },
            DriveView::Shared(shared) => Self {
                id: drive.id(),
                drive_type: "documentLibrary",
                site_id: Some(shared.site.id.clone()),
                web_url: library_url(origin, shared),
            },
        }
    }
}

/// `https://{tenant}-my.sharepoint.com/personal/{upn}/Documents` in the real service; the
/// emulator's origin and the user's id stand in for the host and the mangled UPN.
fn personal_url(origin: &str, user: &User) -> String {
    format!("{origin}/personal/{}/Documents", user.id)
}

/// `{site}/Shared%20Documents` for the default library (its URL name differs from its display
/// name in SharePoint), `{site}/{name}` for the others.
fn library_url(origin: &str, shared: &SharedDrive) -> String {
    let site = site_url(origin, &shared.site.name);
    if shared.library.name == DEFAULT_LIBRARY {
        format!("{site}/Shared%20Documents")
    } else {
        format!(
            "{site}/{}",
            utf8_percent_encode(&shared.library.name, SEGMENT)
        )
    }
}

/// The root site at the origin itself, the others under `/sites/`.
fn site_url(origin: &str, name: &str) -> String {
    if name == ROOT_SITE {
        origin.to_owned()
    } else {
        format!("{origin}/sites/{}", utf8_percent_encode(name, SEGMENT))
    }
}

/// A drive (<https://learn.microsoft.com/en-us/graph/api/resources/drive>).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Drive<'a> {
    /// Only on a drive read by itself; entries of a list have none.
    #[serde(rename = "@odata.context", skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    pub id: &'a str,
    pub drive_type: &'static str,
    pub name: &'a str,
    pub description: &'static str,
    #[serde(serialize_with = "graph_time")]
    pub created_date_time: DateTime<Utc>,
    #[serde(serialize_with = "graph_time")]
    pub last_modified_date_time: DateTime<Utc>,
    pub web_url: &'a str,
    pub created_by: SystemIdentity,
    pub owner: DriveOwner<'a>,
    pub quota: Quota,
}

/// A user (a user's drive), a group (a group's libraries) or, for a site of its own, the system
/// account, as SharePoint shows libraries no person owns (`owner` in
/// <https://learn.microsoft.com/en-us/graph/api/resources/drive>).
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum DriveOwner<'a> {
    User(IdentitySet<'a>),
    Group { group: GroupIdentity<'a> },
    System(SystemIdentity),
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct GroupIdentity<'a> {
    pub id: &'a str,
    pub display_name: &'a str,
    pub email: &'a str,
}

impl<'a> From<&'a Group> for GroupIdentity<'a> {
    fn from(group: &'a Group) -> Self {
        Self {
            id: &group.id,
            display_name: &group.name,
            email: &group.mail,
        }
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct SystemIdentity {
    pub user: SystemUser,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SystemUser {
    pub display_name: &'static str,
}

fn system() -> SystemIdentity {
    SystemIdentity {
        user: SystemUser {
            display_name: "System Account",
        },
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct Quota {
    pub deleted: u64,
    pub remaining: u64,
    pub state: &'static str,
    pub total: u64,
    pub used: u64,
}

impl<'a> Drive<'a> {
    /// The drive, described by itself and its root folder (for its size and dates).
    pub fn new(drive: &'a DriveView, root: &'a ItemView, links: &Links<'a>) -> Self {
        let used = match root.kind {
            ItemKindView::Folder { size, .. } => size,
            ItemKindView::File(_) => 0,
        };
        let (name, created_at, owner, total) = match drive {
            DriveView::Personal(user) => (
                "OneDrive",
                root.created_at,
                DriveOwner::User(IdentitySet::from(&**user)),
                DEFAULT_QUOTA,
            ),
            DriveView::Shared(shared) => (
                shared.library.name.as_str(),
                shared.library.created_at,
                match &shared.group {
                    Some(group) => DriveOwner::Group {
                        group: GroupIdentity::from(group),
                    },
                    None => DriveOwner::System(system()),
                },
                shared.library.quota,
            ),
        };
        Self {
            context: Some(format!(
                "{}{}/$metadata#drives/$entity",
                links.origin, links.base
            )),
            id: &links.drive.id,
            drive_type: links.drive.drive_type,
            name,
            description: "",
            created_date_time: created_at,
            last_modified_date_time: root.modified_at,
            web_url: &links.drive.web_url,
            created_by: system(),
            owner,
            quota: Quota {
                deleted: 0,
                remaining: total.saturating_sub(used),
                state: "normal",
                total,
                used,
            },
        }
    }
}

/// A site (`GET /sites/{s}`): its default properties.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Site<'a> {
    #[serde(rename = "@odata.context")]
    pub context: String,
    #[serde(serialize_with = "graph_time")]
    pub created_date_time: DateTime<Utc>,
    pub description: &'static str,
    pub id: &'a str,
    #[serde(serialize_with = "graph_time")]
    pub last_modified_date_time: DateTime<Utc>,
    pub name: &'a str,
    pub web_url: String,
    pub display_name: &'a str,
    /// Present (empty) on the tenant's root site only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root: Option<super::Empty>,
    pub site_collection: SiteCollection,
}

#[derive(Debug, Serialize)]
pub(crate) struct SiteCollection {
    pub hostname: &'static str,
}

impl<'a> Site<'a> {
    pub fn new(view: &'a SiteView, origin: &str, base: &str) -> Self {
        let site = &view.site;
        Self {
            context: format!("{origin}{base}/$metadata#sites/$entity"),
            created_date_time: site.created_at,
            description: "",
            id: &site.id,
            last_modified_date_time: site.created_at,
            name: &site.name,
            web_url: site_url(origin, &site.name),
            display_name: &site.display_name,
            root: (site.name == ROOT_SITE).then_some(super::Empty {}),
            site_collection: SiteCollection {
                hostname: SITE_HOST,
            },
        }
    }
}
