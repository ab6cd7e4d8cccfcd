//! Graph's `permission` (<https://learn.microsoft.com/en-us/graph/api/resources/permission>)
//! with its `sharingLink` and `sharingInvitation`, and the `publication` facet
//! (<https://learn.microsoft.com/en-us/graph/api/resources/publicationfacet>).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{graph_time, IdentitySet, Label, Links};
use crate::store::sharing::{Grantee, LinkKind, LinkScope, Role};
use crate::store::{ItemView, PermissionView};

/// A permission, owning what it shows.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Permission {
    pub id: String,
    pub roles: [&'static str; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<SharingLink>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub granted_to_v2: Option<Granted>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invitation: Option<Invitation>,
    /// The folder an inherited permission is set on (the permission resource's
    /// `inheritedFrom`), so a client can tell which ones it may change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inherited_from: Option<Inherited>,
    #[serde(
        serialize_with = "option_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub expiration_date_time: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SharingLink {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub scope: &'static str,
    pub web_url: String,
    pub prevents_download: bool,
}

#[derive(Debug, Serialize)]
pub(crate) struct Granted {
    pub user: GrantedUser,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct GrantedUser {
    pub id: String,
    pub display_name: String,
    pub email: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Invitation {
    pub email: String,
    pub sign_in_required: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Inherited {
    pub drive_id: String,
    pub id: String,
}

fn option_time<S: serde::Serializer>(
    at: &Option<DateTime<Utc>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => graph_time(at, serializer),
        None => serializer.serialize_none(),
    }
}

pub(crate) fn role_name(role: Role) -> &'static str {
    match role {
        Role::Read => "read",
        Role::Write => "write",
    }
}

pub(crate) fn link_kind_name(kind: LinkKind) -> &'static str {
    match kind {
        LinkKind::View => "view",
        LinkKind::Edit => "edit",
        LinkKind::Embed => "embed",
    }
}

pub(crate) fn link_scope_name(scope: LinkScope) -> &'static str {
    match scope {
        LinkScope::Anonymous => "anonymous",
        LinkScope::Organization => "organization",
        LinkScope::Users => "users",
    }
}

impl Permission {
    pub fn new(view: &PermissionView, links: &Links<'_>) -> Self {
        let permission = &view.permission;
        let (link, share_id, granted_to_v2, invitation) = match &permission.grantee {
            Grantee::Link { kind, scope } => {
                let token = links.signer.share_token(&permission.id);
                (
                    Some(SharingLink {
                        kind: link_kind_name(*kind),
                        scope: link_scope_name(*scope),
                        web_url: format!("{}/_share/{token}", links.origin),
                        prevents_download: false,
                    }),
                    Some(format!("s!{token}")),
                    None,
                    None,
                )
            }
            Grantee::Invitation {
                user,
                email,
                sign_in_required,
            } => (
                None,
                None,
                Some(Granted {
                    user: GrantedUser {
                        id: user.id.clone(),
                        display_name: user.name.clone(),
                        email: user.login.clone(),
                    },
                }),
                Some(Invitation {
                    email: email.clone(),
                    sign_in_required: *sign_in_required,
                }),
            ),
        };
        Self {
            id: permission.id.clone(),
            roles: [role_name(permission.role)],
            link,
            share_id,
            granted_to_v2,
            invitation,
            inherited_from: view.inherited_from.map(|id| Inherited {
                drive_id: links.drive.id.clone(),
                id: id.to_string(),
            }),
            expiration_date_time: permission.expires,
        }
    }
}

/// The `publication` facet of a file: `checkout` while someone has it out, else `draft` when
/// the current version is a minor one and `published` when it is a major one (`draft` is not in
/// <https://learn.microsoft.com/en-us/graph/api/resources/publicationfacet> but is reported in
/// <https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/312>); `versionId` is
/// the current version as the caller sees it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Publication<'a> {
    pub level: &'static str,
    pub version_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checked_out_by: Option<IdentitySet<'a>>,
}

impl<'a> Publication<'a> {
    pub fn of(item: &'a ItemView) -> Option<Self> {
        let file = item.file()?;
        Some(Self {
            level: match (&file.checked_out_by, file.current.minor) {
                (Some(_), _) => "checkout",
                (None, 0) => "published",
                (None, _) => "draft",
            },
            version_id: Label::of(&file.current).to_string(),
            checked_out_by: file.checked_out_by.as_deref().map(IdentitySet::from),
        })
    }
}
