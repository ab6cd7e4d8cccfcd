//! Box replies checked by hand against the shapes of Box's OpenAPI schemas
//! (https://github.com/box/box-openapi), independent of the expectations the tests write out.

use chrono::DateTime;
use serde_json::Value;

fn is_date(value: &Value) -> bool {
    // RFC 3339, whole seconds, numeric offset
    // (https://developer.box.com/guides/api-calls/types-and-formats/date-and-times/).
    value.as_str().is_some_and(|s| {
        DateTime::parse_from_rfc3339(s).is_ok() && !s.ends_with('Z') && !s.contains('.')
    })
}

fn is_numeric_string(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
}

fn is_sha1(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|s| s.len() == 40 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

fn check_nullable(value: &Value, check: impl Fn(&Value) -> bool) -> bool {
    value.is_null() || check(value)
}

fn is_user_mini(value: &Value) -> bool {
    value["type"] == "user"
        && is_numeric_string(&value["id"])
        && value["name"].is_string()
        && value["login"].is_string()
}

fn is_folder_mini(value: &Value) -> bool {
    value["type"] == "folder"
        && is_numeric_string(&value["id"])
        && check_nullable(&value["sequence_id"], is_numeric_string)
        && check_nullable(&value["etag"], is_numeric_string)
        && value["name"].is_string()
}

/// `File` (standard): `File--Base` + `File--Mini` + the standard properties.
pub fn assert_file_shape(file: &Value) {
    let checks: [(&str, bool); 22] = [
        ("type", file["type"] == "file"),
        ("id", is_numeric_string(&file["id"])),
        ("etag", is_numeric_string(&file["etag"])),
        ("sequence_id", is_numeric_string(&file["sequence_id"])),
        ("name", file["name"].is_string()),
        ("sha1", is_sha1(&file["sha1"])),
        (
            "file_version",
            file["file_version"]["type"] == "file_version"
                && is_numeric_string(&file["file_version"]["id"])
                && is_sha1(&file["file_version"]["sha1"]),
        ),
        ("description", file["description"].is_string()),
        ("size", file["size"].is_u64()),
        (
            "path_collection",
            file["path_collection"]["entries"]
                .as_array()
                .is_some_and(|e| {
                    e.iter().all(is_folder_mini)
                        && file["path_collection"]["total_count"] == e.len()
                }),
        ),
        ("created_at", is_date(&file["created_at"])),
        ("modified_at", is_date(&file["modified_at"])),
        ("trashed_at", check_nullable(&file["trashed_at"], is_date)),
        ("purged_at", check_nullable(&file["purged_at"], is_date)),
        (
            "content_created_at",
            check_nullable(&file["content_created_at"], is_date),
        ),
        (
            "content_modified_at",
            check_nullable(&file["content_modified_at"], is_date),
        ),
        ("created_by", is_user_mini(&file["created_by"])),
        ("modified_by", is_user_mini(&file["modified_by"])),
        ("owned_by", is_user_mini(&file["owned_by"])),
        ("shared_link", file.get("shared_link").is_some()),
        ("parent", check_nullable(&file["parent"], is_folder_mini)),
        (
            "item_status",
            matches!(
                file["item_status"].as_str(),
                Some("active" | "trashed" | "deleted")
            ),
        ),
    ];
    for (field, ok) in checks {
        assert!(ok, "File.{field} does not fit the schema: {file}");
    }
}

/// `FileVersion` (standard), and `FileVersion--Full`'s `version_number` when present.
pub fn assert_version_shape(version: &Value) {
    let checks: [(&str, bool); 14] = [
        ("type", version["type"] == "file_version"),
        ("id", is_numeric_string(&version["id"])),
        ("sha1", is_sha1(&version["sha1"])),
        ("name", version["name"].is_string()),
        ("size", version["size"].is_u64()),
        ("created_at", is_date(&version["created_at"])),
        ("modified_at", is_date(&version["modified_at"])),
        ("modified_by", is_user_mini(&version["modified_by"])),
        (
            "trashed_at",
            check_nullable(&version["trashed_at"], is_date),
        ),
        (
            "trashed_by",
            check_nullable(&version["trashed_by"], is_user_mini),
        ),
        (
            "restored_at",
            check_nullable(&version["restored_at"], is_date),
        ),
        (
            "restored_by",
            check_nullable(&version["restored_by"], is_user_mini),
        ),
        ("purged_at", check_nullable(&version["purged_at"], is_date)),
        (
            "version_number",
            version.get("version_number").is_none_or(is_numeric_string),
        ),
    ];
    for (field, ok) in checks {
        assert!(ok, "FileVersion.{field} does not fit the schema: {version}");
    }
}

/// `FileVersions`: offset paging fields plus entries of `FileVersion--Full`.
pub fn assert_versions_shape(page: &Value) {
    assert!(page["total_count"].is_u64(), "total_count: {page}");
    assert!(page["limit"].is_u64(), "limit: {page}");
    assert!(page["offset"].is_u64(), "offset: {page}");
    page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .for_each(assert_version_shape);
}

/// `ClientError`, with the keys in the order real bodies use
/// (https://developer.box.com/guides/api-calls/permissions-and-errors/common-errors/).
pub fn assert_error_text_shape(text: &str, status: u16) {
    let body: Value = serde_json::from_str(text).expect("an error body is JSON");
    assert_eq!(body["type"], "error", "{text}");
    assert_eq!(body["status"], status, "{text}");
    for field in ["code", "message", "help_url", "request_id"] {
        assert!(body[field].is_string(), "ClientError.{field}: {text}");
    }
    assert!(
        check_nullable(&body["context_info"], Value::is_object),
        "{text}"
    );
    let order = [
        "\"type\"",
        "\"status\"",
        "\"code\"",
        "\"context_info\"",
        "\"help_url\"",
        "\"message\"",
        "\"request_id\"",
    ];
    // `message` also appears inside `context_info.errors`, before the top-level one.
    let positions: Vec<usize> = order
        .iter()
        .filter_map(|key| {
            if *key == "\"message\"" {
                text.rfind(key)
            } else {
                text.find(key)
            }
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "key order: {text}"
    );
}

/// `ResourceScope.scope`'s enum in `AccessToken.restricted_to`.
const RESOURCE_SCOPES: [&str; 14] = [
    "annotation_edit",
    "annotation_view_all",
    "annotation_view_self",
    "base_explorer",
    "base_picker",
    "base_preview",
    "base_upload",
    "item_delete",
    "item_download",
    "item_preview",
    "item_rename",
    "item_share",
    "item_upload",
    "item_read",
];

/// `AccessToken` (`POST /oauth2/token`'s 200): every property optional but typed, no others.
pub fn assert_access_token_shape(token: &Value) {
    let object = token.as_object().expect("an access token is an object");
    for (key, value) in object {
        let ok = match key.as_str() {
            "access_token" | "refresh_token" => value.is_string(),
            "expires_in" => value.is_i64(),
            "token_type" => value == "bearer",
            "issued_token_type" => value == "urn:ietf:params:oauth:token-type:access_token",
            "restricted_to" => value.as_array().is_some_and(|scopes| {
                scopes.iter().all(|s| {
                    s["scope"]
                        .as_str()
                        .is_some_and(|scope| RESOURCE_SCOPES.contains(&scope))
                        && (s.get("object").is_none()
                            || is_folder_mini(&s["object"])
                            || s["object"]["type"] == "file")
                })
            }),
            _ => false,
        };
        assert!(ok, "AccessToken.{key}: {token}");
    }
}

/// `OAuth2Error`: `error` and `error_description`, both strings, nothing else.
pub fn assert_oauth_error_shape(error: &Value) {
    let object = error.as_object().expect("an OAuth error is an object");
    assert_eq!(object.len(), 2, "{error}");
    assert!(error["error"].is_string(), "{error}");
    assert!(error["error_description"].is_string(), "{error}");
}

/// `Events` with entries of `Event` (user stream: `source` a standard `File` or `Folder`, or
/// null), `event_type` among the spec's enum.
pub fn assert_events_shape(page: &Value) {
    assert!(page["chunk_size"].is_u64(), "chunk_size: {page}");
    let position = &page["next_stream_position"];
    assert!(
        is_numeric_string(position) || position.is_u64(),
        "next_stream_position: {page}"
    );
    let entries = page["entries"].as_array().expect("entries");
    assert_eq!(
        page["chunk_size"],
        entries.len(),
        "chunk_size counts entries"
    );
    for event in entries {
        assert_eq!(event["type"], "event", "{event}");
        assert!(event["event_id"].is_string(), "event_id: {event}");
        assert!(is_user_mini(&event["created_by"]), "created_by: {event}");
        assert!(is_date(&event["created_at"]), "created_at: {event}");
        assert!(is_date(&event["recorded_at"]), "recorded_at: {event}");
        assert!(
            check_nullable(&event["session_id"], Value::is_string),
            "session_id: {event}"
        );
        // A few of the spec's `Event Type` enum: the ones a user stream carries for files.
        let known = [
            "ITEM_CREATE",
            "ITEM_UPLOAD",
            "ITEM_MAKE_CURRENT_VERSION",
            "ITEM_RENAME",
            "ITEM_MOVE",
            "ITEM_MODIFY",
            "ITEM_TRASH",
            "ITEM_UNDELETE_VIA_TRASH",
            "ITEM_COPY",
            "LOCK_CREATE",
            "LOCK_DESTROY",
            "COMMENT_CREATE",
            "COMMENT_EDIT",
            "COMMENT_DELETE",
            "COLLAB_ADD_COLLABORATOR",
            "COLLAB_INVITE_COLLABORATOR",
            "COLLAB_ROLE_CHANGE",
            "COLLAB_REMOVE_COLLABORATOR",
        ];
        assert!(
            known.iter().any(|k| event["event_type"] == *k),
            "event_type: {event}"
        );
        match event["source"]["type"].as_str() {
            Some("file") => assert_file_shape(&event["source"]),
            Some("folder") => assert!(is_folder_mini(&event["source"]), "{event}"),
            // A `GenericSource`: the comment, or its type, id and file once it is deleted.
            Some("comment") if event["source"].get("message").is_some() => {
                assert_comment_shape(&event["source"])
            }
            Some("comment") => assert!(
                is_numeric_string(&event["source"]["id"])
                    && event["source"]["item"]["type"] == "file"
                    && is_numeric_string(&event["source"]["item"]["id"]),
                "source: {event}"
            ),
            _ => assert!(event["source"].is_null(), "source: {event}"),
        }
    }
}

/// `RealtimeServers`: entries of `RealtimeServer` (`ttl` and `max_retries` strings,
/// `retry_timeout` an integer).
pub fn assert_realtime_servers_shape(page: &Value) {
    let entries = page["entries"].as_array().expect("entries");
    assert_eq!(page["chunk_size"], entries.len(), "{page}");
    for server in entries {
        assert_eq!(server["type"], "realtime_server", "{server}");
        assert!(server["url"].is_string(), "{server}");
        assert!(server["ttl"].is_string(), "{server}");
        assert!(server["max_retries"].is_string(), "{server}");
        assert!(server["retry_timeout"].is_u64(), "{server}");
    }
}

/// `File--Full.lock` (`Lock` in the spec): `type`, `id`, `created_by`, `created_at`,
/// `expired_at`, `is_download_prevented`, and `app_type` from its open enum or null.
pub fn assert_lock_shape(lock: &Value) {
    let checks = [
        ("type", lock["type"] == "lock"),
        ("id", is_numeric_string(&lock["id"])),
        ("created_by", is_user_mini(&lock["created_by"])),
        ("created_at", is_date(&lock["created_at"])),
        ("expired_at", check_nullable(&lock["expired_at"], is_date)),
        (
            "is_download_prevented",
            lock["is_download_prevented"].is_boolean(),
        ),
        (
            "app_type",
            check_nullable(&lock["app_type"], |t| {
                matches!(
                    t.as_str(),
                    Some("gsuite" | "office_wopi" | "office_wopiplus" | "other")
                )
            }),
        ),
    ];
    for (field, ok) in checks {
        assert!(ok, "Lock.{field} does not fit the schema: {lock}");
    }
}

/// `Folder` (standard, `Folder--Base` + `Folder--Mini` + the standard properties), with
/// `item_collection` (`Items`: offset paging and mini entries) when present.
pub fn assert_folder_shape(folder: &Value) {
    let checks: [(&str, bool); 21] = [
        ("type", folder["type"] == "folder"),
        ("id", is_numeric_string(&folder["id"])),
        ("etag", check_nullable(&folder["etag"], is_numeric_string)),
        (
            "sequence_id",
            check_nullable(&folder["sequence_id"], is_numeric_string),
        ),
        ("name", folder["name"].is_string()),
        ("created_at", check_nullable(&folder["created_at"], is_date)),
        (
            "modified_at",
            check_nullable(&folder["modified_at"], is_date),
        ),
        ("description", folder["description"].is_string()),
        ("size", folder["size"].is_u64()),
        (
            "path_collection",
            folder["path_collection"]["entries"]
                .as_array()
                .is_some_and(|e| {
                    e.iter().all(is_folder_mini)
                        && folder["path_collection"]["total_count"] == e.len()
                }),
        ),
        ("created_by", is_user_mini(&folder["created_by"])),
        ("modified_by", is_user_mini(&folder["modified_by"])),
        ("trashed_at", check_nullable(&folder["trashed_at"], is_date)),
        ("purged_at", check_nullable(&folder["purged_at"], is_date)),
        (
            "content_created_at",
            check_nullable(&folder["content_created_at"], is_date),
        ),
        (
            "content_modified_at",
            check_nullable(&folder["content_modified_at"], is_date),
        ),
        ("owned_by", is_user_mini(&folder["owned_by"])),
        ("shared_link", folder.get("shared_link").is_some()),
        (
            "folder_upload_email",
            folder.get("folder_upload_email").is_some(),
        ),
        ("parent", check_nullable(&folder["parent"], is_folder_mini)),
        (
            "item_status",
            matches!(
                folder["item_status"].as_str(),
                Some("active" | "trashed" | "deleted")
            ),
        ),
    ];
    for (field, ok) in checks {
        assert!(ok, "Folder.{field} does not fit the schema: {folder}");
    }
    if let Some(items) = folder.get("item_collection") {
        let entries = items["entries"]
            .as_array()
            .expect("item_collection.entries");
        assert!(items["total_count"].is_u64(), "Items.total_count: {items}");
        assert!(
            items["offset"].is_u64() && items["limit"].is_u64(),
            "{items}"
        );
        for entry in entries {
            let mini = match entry["type"].as_str() {
                Some("folder") => is_folder_mini(entry),
                Some("file") => {
                    is_numeric_string(&entry["id"])
                        && is_sha1(&entry["sha1"])
                        && entry["file_version"]["type"] == "file_version"
                        && entry["name"].is_string()
                }
                _ => false,
            };
            assert!(mini, "Items.entries: {entry}");
        }
    }
}

/// The `permissions` of `File--Full` or `Folder--Full`: every key the schema requires, each a
/// boolean (`FilePermissions`, `FolderPermissions`, both over `Permissions`).
pub fn assert_permissions_shape(permissions: &Value, of_file: bool) {
    let mut required = vec![
        "can_delete",
        "can_download",
        "can_invite_collaborator",
        "can_rename",
        "can_set_share_access",
        "can_share",
        "can_upload",
    ];
    if of_file {
        required.extend([
            "can_annotate",
            "can_comment",
            "can_preview",
            "can_view_annotations_all",
            "can_view_annotations_self",
        ]);
    }
    for key in required {
        assert!(
            permissions[key].is_boolean(),
            "permissions.{key} does not fit the schema: {permissions}"
        );
    }
}

/// `File--Full.shared_link` / `Folder--Full.shared_link` (the `Shared link` object, nullable):
/// the keys real replies carry, each of the spec's type and enum (the spec's `required` also
/// names an `accessed` no example or SDK has, left out here).
pub fn assert_shared_link_shape(link: &Value, of_file: bool) {
    if link.is_null() {
        return;
    }
    let access = ["open", "company", "collaborators"];
    let is_url = |v: &Value| v.as_str().is_some_and(|s| s.starts_with("http"));
    let permissions = &link["permissions"];
    let checks: [(&str, bool); 12] = [
        ("url", is_url(&link["url"])),
        (
            "download_url",
            if of_file {
                is_url(&link["download_url"])
            } else {
                link["download_url"].is_null()
            },
        ),
        ("vanity_url", check_nullable(&link["vanity_url"], is_url)),
        (
            "vanity_name",
            check_nullable(&link["vanity_name"], Value::is_string),
        ),
        (
            "access",
            link["access"].as_str().is_some_and(|a| access.contains(&a)),
        ),
        (
            "effective_access",
            (link["effective_access"].as_str()).is_some_and(|a| access.contains(&a)),
        ),
        (
            "effective_permission",
            matches!(
                link["effective_permission"].as_str(),
                Some("can_edit" | "can_download" | "can_preview" | "no_access")
            ),
        ),
        ("unshared_at", check_nullable(&link["unshared_at"], is_date)),
        (
            "is_password_enabled",
            link["is_password_enabled"].is_boolean(),
        ),
        ("download_count", link["download_count"].is_u64()),
        ("preview_count", link["preview_count"].is_u64()),
        (
            "permissions",
            ["can_download", "can_preview", "can_edit"]
                .iter()
                .all(|k| permissions[*k].is_boolean()),
        ),
    ];
    for (field, ok) in checks {
        assert!(ok, "SharedLink.{field} does not fit the schema: {link}");
    }
}

fn is_uuid(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|s| uuid::Uuid::parse_str(s).is_ok() && s.len() == 36)
}

/// `Metadata--Full`: `Metadata--Base`'s `$` keys plus `$id`, `$type`, `$typeVersion` and
/// `$canEdit`; every other key is a value.
pub fn assert_metadata_shape(instance: &Value) {
    let checks: [(&str, bool); 8] = [
        (
            "$parent",
            instance["$parent"].as_str().is_some_and(|p| {
                (p.strip_prefix("file_")
                    .or_else(|| p.strip_prefix("folder_")))
                .is_some_and(|id| is_numeric_string(&Value::from(id)))
            }),
        ),
        ("$template", instance["$template"].is_string()),
        ("$scope", instance["$scope"].is_string()),
        ("$version", instance["$version"].is_u64()),
        ("$id", is_uuid(&instance["$id"])),
        ("$type", instance["$type"].is_string()),
        ("$typeVersion", instance["$typeVersion"].is_u64()),
        ("$canEdit", instance["$canEdit"].is_boolean()),
    ];
    for (field, ok) in checks {
        assert!(ok, "Metadata.{field} does not fit the schema: {instance}");
    }
}

/// `MetadataTemplate`, with each field's `type` one of the spec's and options only on
/// `enum` and `multiSelect`.
pub fn assert_metadata_template_shape(template: &Value) {
    let field_ok = |field: &Value| {
        let kind = field["type"].as_str().unwrap_or_default();
        let listed = matches!(kind, "enum" | "multiSelect");
        matches!(
            kind,
            "string" | "float" | "date" | "enum" | "multiSelect" | "integer"
        ) && field["key"].is_string()
            && field["displayName"].is_string()
            && field["hidden"].is_boolean()
            && is_uuid(&field["id"])
            && (field["options"].as_array()).map_or(!listed, |options| {
                listed
                    && options
                        .iter()
                        .all(|o| o["key"].is_string() && is_uuid(&o["id"]))
            })
    };
    let checks: [(&str, bool); 8] = [
        ("id", is_uuid(&template["id"])),
        ("type", template["type"] == "metadata_template"),
        ("scope", template["scope"].is_string()),
        ("templateKey", template["templateKey"].is_string()),
        ("displayName", template["displayName"].is_string()),
        ("hidden", template["hidden"].is_boolean()),
        (
            "copyInstanceOnItemCopy",
            template["copyInstanceOnItemCopy"].is_boolean(),
        ),
        (
            "fields",
            template["fields"]
                .as_array()
                .is_some_and(|f| f.iter().all(field_ok)),
        ),
    ];
    for (field, ok) in checks {
        assert!(
            ok,
            "MetadataTemplate.{field} does not fit the schema: {template}"
        );
    }
}

/// `MetadataError`: `code`, `message` and `request_id`, nothing else.
pub fn assert_metadata_error_shape(error: &Value) {
    let keys: Vec<&String> = error
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(keys, ["code", "message", "request_id"], "{error}");
    assert!(
        error["code"].is_string() && error["message"].is_string(),
        "{error}"
    );
}

/// `Comment--Full`: `Comment--Base` (`type`, `id`) and the standard properties; `item` is a
/// `Reference` to the file; `tagged_message` a string when present.
pub fn assert_comment_shape(comment: &Value) {
    let checks = [
        ("type", comment["type"] == "comment"),
        ("id", is_numeric_string(&comment["id"])),
        ("is_reply_comment", comment["is_reply_comment"].is_boolean()),
        ("message", comment["message"].is_string()),
        ("created_by", is_user_mini(&comment["created_by"])),
        ("created_at", is_date(&comment["created_at"])),
        ("modified_at", is_date(&comment["modified_at"])),
        (
            "item",
            comment["item"]["type"] == "file" && is_numeric_string(&comment["item"]["id"]),
        ),
        (
            "tagged_message",
            comment.get("tagged_message").is_none_or(Value::is_string),
        ),
    ];
    for (field, ok) in checks {
        assert!(ok, "Comment.{field} does not fit the schema: {comment}");
    }
}

/// `Comments`: offset paging fields plus entries of `Comment--Full`.
pub fn assert_comments_shape(page: &Value) {
    assert!(page["total_count"].is_u64(), "total_count: {page}");
    assert!(page["limit"].is_u64(), "limit: {page}");
    assert!(page["offset"].is_u64(), "offset: {page}");
    page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .for_each(assert_comment_shape);
}

/// `User` (standard): `User--Mini` plus the standard properties, as `User` in
/// https://github.com/box/box-openapi lists them (`status` one of its enum; `notification_email`
/// nullable).
pub fn assert_user_shape(user: &Value) {
    let statuses = [
        "active",
        "inactive",
        "cannot_delete_edit",
        "cannot_delete_edit_upload",
    ];
    let checks = [
        ("mini", is_user_mini(user)),
        ("created_at", is_date(&user["created_at"])),
        ("modified_at", is_date(&user["modified_at"])),
        ("language", user["language"].is_string()),
        ("timezone", user["timezone"].is_string()),
        ("space_amount", user["space_amount"].is_i64()),
        ("space_used", user["space_used"].is_i64()),
        ("max_upload_size", user["max_upload_size"].is_i64()),
        (
            "status",
            statuses.contains(&user["status"].as_str().unwrap_or_default()),
        ),
        ("job_title", user["job_title"].is_string()),
        ("phone", user["phone"].is_string()),
        ("address", user["address"].is_string()),
        ("avatar_url", user["avatar_url"].is_string()),
        (
            "notification_email",
            check_nullable(&user["notification_email"], Value::is_object),
        ),
    ];
    for (field, ok) in checks {
        assert!(ok, "User.{field} does not fit the schema: {user}");
    }
}

/// The `User--Full` properties a `fields` request may name; each checked when present.
pub fn assert_user_full_fields_shape(user: &Value) {
    let roles = ["admin", "coadmin", "user"];
    let checks = [
        (
            "type",
            user["type"] == "user" && is_numeric_string(&user["id"]),
        ),
        (
            "role",
            user.get("role")
                .is_none_or(|r| roles.contains(&r.as_str().unwrap_or_default())),
        ),
        (
            "is_platform_access_only",
            user.get("is_platform_access_only")
                .is_none_or(Value::is_boolean),
        ),
        (
            "enterprise",
            user.get("enterprise").is_none_or(|e| {
                e["type"] == "enterprise" && e["id"].is_string() && e["name"].is_string()
            }),
        ),
        (
            "tracking_codes",
            user.get("tracking_codes").is_none_or(Value::is_array),
        ),
        (
            "hostname",
            user.get("hostname").is_none_or(Value::is_string),
        ),
    ];
    for (field, ok) in checks {
        assert!(ok, "User--Full.{field} does not fit the schema: {user}");
    }
}

/// `Users`: offset paging fields plus entries of `User`.
pub fn assert_users_shape(page: &Value) {
    assert!(page["total_count"].is_u64(), "total_count: {page}");
    assert!(page["limit"].is_u64(), "limit: {page}");
    assert!(page["offset"].is_u64(), "offset: {page}");
    page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .for_each(assert_user_shape);
}

/// `RecentItems`: marker paging fields plus entries of `RecentItem` (`type: recent_item`, an
/// `interaction_type` of the spec's enum, `interacted_at` a date, `interaction_shared_link` a
/// string or null, `item` a `File`).
pub fn assert_recent_items_shape(page: &Value) {
    assert!(page["limit"].is_u64(), "limit: {page}");
    assert!(
        check_nullable(&page["next_marker"], Value::is_string),
        "next_marker: {page}"
    );
    let interactions = [
        "item_preview",
        "item_upload",
        "item_comment",
        "item_open",
        "item_modify",
    ];
    for entry in page["entries"].as_array().expect("entries") {
        assert_eq!(entry["type"], "recent_item", "{entry}");
        assert!(
            interactions.iter().any(|i| entry["interaction_type"] == *i),
            "interaction_type: {entry}"
        );
        assert!(is_date(&entry["interacted_at"]), "interacted_at: {entry}");
        assert!(
            check_nullable(&entry["interaction_shared_link"], Value::is_string),
            "interaction_shared_link: {entry}"
        );
        assert_file_shape(&entry["item"]);
    }
}

/// `Collaboration` (https://github.com/box/box-openapi, `components.schemas.Collaboration`):
/// the keys the emulator sends, with `accessible_by` a `User--Collaborations` (or `null` while
/// an invite to an unknown login is pending) and `item` a file or folder mini.
pub fn assert_collaboration_shape(collab: &Value) {
    let roles = [
        "editor",
        "viewer",
        "previewer",
        "uploader",
        "previewer uploader",
        "viewer uploader",
        "co-owner",
        "owner",
    ];
    let grantee = &collab["accessible_by"];
    let item = &collab["item"];
    let checks: [(&str, bool); 13] = [
        ("type", collab["type"] == "collaboration"),
        ("id", is_numeric_string(&collab["id"])),
        (
            "created_by",
            check_nullable(&collab["created_by"], is_user_mini),
        ),
        ("created_at", is_date(&collab["created_at"])),
        ("modified_at", is_date(&collab["modified_at"])),
        ("expires_at", check_nullable(&collab["expires_at"], is_date)),
        (
            "status",
            ["accepted", "pending", "rejected"].contains(&collab["status"].as_str().unwrap_or("")),
        ),
        (
            "accessible_by",
            check_nullable(grantee, |g| is_user_mini(g) && g["is_active"].is_boolean()),
        ),
        (
            "invite_email",
            check_nullable(&collab["invite_email"], Value::is_string),
        ),
        (
            "role",
            roles.contains(&collab["role"].as_str().unwrap_or("")),
        ),
        (
            "acknowledged_at",
            check_nullable(&collab["acknowledged_at"], is_date),
        ),
        ("is_access_only", collab["is_access_only"].is_boolean()),
        (
            "item",
            check_nullable(item, |i| {
                is_folder_mini(i)
                    || (i["type"] == "file"
                        && is_numeric_string(&i["id"])
                        && is_numeric_string(&i["etag"])
                        && i["name"].is_string())
            }),
        ),
    ];
    for (key, ok) in checks {
        assert!(ok, "Collaboration.{key} does not fit the schema: {collab}");
    }
}

/// `Collaborations` (marker paging, with `total_count` as the legacy fixtures show) or
/// `CollaborationsOffsetPaginated`.
pub fn assert_collaborations_shape(page: &Value) {
    let entries = page["entries"].as_array().expect("entries is an array");
    assert!(page["limit"].is_u64(), "limit: {page}");
    assert!(page["total_count"].is_u64(), "total_count: {page}");
    assert!(
        page.get("next_marker").is_some() || page["offset"].is_u64(),
        "a marker page or an offset page: {page}"
    );
    entries.iter().for_each(assert_collaboration_shape);
}

fn is_file_mini(value: &Value) -> bool {
    value["type"] == "file"
        && is_numeric_string(&value["id"])
        && is_numeric_string(&value["etag"])
        && is_numeric_string(&value["sequence_id"])
        && value["name"].is_string()
        && is_sha1(&value["sha1"])
        && value["file_version"]["type"] == "file_version"
        && is_numeric_string(&value["file_version"]["id"])
        && is_sha1(&value["file_version"]["sha1"])
}

/// `TaskAssignment`: `item` a `File--Mini`, the users `User--Mini`, `resolution_state` one of
/// the four the schema lists.
pub fn assert_task_assignment_shape(assignment: &Value) {
    let checks = [
        ("type", assignment["type"] == "task_assignment"),
        ("id", is_numeric_string(&assignment["id"])),
        ("item", is_file_mini(&assignment["item"])),
        ("assigned_to", is_user_mini(&assignment["assigned_to"])),
        ("message", assignment["message"].is_string()),
        (
            "completed_at",
            check_nullable(&assignment["completed_at"], is_date),
        ),
        ("assigned_at", is_date(&assignment["assigned_at"])),
        (
            "reminded_at",
            check_nullable(&assignment["reminded_at"], is_date),
        ),
        (
            "resolution_state",
            matches!(
                assignment["resolution_state"].as_str(),
                Some("completed" | "incomplete" | "approved" | "rejected")
            ),
        ),
        ("assigned_by", is_user_mini(&assignment["assigned_by"])),
    ];
    for (field, ok) in checks {
        assert!(
            ok,
            "TaskAssignment.{field} does not fit the schema: {assignment}"
        );
    }
}

/// `TaskAssignments` and `Tasks`: `total_count` and `entries`.
fn assert_unpaged_shape(list: &Value, entry: fn(&Value)) {
    let entries = list["entries"].as_array().expect("entries");
    assert_eq!(list["total_count"], entries.len(), "total_count: {list}");
    entries.iter().for_each(entry);
}

pub fn assert_task_assignments_shape(list: &Value) {
    assert_unpaged_shape(list, assert_task_assignment_shape);
}

/// `Task`: `item` a `File--Mini`, `task_assignment_collection` a `TaskAssignments`, the enums
/// as the schema lists them.
pub fn assert_task_shape(task: &Value) {
    let checks = [
        ("type", task["type"] == "task"),
        ("id", is_numeric_string(&task["id"])),
        ("item", is_file_mini(&task["item"])),
        ("due_at", check_nullable(&task["due_at"], is_date)),
        (
            "action",
            matches!(task["action"].as_str(), Some("review" | "complete")),
        ),
        ("message", task["message"].is_string()),
        ("is_completed", task["is_completed"].is_boolean()),
        ("created_by", is_user_mini(&task["created_by"])),
        ("created_at", is_date(&task["created_at"])),
        (
            "completion_rule",
            matches!(
                task["completion_rule"].as_str(),
                Some("all_assignees" | "any_assignee")
            ),
        ),
    ];
    for (field, ok) in checks {
        assert!(ok, "Task.{field} does not fit the schema: {task}");
    }
    assert_task_assignments_shape(&task["task_assignment_collection"]);
}

pub fn assert_tasks_shape(list: &Value) {
    assert_unpaged_shape(list, assert_task_shape);
}

/// `ZipDownload`: two URLs, a date, and `name_conflicts` as lists of renamed items.
pub fn assert_zip_download_shape(zip: &Value) {
    let is_conflict = |item: &Value| {
        is_numeric_string(&item["id"])
            && matches!(item["type"].as_str(), Some("file" | "folder"))
            && item["original_name"].is_string()
            && item["download_name"].is_string()
    };
    let checks = [
        ("download_url", zip["download_url"].is_string()),
        ("status_url", zip["status_url"].is_string()),
        ("expires_at", is_date(&zip["expires_at"])),
        (
            "name_conflicts",
            zip["name_conflicts"].as_array().is_some_and(|clashes| {
                clashes.iter().all(|clash| {
                    clash
                        .as_array()
                        .is_some_and(|items| items.iter().all(is_conflict))
                })
            }),
        ),
    ];
    for (field, ok) in checks {
        assert!(ok, "ZipDownload.{field} does not fit the schema: {zip}");
    }
}

/// `ZipDownloadStatus`: four counts (`total_file_count` at most 10,000) and a `state`.
pub fn assert_zip_download_status_shape(status: &Value) {
    let count = |key: &str| status[key].is_u64();
    let checks = [
        (
            "total_file_count",
            status["total_file_count"]
                .as_u64()
                .is_some_and(|n| n <= 10_000),
        ),
        ("downloaded_file_count", count("downloaded_file_count")),
        ("skipped_file_count", count("skipped_file_count")),
        ("skipped_folder_count", count("skipped_folder_count")),
        (
            "state",
            matches!(
                status["state"].as_str(),
                Some("in_progress" | "failed" | "succeeded")
            ),
        ),
    ];
    for (field, ok) in checks {
        assert!(
            ok,
            "ZipDownloadStatus.{field} does not fit the schema: {status}"
        );
    }
}

/// `Items` of Box's OpenAPI (https://github.com/box/box-openapi), checked by hand: the paging
/// keys of the mode (offset: `total_count`, `offset`, `order`; marker: `next_marker` and none of
/// those), and each entry a file or folder mini (`Folder--Mini`, `File--Mini`).
pub fn assert_items_shape(page: &Value, marker: bool) {
    let keys: Vec<&str> = page
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    let digits = |v: &Value| {
        v.as_str()
            .is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
    };
    let sha1 = |v: &Value| v.as_str().is_some_and(|s| s.len() == 40);
    assert!(page["limit"].is_u64(), "limit: {page}");
    if marker {
        assert_eq!(keys.len(), 3, "marker keys: {page}");
        assert!(
            page["next_marker"].is_null() || page["next_marker"].is_string(),
            "{page}"
        );
    } else {
        assert_eq!(keys.len(), 5, "offset keys: {page}");
        assert!(
            page["total_count"].is_u64() && page["offset"].is_u64(),
            "{page}"
        );
        for key in page["order"].as_array().expect("order") {
            assert!(key["by"].is_string(), "{page}");
            assert!(
                key["direction"] == "ASC" || key["direction"] == "DESC",
                "{page}"
            );
        }
    }
    for entry in page["entries"].as_array().expect("entries") {
        assert!(digits(&entry["id"]) && entry["name"].is_string(), "{entry}");
        assert!(
            digits(&entry["etag"]) && digits(&entry["sequence_id"]),
            "{entry}"
        );
        match entry["type"].as_str() {
            Some("folder") => assert_eq!(entry.as_object().unwrap().len(), 5, "{entry}"),
            Some("file") => {
                assert!(sha1(&entry["sha1"]), "{entry}");
                assert_eq!(entry["file_version"]["type"], "file_version", "{entry}");
                assert!(digits(&entry["file_version"]["id"]), "{entry}");
                assert!(sha1(&entry["file_version"]["sha1"]), "{entry}");
            }
            _ => panic!("an item: {entry}"),
        }
    }
}

/// `Collection` of Box's OpenAPI, checked by hand: a numeric id, and the one kind of collection
/// there is (`favorites`, named `Favorites`).
pub fn assert_collection_shape(collection: &Value) {
    let keys = collection.as_object().expect("an object").len();
    assert_eq!(keys, 4, "{collection}");
    assert!(is_numeric_string(&collection["id"]), "{collection}");
    assert_eq!(collection["type"], "collection", "{collection}");
    assert_eq!(collection["name"], "Favorites", "{collection}");
    assert_eq!(collection["collection_type"], "favorites", "{collection}");
}
