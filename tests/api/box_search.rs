//! Box's search (`GET /2.0/search`): names matched by word prefix at once, descriptions, tags,
//! comments and the head of a text file's content by whole words; the caller's own items and
//! those collaborated to them; narrowed by type, extension, ancestor folder and content type, offset-paged, each entry a standard object
//! (checked against Box's OpenAPI `File` and `Folder` shapes) or cut to `fields`; the
//! shared-link form; metadata filters (`mdfilters`: equality, any-of, inclusive ranges, with or
//! without a query); every refusal in Box's envelope (the metadata service's for an unknown
//! template).

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::support::box_api::*;
use crate::support::{spawn, TestApp};

/// Root: Quarterly Report.pdf, notes.txt, Reports/ (report-2024.txt, Old/report-2019.pdf), and
/// report-gone.txt in the trash. Ids count up from 1000000002 in this order.
async fn arrange() -> TestApp {
    let app = spawn().start().await;
    upload(&app, "0", "Quarterly Report.pdf", b"q").await; // 1000000002
    upload(&app, "0", "notes.txt", b"n").await; // 1000000003
    let reports = create_folder(&app, "0", "Reports").await; // 1000000004
    upload(&app, id(&reports), "report-2024.txt", b"r").await; // 1000000005
    let old = create_folder(&app, id(&reports), "Old").await; // 1000000006
    upload(&app, id(&old), "report-2019.pdf", b"o").await; // 1000000007
    let gone = upload(&app, "0", "report-gone.txt", b"g").await; // 1000000008
    let deleted = send(request(
        &app,
        Method::DELETE,
        &format!("/2.0/files/{}", id(&gone)),
    ))
    .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    app
}

/// A refusal: why, the query, the status, the reply by request id.
type Case = (&'static str, &'static str, u16, Box<dyn Fn(&str) -> Value>);

fn entry(kind: &str, id: &str, name: &str) -> Value {
    json!({"type": kind, "id": id, "etag": "0", "name": name})
}

fn page(total: usize, limit: usize, offset: usize, entries: Vec<Value>) -> Value {
    json!({
        "total_count": total, "limit": limit, "offset": offset,
        "type": "search_results_items", "entries": entries,
    })
}

/// The first page of a search that finds every live item named "rep…", in name order: all
/// but the trashed report-gone.txt.
fn every_report() -> Value {
    page(
        4,
        30,
        0,
        vec![
            entry("file", "1000000002", "Quarterly Report.pdf"),
            entry("file", "1000000007", "report-2019.pdf"),
            entry("file", "1000000005", "report-2024.txt"),
            entry("folder", "1000000004", "Reports"),
        ],
    )
}

#[tokio::test]
async fn a_search_finds_names_by_word_prefix_in_name_order_and_leaves_the_trash_out() {
    // Arrange
    let app = arrange().await;

    // Act
    let Reply { status, body, .. } = get(&app, "/2.0/search?query=REP&fields=name").await;
    let standard = get(&app, "/2.0/search?query=quarterly").await;

    // Assert
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, every_report());
    assert_eq!(standard.status, StatusCode::OK);
    assert_eq!(standard.body["total_count"], 1);
    assert_eq!(standard.body["type"], "search_results_items");
    let me = user(&app);
    let expected = ExpectedFile {
        id: "1000000002",
        etag: 0,
        name: "Quarterly Report.pdf",
        content: b"q",
        version_id: "5000000001",
        path: vec![root_mini()],
        user: &me,
    };
    assert_eq!(standard.body["entries"], json!([expected.json()]));
    assert_file_shape(&standard.body["entries"][0]);
}

#[tokio::test]
async fn search_filters_narrow_by_type_extension_ancestor_content_type_and_page() {
    // Arrange
    let app = arrange().await;
    let cases = [
        (
            "folders only",
            "query=report&type=folder",
            page(1, 30, 0, vec![entry("folder", "1000000004", "Reports")]),
        ),
        (
            "pdf files, the extension with or without its dot, any case",
            "query=report&file_extensions=PDF,.nothing",
            page(
                2,
                30,
                0,
                vec![
                    entry("file", "1000000002", "Quarterly Report.pdf"),
                    entry("file", "1000000007", "report-2019.pdf"),
                ],
            ),
        ),
        (
            "below Reports, at any depth, not Reports itself",
            "query=report&ancestor_folder_ids=1000000004",
            page(
                2,
                30,
                0,
                vec![
                    entry("file", "1000000007", "report-2019.pdf"),
                    entry("file", "1000000005", "report-2024.txt"),
                ],
            ),
        ),
        (
            "below Reports and Old, which is in Reports: each item once",
            "query=report&ancestor_folder_ids=1000000006,1000000004",
            page(
                2,
                30,
                0,
                vec![
                    entry("file", "1000000007", "report-2019.pdf"),
                    entry("file", "1000000005", "report-2024.txt"),
                ],
            ),
        ),
        (
            "below the root: everything but the root, and nothing in the trash",
            "query=report&ancestor_folder_ids=0",
            every_report(),
        ),
        (
            "several words mean any of them",
            "query=notes%20old",
            page(
                2,
                30,
                0,
                vec![
                    entry("file", "1000000003", "notes.txt"),
                    entry("folder", "1000000006", "Old"),
                ],
            ),
        ),
        (
            "descriptions and tags only: none of these items has any",
            "query=report&content_types=description,tags",
            page(0, 30, 0, vec![]),
        ),
        (
            "web links: the emulator keeps none",
            "query=report&type=web_link",
            page(0, 30, 0, vec![]),
        ),
        (
            "a page of two from the second, a limit over 200 clamped",
            "query=report&limit=2&offset=1",
            page(
                4,
                2,
                1,
                vec![
                    entry("file", "1000000007", "report-2019.pdf"),
                    entry("file", "1000000005", "report-2024.txt"),
                ],
            ),
        ),
        (
            "a limit over the maximum answers with the maximum",
            "query=zzz&limit=500",
            page(0, 200, 0, vec![]),
        ),
    ];

    for (case, query, expected) in cases {
        // Act
        let Reply { status, body, .. } =
            get(&app, &format!("/2.0/search?{query}&fields=name")).await;

        // Assert
        assert_eq!(status, StatusCode::OK, "{case}: {body}");
        assert_eq!(body, expected, "{case}");
    }
}

#[tokio::test]
async fn the_shared_link_form_wraps_each_result_with_no_link() {
    // Arrange
    let app = arrange().await;

    // Act: box_sdk_gen writes the boolean capitalised.
    let Reply { status, body, .. } = get(
        &app,
        "/2.0/search?query=notes&include_recent_shared_links=True&fields=name",
    )
    .await;

    // Assert
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({
            "total_count": 1, "limit": 30, "offset": 0,
            "type": "search_results_with_shared_links",
            "entries": [{
                "type": "search_result",
                "item": entry("file", "1000000003", "notes.txt"),
                "accessible_via_shared_link": null,
            }],
        })
    );
}

#[tokio::test]
async fn searches_box_refuses_answer_its_envelope() {
    // Arrange
    let app = arrange().await;
    let invalid = |name: &'static str, message: &'static str| {
        move |rid: &str| bad_request(rid, "invalid_parameter", name, message)
    };
    let cases: Vec<Case> =
        vec![
        (
            "no query",
            "type=file",
            400,
            Box::new(|rid| bad_request(rid, "missing_parameter", "query", "'query' is required")),
        ),
        (
            "a query of punctuation only",
            "query=%2C%2C",
            400,
            Box::new(|rid| bad_request(rid, "missing_parameter", "query", "'query' is required")),
        ),
        (
            "metadata filters that are not one filter",
            "query=a&mdfilters=%5B%5D",
            400,
            Box::new(invalid(
                "mdfilters",
                "Invalid value for 'mdfilters': a list of exactly one metadata filter is expected.",
            )),
        ),
        (
            "the trash",
            "query=a&trash_content=trashed_only",
            400,
            Box::new(invalid(
                "trash_content",
                "Invalid value 'trashed_only'. The emulator searches with non_trashed_only only.",
            )),
        ),
        (
            "an unknown type",
            "query=a&type=box",
            400,
            Box::new(invalid(
                "type",
                "Invalid value 'box'. The value must be file, folder or web_link.",
            )),
        ),
        (
            "an unknown content type",
            "query=a&content_types=name,colour",
            400,
            Box::new(invalid("content_types", "Invalid value 'colour'.")),
        ),
        (
            "a boolean Box does not write",
            "query=a&include_recent_shared_links=yes",
            400,
            Box::new(invalid(
                "include_recent_shared_links",
                "Invalid value. The value must be true or false.",
            )),
        ),
        (
            "a limit that is not a number",
            "query=a&limit=ten",
            400,
            Box::new(|rid| {
                error_json(rid, 400, "invalid_limit", "Limit is not a valid number", None)
            }),
        ),
        (
            "an offset past 10000",
            "query=a&offset=10001",
            400,
            Box::new(invalid(
                "offset",
                "Invalid value '10001'. The offset must not exceed 10000.",
            )),
        ),
        (
            "an ancestor folder that is not there",
            "query=a&ancestor_folder_ids=999",
            404,
            Box::new(not_found),
        ),
        (
            "an ancestor that is a file",
            "query=a&ancestor_folder_ids=1000000003",
            404,
            Box::new(not_found),
        ),
        (
            "a date filter the emulator does not apply",
            "query=a&created_at_range=2024-01-01T00:00:00Z,",
            400,
            Box::new(invalid(
                "created_at_range",
                "The emulator does not apply 'created_at_range' yet.",
            )),
        ),
        (
            "an order the emulator does not keep",
            "query=a&sort=modified_at",
            400,
            Box::new(invalid(
                "sort",
                "Invalid value 'modified_at'. The emulator searches with relevance only.",
            )),
        ),
    ];
    let ids = [
        "ispcx3sevmwf24kd",
        "5nsjyz48o9wragcz",
        "auz3cuf5o5pf3leh",
        "ov3gk4eju4ge2rac",
        "oinuhub5cwlx1v41",
        "lyz8s2axjhem3eke",
        "zzdtobihk4nv2tyy",
        "d1d7ify2mh7z2bb7",
        "biar33sk4udo1rep",
        "py37c8n589do1au7",
        "vwttn8ywrcqa10p8",
        "auky7qyzrpns0b00",
        "lsdp7mrn36v93vyi",
    ];
    for ((case, query, status, expected), request_id) in
        crate::support::with_request_ids(cases, ids)
    {
        // Act
        let reply = get(&app, &format!("/2.0/search?{query}")).await;

        // Assert
        assert_eq!(reply.status.as_u16(), status, "{case}: {}", reply.body);
        assert_eq!(reply.body, expected(request_id), "{case}");
    }
}

/// box_sdk_gen's own search (`tests/sdk/box_search.py`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_sdk_searches_and_narrows_its_results() {
    // Arrange
    let app = spawn().start().await;
    let root = app.emulator.box_url();

    // Act
    let output = crate::support::run_sdk_script_off_runtime("box_search.py", &root).await;

    // Assert
    assert!(output.contains("box search passed"), "{output}");
}

/// `mdfilters` as a query value: compact JSON (box_sdk_gen strips every space), percent-encoded.
fn mdfilters(filter: Value) -> String {
    let text = serde_json::to_string(&json!([filter])).unwrap();
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn contract(filters: Value) -> String {
    mdfilters(json!({"scope": "enterprise", "templateKey": "contract", "filters": filters}))
}

/// A contract template (one field of each type) and: a.txt (Acme, 100, 2024-01-10, US,
/// [tennis]), b.txt (Beta, 250.5, 2024-03-01, FR, [golf, tennis]), c.txt (no contract;
/// `global.properties` team red, score 7), folder D (country US). Ids from 1000000002 in order.
async fn arrange_metadata() -> TestApp {
    let app = spawn().start().await;
    let template = json!({
        "scope": "enterprise", "templateKey": "contract", "displayName": "Contract",
        "fields": [
            {"type": "string", "key": "name", "displayName": "Name"},
            {"type": "float", "key": "amount", "displayName": "Amount"},
            {"type": "date", "key": "signed", "displayName": "Signed"},
            {"type": "enum", "key": "country", "displayName": "Country",
             "options": [{"key": "US"}, {"key": "FR"}]},
            {"type": "multiSelect", "key": "sports", "displayName": "Sports",
             "options": [{"key": "tennis"}, {"key": "golf"}]},
        ],
    });
    let made = send_json(
        &app,
        Method::POST,
        "/2.0/metadata_templates/schema",
        template,
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{made:?}");
    let a = upload(&app, "0", "a.txt", b"a").await;
    let b = upload(&app, "0", "b.txt", b"b").await;
    let c = upload(&app, "0", "c.txt", b"c").await;
    let d = create_folder(&app, "0", "D").await;
    let instances = [
        (
            format!("/2.0/files/{}/metadata/enterprise/contract", id(&a)),
            json!({"name": "Acme", "amount": 100, "signed": "2024-01-10T00:00:00Z",
                   "country": "US", "sports": ["tennis"]}),
        ),
        (
            format!("/2.0/files/{}/metadata/enterprise/contract", id(&b)),
            json!({"name": "Beta", "amount": 250.5, "signed": "2024-03-01T00:00:00Z",
                   "country": "FR", "sports": ["golf", "tennis"]}),
        ),
        (
            format!("/2.0/files/{}/metadata/global/properties", id(&c)),
            json!({"team": "red", "score": 7}),
        ),
        (
            format!("/2.0/folders/{}/metadata/enterprise/contract", id(&d)),
            json!({"country": "US"}),
        ),
    ];
    for (path, values) in instances {
        let made = send_json(&app, Method::POST, &path, values).await;
        assert_eq!(made.status, StatusCode::CREATED, "{path}: {made:?}");
    }
    app
}

#[tokio::test]
async fn metadata_filters_keep_the_items_whose_instance_passes_every_field() {
    // Arrange
    let app = arrange_metadata().await;
    let a = || entry("file", "1000000002", "a.txt");
    let b = || entry("file", "1000000003", "b.txt");
    let c = || entry("file", "1000000004", "c.txt");
    let d = || entry("folder", "1000000005", "D");
    let cases = [
        (
            "a string equal",
            contract(json!({"name": "Acme"})),
            vec![a()],
        ),
        (
            "an enum on files and folders",
            contract(json!({"country": "US"})),
            vec![a(), d()],
        ),
        (
            "a float range, both bounds inclusive",
            contract(json!({"amount": {"gt": 100, "lt": 250.5}})),
            vec![a(), b()],
        ),
        (
            "a float range open above",
            contract(json!({"amount": {"gt": 100.5}})),
            vec![b()],
        ),
        (
            "a float equal by value",
            contract(json!({"amount": 100.0})),
            vec![a()],
        ),
        (
            "a date range open below, compared as instants",
            contract(json!({"signed": {"lt": "2024-01-10T01:00:00+01:00"}})),
            vec![a()],
        ),
        (
            "a multiSelect holding any of the values",
            contract(json!({"sports": ["golf", "chess"]})),
            vec![b()],
        ),
        (
            "a multiSelect holding the value",
            contract(json!({"sports": "tennis"})),
            vec![a(), b()],
        ),
        (
            "every field must pass",
            contract(json!({"country": "US", "amount": {"lt": 50}})),
            vec![],
        ),
        (
            "no instance matches",
            contract(json!({"name": "Zed"})),
            vec![],
        ),
        (
            "no field filters: every instance",
            contract(json!({})),
            vec![a(), b(), d()],
        ),
        (
            "global properties: a number range",
            mdfilters(json!({"scope": "global", "templateKey": "properties",
                             "filters": {"score": {"gt": 5}}})),
            vec![c()],
        ),
        (
            "the spec example's list of one-key objects",
            contract(json!([{"country": "FR"}, {"name": "Beta"}])),
            vec![b()],
        ),
        (
            "the long scope form",
            mdfilters(json!({"scope": "enterprise_1", "templateKey": "contract",
                             "filters": {"country": "FR"}})),
            vec![b()],
        ),
    ];

    for (case, filter, expected) in cases {
        // Act
        let Reply { status, body, .. } =
            get(&app, &format!("/2.0/search?mdfilters={filter}&fields=name")).await;

        // Assert
        assert_eq!(status, StatusCode::OK, "{case}: {body}");
        let total = expected.len();
        assert_eq!(body, page(total, 30, 0, expected), "{case}");
    }
}

#[tokio::test]
async fn metadata_filters_combine_with_a_query_a_type_and_the_standard_objects() {
    // Arrange
    let app = arrange_metadata().await;
    let us = contract(json!({"country": "US"}));

    // Act
    let with_query = get(
        &app,
        &format!("/2.0/search?query=a&mdfilters={us}&fields=name"),
    )
    .await;
    let folders = get(
        &app,
        &format!("/2.0/search?type=folder&mdfilters={us}&fields=name"),
    )
    .await;
    let standard = get(
        &app,
        &format!("/2.0/search?query=&mdfilters={us}&type=file"),
    )
    .await;

    // Assert
    assert_eq!(
        with_query.body,
        page(1, 30, 0, vec![entry("file", "1000000002", "a.txt")])
    );
    assert_eq!(
        folders.body,
        page(1, 30, 0, vec![entry("folder", "1000000005", "D")])
    );
    assert_eq!(standard.status, StatusCode::OK, "{:?}", standard.body);
    assert_eq!(standard.body["total_count"], 1);
    assert_file_shape(&standard.body["entries"][0]);
}

#[tokio::test]
async fn metadata_filters_box_refuses_answer_its_envelope() {
    // Arrange
    let app = arrange_metadata().await;
    let invalid = |message: &'static str| {
        move |rid: &str| bad_request(rid, "invalid_parameter", "mdfilters", message)
    };
    let tuple_not_found = |rid: &str| {
        json!({
            "message": "Template not found for the given scope and template key.",
            "code": "instance_tuple_not_found",
            "request_id": rid,
        })
    };
    type MdCase = (&'static str, String, u16, Box<dyn Fn(&str) -> Value>);
    let cases: Vec<MdCase> = vec![
        (
            "not JSON",
            "nope".into(),
            400,
            Box::new(invalid("Invalid value for 'mdfilters': not a JSON array.")),
        ),
        (
            "an object, not a list",
            "%7B%7D".into(),
            400,
            Box::new(invalid(
                "Invalid value for 'mdfilters': a list of exactly one metadata filter is expected.",
            )),
        ),
        (
            "two filters: Box takes exactly one",
            {
                let one = json!({"scope": "enterprise", "templateKey": "contract", "filters": {}});
                let two = serde_json::to_string(&json!([one, one])).unwrap();
                two.bytes().map(|b| format!("%{b:02X}")).collect()
            },
            400,
            Box::new(invalid(
                "Invalid value for 'mdfilters': a list of exactly one metadata filter is expected.",
            )),
        ),
        (
            "no template key",
            mdfilters(json!({"scope": "enterprise", "filters": {}})),
            400,
            Box::new(invalid("Invalid value for 'mdfilters': 'templateKey' is required.")),
        ),
        (
            "a scope Box does not have",
            mdfilters(json!({"scope": "team", "templateKey": "contract"})),
            400,
            Box::new(invalid("Invalid value for 'mdfilters': unknown 'scope'.")),
        ),
        (
            "filters that are not an object",
            mdfilters(json!({"scope": "enterprise", "templateKey": "contract", "filters": 3})),
            400,
            Box::new(invalid("Invalid value for 'mdfilters': 'filters' is not an object.")),
        ),
        (
            "a range with another operator",
            contract(json!({"amount": {"eq": 1}})),
            400,
            Box::new(invalid(
                "Invalid value for 'mdfilters': the filter on 'amount' is not a value, a list or a {gt, lt} range.",
            )),
        ),
        (
            "a key the template lacks",
            contract(json!({"colour": "red"})),
            400,
            Box::new(invalid("The template contract has no field colour")),
        ),
        (
            "a range on a string field",
            contract(json!({"name": {"gt": "a"}})),
            400,
            Box::new(invalid("The filter on name does not fit its field (type string)")),
        ),
        (
            "a float range with a text bound",
            contract(json!({"amount": {"gt": "ten"}})),
            400,
            Box::new(invalid("The filter on amount does not fit its field (type float)")),
        ),
        (
            "a date that is not a date",
            contract(json!({"signed": "yesterday"})),
            400,
            Box::new(invalid("The filter on signed does not fit its field (type date)")),
        ),
        (
            "an unknown template",
            mdfilters(json!({"scope": "enterprise", "templateKey": "invoice", "filters": {}})),
            404,
            Box::new(tuple_not_found),
        ),
        (
            "another enterprise's template",
            mdfilters(json!({"scope": "enterprise_99", "templateKey": "contract"})),
            404,
            Box::new(tuple_not_found),
        ),
    ];
    let before = get(&app, "/2.0/files/1000000002/metadata").await;

    for (case, filter, status, expected) in cases {
        // Act
        let reply = get(&app, &format!("/2.0/search?mdfilters={filter}")).await;

        // Assert
        assert_eq!(reply.status.as_u16(), status, "{case}: {}", reply.body);
        let request_id = reply.body["request_id"].as_str().unwrap_or_default();
        assert_eq!(reply.body, expected(request_id), "{case}");
    }
    assert_eq!(
        get(&app, "/2.0/files/1000000002/metadata").await.body,
        before.body
    );
}

/// box-node-sdk's `searchForContent` with `mdfilters` (`tests/sdk/node/box_search_metadata.js`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_sdk_searches_by_metadata() {
    // Arrange
    let app = spawn().start().await;
    let root = app.emulator.box_url();

    // Act
    let output = tokio::task::spawn_blocking(move || {
        crate::support::run_node_script("box_search_metadata.js", &[&root], &[])
    })
    .await
    .expect("the SDK script ran");

    // Assert
    assert!(
        output.contains("box node search metadata passed"),
        "{output}"
    );
}

/// Root: described.bin (description "Zebra stripes"), tagged.bin (tag "walrus"),
/// commented.bin (a comment "a pelican here"), body.txt (content "the heron saw a flamingo",
/// then "osprey" past the first 10,000 bytes), body.bin and body.pdf (content "heron"),
/// Flamingo.bin.
async fn arrange_parts() -> TestApp {
    let app = spawn().start().await;
    let described = upload(&app, "0", "described.bin", b"d").await;
    let edit = |file: &Value, body: Value| {
        let path = format!("/2.0/files/{}", id(file));
        let app = &app;
        async move { send_json(app, Method::PUT, &path, body).await }
    };
    let reply = edit(&described, json!({"description": "Zebra stripes"})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let tagged = upload(&app, "0", "tagged.bin", b"t").await;
    let reply = edit(&tagged, json!({"tags": ["walrus"]})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let commented = upload(&app, "0", "commented.bin", b"c").await;
    let comment =
        json!({"item": {"type": "file", "id": id(&commented)}, "message": "a pelican here"});
    let reply = send_json(&app, Method::POST, "/2.0/comments", comment).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let body = format!("the heron saw a flamingo{}osprey", " ".repeat(10_000));
    upload(&app, "0", "body.txt", body.as_bytes()).await;
    upload(&app, "0", "body.bin", b"heron").await;
    upload(&app, "0", "body.pdf", b"heron").await;
    upload(&app, "0", "Flamingo.bin", b"f").await;
    app
}

#[tokio::test]
async fn a_query_matches_the_parts_content_types_names_by_whole_word_and_names_by_prefix() {
    // Arrange
    let app = arrange_parts().await;
    let cases: [(&str, &str, &[&str]); 19] = [
        (
            "a word of the description",
            "query=zebra",
            &["described.bin"],
        ),
        (
            "description named",
            "query=ZEBRA&content_types=description",
            &["described.bin"],
        ),
        (
            "description not named",
            "query=zebra&content_types=name,tags,comments,file_content",
            &[],
        ),
        ("no prefix in a description", "query=zeb", &[]),
        ("a tag", "query=walrus", &["tagged.bin"]),
        (
            "tags named",
            "query=walrus&content_types=tags",
            &["tagged.bin"],
        ),
        ("tags not named", "query=walrus&content_types=comments", &[]),
        ("a word of a comment", "query=pelican", &["commented.bin"]),
        (
            "comments named",
            "query=pelican&content_types=comments",
            &["commented.bin"],
        ),
        (
            "comments not named",
            "query=pelican&content_types=description",
            &[],
        ),
        (
            "a text file's body; not a .bin's or a .pdf's",
            "query=heron",
            &["body.txt"],
        ),
        (
            "file content named",
            "query=heron&content_types=file_content",
            &["body.txt"],
        ),
        ("past the first 10,000 bytes", "query=osprey", &[]),
        (
            "a prefix matches names, not bodies",
            "query=flam",
            &["Flamingo.bin"],
        ),
        (
            "a whole word matches names and bodies",
            "query=flamingo",
            &["body.txt", "Flamingo.bin"],
        ),
        (
            "names only",
            "query=flamingo&content_types=name",
            &["Flamingo.bin"],
        ),
        (
            "bodies only",
            "query=flamingo&content_types=file_content",
            &["body.txt"],
        ),
        (
            "any word, any part",
            "query=walrus%20pelican",
            &["commented.bin", "tagged.bin"],
        ),
        (
            "the file's name words",
            "query=body&content_types=name",
            &["body.bin", "body.pdf", "body.txt"],
        ),
    ];

    for (case, query, expected) in cases {
        // Act
        let Reply { status, body, .. } =
            get(&app, &format!("/2.0/search?{query}&fields=name")).await;

        // Assert
        assert_eq!(status, StatusCode::OK, "{case}: {body}");
        let names: Vec<&str> = (body["entries"].as_array().unwrap().iter())
            .map(|entry| entry["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, expected, "{case}: {body}");
        assert_eq!(body["total_count"], expected.len(), "{case}");
    }
}

const BOB: &str = "bob-search-token";

async fn bob_searches(app: &TestApp, query: &str) -> Reply {
    let path = format!("/2.0/search?query={query}&fields=name");
    send(app.client.get(app.url(&path)).bearer_auth(BOB)).await
}

#[tokio::test]
async fn a_collaborator_finds_what_a_live_collaboration_opens_and_nothing_once_it_is_removed() {
    // Arrange: the owner's Shared/deep.txt ("a kestrel") and Private/kestrel.txt; Bob's own
    // kestrel notes.txt.
    let app = spawn().start().await;
    let shared = create_folder(&app, "0", "Shared").await;
    let deep = upload(&app, id(&shared), "deep.txt", b"a kestrel").await;
    let private = create_folder(&app, "0", "Private").await;
    upload(&app, id(&private), "kestrel.txt", b"k").await;
    let attributes = r#"{"name": "notes.txt", "parent": {"id": "0"}}"#;
    let parts = [Part::attributes(attributes), Part::file(b"kestrel")];
    let bob_request = app
        .client
        .post(app.url("/api/2.0/files/content"))
        .bearer_auth(BOB);
    let bob_upload = send(with_multipart(bob_request, &parts)).await;
    assert_eq!(
        bob_upload.status,
        StatusCode::CREATED,
        "{}",
        bob_upload.body
    );
    let bob = send(app.client.get(app.url("/2.0/users/me")).bearer_auth(BOB)).await;
    let before = bob_searches(&app, "kestrel").await;
    let collab = json!({"item": {"type": "folder", "id": id(&shared)},
                        "accessible_by": {"type": "user", "login": bob.body["login"]},
                        "role": "viewer"});
    let made = send_json(&app, Method::POST, "/2.0/collaborations", collab).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);

    // Act
    let during = bob_searches(&app, "kestrel%20shared").await;
    let within = |folder: &Value| format!("kestrel&ancestor_folder_ids={}", id(folder));
    let in_shared = bob_searches(&app, &within(&shared)).await;
    let in_private = bob_searches(&app, &within(&private)).await;
    let removed = send(request(
        &app,
        Method::DELETE,
        &format!("/2.0/collaborations/{}", id(&made.body)),
    ))
    .await;
    let after = bob_searches(&app, "kestrel%20shared").await;
    let in_shared_after = bob_searches(&app, &within(&shared)).await;

    // Assert
    let names = |reply: &Reply| -> Vec<String> {
        (reply.body["entries"].as_array().unwrap().iter())
            .map(|entry| entry["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(before.status, StatusCode::OK, "{}", before.body);
    assert_eq!(names(&before), ["notes.txt"], "Bob's own, not the owner's");
    assert_eq!(during.status, StatusCode::OK, "{}", during.body);
    assert_eq!(
        during.body["entries"],
        json!([
            {"type": "file", "id": id(&deep), "etag": "0", "name": "deep.txt"},
            {"type": "file", "id": bob_upload.body["entries"][0]["id"], "etag": "0", "name": "notes.txt"},
            {"type": "folder", "id": id(&shared), "etag": "0", "name": "Shared"},
        ]),
        "the collaborated folder and what is below it; not Private"
    );
    assert_eq!(in_shared.status, StatusCode::OK, "{}", in_shared.body);
    assert_eq!(
        names(&in_shared),
        ["deep.txt"],
        "a collaborated folder narrows the search like one of Bob's own"
    );
    // A folder not collaborated to Bob is as unknown to him as a missing one.
    assert_not_found(&in_private);
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    assert_eq!(names(&after), ["notes.txt"]);
    assert_not_found(&in_shared_after);
}
