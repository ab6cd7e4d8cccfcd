//! Box metadata: enterprise templates made, read, listed and deleted (with their instances);
//! instances on files and folders made, read, listed, changed by JSON Patch and deleted, each
//! change read back; and the errors, in Box's envelope or the metadata service's own shape,
//! each leaving the state as it was.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::box_api::*;
use crate::support::{spawn, TestApp};

/// The template the tests use: one field of each type.
fn contract_body() -> Value {
    json!({
        "scope": "enterprise",
        "templateKey": "contract",
        "displayName": "Contract",
        "fields": [
            {"type": "string", "key": "name", "displayName": "Name"},
            {"type": "float", "key": "amount", "displayName": "Amount", "description": "In euros"},
            {"type": "date", "key": "signed", "displayName": "Signed"},
            {"type": "enum", "key": "country", "displayName": "Country",
             "options": [{"key": "US"}, {"key": "FR"}]},
            {"type": "multiSelect", "key": "sports", "displayName": "Sports",
             "options": [{"key": "tennis"}, {"key": "golf"}]},
        ],
    })
}

async fn make_template(app: &TestApp) -> Value {
    let made = send_json(
        app,
        Method::POST,
        "/2.0/metadata_templates/schema",
        contract_body(),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{made:?}");
    made.body
}

/// The template as Box shows it, with the ids the reply gave.
fn contract_json(made: &Value) -> Value {
    let id = |n: usize| made["fields"][n]["id"].clone();
    let option = |n: usize, o: usize| made["fields"][n]["options"][o]["id"].clone();
    json!({
        "id": made["id"],
        "type": "metadata_template",
        "scope": "enterprise_1",
        "templateKey": "contract",
        "displayName": "Contract",
        "hidden": false,
        "copyInstanceOnItemCopy": false,
        "fields": [
            {"id": id(0), "type": "string", "key": "name", "displayName": "Name", "hidden": false},
            {"id": id(1), "type": "float", "key": "amount", "displayName": "Amount",
             "hidden": false, "description": "In euros"},
            {"id": id(2), "type": "date", "key": "signed", "displayName": "Signed", "hidden": false},
            {"id": id(3), "type": "enum", "key": "country", "displayName": "Country",
             "hidden": false, "options": [{"id": option(3, 0), "key": "US"}, {"id": option(3, 1), "key": "FR"}]},
            {"id": id(4), "type": "multiSelect", "key": "sports", "displayName": "Sports",
             "hidden": false, "options": [{"id": option(4, 0), "key": "tennis"}, {"id": option(4, 1), "key": "golf"}]},
        ],
    })
}

/// An instance as Box shows it: the values, then the `$` keys.
fn instance_json(values: Value, parent: &str, template: &Value, id: &Value, version: u64) -> Value {
    let mut out = values;
    let scope = template["scope"].clone();
    let key = template["templateKey"].as_str().unwrap();
    out["$parent"] = json!(parent);
    out["$template"] = json!(key);
    out["$scope"] = scope;
    out["$version"] = json!(version);
    out["$id"] = id.clone();
    out["$type"] = json!(format!("{key}-{}", template["id"].as_str().unwrap()));
    out["$typeVersion"] = json!(0);
    out["$canEdit"] = json!(true);
    out
}

/// The metadata service's error body, for the request the reply names (its form checked).
fn metadata_error(reply: &Reply, code: &str, message: &str) -> Value {
    assert_metadata_error_shape(&reply.body);
    let request_id = reply.body["request_id"].as_str().unwrap();
    assert!(
        request_id.len() == 16 && request_id.bytes().all(|b| b.is_ascii_alphanumeric()),
        "{request_id}"
    );
    json!({"message": message, "code": code, "request_id": request_id})
}

/// The request id of a Box envelope reply.
fn rid(reply: &Reply) -> String {
    reply.body["request_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_template_is_made_read_listed_and_deleted_with_its_instances() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();

    // Act
    let made = make_template(&app).await;
    let read = get(&app, "/2.0/metadata_templates/enterprise/contract/schema").await;
    let long = get(&app, "/2.0/metadata_templates/enterprise_1/contract/schema").await;
    let listed = get(&app, "/2.0/metadata_templates/enterprise").await;
    let properties = get(&app, "/2.0/metadata_templates/global/properties/schema").await;
    let path = format!("/2.0/files/{f}/metadata/enterprise/contract");
    let instance = send_json(&app, Method::POST, &path, json!({"name": "x"})).await;
    assert_eq!(instance.status, StatusCode::CREATED);
    let deleted = send(request(
        &app,
        Method::DELETE,
        "/2.0/metadata_templates/enterprise/contract/schema",
    ))
    .await;

    // Assert
    let expected = contract_json(&made);
    assert_eq!(made, expected);
    assert_metadata_template_shape(&made);
    assert_eq!((read.status, &read.body), (StatusCode::OK, &expected));
    assert_eq!((long.status, &long.body), (StatusCode::OK, &expected));
    assert_eq!(
        (listed.status, listed.body),
        (
            StatusCode::OK,
            json!({"limit": 100, "next_marker": null, "prev_marker": null, "entries": [expected]})
        )
    );
    assert_eq!(
        (properties.status, &properties.body),
        (
            StatusCode::OK,
            &json!({
                "id": "6bcba49f-ca6d-4d2a-a758-57fe6edf44d0", "type": "metadata_template",
                "scope": "global", "templateKey": "properties", "displayName": "Properties",
                "hidden": false, "copyInstanceOnItemCopy": false, "fields": [],
            })
        )
    );
    assert_metadata_template_shape(&properties.body);
    assert_eq!(
        (deleted.status, deleted.body),
        (StatusCode::NO_CONTENT, Value::Null)
    );
    // Read back: the template and its instance are gone.
    let gone = get(&app, "/2.0/metadata_templates/enterprise/contract/schema").await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let expected = metadata_error(
        &gone,
        "instance_tuple_not_found",
        "Template not found for the given scope and template key.",
    );
    assert_eq!(gone.body, expected);
    let list = get(&app, &format!("/2.0/files/{f}/metadata")).await;
    assert_eq!(list.body, json!({"entries": [], "limit": 100}));
    let listed = get(&app, "/2.0/metadata_templates/enterprise").await;
    assert_eq!(listed.body["entries"], json!([]));
}

#[tokio::test]
async fn an_instance_is_made_read_patched_and_deleted_on_a_file_and_on_a_folder() {
    // Arrange
    let app = spawn().start().await;
    let template = make_template(&app).await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let folder = create_folder(&app, "0", "docs").await;
    let items = [
        ("files", id(&file).to_owned(), format!("file_{}", id(&file))),
        (
            "folders",
            id(&folder).to_owned(),
            format!("folder_{}", id(&folder)),
        ),
    ];
    for (kind, item, parent) in items {
        let path = format!("/2.0/{kind}/{item}/metadata/enterprise/contract");
        let values = json!({
            "name": "John", "amount": 23, "signed": "2001-01-03T02:20:50.520Z",
            "country": "US", "sports": ["golf", "tennis"],
        });

        // Act: make it, then one patch with every operation Box takes.
        let made = send_json(&app, Method::POST, &path, values.clone()).await;
        let read = get(&app, &path).await;
        let patch = json!([
            {"op": "test", "path": "/name", "value": "John"},
            {"op": "replace", "path": "/amount", "value": 24.5},
            {"op": "remove", "path": "/signed"},
            {"op": "add", "path": "/country", "value": "FR"},
            {"op": "copy", "from": "/name", "path": "/name2"},
            {"op": "move", "from": "/name2", "path": "/name"},
        ]);
        // `name2` is no field of the template: only the end state is checked, as one change.
        let patched = send(
            request(&app, Method::PUT, &path)
                .header("content-type", "application/json-patch+json")
                .body(patch.to_string()),
        )
        .await;
        let after_patch = get(&app, &path).await;
        let listed = get(&app, &format!("/2.0/{kind}/{item}/metadata")).await;
        let deleted = send(request(&app, Method::DELETE, &path)).await;
        let after_delete = get(&app, &path).await;
        let empty = get(&app, &format!("/2.0/{kind}/{item}/metadata")).await;

        // Assert
        let instance_id = made.body["$id"].clone();
        let expected = instance_json(values, &parent, &template, &instance_id, 0);
        assert_eq!(
            (made.status, &made.body),
            (StatusCode::CREATED, &expected),
            "{kind}"
        );
        assert_metadata_shape(&made.body);
        assert_eq!(
            (read.status, &read.body),
            (StatusCode::OK, &expected),
            "{kind}"
        );
        let changed = json!({
            "name": "John", "amount": 24.5, "country": "FR", "sports": ["golf", "tennis"],
        });
        let changed = instance_json(changed, &parent, &template, &instance_id, 1);
        assert_eq!(
            (patched.status, &patched.body),
            (StatusCode::OK, &changed),
            "{kind}"
        );
        assert_eq!(after_patch.body, changed, "{kind}");
        assert_eq!(
            (listed.status, listed.body),
            (StatusCode::OK, json!({"entries": [changed], "limit": 100})),
            "{kind}"
        );
        assert_eq!(
            (deleted.status, deleted.body),
            (StatusCode::NO_CONTENT, Value::Null)
        );
        assert_eq!(after_delete.status, StatusCode::NOT_FOUND, "{kind}");
        assert_eq!(
            after_delete.body,
            error_json(
                &rid(&after_delete),
                404,
                "instance_not_found",
                "Instance not found.",
                None
            )
        );
        assert_eq!(empty.body, json!({"entries": [], "limit": 100}), "{kind}");
    }
}

#[tokio::test]
async fn global_properties_take_any_keys_and_stay_through_the_trash() {
    // Arrange
    let app = spawn().start().await;
    let file = upload(&app, "0", "a.txt", b"one").await;
    let f = id(&file).to_owned();
    let path = format!("/2.0/files/{f}/metadata/global/properties");

    // Act
    let made = send_json(&app, Method::POST, &path, json!({"foo": "bar", "n": 1})).await;
    send(request(&app, Method::DELETE, &format!("/2.0/files/{f}"))).await;
    let trashed = get(&app, &path).await;
    send(request(&app, Method::POST, &format!("/2.0/files/{f}"))).await;
    let restored = get(&app, &path).await;

    // Assert
    let expected = json!({
        "foo": "bar", "n": 1, "$parent": format!("file_{f}"), "$template": "properties",
        "$scope": "global", "$version": 0, "$id": made.body["$id"],
        "$type": "properties-6bcba49f-ca6d-4d2a-a758-57fe6edf44d0", "$typeVersion": 0,
        "$canEdit": true,
    });
    assert_eq!((made.status, &made.body), (StatusCode::CREATED, &expected));
    assert_eq!(
        (trashed.status, trashed.body.clone()),
        (
            StatusCode::NOT_FOUND,
            error_json(&rid(&trashed), 404, "trashed", "Item is trashed", None)
        )
    );
    assert_eq!((restored.status, restored.body), (StatusCode::OK, expected));
}

/// One bad request, and what it must get.
struct Case {
    reason: &'static str,
    method: Method,
    path: String,
    body: Option<Value>,
    token: &'static str,
    status: StatusCode,
    expected: fn(&Reply) -> Value,
}

/// Every instance and template the app holds for the test's file and folder.
async fn snapshot(app: &TestApp, file: &str, other: &str, folder: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for path in [
        format!("/2.0/files/{file}/metadata"),
        format!("/2.0/files/{other}/metadata"),
        format!("/2.0/folders/{folder}/metadata"),
        "/2.0/metadata_templates/enterprise".to_owned(),
    ] {
        out.push(get(app, &path).await.body);
    }
    out
}

#[tokio::test]
async fn bad_metadata_requests_get_boxs_errors_and_change_nothing() {
    // Arrange: a template, a file with an instance, one without, a folder.
    let app = spawn().start().await;
    make_template(&app).await;
    let file = id(&upload(&app, "0", "a.txt", b"one").await).to_owned();
    let other = id(&upload(&app, "0", "b.txt", b"two").await).to_owned();
    let folder = id(&create_folder(&app, "0", "docs").await).to_owned();
    let path = format!("/2.0/files/{file}/metadata/enterprise/contract");
    let made = send_json(
        &app,
        Method::POST,
        &path,
        json!({"name": "John", "amount": 1}),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED);
    let fresh = format!("/2.0/files/{other}/metadata/enterprise/contract");
    fn not_found_body(r: &Reply) -> Value {
        not_found(&rid(r))
    }
    fn tuple_not_found(r: &Reply) -> Value {
        metadata_error(
            r,
            "instance_tuple_not_found",
            "Template not found for the given scope and template key.",
        )
    }
    fn exists(r: &Reply) -> Value {
        metadata_error(r, "tuple_already_exists", "Conflict on Metadata Instance.")
    }
    fn wrong_float(r: &Reply) -> Value {
        metadata_error(
            r,
            "schema_validation_failed",
            "Encountered invalid value for template field key=amount field type=float",
        )
    }
    fn wrong_enum(r: &Reply) -> Value {
        metadata_error(
            r,
            "schema_validation_failed",
            "Encountered invalid value for template field key=country field type=enum",
        )
    }
    fn unknown_key(r: &Reply) -> Value {
        metadata_error(
            r,
            "schema_validation_failed",
            "Encountered invalid key color for template contract",
        )
    }
    fn test_failed(r: &Reply) -> Value {
        metadata_error(
            r,
            "failed_json_patch_application",
            "value differs from expectations",
        )
    }
    fn bad_op(r: &Reply) -> Value {
        bad_request(
            &rid(r),
            "invalid_parameter",
            "body",
            "Unknown op: expected add, replace, remove, test, move or copy.",
        )
    }
    fn not_array(r: &Reply) -> Value {
        bad_request(
            &rid(r),
            "invalid_parameter",
            "body",
            "Expected an array of JSON Patch operations.",
        )
    }
    fn no_value(r: &Reply) -> Value {
        bad_request(
            &rid(r),
            "invalid_parameter",
            "body",
            "The path \"/color\" has no value",
        )
    }
    fn no_instance(r: &Reply) -> Value {
        error_json(
            &rid(r),
            404,
            "instance_not_found",
            "Instance not found.",
            None,
        )
    }
    fn root(r: &Reply) -> Value {
        method_not_allowed(&rid(r))
    }
    fn bad_scope(r: &Reply) -> Value {
        bad_request(
            &rid(r),
            "invalid_parameter",
            "scope",
            "Invalid value. Expected global or enterprise.",
        )
    }
    fn global_template(r: &Reply) -> Value {
        insufficient_permission(&rid(r))
    }
    fn template_taken(r: &Reply) -> Value {
        error_json(
            &rid(r),
            409,
            "conflict",
            "A template with this key already exists.",
            None,
        )
    }
    fn bad_key(r: &Reply) -> Value {
        bad_request(
            &rid(r),
            "invalid_parameter",
            "templateKey",
            "Invalid value. Must match ^[a-zA-Z_][-a-zA-Z0-9_]*$, at most 64 characters.",
        )
    }
    let case = |reason, method, path: &str, body, token, status, expected| Case {
        reason,
        method,
        path: path.to_owned(),
        body,
        token,
        status,
        expected,
    };
    let patch = |ops: Value| Some(ops);
    let cases = [
        case(
            "unknown template",
            Method::POST,
            &format!("/2.0/files/{other}/metadata/enterprise/nothing"),
            Some(json!({})),
            TOKEN,
            StatusCode::NOT_FOUND,
            tuple_not_found,
        ),
        case(
            "another enterprise's template",
            Method::POST,
            &format!("/2.0/files/{other}/metadata/enterprise_99/contract"),
            Some(json!({})),
            TOKEN,
            StatusCode::NOT_FOUND,
            tuple_not_found,
        ),
        case(
            "a string in a float field",
            Method::POST,
            &fresh,
            Some(json!({"amount": "many"})),
            TOKEN,
            StatusCode::BAD_REQUEST,
            wrong_float,
        ),
        case(
            "an option the enum lacks",
            Method::POST,
            &fresh,
            Some(json!({"country": "DE"})),
            TOKEN,
            StatusCode::BAD_REQUEST,
            wrong_enum,
        ),
        case(
            "a key the template lacks",
            Method::POST,
            &fresh,
            Some(json!({"color": "red"})),
            TOKEN,
            StatusCode::BAD_REQUEST,
            unknown_key,
        ),
        case(
            "a second instance",
            Method::POST,
            &path,
            Some(json!({})),
            TOKEN,
            StatusCode::CONFLICT,
            exists,
        ),
        case(
            "a patch op Box does not take",
            Method::PUT,
            &path,
            patch(json!([{"op": "merge", "path": "/name", "value": "x"}])),
            TOKEN,
            StatusCode::BAD_REQUEST,
            bad_op,
        ),
        case(
            "a patch that is no array",
            Method::PUT,
            &path,
            patch(json!({"op": "add"})),
            TOKEN,
            StatusCode::BAD_REQUEST,
            not_array,
        ),
        case(
            "a failing test, after a good replace",
            Method::PUT,
            &path,
            patch(
                json!([{"op": "replace", "path": "/name", "value": "Jane"}, {"op": "test", "path": "/name", "value": "John"}]),
            ),
            TOKEN,
            StatusCode::CONFLICT,
            test_failed,
        ),
        case(
            "a patch giving a float field a string",
            Method::PUT,
            &path,
            patch(json!([{"op": "replace", "path": "/amount", "value": "x"}])),
            TOKEN,
            StatusCode::BAD_REQUEST,
            wrong_float,
        ),
        case(
            "a patch replacing a missing key",
            Method::PUT,
            &path,
            patch(json!([{"op": "replace", "path": "/color", "value": "x"}])),
            TOKEN,
            StatusCode::BAD_REQUEST,
            no_value,
        ),
        case(
            "a patch of no instance",
            Method::PUT,
            &fresh,
            patch(json!([])),
            TOKEN,
            StatusCode::NOT_FOUND,
            no_instance,
        ),
        case(
            "reading no instance",
            Method::GET,
            &fresh,
            None,
            TOKEN,
            StatusCode::NOT_FOUND,
            no_instance,
        ),
        case(
            "deleting no instance",
            Method::DELETE,
            &fresh,
            None,
            TOKEN,
            StatusCode::NOT_FOUND,
            no_instance,
        ),
        case(
            "a missing file",
            Method::POST,
            "/2.0/files/999999/metadata/enterprise/contract",
            Some(json!({})),
            TOKEN,
            StatusCode::NOT_FOUND,
            not_found_body,
        ),
        case(
            "a folder id as a file",
            Method::GET,
            &format!("/2.0/files/{folder}/metadata"),
            None,
            TOKEN,
            StatusCode::NOT_FOUND,
            not_found_body,
        ),
        case(
            "another user's file",
            Method::GET,
            &path,
            None,
            "someone-else",
            StatusCode::NOT_FOUND,
            not_found_body,
        ),
        case(
            "another user's file, patched",
            Method::PUT,
            &path,
            patch(json!([{"op": "replace", "path": "/name", "value": "x"}])),
            "someone-else",
            StatusCode::NOT_FOUND,
            not_found_body,
        ),
        case(
            "the root folder",
            Method::POST,
            "/2.0/folders/0/metadata/enterprise/contract",
            Some(json!({})),
            TOKEN,
            StatusCode::METHOD_NOT_ALLOWED,
            root,
        ),
        case(
            "a scope Box does not have",
            Method::GET,
            &format!("/2.0/files/{file}/metadata/company/contract"),
            None,
            TOKEN,
            StatusCode::BAD_REQUEST,
            bad_scope,
        ),
        case(
            "a global template",
            Method::POST,
            "/2.0/metadata_templates/schema",
            Some(json!({"scope": "global", "displayName": "G"})),
            TOKEN,
            StatusCode::FORBIDDEN,
            global_template,
        ),
        case(
            "a template key taken",
            Method::POST,
            "/2.0/metadata_templates/schema",
            Some(contract_body()),
            TOKEN,
            StatusCode::CONFLICT,
            template_taken,
        ),
        case(
            "a template key Box refuses",
            Method::POST,
            "/2.0/metadata_templates/schema",
            Some(json!({"scope": "enterprise", "displayName": "G", "templateKey": "1bad"})),
            TOKEN,
            StatusCode::BAD_REQUEST,
            bad_key,
        ),
        case(
            "deleting global.properties",
            Method::DELETE,
            "/2.0/metadata_templates/global/properties/schema",
            None,
            TOKEN,
            StatusCode::FORBIDDEN,
            global_template,
        ),
    ];
    let before = snapshot(&app, &file, &other, &folder).await;

    for case in cases {
        // Act
        let mut builder = app
            .client
            .request(case.method.clone(), app.url(&case.path))
            .bearer_auth(case.token);
        if let Some(body) = &case.body {
            builder = builder.json(body);
        }
        let reply = send(builder).await;

        // Assert
        assert_eq!(
            reply.status, case.status,
            "{}: {:?}",
            case.reason, reply.body
        );
        assert_eq!(reply.body, (case.expected)(&reply), "{}", case.reason);
        assert_eq!(
            snapshot(&app, &file, &other, &folder).await,
            before,
            "{}: state unchanged",
            case.reason
        );
    }
}

#[tokio::test]
async fn box_sdk_gen_makes_a_template_and_an_instance_patches_and_reads_it_back() {
    // Arrange
    let app = spawn().start().await;
    let root = app.emulator.box_url();

    // Act
    let output = crate::support::run_sdk_script_off_runtime("box_metadata.py", &root).await;

    // Assert: the script's steps passed, and it left no template or instance behind.
    assert!(output.contains("box metadata passed"), "{output}");
    let listed = send(
        app.client
            .get(app.url("/2.0/metadata_templates/enterprise"))
            .bearer_auth("sdk-metadata-token"),
    )
    .await;
    assert_eq!(listed.body["entries"], json!([]));
}

#[tokio::test]
async fn fields_metadata_scope_key_shows_the_instances_on_a_file_and_a_folder() {
    // Arrange
    let app = spawn().start().await;
    let template = make_template(&app).await;
    let file = id(&upload(&app, "0", "a.txt", b"one").await).to_owned();
    let folder = id(&create_folder(&app, "0", "docs").await).to_owned();
    let on_file = format!("/2.0/files/{file}/metadata/enterprise/contract");
    let made = send_json(&app, Method::POST, &on_file, json!({"name": "John"})).await;
    let on_folder = format!("/2.0/folders/{folder}/metadata/global/properties");
    let props = send_json(&app, Method::POST, &on_folder, json!({"a": "b"})).await;
    let fields = "fields=name,metadata.enterprise_1.contract,metadata.global.properties";

    // Act
    let file_reply = get(&app, &format!("/2.0/files/{file}?{fields}")).await;
    let folder_reply = get(&app, &format!("/2.0/folders/{folder}?{fields}")).await;
    let plain = get(&app, &format!("/2.0/files/{file}?fields=name")).await;

    // Assert: each item shows the instance it has; one it lacks is left out.
    let instance = instance_json(
        json!({"name": "John"}),
        &format!("file_{file}"),
        &template,
        &made.body["$id"],
        0,
    );
    assert_eq!(
        (file_reply.status, file_reply.body),
        (
            StatusCode::OK,
            json!({"type": "file", "id": file, "etag": "0", "name": "a.txt",
                   "metadata": {"enterprise_1": {"contract": instance}}})
        )
    );
    assert_eq!(
        (folder_reply.status, folder_reply.body),
        (
            StatusCode::OK,
            json!({"type": "folder", "id": folder, "etag": "0", "name": "docs",
                   "metadata": {"global": {"properties": props.body}}})
        )
    );
    assert_eq!(plain.body.get("metadata"), None);
}
