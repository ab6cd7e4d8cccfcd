//! Loading records into the tree and listing it back as records (`crate::store::records`).
//!
//! Records arrive checked on their own (names, numbering, content) by `crate::fixture`; what is
//! checked here is what depends on the tree: known users, free ids and paths, existing roots.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{folder_node, FileNode, Node, NodeKind, Tree};
use crate::store::accounts::{Directory, User};
use crate::store::comments::Comment;
use crate::store::domain::{Face, ItemId, Space, SpaceOwner, Trashed, Version};
use crate::store::locks::Lock;
use crate::store::metadata::{
    validate, Field, FieldOption, Instance, Scope, Template, MAX_INSTANCES, MAX_TEMPLATES,
};
use crate::store::records::{AssignmentRecord, TaskRecord};
use crate::store::records::{
    CollaborationRecord, CommentRecord, FieldRecord, FileRecord, InstanceRecord, ItemRecord,
    LoadError, LockRecord, OwnerRecord, RecordAt, Records, RootRecord, SharedLinkRecord,
    SpaceRecord, TemplateRecord, TrashedRecord, VersionRecord,
};
use crate::store::rules::{self, name_key, Entry};
use crate::store::shared_link::SharedLink;
use crate::store::sharing::{Collaboration, Grantee, Permission};
use crate::store::tasks::{Assignment, Task};
use crate::store::StoreError;

impl Tree {
    /// Adds groups, sites and spaces, keeping the ids they give; `users` resolves the user ids
    /// they name. Stops at the first refused record, leaving the tree part-changed: callers load
    /// into a copy.
    pub fn load(
        &mut self,
        records: &Records,
        users: &Directory,
        now: DateTime<Utc>,
    ) -> Result<(), LoadError> {
        self.load_org(&records.groups, &records.sites, users)?;
        self.load_templates(&records.templates)?;
        for (index, space) in records.spaces.iter().enumerate() {
            self.load_space(index, space, users, now)?;
        }
        Ok(())
    }

    fn load_space(
        &mut self,
        index: usize,
        record: &SpaceRecord,
        users: &Directory,
        now: DateTime<Utc>,
    ) -> Result<(), LoadError> {
        let space = self.record_space(index, record, users)?;
        let at_root = RecordAt::Root { space: index };
        let key = (record.face, space.owner.clone());
        let root = match (&record.root, self.roots.get(&key).copied()) {
            (Some(root), Some(existing)) if root.id != existing => {
                return Err(LoadError::record(
                    at_root,
                    format!("the space already has root {existing}"),
                ))
            }
            (Some(root), None) => {
                self.claim_item_id(root.id, at_root)?;
                let node = folder_node(&space, None, "root".to_owned(), root.created_at);
                self.insert_node(root.id, node);
                self.roots.insert(key, root.id);
                root.id
            }
            (_, _) => self.root_id(&space, now),
        };
        for (item, entry) in record.items.iter().enumerate() {
            let at = RecordAt::Item { space: index, item };
            self.load_item(&space, root, entry, users, now, at)?;
        }
        Ok(())
    }

    /// What `name` in `folder` is while loading: a live item, or else one trashed there on its
    /// own, since the items below a trashed folder are listed under its path. (Two trashed
    /// folders of one name in one folder load their contents into the older one.)
    fn entry_for_load(&self, space: &Space, folder: ItemId, name: &str) -> Entry<ItemId> {
        let key = name_key(name);
        // Straight from the folder's index: `entry` would refuse a folder in the trash.
        let live = match &self.items[&folder].kind {
            NodeKind::Folder(children) => children.get(&key).copied(),
            NodeKind::File(_) => None,
        };
        let trashed = live.iter().chain(&self.trash).find(|id| {
            let node = &self.items[id];
            node.parent == Some(folder) && node.owner == space.owner && name_key(&node.name) == key
        });
        match trashed.map(|id| (*id, &self.items[id].kind)) {
            Some((id, NodeKind::Folder(_))) => Entry::Folder(id),
            Some((id, NodeKind::File(_))) => Entry::File(id),
            None => Entry::Missing,
        }
    }

    fn claim_item_id(&mut self, id: ItemId, at: RecordAt) -> Result<(), LoadError> {
        if self.items.contains_key(&id) {
            return Err(LoadError::record(
                at,
                format!("item id {id} is already in use"),
            ));
        }
        self.counters.next_item = self.counters.next_item.max(id.0 + 1);
        Ok(())
    }

    fn load_item(
        &mut self,
        space: &Space,
        root: ItemId,
        record: &ItemRecord,
        users: &Directory,
        now: DateTime<Utc>,
        at: RecordAt,
    ) -> Result<(), LoadError> {
        let Some((name, parents)) = record.path.split_last() else {
            return Err(LoadError::record(at, "the path names no item"));
        };
        let walked = rules::walk(root, parents, true, |folder, segment| {
            self.entry_for_load(space, folder, segment)
        })
        .map_err(|e| match e {
            StoreError::NotAFolder => LoadError::record(at, "a folder on the path is a file"),
            e => LoadError::record(at, e.to_string()),
        })?;
        let folder = self.make_folders(space, walked.folder, walked.missing, now);
        // A trashed item's name may be taken in its folder by a live one (or another trashed one).
        if record.trashed.is_none() && self.child(space, folder, name).ok().flatten().is_some() {
            return Err(LoadError::record(
                at,
                "an item with this path already exists",
            ));
        }
        let id = match record.id {
            Some(id) => {
                self.claim_item_id(id, at)?;
                id
            }
            None => self.new_item_id(),
        };
        let created_by = user_ref(users, &record.created_by, at)?;
        let kind = match &record.file {
            None => NodeKind::Folder(Default::default()),
            Some(file) => NodeKind::File(self.load_file(id, file, users, at)?),
        };
        let node = Node {
            face: space.face,
            owner: space.owner.clone(),
            name: name.clone(),
            parent: Some(folder),
            created_at: record.created_at,
            created_by,
            modified_at: record.modified_at,
            modified_by: user_ref(users, &record.modified_by, at)?,
            revision: record.revision,
            content_revision: record.content_revision,
            trashed: match &record.trashed {
                Some(t) => Some(Trashed {
                    at: t.at,
                    by: user_ref(users, &t.by, at)?,
                }),
                None => None,
            },
            kind,
        };
        let lock = match &record.lock {
            Some(_) if record.file.is_none() => {
                return Err(LoadError::record(at, "only a file can be locked"));
            }
            Some(lock) => Some(Lock {
                id: lock.id.unwrap_or(0),
                by: (*user_ref(users, &lock.by, at)?).clone(),
                at: lock.at,
                expires: lock.expires,
                download_prevented: lock.download_prevented,
            }),
            None => None,
        };
        for by in &record.notes.favorited_by {
            user_ref(users, by, at)?;
        }
        self.insert_node(id, node);
        if !record.notes.is_empty() {
            self.sharing_mut().set_notes(id, record.notes.clone());
        }
        if !record.comments.is_empty() && record.file.is_none() {
            return Err(LoadError::record(at, "only a file has comments"));
        }
        for given in &record.comments {
            let by = (*user_ref(users, &given.by, at)?).clone();
            let sharing = self.sharing_mut();
            let comment_id = match given.id {
                Some(taken) if sharing.comment(taken).is_some() => {
                    return Err(LoadError::record(
                        at,
                        format!("comment id {taken} is taken"),
                    ));
                }
                Some(given) => {
                    sharing.claim_comment_id(given);
                    given
                }
                None => sharing.new_comment_id(),
            };
            sharing.set_comment(Comment {
                id: comment_id,
                file: id,
                reply: given.reply,
                message: given.message.clone(),
                tagged_message: given.tagged_message.clone(),
                by,
                created: given.created,
                modified: given.modified,
            });
        }
        if let Some(link) = &record.shared_link {
            self.load_shared_link(space, id, record.file.is_some(), link, users, at)?;
        }
        for instance in &record.metadata {
            self.load_instance(space, id, instance, at)?;
        }
        self.load_collaborations(space, id, record, users, at)?;
        self.load_tasks(record, id, users, at)?;
        if let Some(mut lock) = lock {
            let sharing = self.sharing_mut();
            match record.lock.as_ref().and_then(|l| l.id) {
                Some(given) => sharing.claim_lock_id(given),
                None => lock.id = sharing.new_lock_id(),
            }
            sharing.set_lock(id, Some(lock));
        }
        Ok(())
    }

    /// An item's Box shared link, its id kept (and claimed from the counter) when given.
    fn load_shared_link(
        &mut self,
        space: &Space,
        item: ItemId,
        is_file: bool,
        record: &SharedLinkRecord,
        users: &Directory,
        at: RecordAt,
    ) -> Result<(), LoadError> {
        if space.face != Face::Box {
            return Err(LoadError::record(at, "only a Box item has a shared link"));
        }
        let by = user_ref(users, &record.by, at)?.id.clone();
        let sharing = self.sharing_mut();
        let id = match &record.id {
            Some(taken) if sharing.id_in_use(taken) => {
                return Err(LoadError::record(
                    at,
                    format!("shared link id {taken:?} is already in use"),
                ));
            }
            Some(given) => {
                sharing.claim_link_id(given);
                given.clone()
            }
            None => sharing.new_id(),
        };
        let link = SharedLink {
            id,
            item,
            access: record.access,
            password: record.password.clone(),
            unshared_at: record.unshared_at,
            can_download: record.can_download,
            can_edit: record.can_edit,
            created_by: by,
        };
        link.check(is_file)
            .map_err(|e| LoadError::record(at, format!("shared link: {e}")))?;
        sharing.set_shared_link(item, Some(link));
        Ok(())
    }

    /// One metadata instance on an item: of a template the store has (loaded before the
    /// spaces), at most one per template, its values checked as `POST …/metadata` checks them.
    fn load_instance(
        &mut self,
        space: &Space,
        item: ItemId,
        record: &InstanceRecord,
        at: RecordAt,
    ) -> Result<(), LoadError> {
        let refuse = |message: String| LoadError::record(at, message);
        if space.face != Face::Box {
            return Err(refuse("only a Box item has metadata".to_owned()));
        }
        let state = self.sharing.metadata();
        let name = format!("{}.{}", record.scope.name(), record.template);
        let template = (state.template(record.scope, &record.template))
            .map_err(|_| refuse(format!("metadata {name}: no such template")))?;
        if state
            .instance(item, record.scope, &record.template)
            .is_some()
        {
            return Err(refuse(format!("metadata {name}: a second instance")));
        }
        if state.instances(item).len() >= MAX_INSTANCES {
            return Err(refuse(format!(
                "an item has at most {MAX_INSTANCES} metadata instances"
            )));
        }
        validate(&template, &record.values).map_err(|e| refuse(format!("metadata {name}: {e}")))?;
        if let Some(taken) = record.id.as_deref().filter(|id| state.id_in_use(id)) {
            return Err(refuse(format!("metadata id {taken:?} is already in use")));
        }
        let state = self.sharing_mut().metadata_mut();
        let id = match &record.id {
            Some(given) => {
                state.claim_id(given);
                given.clone()
            }
            None => state.new_id(),
        };
        state.put_instance(
            item,
            Instance {
                id,
                scope: record.scope,
                template: record.template.clone(),
                template_id: template.id,
                version: record.version,
                values: record.values.clone(),
            },
        );
        Ok(())
    }

    /// The enterprise's metadata templates, each new, their ids kept when given.
    fn load_templates(&mut self, templates: &[TemplateRecord]) -> Result<(), LoadError> {
        for (index, record) in templates.iter().enumerate() {
            let refuse = |message: String| LoadError::record(RecordAt::Template(index), message);
            let state = self.sharing.metadata();
            if state.template(Scope::Enterprise, &record.key).is_ok() {
                return Err(refuse("a template with this key already exists".to_owned()));
            }
            if state.template_count() >= MAX_TEMPLATES {
                return Err(refuse(format!(
                    "the emulator keeps at most {MAX_TEMPLATES} templates"
                )));
            }
            let given = (record.id.iter()).chain(record.fields.iter().flat_map(|f| {
                (f.id.iter()).chain(f.options.iter().filter_map(|(id, _)| id.as_ref()))
            }));
            let mut seen = HashSet::new();
            for id in given {
                if state.id_in_use(id) || !seen.insert(id) {
                    return Err(refuse(format!("metadata id {id:?} is already in use")));
                }
            }
            let state = self.sharing_mut().metadata_mut();
            let mut id = |given: &Option<String>| match given {
                Some(given) => {
                    state.claim_id(given);
                    given.clone()
                }
                None => state.new_id(),
            };
            let template_id = id(&record.id);
            let fields = (record.fields.iter())
                .map(|field| Field {
                    id: id(&field.id),
                    kind: field.kind,
                    key: field.key.clone(),
                    display_name: field.display_name.clone(),
                    description: field.description.clone(),
                    hidden: field.hidden,
                    options: (field.options.iter())
                        .map(|(option, key)| FieldOption {
                            id: id(option),
                            key: key.clone(),
                        })
                        .collect(),
                })
                .collect();
            state.insert_template(Template {
                id: template_id,
                scope: Scope::Enterprise,
                key: record.key.clone(),
                display_name: record.display_name.clone(),
                hidden: record.hidden,
                copy_instance_on_item_copy: record.copy_instance_on_item_copy,
                fields,
            });
        }
        Ok(())
    }

    /// The enterprise's metadata templates as records, by key.
    pub fn list_templates(&self) -> Vec<TemplateRecord> {
        (self.sharing.metadata().templates())
            .map(|t| TemplateRecord {
                id: Some(t.id.clone()),
                key: t.key.clone(),
                display_name: t.display_name.clone(),
                hidden: t.hidden,
                copy_instance_on_item_copy: t.copy_instance_on_item_copy,
                fields: (t.fields.iter())
                    .map(|f| FieldRecord {
                        id: Some(f.id.clone()),
                        kind: f.kind,
                        key: f.key.clone(),
                        display_name: f.display_name.clone(),
                        description: f.description.clone(),
                        hidden: f.hidden,
                        options: (f.options.iter())
                            .map(|o| (Some(o.id.clone()), o.key.clone()))
                            .collect(),
                    })
                    .collect(),
            })
            .collect()
    }

    fn load_file(
        &mut self,
        file_id: ItemId,
        record: &FileRecord,
        users: &Directory,
        at: RecordAt,
    ) -> Result<FileNode, LoadError> {
        let RecordAt::Item { space, item } = at else {
            unreachable!("files are items")
        };
        let mut versions: Vec<Arc<Version>> = Vec::with_capacity(record.versions.len());
        let mut seen = HashSet::new();
        for (index, v) in record.versions.iter().enumerate() {
            let at = RecordAt::Version {
                space,
                item,
                version: index,
            };
            let id = match v.id {
                Some(id) if self.version_index.contains_key(&id) || !seen.insert(id) => {
                    return Err(LoadError::record(
                        at,
                        format!("version id {id} is already in use"),
                    ))
                }
                Some(id) => {
                    self.counters.next_version = self.counters.next_version.max(id.0 + 1);
                    id
                }
                None => self.new_version_id(),
            };
            let optional =
                |user: &Option<String>| user.as_ref().map(|u| user_ref(users, u, at)).transpose();
            let version = Version {
                id,
                number: v.number,
                minor: v.minor,
                content: self.intern_shared(&v.content),
                name: Arc::from(v.name.as_str()),
                created_at: v.created_at,
                created_by: user_ref(users, &v.created_by, at)?,
                trashed_at: v.trashed_at,
                trashed_by: optional(&v.trashed_by)?,
                restored_at: v.restored_at,
                restored_by: optional(&v.restored_by)?,
                restored_from: v.restored_from,
            };
            self.version_index.insert(id, (file_id, versions.len()));
            versions.push(Arc::new(version));
        }
        Ok(FileNode {
            versions,
            mime_type: record.mime_type.clone(),
            content_created_at: record.content_created_at,
            content_modified_at: record.content_modified_at,
        })
    }

    /// The space a record names, with who makes its root and missing folders: the owning user,
    /// or for a library, the root's author or else the first item's.
    fn record_space(
        &self,
        index: usize,
        record: &SpaceRecord,
        users: &Directory,
    ) -> Result<Space, LoadError> {
        let at = RecordAt::Owner { space: index };
        match &record.owner {
            OwnerRecord::User(owner) => {
                let owner = users
                    .user(owner)
                    .cloned()
                    .ok_or_else(|| LoadError::record(at, format!("unknown user {owner:?}")))?;
                Ok(Space::own(record.face, owner))
            }
            OwnerRecord::Library { site, library } => {
                if record.face != Face::Graph {
                    return Err(LoadError::record(at, "only a Graph space can be a library"));
                }
                let drive = self.org.library_named(site, library).ok_or_else(|| {
                    LoadError::record(at, format!("site {site:?} has no library {library:?}"))
                })?;
                let author = (record.root.as_ref().and_then(|r| r.created_by.as_ref()))
                    .or_else(|| record.items.first().map(|item| &item.created_by));
                let Some(author) = author else {
                    let at = RecordAt::Root { space: index };
                    return Err(LoadError::record(at, "a library's root needs created_by"));
                };
                let actor = user_ref(users, author, RecordAt::Root { space: index })?;
                Ok(Space::shared(Arc::from(drive.id.as_str()), actor))
            }
        }
    }

    /// Every space (or one user's own), sorted by face and owner, items parent first and
    /// siblings by name: the same tree lists the same way every time.
    pub fn list(&self, only: Option<&str>) -> Vec<SpaceRecord> {
        let mut roots: Vec<(&(Face, SpaceOwner), &ItemId)> = self
            .roots
            .iter()
            .filter(|((_, owner), _)| {
                only.is_none_or(|only| owner.user().is_some_and(|u| u.id == only))
            })
            .collect();
        roots.sort();
        let trashed_in = self.trashed_by_folder();
        roots
            .into_iter()
            .filter_map(|((face, owner), root)| {
                let root_node = &self.items[root];
                let (owner, created_by) = match owner {
                    SpaceOwner::User(user) => (OwnerRecord::User(user.id.clone()), None),
                    SpaceOwner::Drive(drive) => {
                        let library = self.org.library(drive)?;
                        let site = self.org.site(&library.site)?;
                        let owner = OwnerRecord::Library {
                            site: site.name.clone(),
                            library: library.name.clone(),
                        };
                        (owner, Some(root_node.created_by.id.clone()))
                    }
                };
                let mut items = Vec::new();
                self.list_children(*root, &trashed_in, &mut items);
                Some(SpaceRecord {
                    face: *face,
                    owner,
                    root: Some(RootRecord {
                        id: *root,
                        created_at: root_node.created_at,
                        created_by,
                    }),
                    items,
                })
            })
            .collect()
    }

    /// The records of everything below `top`, each folder before what it holds: in a folder,
    /// live children by name, then those trashed on their own there (`trashed_in`), by id. A
    /// work list rather than recursion, so that a deep folder cannot exhaust the stack.
    fn list_children(
        &self,
        top: ItemId,
        trashed_in: &HashMap<ItemId, Vec<ItemId>>,
        out: &mut Vec<ItemRecord>,
    ) {
        // Each item waiting, with the path of the folder it is in.
        let mut pending: Vec<(ItemId, Vec<String>)> = Vec::new();
        let hold = |pending: &mut Vec<(ItemId, Vec<String>)>, folder: ItemId, path: &[String]| {
            let NodeKind::Folder(children) = &self.items[&folder].kind else {
                return;
            };
            let trashed = trashed_in.get(&folder).into_iter().flatten();
            let from = pending.len();
            pending.extend(
                children
                    .values()
                    .chain(trashed)
                    .map(|c| (*c, path.to_vec())),
            );
            pending[from..].reverse();
        };
        hold(&mut pending, top, &[]);
        while let Some((child, mut path)) = pending.pop() {
            let child = &child;
            let node = &self.items[child];
            path.push(node.name.clone());
            let file = match &node.kind {
                NodeKind::Folder(_) => None,
                NodeKind::File(file) => Some(FileRecord {
                    mime_type: file.mime_type.clone(),
                    content_created_at: file.content_created_at,
                    content_modified_at: file.content_modified_at,
                    versions: file.versions.iter().map(|v| version_record(v)).collect(),
                }),
            };
            let is_folder = file.is_none();
            out.push(ItemRecord {
                path: path.clone(),
                id: Some(*child),
                created_at: node.created_at,
                created_by: node.created_by.id.clone(),
                modified_at: node.modified_at,
                modified_by: node.modified_by.id.clone(),
                revision: node.revision,
                content_revision: node.content_revision,
                trashed: node.trashed.as_ref().map(|t| TrashedRecord {
                    at: t.at,
                    by: t.by.id.clone(),
                }),
                file,
                notes: self.sharing.notes(*child).cloned().unwrap_or_default(),
                lock: self.sharing.lock(*child).map(|lock| LockRecord {
                    id: Some(lock.id),
                    by: lock.by.id.clone(),
                    at: lock.at,
                    expires: lock.expires,
                    download_prevented: lock.download_prevented,
                }),
                tasks: self.task_records(*child),
                comments: (self.sharing.comments_on(*child))
                    .map(|c| CommentRecord {
                        id: Some(c.id),
                        reply: c.reply,
                        message: c.message.clone(),
                        tagged_message: c.tagged_message.clone(),
                        by: c.by.id.clone(),
                        created: c.created,
                        modified: c.modified,
                    })
                    .collect(),
                shared_link: self
                    .sharing
                    .shared_link(*child)
                    .map(|link| SharedLinkRecord {
                        id: Some(link.id.clone()),
                        access: link.access,
                        password: link.password.clone(),
                        unshared_at: link.unshared_at,
                        can_download: link.can_download,
                        can_edit: link.can_edit,
                        by: link.created_by.clone(),
                    }),
                metadata: (self.sharing.metadata().instances(*child).iter())
                    .map(|i| InstanceRecord {
                        id: Some(i.id.clone()),
                        scope: i.scope,
                        template: i.template.clone(),
                        version: i.version,
                        values: i.values.clone(),
                    })
                    .collect(),
                collaborations: self.collaboration_records(*child),
            });
            if is_folder {
                hold(&mut pending, *child, &path);
            }
        }
    }
}

impl Tree {
    /// The collaborations a record gives its item: Box items only, each collaborator once, ids
    /// free.
    fn load_collaborations(
        &mut self,
        space: &Space,
        item: ItemId,
        record: &ItemRecord,
        users: &Directory,
        at: RecordAt,
    ) -> Result<(), LoadError> {
        if !record.collaborations.is_empty() && space.face != Face::Box {
            return Err(LoadError::record(at, "only a Box item has collaborations"));
        }
        let mut seen = HashSet::new();
        for given in &record.collaborations {
            let user = match (&given.user, &given.invite_email) {
                (Some(user), _) => (*user_ref(users, user, at)?).clone(),
                (None, Some(email)) => User {
                    id: String::new(),
                    name: String::new(),
                    login: email.clone(),
                },
                (None, None) => {
                    return Err(LoadError::record(
                        at,
                        "a collaboration names a user or an invite_email",
                    ))
                }
            };
            if user.id == space.owner.id() || !seen.insert(user.login.to_lowercase()) {
                return Err(LoadError::record(
                    at,
                    format!("{} already collaborates on this item", user.login),
                ));
            }
            user_ref(users, &given.by, at)?;
            let sharing = self.sharing_mut();
            let id = match given.id {
                Some(taken) if sharing.permission(&taken.to_string()).is_some() => {
                    return Err(LoadError::record(
                        at,
                        format!("collaboration id {taken} is taken"),
                    ));
                }
                Some(given) => {
                    sharing.claim_collab_id(given);
                    given.to_string()
                }
                None => sharing.new_collab_id(),
            };
            sharing.insert(Permission {
                id,
                item,
                role: given.role.role(),
                grantee: Grantee::Invitation {
                    email: user.login.clone(),
                    user,
                    sign_in_required: true,
                },
                expires: given.expires,
                created_by: given.by.clone(),
                collab: Some(Collaboration {
                    box_role: given.role,
                    status: given.status,
                    created_at: given.created,
                    modified_at: given.modified,
                    acknowledged_at: given.acknowledged,
                    is_access_only: given.is_access_only,
                    can_view_path: given.can_view_path,
                }),
            });
        }
        Ok(())
    }

    /// A file's tasks from its record: each id not taken, each user known, each assignment's
    /// state one its task's action has.
    fn load_tasks(
        &mut self,
        record: &ItemRecord,
        file: ItemId,
        users: &Directory,
        at: RecordAt,
    ) -> Result<(), LoadError> {
        if !record.tasks.is_empty() && record.file.is_none() {
            return Err(LoadError::record(at, "only a file has tasks"));
        }
        for given in &record.tasks {
            let by = (*user_ref(users, &given.by, at)?).clone();
            let tasks = self.sharing_mut().tasks_mut();
            let task_id = match given.id {
                Some(taken) if tasks.task(taken).is_some() => {
                    return Err(LoadError::record(at, format!("task id {taken} is taken")));
                }
                Some(given) => {
                    tasks.claim_ids(given, 0);
                    given
                }
                None => tasks.new_task_id(),
            };
            tasks.set_task(Task {
                id: task_id,
                file,
                action: given.action,
                message: given.message.clone(),
                due_at: given.due_at,
                completion_rule: given.completion_rule,
                by,
                created: given.created,
            });
            for assignment in &given.assignments {
                if !assignment.resolution.fits(given.action) {
                    return Err(LoadError::record(
                        at,
                        "an assignment's resolution_state does not fit its task's action",
                    ));
                }
                let to = (*user_ref(users, &assignment.to, at)?).clone();
                let assigned_by = (*user_ref(users, &assignment.by, at)?).clone();
                let tasks = self.sharing_mut().tasks_mut();
                let assignment_id = match assignment.id {
                    Some(taken) if tasks.assignment(taken).is_some() => {
                        return Err(LoadError::record(
                            at,
                            format!("task assignment id {taken} is taken"),
                        ));
                    }
                    Some(given) => {
                        tasks.claim_ids(0, given);
                        given
                    }
                    None => tasks.new_assignment_id(),
                };
                tasks.set_assignment(Assignment {
                    id: assignment_id,
                    task: task_id,
                    file,
                    assigned_to: to,
                    assigned_by,
                    message: assignment.message.clone(),
                    resolution: assignment.resolution,
                    assigned_at: assignment.assigned,
                    completed_at: assignment.completed,
                });
            }
        }
        Ok(())
    }

    /// The collaborations set on an item, oldest first, as records.
    fn collaboration_records(&self, item: ItemId) -> Vec<CollaborationRecord> {
        (self.collaborations_made_on(item).into_iter())
            .filter_map(|p| {
                let collab = p.collab.as_ref()?;
                let Grantee::Invitation { user, email, .. } = &p.grantee else {
                    return None;
                };
                Some(CollaborationRecord {
                    id: p.id.parse().ok(),
                    user: (!user.id.is_empty()).then(|| user.id.clone()),
                    invite_email: user.id.is_empty().then(|| email.clone()),
                    role: collab.box_role,
                    status: collab.status,
                    by: p.created_by.clone(),
                    created: collab.created_at,
                    modified: collab.modified_at,
                    acknowledged: collab.acknowledged_at,
                    expires: p.expires,
                    is_access_only: collab.is_access_only,
                    can_view_path: collab.can_view_path,
                })
            })
            .collect()
    }

    /// A file's tasks as records, oldest first, with their assignments.
    fn task_records(&self, file: ItemId) -> Vec<TaskRecord> {
        let tasks = self.sharing.tasks();
        (tasks.tasks_on(file))
            .map(|t| TaskRecord {
                id: Some(t.id),
                action: t.action,
                message: t.message.clone(),
                due_at: t.due_at,
                completion_rule: t.completion_rule,
                by: t.by.id.clone(),
                created: t.created,
                assignments: (tasks.assignments_of(t.id))
                    .map(|a| AssignmentRecord {
                        id: Some(a.id),
                        to: a.assigned_to.id.clone(),
                        by: a.assigned_by.id.clone(),
                        message: a.message.clone(),
                        resolution: a.resolution,
                        assigned: a.assigned_at,
                        completed: a.completed_at,
                    })
                    .collect(),
            })
            .collect()
    }
}

fn user_ref(users: &Directory, id: &str, at: RecordAt) -> Result<Arc<User>, LoadError> {
    users
        .user(id)
        .cloned()
        .ok_or_else(|| LoadError::record(at, format!("unknown user {id:?}")))
}

fn version_record(v: &Version) -> VersionRecord {
    VersionRecord {
        id: Some(v.id),
        number: v.number,
        minor: v.minor,
        content: v.content.clone(),
        name: v.name.to_string(),
        created_at: v.created_at,
        created_by: v.created_by.id.clone(),
        trashed_at: v.trashed_at,
        trashed_by: v.trashed_by.as_ref().map(|u| u.id.clone()),
        restored_at: v.restored_at,
        restored_by: v.restored_by.as_ref().map(|u| u.id.clone()),
        restored_from: v.restored_from,
    }
}
