//! The keys of `PUT /files/{id}` and `PUT /folders/{id}` that Box keeps but the emulator does not
//! yet: `description`, `tags`, `collections` and `lock`. A request that would
//! change one is refused whole (`400 bad_request` naming the key, nothing renamed or moved), so
//! that no client is told a change was made that was not: a `{"shared_link": {}}` that answered
//! `200` with `shared_link: null` handed rclone an empty link and a success. A value that asks
//! for what every item already is (`null`, `""`, `[]`) is taken, as Box would take it.

use serde::Deserialize;
use serde_json::Value;

use crate::box_api::errors::BoxApiError;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct UnkeptKeys {
    description: Option<Value>,
    tags: Option<Value>,
    collections: Option<Value>,
    lock: Option<Value>,
}

impl UnkeptKeys {
    /// `Err` naming the first key that would change the item. (`null` arrives as `None`.)
    pub fn refuse_changes(&self) -> Result<(), BoxApiError> {
        let keys = [
            ("description", &self.description),
            ("tags", &self.tags),
            ("collections", &self.collections),
            ("lock", &self.lock),
        ];
        for (name, value) in keys {
            let unchanged = match value {
                None => true,
                Some(Value::String(text)) => text.is_empty() && name == "description",
                Some(Value::Array(list)) => list.is_empty() && name != "description",
                Some(_) => false,
            };
            if !unchanged {
                return Err(BoxApiError::invalid(
                    name,
                    format!(
                        "The emulator does not keep '{name}' yet; nothing was changed. \
                         Only null (or an empty value) is taken."
                    ),
                ));
            }
        }
        Ok(())
    }
}
