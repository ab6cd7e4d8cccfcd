//! Loading groups and sites (with their libraries) into the tree's `Org` and listing them back
//! as records. What is checked here depends on the store: known users and groups, one team
//! site per group; names were checked by `crate::fixture`.

use std::collections::BTreeSet;

use super::Tree;
use crate::store::accounts::Directory;
use crate::store::org::Group;
use crate::store::records::{GroupRecord, LibraryRecord, LoadError, RecordAt, SiteRecord};
use crate::store::rules::name_key;

impl Tree {
    /// Adds groups (replacing those with their id), then sites (changing those with their name).
    pub(super) fn load_org(
        &mut self,
        groups: &[GroupRecord],
        sites: &[SiteRecord],
        users: &Directory,
    ) -> Result<(), LoadError> {
        for (index, record) in groups.iter().enumerate() {
            let at = RecordAt::Group(index);
            let members = members(record.members.as_deref(), users, at)?;
            self.org_op(|org| {
                org.put_group(Group {
                    id: record.id.clone(),
                    name: record.name.clone(),
                    mail: record.mail.clone(),
                    members,
                })
            });
        }
        for (index, record) in sites.iter().enumerate() {
            self.load_site(index, record, users)?;
        }
        Ok(())
    }

    fn load_site(
        &mut self,
        index: usize,
        record: &SiteRecord,
        users: &Directory,
    ) -> Result<(), LoadError> {
        let at = RecordAt::Site(index);
        if let Some(group) = &record.group {
            if self.org().group(group).is_none() {
                return Err(LoadError::record(at, format!("unknown group {group:?}")));
            }
            if record.members.is_some() {
                return Err(LoadError::record(
                    at,
                    "a group's site takes its members from the group",
                ));
            }
            let other = (self.org().sites().into_iter()).find(|s| {
                s.group.as_ref() == Some(group) && name_key(&s.name) != name_key(&record.name)
            });
            if let Some(other) = other {
                let message = format!("group {group:?} already has the team site {:?}", other.name);
                return Err(LoadError::record(at, message));
            }
        }
        let mut seen = BTreeSet::new();
        for (library, entry) in record.libraries.iter().enumerate() {
            if !seen.insert(name_key(&entry.name)) {
                let at = RecordAt::Library {
                    site: index,
                    library,
                };
                return Err(LoadError::record(
                    at,
                    "the site already has a library of this name",
                ));
            }
        }
        let site_members = members(record.members.as_deref(), users, at)?;
        self.org_op(|org| {
            let id = org.ensure_site(&record.name, record.group.as_deref(), record.created_at);
            let group_name = (record.group.as_ref())
                .and_then(|g| org.group(g))
                .map(|g| g.name.clone());
            org.update_site(&id, |site| {
                site.group = record.group.clone();
                site.members = site_members;
                site.created_at = record.created_at;
                if let Some(name) = record.display_name.clone().or(group_name) {
                    site.display_name = name;
                }
            });
            for library in &record.libraries {
                let drive =
                    org.ensure_library(&id, &library.name, library.quota, library.created_at);
                org.update_library(&drive, library);
            }
        });
        Ok(())
    }

    /// Every group by id and every site by name, each site's libraries the default first.
    pub fn list_org(&self) -> (Vec<GroupRecord>, Vec<SiteRecord>) {
        let org = self.org();
        let groups = org
            .groups()
            .map(|group| GroupRecord {
                id: group.id.clone(),
                name: group.name.clone(),
                mail: group.mail.clone(),
                members: group.members.as_ref().map(|m| m.iter().cloned().collect()),
            })
            .collect();
        let sites = org
            .sites()
            .into_iter()
            .map(|site| SiteRecord {
                name: site.name.clone(),
                display_name: Some(site.display_name.clone()),
                group: site.group.clone(),
                members: site.members.as_ref().map(|m| m.iter().cloned().collect()),
                created_at: site.created_at,
                libraries: (site.libraries.iter())
                    .filter_map(|id| org.library(id))
                    .map(|library| LibraryRecord {
                        name: library.name.clone(),
                        quota: library.quota,
                        minor_versions: library.minor_versions,
                        created_at: library.created_at,
                    })
                    .collect(),
            })
            .collect();
        (groups, sites)
    }
}

/// Member ids as a set, each a user the directory knows.
fn members(
    ids: Option<&[String]>,
    users: &Directory,
    at: RecordAt,
) -> Result<Option<BTreeSet<String>>, LoadError> {
    let Some(ids) = ids else {
        return Ok(None);
    };
    for id in ids {
        if users.user(id).is_none() {
            return Err(LoadError::record(at, format!("unknown user {id:?}")));
        }
    }
    Ok(Some(ids.iter().cloned().collect()))
}
