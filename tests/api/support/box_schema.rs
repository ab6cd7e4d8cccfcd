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
        ];
        assert!(
            known.iter().any(|k| event["event_type"] == *k),
            "event_type: {event}"
        );
        match event["source"]["type"].as_str() {
            Some("file") => assert_file_shape(&event["source"]),
            Some("folder") => assert!(is_folder_mini(&event["source"]), "{event}"),
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
