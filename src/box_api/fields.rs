//! The `fields` query parameter (reference §5.8): the reply holds the requested fields plus a base
//! set (`type`, `id`, `etag` for a file; `type`, `id` for a version); unknown names are ignored.

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub(crate) const FILE_BASE: &[&str] = &["type", "id", "etag"];
pub(crate) const VERSION_BASE: &[&str] = &["type", "id"];

/// The query of the endpoints that take `fields` and nothing else.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct FieldsQuery {
    pub fields: Option<String>,
}

impl FieldsQuery {
    pub fn fields(&self) -> Option<Fields<'_>> {
        Fields::parse(self.fields.as_deref())
    }
}

/// The names a `fields` parameter asked for. The query extractor has already percent-decoded it,
/// so the SDK's `id%2Cversion_number` arrives as `id,version_number`.
#[derive(Debug, Clone)]
pub(crate) struct Fields<'a>(Vec<&'a str>);

impl<'a> Fields<'a> {
    /// `None` when the parameter is absent or names nothing: then the default representation.
    pub fn parse(raw: Option<&'a str>) -> Option<Self> {
        let names: Vec<&str> = raw?
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .collect();
        (!names.is_empty()).then_some(Self(names))
    }

    /// `value` cut down to the requested fields and `base`.
    pub fn project(&self, value: &impl Serialize, base: &[&str]) -> Value {
        match serde_json::to_value(value) {
            Ok(Value::Object(mut map)) => {
                map.retain(|key, _| base.contains(&key.as_str()) || self.0.contains(&key.as_str()));
                Value::Object(map)
            }
            Ok(other) => other,
            // The face's own types always serialize; this arm only keeps the reply total.
            Err(_) => Value::Null,
        }
    }
}
