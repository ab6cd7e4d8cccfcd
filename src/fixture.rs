//! The fixture format: users, folders and files with whole version histories, for both faces.
//!
//! The same document seeds a server (`--fixtures`, `POST /__admin/fixtures`) and comes back from
//! `GET /__admin/state`, so an export loaded into an empty server gives back an equal state. Every
//! field but a file's content may be left out when seeding; the store fills in the rest.

use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::store::{Face, ItemId, VersionId};

/// A whole fixture document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<FixtureUser>,
    /// One entry per user's space: a Graph drive or a Box account.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spaces: Vec<FixtureSpace>,
}

/// A user and the tokens that sign in as them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureUser {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tokens: Vec<String>,
    /// The scopes those tokens hold (`Files.ReadWrite`, `root_readonly`, …); absent means all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
}

/// One user's files on one face.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureSpace {
    pub face: Face,
    /// The owning user's id; the user must be listed in `users` or already known to the server.
    pub owner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root: Option<FixtureRoot>,
    /// Folders and files, each after the folder that holds it.
    #[serde(default)]
    pub items: Vec<FixtureItem>,
}

/// The root folder's own id and date, kept so that exported ids come back the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureRoot {
    pub id: ItemId,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FixtureItemType {
    Folder,
    File,
}

/// A folder or file, placed by its path from the root (`Documents/report.txt`). Missing parent
/// folders are made on the way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureItem {
    #[serde(rename = "type")]
    pub kind: FixtureItemType,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<ItemId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_by: Option<String>,
    /// The change counter behind Box's etag and Graph's eTag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<u64>,
    /// The content change counter behind Graph's cTag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_revision: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_modified_at: Option<DateTime<Utc>>,
    /// Oldest first; the last one is current. Files need at least one; folders have none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<FixtureVersion>,
}

/// One version. Its content is given as `text` or as `base64`, exactly one of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureVersion {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<VersionId>,
    /// The version's number (Box `version_number`, Graph label `N.0`); numbers must rise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base64: Option<String>,
    /// The file's name when this version was made; defaults to the item's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trashed_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trashed_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restored_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restored_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restored_from: Option<VersionId>,
}

impl Fixture {
    /// Reads a fixture document. Only a JSON object is one: serde would also take an array as a
    /// struct's fields in order, which no one writing a fixture means.
    pub fn from_json(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        let value: serde_json::Value = serde_json::from_slice(bytes)?;
        if !value.is_object() {
            return Err(serde::de::Error::custom("a fixture is a JSON object"));
        }
        serde_json::from_value(value)
    }
}

impl FixtureItem {
    /// A file at `path` with these versions (oldest first) and every optional field left to the
    /// store: the short way to build a fixture in Rust.
    pub fn file(path: impl Into<String>, versions: Vec<FixtureVersion>) -> Self {
        Self {
            kind: FixtureItemType::File,
            versions,
            ..Self::folder(path)
        }
    }

    /// A folder at `path`, every optional field left to the store.
    pub fn folder(path: impl Into<String>) -> Self {
        Self {
            kind: FixtureItemType::Folder,
            path: path.into(),
            id: None,
            created_at: None,
            created_by: None,
            modified_at: None,
            modified_by: None,
            revision: None,
            content_revision: None,
            mime_type: None,
            content_created_at: None,
            content_modified_at: None,
            versions: Vec::new(),
        }
    }
}

impl FixtureVersion {
    /// A version whose content is `text`, every other field left to the store.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::default()
        }
    }

    /// The version's bytes, from whichever of `text` and `base64` is given.
    pub fn bytes(&self) -> Result<Vec<u8>, String> {
        match (&self.text, &self.base64) {
            (Some(text), None) => Ok(text.as_bytes().to_vec()),
            (None, Some(encoded)) => base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .map_err(|e| format!("base64 content does not decode: {e}")),
            (Some(_), Some(_)) => Err("give the content as text or as base64, not both".to_owned()),
            (None, None) => Err("the version has no content (text or base64)".to_owned()),
        }
    }

    /// Sets the content the way an export writes it: text when it is UTF-8, base64 otherwise.
    pub fn set_bytes(&mut self, bytes: &[u8]) {
        match std::str::from_utf8(bytes) {
            Ok(text) => {
                self.text = Some(text.to_owned());
                self.base64 = None;
            }
            Err(_) => {
                self.text = None;
                self.base64 = Some(base64::engine::general_purpose::STANDARD.encode(bytes));
            }
        }
    }
}

/// Why a fixture was refused; nothing of it was applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{entry}: {message}")]
pub struct FixtureError {
    /// Where in the document, e.g. `spaces[0].items[2].versions[1]`.
    pub entry: String,
    pub message: String,
}

impl FixtureError {
    pub fn new(entry: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            entry: entry.into(),
            message: message.into(),
        }
    }
}
