//! Box metadata: templates (`POST /metadata_templates/schema`,
//! `GET|DELETE /metadata_templates/{scope}/{template_key}/schema`, `GET /metadata_templates/{scope}`)
//! and instances on files and folders (`GET /files/{id}/metadata`, and
//! `POST|GET|PUT|DELETE /files/{id}/metadata/{scope}/{template_key}`, the same under `/folders`),
//! as <https://developer.box.com/guides/metadata/> describes them. An update is a JSON Patch
//! (RFC 6902, `application/json-patch+json` as box_sdk_gen sends it; any content type is read).
//!
//! The emulator's bounds, beside Box's 100 instances per item: 500 templates, 100 fields a
//! template, 200 options a field, 100 keys in `global.properties`, 4096 characters in a key,
//! display name or string value, 100 operations in one patch (`crate::store::metadata`).

use axum::extract::{RawPathParams, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use crate::box_api::errors::BoxApiError;
use crate::box_api::extract::{BoxJson, Caller};
use crate::box_api::fields::Fields;
use crate::control::journal::Touched;
use crate::state::AppState;
use crate::store::metadata::{
    is_key, FieldType, NewField, PatchKind, ENTERPRISE_SCOPE, MAX_FIELDS, MAX_OPTIONS,
    MAX_PATCH_OPS, MAX_TEMPLATE_KEY, MAX_TEXT,
};
use crate::store::{
    Instance, InstanceRef, ItemId, ItemKind, MetadataScope, NewTemplate, PatchOp, Template,
};

fn param<'a>(params: &'a RawPathParams, key: &str) -> Option<&'a str> {
    params.iter().find(|(name, _)| *name == key).map(|(_, v)| v)
}

/// A path's scope: `global`, `enterprise`, or the long form of the emulator's enterprise. Another
/// enterprise's templates are not there; any other word is the spec's 400.
pub(crate) fn scope(text: &str) -> Result<Option<MetadataScope>, BoxApiError> {
    match text {
        "global" => Ok(Some(MetadataScope::Global)),
        "enterprise" | ENTERPRISE_SCOPE => Ok(Some(MetadataScope::Enterprise)),
        other if other.strip_prefix("enterprise_").is_some_and(is_digits) => Ok(None),
        _ => Err(BoxApiError::invalid(
            "scope",
            "Invalid value. Expected global or enterprise.",
        )),
    }
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// The item a path names; folder `0` takes no metadata (the spec's 405 for the root).
fn item(params: &RawPathParams, kind: ItemKind) -> Result<ItemId, BoxApiError> {
    let key = match kind {
        ItemKind::File => "file_id",
        ItemKind::Folder => "folder_id",
    };
    match param(params, key).and_then(|id| id.parse::<u64>().ok()) {
        Some(0) | None => Err(BoxApiError::MethodNotAllowed),
        Some(id) => Ok(ItemId(id)),
    }
}

fn instance_at(params: &RawPathParams, kind: ItemKind) -> Result<InstanceRef, BoxApiError> {
    let item = item(params, kind)?;
    let scope = scope(param(params, "scope").unwrap_or_default())?
        .ok_or(BoxApiError::InstanceTupleNotFound)?;
    let template = param(params, "template_key").unwrap_or_default().to_owned();
    Ok(InstanceRef {
        item,
        kind,
        scope,
        template,
    })
}

/// `Metadata--Full`: the values, then the `$` keys real replies carry.
fn instance_json(kind: ItemKind, item: ItemId, instance: &Instance) -> Value {
    let mut out = instance.values.clone();
    let parent = match kind {
        ItemKind::File => format!("file_{}", item.0),
        ItemKind::Folder => format!("folder_{}", item.0),
    };
    let keys = json!({
        "$parent": parent,
        "$template": instance.template,
        "$scope": instance.scope.name(),
        "$version": instance.version,
        "$id": instance.id,
        "$type": format!("{}-{}", instance.template, instance.template_id),
        "$typeVersion": 0,
        "$canEdit": true,
    });
    if let Value::Object(keys) = keys {
        out.extend(keys);
    }
    Value::Object(out)
}

/// An item's reply on `GET /files/{id}` or `GET /folders/{id}`, `shaped` (standard, or cut to
/// `fields`); `fields=metadata.<scope>.<templateKey>` adds
/// `"metadata": {"<scope>": {"<templateKey>": instance}}` under the names the request used; an
/// instance the item does not have is left out (Box does not say whether it is left out or
/// `null`). Only a reply that asks for metadata goes through a `Value`; the others are written
/// straight from `shaped`.
pub(crate) fn reply_with_metadata_fields(
    state: &AppState,
    space: &crate::store::Space,
    item: ItemId,
    kind: ItemKind,
    fields: Option<&Fields<'_>>,
    shaped: impl serde::Serialize,
) -> Result<Response, BoxApiError> {
    let asked: Vec<(&str, &str)> = fields.map(|f| f.metadata().collect()).unwrap_or_default();
    if asked.is_empty() {
        return Ok(Json(shaped).into_response());
    }
    let mut reply = serde_json::to_value(shaped).map_err(|_| BoxApiError::InternalServerError)?;
    let instances = state.store.metadata_instances(space, item, kind)?;
    let mut out = Map::new();
    for (name, key) in asked {
        let Ok(Some(wanted)) = scope(name) else {
            continue;
        };
        let found = (instances.iter()).find(|i| i.scope == wanted && i.template == key);
        if let Some(instance) = found {
            let scope = out.entry(name).or_insert_with(|| json!({}));
            scope[key] = instance_json(kind, item, instance);
        }
    }
    reply["metadata"] = Value::Object(out);
    Ok(Json(reply).into_response())
}

/// `MetadataTemplate`.
fn template_json(template: &Template) -> Value {
    let fields: Vec<Value> = (template.fields.iter())
        .map(|field| {
            let mut out = json!({
                "id": field.id,
                "type": field.kind.name(),
                "key": field.key,
                "displayName": field.display_name,
                "hidden": field.hidden,
            });
            if let Some(description) = &field.description {
                out["description"] = json!(description);
            }
            if matches!(field.kind, FieldType::Enum | FieldType::MultiSelect) {
                out["options"] = (field.options.iter())
                    .map(|o| json!({"id": o.id, "key": o.key}))
                    .collect();
            }
            out
        })
        .collect();
    json!({
        "id": template.id,
        "type": "metadata_template",
        "scope": template.scope.name(),
        "templateKey": template.key,
        "displayName": template.display_name,
        "hidden": template.hidden,
        "copyInstanceOnItemCopy": template.copy_instance_on_item_copy,
        "fields": fields,
    })
}

fn text(
    body: &Map<String, Value>,
    key: &'static str,
    required: bool,
) -> Result<Option<String>, BoxApiError> {
    match body.get(key) {
        None | Some(Value::Null) if required => Err(BoxApiError::missing(key)),
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) if text.chars().count() <= MAX_TEXT => Ok(Some(text.clone())),
        Some(Value::String(_)) => Err(BoxApiError::invalid(
            key,
            format!("Invalid value. At most {MAX_TEXT} characters."),
        )),
        Some(_) => Err(BoxApiError::invalid(
            key,
            "Invalid value. Expected a string.",
        )),
    }
}

fn flag(body: &Map<String, Value>, key: &'static str) -> Result<bool, BoxApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(flag)) => Ok(*flag),
        Some(_) => Err(BoxApiError::invalid(
            key,
            "Invalid value. Expected true or false.",
        )),
    }
}

/// A key made from a display name when `templateKey` is left out ("Contract Info" gives
/// `contractInfo`, as Box's examples show).
fn key_from(display_name: &str) -> String {
    let mut key = String::new();
    for (n, word) in display_name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .enumerate()
    {
        let mut chars = word.chars();
        let first = chars.next().expect("not empty");
        match n {
            0 => key.push(first.to_ascii_lowercase()),
            _ => key.push(first.to_ascii_uppercase()),
        }
        key.extend(chars);
    }
    if key.starts_with(|c: char| c.is_ascii_digit()) {
        key.insert(0, '_');
    }
    key.truncate(MAX_TEMPLATE_KEY);
    key
}

fn new_field(field: &Value) -> Result<NewField, BoxApiError> {
    let Value::Object(field) = field else {
        return Err(BoxApiError::invalid(
            "fields",
            "Invalid value. Expected objects.",
        ));
    };
    let kind = text(field, "type", true)?.unwrap_or_default();
    let kind = FieldType::parse(&kind).ok_or_else(|| {
        BoxApiError::invalid(
            "type",
            "Invalid value. Expected string, float, date, enum or multiSelect.",
        )
    })?;
    let key = text(field, "key", true)?.unwrap_or_default();
    if !is_key(&key, MAX_TEXT) {
        return Err(BoxApiError::invalid(
            "key",
            "Invalid value. Not a valid field key.",
        ));
    }
    let display_name = text(field, "displayName", true)?.unwrap_or_default();
    let options = match field.get("options") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) if list.len() <= MAX_OPTIONS => (list.iter())
            .map(|option| match option.get("key") {
                Some(Value::String(key)) if key.chars().count() <= MAX_TEXT => Ok(key.clone()),
                _ => Err(BoxApiError::invalid(
                    "options",
                    "Invalid value. Each option needs a key.",
                )),
            })
            .collect::<Result<Vec<_>, _>>()?,
        Some(_) => {
            return Err(BoxApiError::invalid(
                "options",
                format!("Invalid value. An array of at most {MAX_OPTIONS} options."),
            ))
        }
    };
    Ok(NewField {
        kind,
        key,
        display_name,
        description: text(field, "description", false)?,
        hidden: flag(field, "hidden")?,
        options,
    })
}

/// 201 with the template. Only enterprise templates can be made (the spec's 403 for `global`).
pub(crate) async fn create_template(
    State(state): State<AppState>,
    _caller: Caller,
    BoxJson(body): BoxJson<Value>,
) -> Result<Response, BoxApiError> {
    let Value::Object(body) = body else {
        return Err(BoxApiError::invalid("body", "Expected a JSON object."));
    };
    match text(&body, "scope", true)?.as_deref() {
        Some("enterprise" | ENTERPRISE_SCOPE) => {}
        Some("global") => return Err(BoxApiError::AccessDeniedInsufficientPermissions),
        _ => {
            return Err(BoxApiError::invalid(
                "scope",
                "Invalid value. Expected enterprise.",
            ))
        }
    }
    let display_name = text(&body, "displayName", true)?.unwrap_or_default();
    let key = text(&body, "templateKey", false)?.unwrap_or_else(|| key_from(&display_name));
    if !is_key(&key, MAX_TEMPLATE_KEY) {
        return Err(BoxApiError::invalid(
            "templateKey",
            "Invalid value. Must match ^[a-zA-Z_][-a-zA-Z0-9_]*$, at most 64 characters.",
        ));
    }
    let fields = match body.get("fields") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) if list.len() <= MAX_FIELDS => {
            list.iter().map(new_field).collect::<Result<Vec<_>, _>>()?
        }
        Some(_) => {
            return Err(BoxApiError::invalid(
                "fields",
                format!("Invalid value. An array of at most {MAX_FIELDS} fields."),
            ))
        }
    };
    for (n, field) in fields.iter().enumerate() {
        if fields[..n].iter().any(|f| f.key == field.key) {
            return Err(BoxApiError::invalid(
                "key",
                "Invalid value. Field keys must differ.",
            ));
        }
    }
    let template = state.store.create_metadata_template(NewTemplate {
        key,
        display_name,
        hidden: flag(&body, "hidden")?,
        copy_instance_on_item_copy: flag(&body, "copyInstanceOnItemCopy")?,
        fields,
    })?;
    Ok((StatusCode::CREATED, Json(template_json(&template))).into_response())
}

fn template_path(params: &RawPathParams) -> Result<(MetadataScope, String), BoxApiError> {
    let scope = scope(param(params, "scope").unwrap_or_default())?
        .ok_or(BoxApiError::InstanceTupleNotFound)?;
    Ok((
        scope,
        param(params, "template_key").unwrap_or_default().to_owned(),
    ))
}

pub(crate) async fn get_template(
    State(state): State<AppState>,
    _caller: Caller,
    params: RawPathParams,
) -> Result<Response, BoxApiError> {
    let (scope, key) = template_path(&params)?;
    let template = state.store.metadata_template(scope, &key)?;
    Ok(Json(template_json(&template)).into_response())
}

/// 204; every instance of the template goes with it.
pub(crate) async fn delete_template(
    State(state): State<AppState>,
    _caller: Caller,
    params: RawPathParams,
) -> Result<Response, BoxApiError> {
    let (scope, key) = template_path(&params)?;
    state.store.delete_metadata_template(scope, &key)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /metadata_templates/enterprise` (or `global`): every template of the scope, on one page.
pub(crate) async fn list_templates(
    State(state): State<AppState>,
    _caller: Caller,
    params: RawPathParams,
) -> Result<Response, BoxApiError> {
    let templates = match scope(param(&params, "scope").unwrap_or_default())? {
        Some(MetadataScope::Global) => vec![Template::properties()],
        Some(MetadataScope::Enterprise) => state.store.metadata_templates()?,
        None => Vec::new(),
    };
    let entries: Vec<Value> = templates.iter().map(template_json).collect();
    Ok(Json(json!({
        "limit": 100,
        "next_marker": null,
        "prev_marker": null,
        "entries": entries,
    }))
    .into_response())
}

async fn list(
    state: AppState,
    space: crate::store::Space,
    params: RawPathParams,
    kind: ItemKind,
) -> Result<Response, BoxApiError> {
    let item = item(&params, kind)?;
    let instances = state.store.metadata_instances(&space, item, kind)?;
    let entries: Vec<Value> = (instances.iter())
        .map(|i| instance_json(kind, item, i))
        .collect();
    let reply = Json(json!({"entries": entries, "limit": 100})).into_response();
    Ok(Touched::mark(item, reply))
}

pub(crate) async fn list_file_instances(
    State(state): State<AppState>,
    Caller(space): Caller,
    params: RawPathParams,
) -> Result<Response, BoxApiError> {
    list(state, space, params, ItemKind::File).await
}

pub(crate) async fn list_folder_instances(
    State(state): State<AppState>,
    Caller(space): Caller,
    params: RawPathParams,
) -> Result<Response, BoxApiError> {
    list(state, space, params, ItemKind::Folder).await
}

/// What one instance route does.
enum Act {
    Get,
    Create(Value),
    Update(Value),
    Delete,
}

/// A JSON Patch body: an array of at most `MAX_PATCH_OPS` operations Box takes.
fn patch(body: Value) -> Result<Vec<PatchOp>, BoxApiError> {
    let bad = |message: &str| BoxApiError::invalid("body", message.to_owned());
    let Value::Array(ops) = body else {
        return Err(bad("Expected an array of JSON Patch operations."));
    };
    if ops.len() > MAX_PATCH_OPS {
        return Err(bad("Too many operations in one patch."));
    }
    (ops.into_iter())
        .map(|op| {
            let Value::Object(mut op) = op else {
                return Err(bad("Each operation must be an object."));
            };
            let kind = match op.get("op").and_then(Value::as_str) {
                Some("add") => PatchKind::Add,
                Some("replace") => PatchKind::Replace,
                Some("remove") => PatchKind::Remove,
                Some("test") => PatchKind::Test,
                Some("move") => PatchKind::Move,
                Some("copy") => PatchKind::Copy,
                _ => {
                    return Err(bad(
                        "Unknown op: expected add, replace, remove, test, move or copy.",
                    ))
                }
            };
            let path = match op.get("path") {
                Some(Value::String(path)) => path.clone(),
                _ => return Err(bad("Each operation needs a path.")),
            };
            let from = match op.get("from") {
                None | Some(Value::Null) => None,
                Some(Value::String(from)) => Some(from.clone()),
                Some(_) => return Err(bad("from must be a path.")),
            };
            Ok(PatchOp {
                op: kind,
                path,
                from,
                value: op.remove("value"),
            })
        })
        .collect()
}

async fn instance(
    state: AppState,
    space: crate::store::Space,
    params: RawPathParams,
    kind: ItemKind,
    act: Act,
) -> Result<Response, BoxApiError> {
    let at = instance_at(&params, kind)?;
    let store = &state.store;
    let reply = match act {
        Act::Get => Json(instance_json(
            kind,
            at.item,
            &store.metadata_instance(&space, &at)?,
        ))
        .into_response(),
        // box_sdk_gen sends no body at all for `{}` (its serialiser drops an empty dict), so
        // none is an instance without values.
        Act::Create(Value::Null) => {
            let made = store.create_metadata_instance(&space, &at, Map::new())?;
            (
                StatusCode::CREATED,
                Json(instance_json(kind, at.item, &made)),
            )
                .into_response()
        }
        Act::Create(Value::Object(values)) => {
            let made = store.create_metadata_instance(&space, &at, values)?;
            (
                StatusCode::CREATED,
                Json(instance_json(kind, at.item, &made)),
            )
                .into_response()
        }
        Act::Create(_) => return Err(BoxApiError::invalid("body", "Expected a JSON object.")),
        Act::Update(body) => {
            let updated = store.update_metadata_instance(&space, &at, &patch(body)?)?;
            Json(instance_json(kind, at.item, &updated)).into_response()
        }
        Act::Delete => {
            store.delete_metadata_instance(&space, &at)?;
            StatusCode::NO_CONTENT.into_response()
        }
    };
    Ok(Touched::mark(at.item, reply))
}

pub(crate) async fn get_file_instance(
    State(state): State<AppState>,
    Caller(space): Caller,
    params: RawPathParams,
) -> Result<Response, BoxApiError> {
    instance(state, space, params, ItemKind::File, Act::Get).await
}

pub(crate) async fn create_file_instance(
    State(state): State<AppState>,
    Caller(space): Caller,
    params: RawPathParams,
    BoxJson(body): BoxJson<Value>,
) -> Result<Response, BoxApiError> {
    instance(state, space, params, ItemKind::File, Act::Create(body)).await
}

pub(crate) async fn update_file_instance(
    State(state): State<AppState>,
    Caller(space): Caller,
    params: RawPathParams,
    BoxJson(body): BoxJson<Value>,
) -> Result<Response, BoxApiError> {
    instance(state, space, params, ItemKind::File, Act::Update(body)).await
}

pub(crate) async fn delete_file_instance(
    State(state): State<AppState>,
    Caller(space): Caller,
    params: RawPathParams,
) -> Result<Response, BoxApiError> {
    instance(state, space, params, ItemKind::File, Act::Delete).await
}

pub(crate) async fn get_folder_instance(
    State(state): State<AppState>,
    Caller(space): Caller,
    params: RawPathParams,
) -> Result<Response, BoxApiError> {
    instance(state, space, params, ItemKind::Folder, Act::Get).await
}

pub(crate) async fn create_folder_instance(
    State(state): State<AppState>,
    Caller(space): Caller,
    params: RawPathParams,
    BoxJson(body): BoxJson<Value>,
) -> Result<Response, BoxApiError> {
    instance(state, space, params, ItemKind::Folder, Act::Create(body)).await
}

pub(crate) async fn update_folder_instance(
    State(state): State<AppState>,
    Caller(space): Caller,
    params: RawPathParams,
    BoxJson(body): BoxJson<Value>,
) -> Result<Response, BoxApiError> {
    instance(state, space, params, ItemKind::Folder, Act::Update(body)).await
}

pub(crate) async fn delete_folder_instance(
    State(state): State<AppState>,
    Caller(space): Caller,
    params: RawPathParams,
) -> Result<Response, BoxApiError> {
    instance(state, space, params, ItemKind::Folder, Act::Delete).await
}
