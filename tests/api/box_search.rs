//! Box's search (`GET /2.0/search`): names matched by word prefix at once, narrowed by type,
//! extension, ancestor folder and content type, offset-paged, each entry a standard object
//! (checked against Box's OpenAPI `File` and `Folder` shapes) or cut to `fields`; the
//! shared-link form; every refusal in Box's envelope.

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

#[tokio::test]
async fn a_search_finds_names_by_word_prefix_in_name_order_and_leaves_the_trash_out() {
    // Arrange
    let app = arrange().await;

    // Act
    let Reply { status, body, .. } = get(&app, "/2.0/search?query=REP&fields=name").await;
    let standard = get(&app, "/2.0/search?query=quarterly").await;

    // Assert
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        page(
            4,
            30,
            0,
            vec![
                entry("file", "1000000002", "Quarterly Report.pdf"),
                entry("file", "1000000007", "report-2019.pdf"),
                entry("file", "1000000005", "report-2024.txt"),
                entry("folder", "1000000004", "Reports"),
            ]
        )
    );
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
            "descriptions only: names are all the emulator holds",
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
            "metadata filters",
            "query=a&mdfilters=%5B%5D",
            400,
            Box::new(invalid("mdfilters", "The emulator does not apply 'mdfilters' yet.")),
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
