//! The keys of `PUT /files/{id}` and `PUT /folders/{id}` that Box keeps but the emulator does not
//! yet: `collections`. A request that would change it is refused whole (`400 bad_request` naming
//! the key, nothing renamed or moved), so that no client is told a change was made that was not,
//! as a `{"shared_link": {}}` that answered `200` with `shared_link: null` once handed rclone an
//! empty link and a success. A value that asks for what every item already is (`null`, `[]`) is
//! taken, as Box would take it. (`description`, `tags` and `lock` are kept: `locks`; shared links:
//! `shared_links`.)

use serde::Deserialize;
use serde_json::Value;

use crate::box_api::errors::BoxApiError;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct UnkeptKeys {
    collections: Option<Value>,
}

impl UnkeptKeys {
    /// `Err` naming the first key that would change the item. (`null` arrives as `None`.)
    pub fn refuse_changes(&self) -> Result<(), BoxApiError> {
        let keys = [("collections", &self.collections)];
        for (name, value) in keys {
            let unchanged = match value {
                None => true,
                Some(Value::Array(list)) => list.is_empty(),
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
