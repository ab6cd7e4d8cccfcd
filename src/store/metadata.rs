//! Box metadata (<https://developer.box.com/guides/metadata/>): the enterprise's templates and
//! the instances of them on files and folders, with the value checks and the JSON Patch
//! (RFC 6902) an update applies. Kept in the tree's side state (`super::sharing::Sharing`),
//! under its lock, and written whole with it by a durable store.
//!
//! The emulator is one enterprise, so `enterprise` and `enterprise_<ENTERPRISE_ID>` name the
//! same templates; `global.properties` is always there and takes any keys.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::domain::{ItemId, ItemKind};

/// The emulator's one enterprise, as `$scope` and a template's `scope` print it.
pub const ENTERPRISE_SCOPE: &str = "enterprise_1";
/// The built-in template of free-form string pairs.
pub const PROPERTIES: &str = "properties";

/// The emulator's bounds (Box documents only the per-item one): most templates in the
/// enterprise, fields in a template, options in a field.
pub const MAX_TEMPLATES: usize = 500;
pub const MAX_FIELDS: usize = 100;
pub const MAX_OPTIONS: usize = 200;
/// "An item can have up to 100 template instances" (guide metadata/4-instances).
pub const MAX_INSTANCES: usize = 100;
/// Most keys in one `global.properties` instance.
pub const MAX_PROPERTIES: usize = 100;
/// Longest string value, key or display name, in characters.
pub const MAX_TEXT: usize = 4096;
/// Most operations in one JSON Patch.
pub const MAX_PATCH_OPS: usize = 100;
/// Box's longest template key (<https://developer.box.com/reference/post-metadata-templates-schema/>).
pub const MAX_TEMPLATE_KEY: usize = 64;

/// `^[a-zA-Z_][-a-zA-Z0-9_]*$` (the spec's pattern for `templateKey` and a field's `key`), at
/// most `max` bytes.
pub fn is_key(key: &str, max: usize) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && key.len() <= max
}

/// Which templates a path's scope names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    Global,
    Enterprise,
}

impl Scope {
    /// The long form replies carry.
    pub fn name(self) -> &'static str {
        match self {
            Self::Global => "global",
            Self::Enterprise => ENTERPRISE_SCOPE,
        }
    }
}

/// A field's type, as Box names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldType {
    String,
    Float,
    Date,
    Enum,
    MultiSelect,
}

impl FieldType {
    pub fn name(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Float => "float",
            Self::Date => "date",
            Self::Enum => "enum",
            Self::MultiSelect => "multiSelect",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::String,
            Self::Float,
            Self::Date,
            Self::Enum,
            Self::MultiSelect,
        ]
        .into_iter()
        .find(|kind| kind.name() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldOption {
    pub id: String,
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub id: String,
    pub kind: FieldType,
    pub key: String,
    pub display_name: String,
    pub description: Option<String>,
    pub hidden: bool,
    pub options: Vec<FieldOption>,
}

/// A metadata template. Ids are given by the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub id: String,
    pub scope: Scope,
    pub key: String,
    pub display_name: String,
    pub hidden: bool,
    pub copy_instance_on_item_copy: bool,
    pub fields: Vec<Field>,
}

impl Template {
    /// `global.properties`, with a fixed id (the spec's example `$type` is
    /// `properties-6bcba49f-…`).
    pub fn properties() -> Self {
        Self {
            id: "6bcba49f-ca6d-4d2a-a758-57fe6edf44d0".into(),
            scope: Scope::Global,
            key: PROPERTIES.into(),
            display_name: "Properties".into(),
            hidden: false,
            copy_instance_on_item_copy: false,
            fields: Vec::new(),
        }
    }
}

/// A template as `POST /metadata_templates/schema` asks for it, checked by the face.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTemplate {
    pub key: String,
    pub display_name: String,
    pub hidden: bool,
    pub copy_instance_on_item_copy: bool,
    /// Type, key, display name, description, hidden, option keys.
    pub fields: Vec<NewField>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewField {
    pub kind: FieldType,
    pub key: String,
    pub display_name: String,
    pub description: Option<String>,
    pub hidden: bool,
    pub options: Vec<String>,
}

/// One template's values on one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    pub id: String,
    pub scope: Scope,
    pub template: String,
    /// The template's id, for `$type`.
    pub template_id: String,
    /// 0 when made, one more per update.
    pub version: u64,
    /// The values, as received (Box echoes `23` as `23`, not `23.0`).
    pub values: Map<String, Value>,
}

/// An instance's address: the item and the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceRef {
    pub item: ItemId,
    pub kind: ItemKind,
    pub scope: Scope,
    pub template: String,
}

/// One JSON Patch operation (RFC 6902), as read by the face.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchOp {
    pub op: PatchKind,
    pub path: String,
    pub from: Option<String>,
    pub value: Option<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchKind {
    Add,
    Replace,
    Remove,
    Test,
    Move,
    Copy,
}

/// Why a metadata operation did nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetadataError {
    #[error("the template does not exist")]
    TemplateNotFound,
    #[error("a template with this key already exists")]
    TemplateExists,
    #[error("global templates cannot be changed")]
    GlobalTemplate,
    #[error("the enterprise has the most templates the emulator keeps")]
    TooManyTemplates,
    #[error("the item has no instance of the template")]
    InstanceNotFound,
    #[error("the item already has an instance of the template")]
    InstanceExists,
    #[error("the item has the most instances Box allows")]
    TooManyInstances,
    /// A value that does not fit the template; the text says which.
    #[error("{0}")]
    Invalid(String),
    /// A patch operation that cannot apply (a missing path or `from`); the text says which.
    #[error("{0}")]
    BadPatch(String),
    /// A `test` operation whose value differs.
    #[error("value differs from expectations")]
    TestFailed,
    /// A search's metadata filter that does not fit its template; the text says which.
    #[error("{0}")]
    BadFilter(String),
}

/// The templates and instances of the enterprise.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetadataState {
    /// Enterprise templates by key.
    templates: BTreeMap<String, Template>,
    /// Each item's instances, oldest first.
    instances: BTreeMap<ItemId, Vec<Instance>>,
    /// The last id number handed out.
    last_id: u64,
    /// Ids loaded from a fixture (`claim_id`): the counter skips them, as it cannot tell
    /// which of its numbers made one. None in data dirs written before fixtures held metadata.
    #[serde(default)]
    claimed: BTreeSet<String>,
}

impl MetadataState {
    /// A new id in the UUID form Box's are in, from a counter so that runs repeat.
    pub fn new_id(&mut self) -> String {
        loop {
            self.last_id += 1;
            let a = crate::splitmix::splitmix64(self.last_id);
            let b = crate::splitmix::splitmix64(a);
            let id = format!(
                "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
                a >> 32,
                (a >> 16) & 0xffff,
                a & 0xfff,
                b >> 52,
                b & 0xffff_ffff_ffff
            );
            if !self.claimed.contains(&id) {
                return id;
            }
        }
    }

    /// Keeps an id a fixture gave from being handed out again.
    pub fn claim_id(&mut self, id: &str) {
        self.claimed.insert(id.to_owned());
    }

    /// Whether a template, field, option or instance has this id: a load's check, which walks
    /// everything.
    pub fn id_in_use(&self, id: &str) -> bool {
        let in_template = |t: &Template| {
            t.id == id
                || (t.fields.iter()).any(|f| f.id == id || f.options.iter().any(|o| o.id == id))
        };
        self.templates.values().any(in_template)
            || (self.instances.values().flatten()).any(|i| i.id == id)
    }

    pub fn template(&self, scope: Scope, key: &str) -> Result<Template, MetadataError> {
        match scope {
            Scope::Global if key == PROPERTIES => Ok(Template::properties()),
            Scope::Global => Err(MetadataError::TemplateNotFound),
            Scope::Enterprise => {
                (self.templates.get(key).cloned()).ok_or(MetadataError::TemplateNotFound)
            }
        }
    }

    pub fn templates(&self) -> impl Iterator<Item = &Template> {
        self.templates.values()
    }

    pub fn template_count(&self) -> usize {
        self.templates.len()
    }

    pub fn insert_template(&mut self, template: Template) {
        self.templates.insert(template.key.clone(), template);
    }

    /// Removes a template and every instance of it.
    pub fn remove_template(&mut self, key: &str) {
        self.templates.remove(key);
        for list in self.instances.values_mut() {
            list.retain(|i| !(i.scope == Scope::Enterprise && i.template == key));
        }
        self.instances.retain(|_, list| !list.is_empty());
    }

    pub fn instances(&self, item: ItemId) -> &[Instance] {
        self.instances.get(&item).map_or(&[], Vec::as_slice)
    }

    pub fn instance(&self, item: ItemId, scope: Scope, key: &str) -> Option<&Instance> {
        (self.instances(item).iter()).find(|i| i.scope == scope && i.template == key)
    }

    /// Adds or replaces the item's instance of its template.
    pub fn put_instance(&mut self, item: ItemId, instance: Instance) {
        let list = self.instances.entry(item).or_default();
        match (list.iter_mut())
            .find(|i| i.scope == instance.scope && i.template == instance.template)
        {
            Some(slot) => *slot = instance,
            None => list.push(instance),
        }
    }

    pub fn remove_instance(&mut self, item: ItemId, scope: Scope, key: &str) {
        if let Some(list) = self.instances.get_mut(&item) {
            list.retain(|i| !(i.scope == scope && i.template == key));
            if list.is_empty() {
                self.instances.remove(&item);
            }
        }
    }

    pub fn has_instances(&self, item: ItemId) -> bool {
        self.instances.contains_key(&item)
    }

    pub fn forget_item(&mut self, item: ItemId) {
        self.instances.remove(&item);
    }

    pub fn retain_items(&mut self, exists: impl Fn(ItemId) -> bool) {
        self.instances.retain(|id, _| exists(*id));
    }
}

/// Checks `values` against `template` (<https://developer.box.com/guides/metadata/instances/create/>):
/// every key a field of it, every value of the field's type; `global.properties` takes any keys
/// with string, number or string-list values, within the emulator's bounds.
pub fn validate(template: &Template, values: &Map<String, Value>) -> Result<(), MetadataError> {
    let invalid = |key: &str, kind: &str| {
        MetadataError::Invalid(format!(
            "Encountered invalid value for template field key={key} field type={kind}"
        ))
    };
    if template.scope == Scope::Global {
        if values.len() > MAX_PROPERTIES {
            return Err(MetadataError::Invalid(format!(
                "An instance of properties may hold at most {MAX_PROPERTIES} keys"
            )));
        }
        for (key, value) in values {
            let fits = key.chars().count() <= MAX_TEXT
                && match value {
                    Value::String(text) => text.chars().count() <= MAX_TEXT,
                    Value::Number(_) | Value::Bool(_) => true,
                    _ => false,
                };
            if !fits {
                return Err(invalid(key, PROPERTIES));
            }
        }
        return Ok(());
    }
    for (key, value) in values {
        let Some(field) = template.fields.iter().find(|f| &f.key == key) else {
            return Err(MetadataError::Invalid(format!(
                "Encountered invalid key {key} for template {}",
                template.key
            )));
        };
        let option = |text: &str| field.options.iter().any(|o| o.key == text);
        let fits = match (field.kind, value) {
            (FieldType::String, Value::String(text)) => text.chars().count() <= MAX_TEXT,
            (FieldType::Float, Value::Number(_)) => true,
            (FieldType::Date, Value::String(text)) => {
                chrono::DateTime::parse_from_rfc3339(text).is_ok()
            }
            (FieldType::Enum, Value::String(text)) => option(text),
            (FieldType::MultiSelect, Value::Array(list)) => {
                list.iter().all(|v| v.as_str().is_some_and(option))
            }
            _ => false,
        };
        if !fits {
            return Err(invalid(key, field.kind.name()));
        }
    }
    Ok(())
}

/// The one key a patch path names: `/key`, with `~1` for `/` and `~0` for `~`. Box's instances
/// are flat, so a deeper path names nothing.
fn path_key(path: &str) -> Result<String, MetadataError> {
    match path.strip_prefix('/') {
        Some(key) if !key.contains('/') => Ok(key.replace("~1", "/").replace("~0", "~")),
        _ => Err(MetadataError::BadPatch(format!(
            "The path {path:?} does not name a field"
        ))),
    }
}

/// Applies `ops` to a copy of `values`, all or nothing (RFC 6902 §5).
pub fn apply_patch(
    values: &Map<String, Value>,
    ops: &[PatchOp],
) -> Result<Map<String, Value>, MetadataError> {
    let mut out = values.clone();
    let missing = |path: &str| MetadataError::BadPatch(format!("The path {path:?} has no value"));
    let value = |op: &PatchOp| {
        (op.value.clone())
            .ok_or_else(|| MetadataError::BadPatch("The operation needs a value".into()))
    };
    for op in ops {
        let key = path_key(&op.path)?;
        match op.op {
            PatchKind::Add => {
                out.insert(key, value(op)?);
            }
            PatchKind::Replace => {
                let new = value(op)?;
                *out.get_mut(&key).ok_or_else(|| missing(&op.path))? = new;
            }
            PatchKind::Remove => {
                out.remove(&key).ok_or_else(|| missing(&op.path))?;
            }
            PatchKind::Test => {
                let found = out.get(&key).ok_or_else(|| missing(&op.path))?;
                if *found != value(op)? {
                    return Err(MetadataError::TestFailed);
                }
            }
            PatchKind::Move | PatchKind::Copy => {
                let source = (op.from.as_deref())
                    .ok_or_else(|| MetadataError::BadPatch("The operation needs a from".into()))?;
                let source_key = path_key(source)?;
                let moved = match op.op {
                    PatchKind::Move => out.remove(&source_key),
                    _ => out.get(&source_key).cloned(),
                };
                out.insert(key, moved.ok_or_else(|| missing(source))?);
            }
        }
    }
    Ok(out)
}

/// Most field filters in one search filter (a template has at most `MAX_FIELDS` fields).
pub const MAX_FILTERS: usize = MAX_FIELDS;
/// Most values in one any-of filter.
pub const MAX_FILTER_VALUES: usize = MAX_OPTIONS;

/// A search's metadata filter (Box `GET /search?mdfilters=…`,
/// <https://developer.box.com/guides/search/metadata-filters/>): items with an instance of the
/// template whose values pass every field filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataFilter {
    pub scope: Scope,
    pub template: String,
    pub fields: Vec<(String, FieldFilter)>,
}

/// One field's filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldFilter {
    /// The value equals this one (numbers by value, dates by instant); a multiSelect value
    /// holds it.
    Is(Value),
    /// The value is one of these (a multiSelect value holds one of them).
    AnyOf(Vec<Value>),
    /// A number or date between the bounds, both inclusive, either open.
    Range {
        gt: Option<Value>,
        lt: Option<Value>,
    },
}

/// A value made comparable: a number, an instant, or text.
#[derive(Debug, PartialEq)]
enum Comparable<'a> {
    Number(f64),
    Date(chrono::DateTime<chrono::Utc>),
    Text(&'a str),
}

impl PartialOrd for Comparable<'_> {
    /// Values of one kind only: a number and a date are not ordered.
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        match (self, other) {
            (Self::Number(a), Self::Number(b)) => a.partial_cmp(b),
            (Self::Date(a), Self::Date(b)) => a.partial_cmp(b),
            (Self::Text(a), Self::Text(b)) => a.partial_cmp(b),
            _ => None,
        }
    }
}

fn comparable(value: &Value, kind: Option<FieldType>) -> Option<Comparable<'_>> {
    match (value, kind) {
        (Value::Number(n), None | Some(FieldType::Float)) => n.as_f64().map(Comparable::Number),
        (Value::String(text), Some(FieldType::Date)) => chrono::DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|d| Comparable::Date(d.to_utc())),
        (Value::String(text), None) => match chrono::DateTime::parse_from_rfc3339(text) {
            Ok(date) => Some(Comparable::Date(date.to_utc())),
            Err(_) => Some(Comparable::Text(text)),
        },
        (Value::String(text), Some(_)) => Some(Comparable::Text(text)),
        _ => None,
    }
}

fn same(a: &Value, b: &Value, kind: Option<FieldType>) -> bool {
    match (comparable(a, kind), comparable(b, kind)) {
        (Some(a), Some(b)) => a == b,
        _ => a == b,
    }
}

impl MetadataFilter {
    /// Checks the filter against its template: every key a field (any key for
    /// `global.properties`), a range only on a float or date field, values of the field's type.
    pub fn check(&self, template: &Template) -> Result<(), MetadataError> {
        let bad = |text: String| Err(MetadataError::BadFilter(text));
        if self.fields.len() > MAX_FILTERS {
            return bad(format!("A filter may name at most {MAX_FILTERS} fields"));
        }
        for (key, filter) in &self.fields {
            let kind = match template.scope {
                Scope::Global => None,
                Scope::Enterprise => match template.fields.iter().find(|f| &f.key == key) {
                    Some(field) => Some(field.kind),
                    None => {
                        return bad(format!("The template {} has no field {key}", template.key))
                    }
                },
            };
            let fits = |value: &Value| comparable(value, kind).is_some();
            let ok = match filter {
                FieldFilter::Is(value) => fits(value),
                FieldFilter::AnyOf(values) => {
                    values.len() <= MAX_FILTER_VALUES && values.iter().all(fits)
                }
                FieldFilter::Range { gt, lt } => {
                    matches!(kind, None | Some(FieldType::Float | FieldType::Date))
                        && [gt, lt].into_iter().flatten().all(|v| {
                            matches!(
                                comparable(v, kind),
                                Some(Comparable::Number(_) | Comparable::Date(_))
                            )
                        })
                }
            };
            if !ok {
                let kind = kind.map_or(PROPERTIES, FieldType::name);
                return bad(format!(
                    "The filter on {key} does not fit its field (type {kind})"
                ));
            }
        }
        Ok(())
    }

    /// Whether `instance` (of this filter's template) passes every field filter.
    pub fn matches(&self, template: &Template, instance: &Instance) -> bool {
        self.fields.iter().all(|(key, filter)| {
            let Some(value) = instance.values.get(key) else {
                return false;
            };
            let kind = template
                .fields
                .iter()
                .find(|f| &f.key == key)
                .map(|f| f.kind);
            // A multiSelect value (or a list in properties) matches when one of its items does.
            let items: Vec<&Value> = match value {
                Value::Array(list) => list.iter().collect(),
                one => vec![one],
            };
            let item_kind = kind.filter(|k| *k != FieldType::MultiSelect);
            items.iter().any(|item| match filter {
                FieldFilter::Is(wanted) => same(item, wanted, item_kind),
                FieldFilter::AnyOf(wanted) => wanted.iter().any(|w| same(item, w, item_kind)),
                FieldFilter::Range { gt, lt } => {
                    let Some(at) = comparable(item, item_kind) else {
                        return false;
                    };
                    let above = |bound: &Option<Value>| {
                        bound
                            .as_ref()
                            .is_none_or(|b| comparable(b, item_kind).is_some_and(|b| at >= b))
                    };
                    let below = |bound: &Option<Value>| {
                        bound
                            .as_ref()
                            .is_none_or(|b| comparable(b, item_kind).is_some_and(|b| at <= b))
                    };
                    above(gt) && below(lt)
                }
            })
        })
    }
}
