//! The `fields` query parameter
//! (<https://developer.box.com/guides/api-calls/request-extra-fields/>): the reply holds the
//! requested fields plus a base set (`type`, `id`, `etag` for a file or folder; `type`, `id` for a
//! version or comment); unknown names are ignored.

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub(crate) const FILE_BASE: &[&str] = &["type", "id", "etag"];
pub(crate) const VERSION_BASE: &[&str] = &["type", "id"];
pub(crate) const COMMENT_BASE: &[&str] = &["type", "id"];

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

    /// Whether `name` is one of the requested fields.
    pub fn names(&self, name: &str) -> bool {
        self.0.contains(&name)
    }

    /// The `(scope, template key)` of each `metadata.<scope>.<templateKey>` asked for.
    pub fn metadata(&self) -> impl Iterator<Item = (&'a str, &'a str)> + '_ {
        (self.0.iter()).filter_map(|name| name.strip_prefix("metadata.")?.split_once('.'))
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

/// A reply body, or one entry of a listing: the standard representation as it is when the
/// request named no `fields`, else cut to them.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum Shaped<T> {
    Standard(T),
    Projected(Value),
}

/// `value` as the reply holds it, given the request's `fields` and the object's `base` set.
pub(crate) fn shape<T: Serialize>(
    fields: Option<&Fields<'_>>,
    value: T,
    base: &[&str],
) -> Shaped<T> {
    match fields {
        None => Shaped::Standard(value),
        Some(fields) => Shaped::Projected(fields.project(&value, base)),
    }
}
