//! The `lock`, `description`, `tags` and `collections` of `PUT /files/{id}` and `PUT
//! /folders/{id}`, read into one store edit with Box's limits
//! (<https://developer.box.com/reference/put-files-id/>: a description of at most 256
//! characters, at most 100 tags), and the download refusal a lock with
//! `is_download_prevented` makes.
//!
//! `collections` is the list of the caller's collections the item is to be in: with the
//! caller's Favorites (`[{"id": …}]`, `super::collections`) it puts the item there, `[]` takes
//! it out, `null` leaves it; any other collection id is refused (`400 bad_request`), as the
//! caller has no other collection.
//!
//! Box's clients write a lock two ways, and both are taken: `{"access": "lock", ...}` (the spec,
//! box_sdk_gen's `UpdateFileByIdLock`) and `{"type": "lock", ...}` (the legacy Node and Python
//! SDKs' `lock()`). `{"lock": null}` unlocks; a key left out leaves the item as it is.

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::box_api::errors::BoxApiError;
use crate::box_api::multipart::parse_date;
use crate::store::{ItemEdit, ItemView, LockEdit, NewLock, User};

/// Box's longest description (`maxLength` of `description` in the spec).
const MAX_DESCRIPTION: usize = 256;
/// Box's most tags on one item ("a limit of 100 tags per item", the spec's `tags`).
const MAX_TAGS: usize = 100;

/// The three keys as sent: `None` when left out, `Some(Value::Null)` for an explicit `null`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ItemKeys {
    #[serde(default, deserialize_with = "present")]
    description: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    tags: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    lock: Option<Value>,
    collections: Option<Value>,
}

/// Keeps a key's `null` apart from its absence (serde reads both as `None` otherwise).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

impl ItemKeys {
    /// The store edit the keys ask for, from a caller whose Favorites collection has the id
    /// `favorites`; 400 `bad_request` naming the key that breaks a rule. A `null` description
    /// or tags leaves them as they are; `""` and `[]` clear them.
    pub fn edit(self, favorites: &str) -> Result<ItemEdit, BoxApiError> {
        let description = match self.description {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) if text.chars().count() <= MAX_DESCRIPTION => Some(text),
            Some(Value::String(_)) => {
                return Err(BoxApiError::invalid(
                    "description",
                    format!("A description may be at most {MAX_DESCRIPTION} characters long."),
                ))
            }
            Some(_) => return Err(BoxApiError::invalid("description", "Expected a string.")),
        };
        let tags = match self.tags {
            None | Some(Value::Null) => None,
            Some(Value::Array(list)) if list.len() > MAX_TAGS => {
                return Err(BoxApiError::invalid(
                    "tags",
                    format!("An item may have at most {MAX_TAGS} tags."),
                ))
            }
            Some(Value::Array(list)) => Some(
                (list.into_iter())
                    .map(|tag| match tag {
                        Value::String(tag) => Ok(tag),
                        _ => Err(BoxApiError::invalid("tags", "Every tag must be a string.")),
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            Some(_) => {
                return Err(BoxApiError::invalid(
                    "tags",
                    "Expected an array of strings.",
                ))
            }
        };
        let lock = match self.lock {
            None => LockEdit::Keep,
            Some(Value::Null) => LockEdit::Unlock,
            Some(Value::Object(lock)) => LockEdit::Lock(new_lock(&lock)?),
            Some(_) => {
                return Err(BoxApiError::invalid(
                    "lock",
                    "Expected an object, or null to unlock.",
                ))
            }
        };
        Ok(ItemEdit {
            description,
            tags,
            lock,
            favorite: self
                .collections
                .map(|c| favorite(c, favorites))
                .transpose()?,
            shared_link: None,
        })
    }
}

/// Whether `collections` puts the item in the caller's Favorites (`true`) or takes it out.
fn favorite(collections: Value, favorites: &str) -> Result<bool, BoxApiError> {
    let Value::Array(list) = collections else {
        return Err(BoxApiError::invalid(
            "collections",
            "Expected an array of collections, each {\"id\": …}.",
        ));
    };
    for entry in &list {
        let id = match entry.get("id") {
            Some(Value::String(id)) => id.clone(),
            Some(Value::Number(id)) => id.to_string(),
            _ => {
                return Err(BoxApiError::invalid(
                    "collections",
                    "Every collection must be an object with an id.",
                ))
            }
        };
        if id != favorites {
            return Err(BoxApiError::invalid(
                "collections",
                format!(
                    "Invalid value '{id}'. The only collection is the caller's Favorites, \
                     '{favorites}' (GET /2.0/collections)."
                ),
            ));
        }
    }
    Ok(!list.is_empty())
}

fn new_lock(lock: &Map<String, Value>) -> Result<NewLock, BoxApiError> {
    match lock.get("access").or_else(|| lock.get("type")) {
        None | Some(Value::Null) => {}
        Some(Value::String(access)) if access == "lock" => {}
        Some(other) => {
            return Err(BoxApiError::invalid(
                "access",
                format!("Invalid value {other}. Only 'lock' is allowed."),
            ))
        }
    }
    let expires = match lock.get("expires_at") {
        None | Some(Value::Null) => None,
        Some(Value::String(at)) => Some(parse_date(at).ok_or_else(|| {
            BoxApiError::invalid("expires_at", format!("{at:?} is not an ISO 8601 date."))
        })?),
        Some(_) => return Err(BoxApiError::invalid("expires_at", "Expected a date.")),
    };
    // The legacy SDKs' `lock(prevent_download=False)` default.
    let download_prevented = match lock.get("is_download_prevented") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(prevented)) => *prevented,
        Some(_) => {
            return Err(BoxApiError::invalid(
                "is_download_prevented",
                "Expected true or false.",
            ))
        }
    };
    Ok(NewLock {
        expires,
        download_prevented,
    })
}

/// Refuses a download of a file another user locked with `is_download_prevented` (403
/// `access_denied_item_locked`, the code Box gives every refusal a lock makes; Box does not
/// document this one).
pub(crate) fn check_download(item: &ItemView, caller: &User) -> Result<(), BoxApiError> {
    match &item.lock {
        Some(lock) if lock.download_prevented && lock.by.id != caller.id => {
            Err(BoxApiError::AccessDeniedItemLocked)
        }
        _ => Ok(()),
    }
}
