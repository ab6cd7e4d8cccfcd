//! Groups, sites and their document libraries: the Graph face's shared drives, who may reach
//! them, and how a group or site named in a path is found, or made on first use
//! (<https://learn.microsoft.com/en-us/graph/api/drive-get> for the routes,
//! <https://learn.microsoft.com/en-us/graph/api/resources/drive> and
//! <https://learn.microsoft.com/en-us/graph/api/resources/site> for what they answer).
//!
//! A group's default drive is the default library of its team site, so both addresses name one
//! library. They are one object from the first request that names either: `/sites/{name}`
//! with the name of a group that has no team site yet makes that group's team site, with the
//! group's members, so a non-member can neither reach it nor plant a file in its library before
//! a member first opens it. Ids are derived from names (sha-256), so a site or library made on first use gets
//! the same id in every run, and a fixture names sites and libraries by name alone.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::domain::Space;
use super::records::LibraryRecord;
use super::StoreError;
use crate::store::accounts::User;

/// The SharePoint host in site ids (`{hostname},{site-collection-guid},{web-guid}`).
pub const SITE_HOST: &str = "restoremock.sharepoint.com";
/// The name `/sites/root` goes by: the tenant's root site.
pub const ROOT_SITE: &str = "root";
/// The library every site has first, as SharePoint names it (its URL says `Shared Documents`).
pub const DEFAULT_LIBRARY: &str = "Documents";
/// 1 TiB, what the captured business drives show; a library's quota is its site's.
pub const DEFAULT_QUOTA: u64 = 1_099_511_627_776;

/// A Microsoft 365 group. One that nobody declared is open: every signed-in user is a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub mail: String,
    /// User ids; `None` lets every signed-in user in.
    pub members: Option<BTreeSet<String>>,
}

/// A SharePoint site: a group's team site, or one of its own (the root site included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Site {
    /// `{hostname},{guid},{guid}`, derived from the name.
    pub id: String,
    /// The URL segment (`/sites/{name}`); unique, compared case-insensitively.
    pub name: String,
    pub display_name: String,
    /// The group whose team site this is; its members are the site's.
    pub group: Option<String>,
    /// Who may reach a site without a group; `None` lets every signed-in user in.
    pub members: Option<BTreeSet<String>>,
    pub created_at: DateTime<Utc>,
    /// Drive ids, the default library first.
    pub libraries: Vec<String>,
}

/// A document library: a shared drive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Library {
    /// `b!…`, derived from the site id and the library's name.
    pub id: String,
    /// The site's id.
    pub site: String,
    pub name: String,
    pub quota: u64,
    /// Whether a check-in that is not `checkInAs: "published"` makes the next minor version
    /// (`1.1`) rather than the next major one, as in a SharePoint library with minor versioning
    /// (<https://support.microsoft.com/en-us/office/enable-and-configure-versioning-for-a-list-or-library-1555d642-23ee-446a-990a-bcab618c7a37>).
    /// Off by default, as versioning settings start with major versions only.
    #[serde(default)]
    pub minor_versions: bool,
    pub created_at: DateTime<Utc>,
}

/// A library with its site and the site's group: what a face renders a shared drive from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedDrive {
    pub library: Library,
    pub site: Site,
    pub group: Option<Group>,
}

/// A site with its group, for `GET /sites/{s}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteView {
    pub site: Site,
    pub group: Option<Group>,
}

/// Who a group's or site's members list is checked against.
#[derive(Debug, Clone, Copy)]
pub enum DriveAccess<'a> {
    /// A user signed in (a delegated token): a member, or any user where no members are listed.
    Member(&'a Arc<User>),
    /// An app acting with application permissions: like an app granted `Sites.ReadWrite.All` or
    /// `Files.ReadWrite.All` tenant-wide, it reaches every group's and site's drives whatever their
    /// members (<https://learn.microsoft.com/en-us/graph/permissions-reference>); the face checks
    /// that its roles cover the request.
    App,
}

impl<'a> DriveAccess<'a> {
    /// `user`'s reach, or an app's when `app` (the user is then its service account).
    pub fn of(user: &'a Arc<User>, app: bool) -> Self {
        match app {
            true => Self::App,
            false => Self::Member(user),
        }
    }
}

/// A drive an address names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DriveView {
    /// A user's own OneDrive for Business.
    Personal(Arc<User>),
    Shared(Box<SharedDrive>),
}

impl DriveView {
    pub fn id(&self) -> String {
        match self {
            Self::Personal(user) => personal_drive_id(user),
            Self::Shared(shared) => shared.library.id.clone(),
        }
    }

    /// The drive's files as `actor` sees and changes them.
    pub fn space(&self, actor: &Arc<User>) -> Space {
        match self {
            Self::Personal(owner) => Space {
                actor: actor.clone(),
                ..Space::own(super::Face::Graph, owner.clone())
            },
            Self::Shared(shared) => {
                Space::shared(Arc::from(shared.library.id.as_str()), actor.clone())
            }
        }
    }
}

/// What owns the drives a path asks for, before the store finds (or makes) it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DriveHolder {
    /// A user by id or login (`/me` is the caller's).
    User(String),
    Group(String),
    /// A site by id, name, or `root`.
    Site(String),
    /// `/groups/{g}/sites/root`: the group's team site.
    GroupSite(String),
}

/// A user's drive id: stable per user, shaped like a business drive id (`b!…`), which also makes
/// SDKs percent-encode it (`b%21…`) as they do against the real service.
pub fn personal_drive_id(user: &User) -> String {
    format!("b!{}", user.id)
}

/// The groups, sites and libraries one store holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Org {
    groups: BTreeMap<String, Group>,
    /// By site id.
    sites: BTreeMap<String, Site>,
    /// By drive id.
    libraries: BTreeMap<String, Library>,
    /// Set by every change, taken by the tree to record it.
    #[serde(skip)]
    dirty: bool,
}

impl Org {
    /// Whether anything changed since the last call.
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    pub fn groups(&self) -> impl Iterator<Item = &Group> {
        self.groups.values()
    }

    /// Every site, by name.
    pub fn sites(&self) -> Vec<&Site> {
        let mut sites: Vec<&Site> = self.sites.values().collect();
        sites.sort_by_key(|s| s.name.to_lowercase());
        sites
    }

    pub fn library(&self, id: &str) -> Option<&Library> {
        self.libraries.get(id)
    }

    pub fn site(&self, id: &str) -> Option<&Site> {
        self.sites.get(id)
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.get(id)
    }

    /// The site of this name, compared case-insensitively.
    pub fn site_named(&self, name: &str) -> Option<&Site> {
        self.sites.get(&site_id(name))
    }

    /// A library by its site's name and its own (case-insensitively).
    pub fn library_named(&self, site: &str, library: &str) -> Option<&Library> {
        let site = self.site_named(site)?;
        site.libraries
            .iter()
            .filter_map(|id| self.libraries.get(id))
            .find(|l| l.name.eq_ignore_ascii_case(library))
    }

    /// The shared drive with this id, if `reach` allows it.
    pub fn shared_drive(&self, id: &str, reach: DriveAccess) -> Result<SharedDrive, StoreError> {
        let library = self.libraries.get(id).ok_or(StoreError::ItemNotFound)?;
        let site = &self.sites[&library.site];
        self.check_member(site, reach)?;
        Ok(self.shared(library))
    }

    /// The drives `holder` names (the default first), making the group or site on first use,
    /// if `reach` allows them. A user's drive is not here but in the engine, which knows users.
    pub fn drives(
        &mut self,
        holder: &DriveHolder,
        reach: DriveAccess,
        now: DateTime<Utc>,
    ) -> Result<Vec<SharedDrive>, StoreError> {
        let site = self.site_for(holder, reach, now)?;
        Ok(site
            .libraries
            .iter()
            .map(|id| self.shared(&self.libraries[id]))
            .collect())
    }

    /// The site `holder` names, made on first use, if `reach` allows it.
    pub fn site_view(
        &mut self,
        holder: &DriveHolder,
        reach: DriveAccess,
        now: DateTime<Utc>,
    ) -> Result<SiteView, StoreError> {
        let site = self.site_for(holder, reach, now)?;
        Ok(SiteView {
            group: site
                .group
                .as_ref()
                .and_then(|g| self.groups.get(g))
                .cloned(),
            site,
        })
    }

    fn site_for(
        &mut self,
        holder: &DriveHolder,
        reach: DriveAccess,
        now: DateTime<Utc>,
    ) -> Result<Site, StoreError> {
        let id = match holder {
            DriveHolder::User(_) => return Err(StoreError::ItemNotFound),
            DriveHolder::Group(group) | DriveHolder::GroupSite(group) => {
                self.check_group_member(group, reach)?;
                self.team_site(group, now)
            }
            DriveHolder::Site(key) => match self.sites.get(key) {
                Some(site) => site.id.clone(),
                // A composite id is one the emulator hands out; one it never made names nothing.
                None if key.contains(',') => return Err(StoreError::ItemNotFound),
                None => match self.siteless_group_named(key) {
                    // The name a group's team site is made under: the site is the group's from
                    // this first request, with its members, so no one else can write into the
                    // library before a member first opens it.
                    Some(group) => {
                        self.check_group_member(&group, reach)?;
                        self.team_site(&group, now)
                    }
                    None => self.ensure_site(key, None, now),
                },
            },
        };
        let site = &self.sites[&id];
        self.check_member(site, reach)?;
        Ok(site.clone())
    }

    /// Refuses a user who is not a member of a group that lists its members; checked before
    /// anything is made, so that a refused request changes nothing.
    fn check_group_member(&self, group: &str, reach: DriveAccess) -> Result<(), StoreError> {
        let members = self.groups.get(group).and_then(|g| g.members.as_ref());
        check_listed(members, reach)
    }

    /// The group whose team site, not made yet, would be the site named `name`: a team site is
    /// named after its group's id, and site names compare case-insensitively.
    fn siteless_group_named(&self, name: &str) -> Option<String> {
        if self.site_named(name).is_some() {
            return None;
        }
        let group = (self.groups.keys()).find(|id| id.to_lowercase() == name.to_lowercase())?;
        let has_site = (self.sites.values()).any(|s| s.group.as_deref() == Some(group));
        (!has_site).then(|| group.clone())
    }

    /// The group's team site: the one that names the group, else the site named like the group
    /// (which the group adopts unless it has a group or members of its own), else a new one.
    fn team_site(&mut self, group: &str, now: DateTime<Utc>) -> String {
        self.ensure_group(group);
        if let Some(site) = self
            .sites
            .values()
            .find(|s| s.group.as_deref() == Some(group))
        {
            return site.id.clone();
        }
        let id = self.ensure_site(group, Some(group), now);
        let site = self.sites.get_mut(&id).expect("just ensured");
        if site.group.is_none() && site.members.is_none() {
            site.group = Some(group.to_owned());
            self.dirty = true;
        }
        id
    }

    fn ensure_group(&mut self, id: &str) {
        if !self.groups.contains_key(id) {
            self.put_group(Group {
                id: id.to_owned(),
                name: id.to_owned(),
                mail: default_mail(id),
                members: None,
            });
        }
    }

    /// Adds a group or replaces the one with its id.
    pub fn put_group(&mut self, group: Group) {
        self.groups.insert(group.id.clone(), group);
        self.dirty = true;
    }

    /// The id of the site named `name`, made with its default library if new.
    pub fn ensure_site(&mut self, name: &str, group: Option<&str>, now: DateTime<Utc>) -> String {
        let id = site_id(name);
        if !self.sites.contains_key(&id) {
            let display_name = match (group.and_then(|g| self.groups.get(g)), name) {
                (Some(group), _) => group.name.clone(),
                (None, ROOT_SITE) => "Communication site".to_owned(),
                (None, _) => name.to_owned(),
            };
            self.sites.insert(
                id.clone(),
                Site {
                    id: id.clone(),
                    name: name.to_owned(),
                    display_name,
                    group: group.map(str::to_owned),
                    members: None,
                    created_at: now,
                    libraries: Vec::new(),
                },
            );
            self.ensure_library(&id, DEFAULT_LIBRARY, DEFAULT_QUOTA, now);
            self.dirty = true;
        }
        id
    }

    /// Changes a site's own fields, keeping its libraries.
    pub fn update_site(&mut self, id: &str, change: impl FnOnce(&mut Site)) {
        if let Some(site) = self.sites.get_mut(id) {
            change(site);
            self.dirty = true;
        }
    }

    /// The id of the site's library named `name` (case-insensitively), added if new.
    pub fn ensure_library(
        &mut self,
        site: &str,
        name: &str,
        quota: u64,
        now: DateTime<Utc>,
    ) -> String {
        if let Some(existing) = self.sites[site]
            .libraries
            .iter()
            .find(|id| self.libraries[*id].name.eq_ignore_ascii_case(name))
        {
            return existing.clone();
        }
        let id = library_id(site, name);
        self.libraries.insert(
            id.clone(),
            Library {
                id: id.clone(),
                site: site.to_owned(),
                name: name.to_owned(),
                quota,
                minor_versions: false,
                created_at: now,
            },
        );
        (self.sites.get_mut(site).expect("caller's site").libraries).push(id.clone());
        self.dirty = true;
        id
    }

    /// Sets a library's settings and date (a fixture's, over the defaults).
    pub fn update_library(&mut self, id: &str, record: &LibraryRecord) {
        if let Some(library) = self.libraries.get_mut(id) {
            library.quota = record.quota;
            library.minor_versions = record.minor_versions;
            library.created_at = record.created_at;
            self.dirty = true;
        }
    }

    fn shared(&self, library: &Library) -> SharedDrive {
        let site = self.sites[&library.site].clone();
        SharedDrive {
            library: library.clone(),
            group: site
                .group
                .as_ref()
                .and_then(|g| self.groups.get(g))
                .cloned(),
            site,
        }
    }

    /// Every library, its site and group: by site name, each site's default library first.
    pub fn shared_drives(&self) -> impl Iterator<Item = SharedDrive> + '_ {
        self.sites()
            .into_iter()
            .flat_map(|site| site.libraries.iter())
            .filter_map(|id| self.libraries.get(id))
            .map(|library| self.shared(library))
    }

    /// Who may reach the site: its group's members, or its own; `None` lets every signed-in
    /// user in.
    pub fn members<'a>(&'a self, site: &'a Site) -> Option<&'a BTreeSet<String>> {
        match &site.group {
            Some(group) => self.groups.get(group).and_then(|g| g.members.as_ref()),
            None => site.members.as_ref(),
        }
    }

    /// Refuses a user who is not a member: of the site's group, or of the site itself.
    fn check_member(&self, site: &Site, reach: DriveAccess) -> Result<(), StoreError> {
        check_listed(self.members(site), reach)
    }
}

/// Refuses a user missing from a members list; no list, or an app, passes.
fn check_listed(members: Option<&BTreeSet<String>>, reach: DriveAccess) -> Result<(), StoreError> {
    match (members, reach) {
        (Some(members), DriveAccess::Member(user)) if !members.contains(&user.id) => {
            Err(StoreError::AccessDenied)
        }
        _ => Ok(()),
    }
}

/// A group's mail when none is given.
pub fn default_mail(group: &str) -> String {
    format!("{}@example.com", group.to_lowercase())
}

/// `{hostname},{guid},{guid}` for a site name, the same in every run.
pub fn site_id(name: &str) -> String {
    let key = name.to_lowercase();
    format!(
        "{SITE_HOST},{},{}",
        guid(&format!("site:{key}")),
        guid(&format!("web:{key}"))
    )
}

fn library_id(site: &str, name: &str) -> String {
    let digest = Sha256::digest(format!("library:{site}:{}", name.to_lowercase()));
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..24]);
    format!("b!{encoded}")
}

fn guid(key: &str) -> uuid::Uuid {
    let digest = Sha256::digest(key.as_bytes());
    uuid::Uuid::from_bytes(digest[..16].try_into().expect("16 bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str) -> Arc<User> {
        Arc::new(User {
            id: id.into(),
            name: id.into(),
            login: format!("{id}@example.com"),
        })
    }

    #[test]
    fn a_group_drive_is_its_team_site_default_library() {
        let mut org = Org::default();
        let now = Utc::now();
        let ada = user("ada");
        let by_group = org
            .drives(
                &DriveHolder::Group("eng".into()),
                DriveAccess::Member(&ada),
                now,
            )
            .unwrap();
        let site = org.site_named("eng").unwrap().id.clone();
        let by_site = org
            .drives(&DriveHolder::Site(site), DriveAccess::Member(&ada), now)
            .unwrap();
        assert_eq!(by_group, by_site);
        assert_eq!(by_group.len(), 1);
        assert_eq!(by_group[0].library.name, DEFAULT_LIBRARY);
        assert_eq!(by_group[0].group.as_ref().unwrap().id, "eng");
    }

    #[test]
    fn ids_are_derived_from_names_alone() {
        let (mut one, mut two) = (Org::default(), Org::default());
        let now = Utc::now();
        let a = one.ensure_site("Marketing", None, now);
        let b = two.ensure_site("marketing", None, now);
        assert_eq!(a, b);
        assert!(a.starts_with("restoremock.sharepoint.com,"), "{a}");
        assert_eq!(one.sites[&a].libraries, two.sites[&b].libraries);
    }

    #[test]
    fn a_non_member_is_refused_an_app_is_let_in_and_an_unknown_composite_id_is_not_found() {
        let mut org = Org::default();
        let now = Utc::now();
        org.put_group(Group {
            id: "g".into(),
            name: "G".into(),
            mail: "g@example.com".into(),
            members: Some(["ada".to_owned()].into()),
        });
        let holder = DriveHolder::Group("g".into());
        assert!(org
            .drives(&holder, DriveAccess::Member(&user("ada")), now)
            .is_ok());
        let refused = org.drives(&holder, DriveAccess::Member(&user("bob")), now);
        assert!(
            matches!(refused, Err(StoreError::AccessDenied)),
            "{refused:?}"
        );
        assert!(org.drives(&holder, DriveAccess::App, now).is_ok());
        let unknown = DriveHolder::Site(format!("{SITE_HOST},x,y"));
        let missing = org
            .drives(&unknown, DriveAccess::Member(&user("ada")), now)
            .unwrap_err();
        assert!(matches!(missing, StoreError::ItemNotFound), "{missing:?}");
    }
}
