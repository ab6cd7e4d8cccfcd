//! Bad input against the Graph face: each gets Graph's envelope with the right status
//! (<https://learn.microsoft.com/en-us/graph/errors>) and leaves the state as it was. That no
//! request at all makes the server panic or answer 500 is `fuzz`'s property test.

use reqwest::Method;
use serde_json::Value;

use crate::support::graph::{Graph, Reply, TOKEN};
use crate::support::spawn;

/// The body limit the table runs under, so that oversized bodies stay small.
const LIMIT: usize = 1024;

/// One bad request and the error it must get.
struct Case {
    why: &'static str,
    method: Method,
    /// Below the server's root, version prefix included.
    path: String,
    /// `None`: no `Authorization` header; `Some(value)`: that header.
    auth: Option<&'static str>,
    body: Vec<u8>,
    status: u16,
    code: &'static str,
    message: String,
    /// A header the reply must carry, e.g. `Allow` on a 405.
    header: Option<(&'static str, &'static str)>,
}

fn case(why: &'static str, method: Method, path: impl Into<String>) -> Case {
    Case {
        why,
        method,
        path: path.into(),
        auth: Some("Bearer graph-test-token"),
        body: Vec::new(),
        status: 0,
        code: "",
        message: String::new(),
        header: None,
    }
}

impl Case {
    fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    fn auth(mut self, auth: Option<&'static str>) -> Self {
        self.auth = auth;
        self
    }

    fn header(mut self, name: &'static str, value: &'static str) -> Self {
        self.header = Some((name, value));
        self
    }

    fn fails(mut self, status: u16, code: &'static str, message: impl Into<String>) -> Self {
        self.status = status;
        self.code = code;
        self.message = message.into();
        self
    }
}

fn not_found(why: &'static str, method: Method, path: impl Into<String>) -> Case {
    case(why, method, path).fails(404, "itemNotFound", "Item not found")
}

fn unknown_segment(why: &'static str, path: impl Into<String>, segment: &str) -> Case {
    case(why, Method::GET, path).fails(
        400,
        "BadRequest",
        format!("Resource not found for the segment '{segment}'."),
    )
}

fn invalid_version(why: &'static str, path: &str) -> Case {
    case(why, Method::GET, path).fails(400, "BadRequest", "Invalid version.")
}

fn wrong_method(
    why: &'static str,
    method: Method,
    path: impl Into<String>,
    allow: &'static str,
) -> Case {
    case(why, method, path)
        .fails(
            405,
            "invalidRequest",
            "The HTTP method is not allowed for this resource.",
        )
        .header("allow", allow)
}

fn bad_query(why: &'static str, path: impl Into<String>, message: &str) -> Case {
    case(why, Method::GET, path).fails(400, "BadRequest", message)
}

fn unauthenticated(
    why: &'static str,
    method: Method,
    path: impl Into<String>,
    auth: Option<&'static str>,
) -> Case {
    case(why, method, path)
        .auth(auth)
        .fails(401, "InvalidAuthenticationToken", "Access token is empty.")
        .header(
            "www-authenticate",
            "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"",
        )
}

const BAD_JSON: &str = "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.";
const NEED_FOLDER: &str =
    "Either 'folder' or 'file' must be provided, but not both; only folders can be created this way.";

/// Everything a client can read back: the drive, the root's listing, the file and its versions.
async fn snapshot(graph: &Graph, file: &str) -> Vec<Value> {
    let mut state = Vec::new();
    for path in [
        "/me/drive".to_owned(),
        "/me/drive/root".to_owned(),
        "/me/drive/root/children".to_owned(),
        "/me/drive/root:/dir:/children".to_owned(),
        format!("/me/drive/items/{file}"),
        format!("/me/drive/items/{file}/versions"),
    ] {
        state.push(graph.get(&path).await.body);
    }
    state
}

#[tokio::test]
async fn bad_inputs_get_graphs_envelope_and_change_nothing() {
    // Arrange
    let graph = spawn().max_body(LIMIT).graph().await;
    let file = graph.upload("/notes.txt", b"one").await;
    graph.upload("/notes.txt", b"two").await;
    graph.upload("/dir/inner.txt", b"in").await;
    let id = file["id"].as_str().unwrap().to_owned();
    let item = format!("/v1.0/me/drive/items/{id}");
    let before = snapshot(&graph, &id).await;
    let folder = |json: &str| json.as_bytes().to_vec();
    let cases = vec![
        // Authentication.
        unauthenticated("no Authorization header", Method::GET, "/v1.0/me/drive", None),
        unauthenticated("a blank bearer token", Method::GET, item.clone(), Some("Bearer ")),
        unauthenticated("spaces for a token", Method::GET, item.clone(), Some("Bearer    ")),
        unauthenticated("another scheme", Method::GET, item.clone(), Some("Basic dXNlcjpwYXNz")),
        unauthenticated("a token without a scheme", Method::GET, item.clone(), Some(TOKEN)),
        unauthenticated("an upload without a token", Method::PUT, format!("{item}/content"), None)
            .body("new"),
        unauthenticated(
            "a restore without a token",
            Method::POST,
            format!("{item}/versions/1.0/restoreVersion"),
            None,
        ),
        unauthenticated("a delete without a token", Method::DELETE, item.clone(), None),
        // Version prefix.
        invalid_version("an unknown version", "/v2.0/me/drive"),
        invalid_version("no version at all", "/me/drive"),
        invalid_version("the version in upper case", "/V1.0/me/drive"),
        invalid_version("a version with a suffix", "/v1.0x/me/drive"),
        invalid_version("the server root", "/"),
        // Paths.
        unknown_segment("nothing after the version", "/v1.0", ""),
        unknown_segment("a bare slash after the version", "/v1.0/", ""),
        unknown_segment("a group, not a drive", "/v1.0/groups/g1", "g1"),
        unknown_segment("a misspelt drive", "/v1.0/me/drivez", "drivez"),
        unknown_segment("an unknown root", "/v1.0/planner/plans", "planner"),
        unknown_segment("a misspelt operation", format!("{item}/contents"), "contents"),
        unknown_segment("a segment after content", format!("{item}/content/more"), "more"),
        unknown_segment(
            "an unknown version action",
            format!("{item}/versions/1.0/restore"),
            "restore",
        ),
        unknown_segment("a trailing slash", format!("{item}/"), ""),
        unknown_segment("a trailing colon-slash", "/v1.0/me/drive/root:/notes.txt:/", ""),
        // `root:/` alone is the root (onedrive_overwrites); before an operation it is not a path.
        case("an empty colon path", Method::GET, "/v1.0/me/drive/root:/:/content").fails(
            400,
            "invalidRequest",
            "The path segment ':' is not a valid item path.",
        ),
        case("an empty path segment", Method::GET, "/v1.0/me/drive/root:/dir//inner.txt:")
            .fails(400, "invalidRequest", "The path segment '' is not a valid item path."),
        case("a colon inside a name", Method::GET, "/v1.0/me/drive/root:/a:b:").fails(
            400,
            "invalidRequest",
            "The path segment 'a:b:' is not a valid item path.",
        ),
        case("a malformed escape", Method::GET, "/v1.0/me/drive/items/7%zz").fails(
            400,
            "BadRequest",
            "The segment '7%zz' is not validly percent-encoded UTF-8.",
        ),
        case("an escape that is not UTF-8", Method::GET, "/v1.0/me/drive/items/%FF").fails(
            400,
            "BadRequest",
            "The segment '%FF' is not validly percent-encoded UTF-8.",
        ),
        case("a reserved character in a name", Method::PUT, "/v1.0/me/drive/root:/a*b.txt:/content")
            .body("x")
            .fails(
                400,
                "invalidRequest",
                "Invalid name: \"a*b.txt\": the name contains a character that is not allowed",
            ),
        case("a file used as a folder", Method::PUT, "/v1.0/me/drive/root:/notes.txt/x.txt:/content")
            .body("x")
            .fails(400, "invalidRequest", "A segment of the path is a file, not a folder."),
        case("deleting the root", Method::DELETE, "/v1.0/me/drive/root").fails(
            400,
            "invalidRequest",
            "The root folder cannot be deleted, moved or renamed.",
        ),
        // Query options.
        bad_query(
            "a $top that is not a number",
            format!("{item}/versions?$top=abc"),
            "Invalid value 'abc' for query option '$top'. It must be a non-negative integer.",
        ),
        bad_query(
            "a $top of zero",
            format!("{item}/versions?$top=0"),
            "Invalid value '0' for query option '$top'. It must be a positive integer.",
        ),
        bad_query(
            "a repeated $top",
            format!("{item}/versions?$top=1&$top=2"),
            "Query option '$top' was specified more than once, but it must be specified at most once.",
        ),
        bad_query(
            "a skip token we never issued",
            format!("{item}/versions?$skiptoken=zz"),
            "The value 'zz' of $skiptoken is not valid.",
        ),
        bad_query(
            "an unknown system query option",
            format!("{item}?$bogus=1"),
            "The query parameter '$bogus' is not supported.",
        ),
        bad_query(
            "a malformed escape in the query",
            format!("{item}?$select=%ZZ"),
            "The query string part '%ZZ' is not validly percent-encoded UTF-8.",
        ),
        case(
            "an unknown conflict behaviour",
            Method::PUT,
            "/v1.0/me/drive/root:/notes.txt:/content?@microsoft.graph.conflictBehavior=overwrite",
        )
        .body("x")
        .fails(
            400,
            "invalidRequest",
            "Invalid value 'overwrite' for @microsoft.graph.conflictBehavior.",
        ),
        // JSON bodies.
        case("a body that is not JSON", Method::POST, "/v1.0/me/drive/root/children")
            .body("name=x")
            .fails(400, "BadRequest", BAD_JSON),
        case("a JSON array", Method::POST, "/v1.0/me/drive/root/children")
            .body("[]")
            .fails(400, "BadRequest", BAD_JSON),
        case("a name that is not a string", Method::POST, "/v1.0/me/drive/root/children")
            .body(folder(r#"{"name": 5, "folder": {}}"#))
            .fails(400, "BadRequest", BAD_JSON),
        case("truncated JSON", Method::POST, "/v1.0/me/drive/root/children")
            .body(folder(r#"{"name": "x", "fol"#))
            .fails(400, "BadRequest", BAD_JSON),
        case("an empty body", Method::POST, "/v1.0/me/drive/root/children")
            .fails(400, "BadRequest", BAD_JSON),
        case("no name", Method::POST, "/v1.0/me/drive/root/children")
            .body(folder(r#"{"folder": {}}"#))
            .fails(400, "invalidRequest", "The property 'name' is required."),
        case("no folder facet", Method::POST, "/v1.0/me/drive/root/children")
            .body(folder(r#"{"name": "x"}"#))
            .fails(400, "invalidRequest", NEED_FOLDER),
        case("a file facet", Method::POST, "/v1.0/me/drive/root/children")
            .body(folder(r#"{"name": "x", "file": {}, "folder": {}}"#))
            .fails(400, "invalidRequest", NEED_FOLDER),
        case("a slash in a folder name", Method::POST, "/v1.0/me/drive/root/children")
            .body(folder(r#"{"name": "a/b", "folder": {}}"#))
            .fails(
                400,
                "invalidRequest",
                "Invalid name: \"a/b\": the name contains a character that is not allowed",
            ),
        case("a bad conflict behaviour in the body", Method::POST, "/v1.0/me/drive/root/children")
            .body(folder(
                r#"{"name": "x", "folder": {}, "@microsoft.graph.conflictBehavior": "nope"}"#,
            ))
            .fails(
                400,
                "invalidRequest",
                "Invalid value 'nope' for @microsoft.graph.conflictBehavior.",
            ),
        case("a folder over an existing file", Method::POST, "/v1.0/me/drive/root/children")
            .body(folder(r#"{"name": "NOTES.TXT", "folder": {}}"#))
            .fails(
                409,
                "nameAlreadyExists",
                "An item with the same name already exists under the parent.",
            ),
        // Oversized bodies.
        case("an upload over the body limit", Method::PUT, format!("{item}/content"))
            .body(vec![b'x'; 2 * LIMIT])
            .fails(413, "BadRequest", "Maximum request length exceeded."),
        case("a folder body over the limit", Method::POST, "/v1.0/me/drive/root/children")
            .body(format!(r#"{{"name": "{}", "folder": {{}}}}"#, "x".repeat(2 * LIMIT)))
            .fails(413, "BadRequest", "Maximum request length exceeded."),
        // Unknown ids.
        not_found("an unknown item id", Method::GET, "/v1.0/me/drive/items/999"),
        not_found("an item id that is not ours", Method::GET, "/v1.0/me/drive/items/abc"),
        not_found("an unknown path", Method::GET, "/v1.0/me/drive/root:/nope.txt"),
        not_found("a path through a file", Method::GET, "/v1.0/me/drive/root:/notes.txt/x:"),
        not_found("deleting an unknown item", Method::DELETE, "/v1.0/me/drive/items/999"),
        not_found("uploading to an unknown item", Method::PUT, "/v1.0/me/drive/items/999/content")
            .body("x"),
        not_found("uploading below an unknown item", Method::PUT, "/v1.0/me/drive/items/999:/a.txt:/content")
            .body("x"),
        not_found("a folder in an unknown item", Method::POST, "/v1.0/me/drive/items/999/children")
            .body(folder(r#"{"name": "x", "folder": {}}"#)),
        not_found("an unknown drive", Method::GET, "/v1.0/drives/b!nobody/root"),
        not_found(
            "restoring on an unknown item",
            Method::POST,
            "/v1.0/me/drive/items/999/versions/1.0/restoreVersion",
        ),
        not_found(
            "restoring an unknown version",
            Method::POST,
            format!("{item}/versions/7.0/restoreVersion"),
        ),
        // Wrong methods.
        wrong_method("posting to the drive", Method::POST, "/v1.0/me/drive", "GET, HEAD"),
        wrong_method("posting to an item", Method::POST, item.clone(), "GET, HEAD, PATCH, DELETE"),
        wrong_method("putting an item", Method::PUT, item.clone(), "GET, HEAD, PATCH, DELETE"),
        wrong_method("deleting the user", Method::DELETE, "/v1.0/me", "GET, HEAD"),
        wrong_method("posting content", Method::POST, format!("{item}/content"), "GET, HEAD, PUT"),
        wrong_method(
            "deleting the version list",
            Method::DELETE,
            format!("{item}/versions"),
            "GET, HEAD",
        ),
        wrong_method(
            "putting a version",
            Method::PUT,
            format!("{item}/versions/1.0"),
            "GET, HEAD, DELETE",
        ),
        wrong_method(
            "getting restoreVersion",
            Method::GET,
            format!("{item}/versions/1.0/restoreVersion"),
            "POST",
        ),
        wrong_method(
            "putting restoreVersion",
            Method::PUT,
            format!("{item}/versions/1.0/microsoft.graph.restoreVersion"),
            "POST",
        ),
        wrong_method(
            "deleting children",
            Method::DELETE,
            "/v1.0/me/drive/root/children",
            "GET, HEAD, POST",
        ),
        wrong_method(
            "an unusual method",
            Method::from_bytes(b"PURGE").unwrap(),
            item.clone(),
            "GET, HEAD, PATCH, DELETE",
        ),
    ];

    for (case, expected_id) in crate::support::with_request_ids(
        cases,
        [
            "aeaf52fe-be70-6064-d484-a1e7c35a0b13",
            "5de186dc-ba77-9207-da27-eb19c3a2a69f",
            "e8d7da00-1b01-81d6-d258-5f822e87ea23",
            "a8ee577a-f272-0dce-7337-4aacbe57a08b",
            "c7ab5605-7c8d-a907-7849-7117e47c0506",
            "fb452912-299a-5453-d2ad-ea4cc0962b99",
            "5ddad83b-4e87-4068-b758-b4a2df23dd9f",
            "7daf7bd7-b008-5fd2-dd1e-a92cf1f7ef38",
            "3706970b-052f-16b1-5c46-ed00b70d408d",
            "8e64bfa8-5c30-8c9a-803c-fb4697af16de",
            "8795cc50-3eda-4f23-afce-fff0ff47f058",
            "d34711b5-dbaa-c9b5-0fa6-339931132de5",
            "fb43e483-09ca-2db7-5ef5-06df8a878712",
            "23259b94-f13c-f544-9a4b-8d649b55b7bf",
            "230275d7-91e4-22cc-2517-9bbd01ae6a4e",
            "66bbe75c-01e8-3091-60f8-4d968a799197",
            "28bf8a80-bc3e-ab52-9004-153d981ff640",
            "abf42acc-138f-edbe-7004-436bdbdb7f83",
            "8d9bd6ca-69c6-b7f2-63d3-9ca2eb4635fb",
            "aafb638a-996d-f051-a14a-65122761881e",
            "2ac8b3c3-3733-2480-852c-59a1a0d52641",
            "96a2c661-4430-6401-99da-b0e767ad000c",
            "c565002c-28b5-b3f4-061b-6f458fdc7f0b",
            "4f3c532b-3a1d-ecba-0f0d-45c75702cfc9",
            "73d34e79-ab66-61bd-4938-e3900addb8fc",
            "219f5093-119c-dcf6-1997-bdaa62b92fad",
            "fd87a303-0fcf-5e15-bc6e-27ef1b42ebbf",
            "92a00673-1b9a-5046-7907-9464e8a8f3f4",
            "a92d4e8a-72a6-344c-56c3-a680c22d7b67",
            "209c26f8-211b-d185-16d6-e4600d82f5e4",
            "dda4f3b0-b9e4-3fd1-fc06-e159edbd919c",
            "9c52a3eb-4fcd-c34d-ad33-9a836deba8f7",
            "2eb67620-ec65-912f-bf57-d3ecb7c22413",
            "beab1149-a28e-dcde-4fd1-73f83f3f4a6b",
            "6ba8674f-e240-01fb-b991-df2265e564f1",
            "da2e5ee5-a777-9c01-1eef-6d85c0ab969b",
            "18c55f6e-6338-e7c2-5fc8-bea4374871f2",
            "31e087fb-e371-9033-a716-dbdf9ebcbd0d",
            "a1e60f63-49a2-7940-28fb-6587027b5355",
            "fc0bf5d9-6fe7-8fdd-ed6c-2c4a079c01c5",
            "94866d05-9958-7e9e-761d-5f5a7a35e7a7",
            "5778459b-d2fc-d10e-3d14-387ca1025679",
            "3841a405-dd58-9bba-a240-84b7b009c2c6",
            "2531983c-5789-d1f5-5b0f-f0c96cceca94",
            "0a507dda-9b4a-30d7-0aa4-38383673e76d",
            "f2c58d69-3995-23cc-f7af-c9a0361be54c",
            "38061ed9-d9f2-585b-2321-f4054e00abee",
            "9abaf1db-a301-49ad-af8b-1927be7f19a6",
            "d2a431d8-0e6b-09f0-9d47-d9934149059a",
            "9d6e054a-da21-c403-b20b-a9ce4c9eec1a",
            "07371586-c712-5a59-75ff-198bf58fdbb9",
            "b3fc2e96-0a56-f2cf-7be5-19b79894ad46",
            "b159b47e-6ac4-c148-a9c9-50be2363bace",
            "51ba453a-9f7e-2505-d53a-f190e0ef5499",
            "dfcae640-d9bd-835d-4b92-2a0193003192",
            "9e54f17d-3c92-4c05-059d-3f9c752e72af",
            "a6b78848-d88d-860c-c4b1-9ae2420f0b6a",
            "8637fd37-56c0-2c8c-9b7c-1d0f0d6c1294",
            "375d04eb-ac33-8877-ba92-874986482322",
            "645c507c-2297-e50b-042f-d8e8c534581d",
            "5e6964cd-ed7f-34f0-6007-8493cfa7e0aa",
            "28830bfa-bac6-3230-d9fe-dec719e79bf9",
            "39901a2c-182c-93db-538c-fddcac965c84",
            "b94e93bc-f244-1fd2-7432-860637516b4e",
            "41ab8913-62d0-2359-f438-477737d8a6b4",
            "2538dbf2-8384-3369-df0e-4d88773bf886",
            "723f45b4-8d59-e424-3192-528a2af28113",
            "eeb85e38-87ec-fc34-7348-e5c8a2d477b0",
            "ce6b1407-939a-cc7d-e4b7-8a3ffce74f9c",
            "c99b65f5-e31e-9d7e-cf7c-78e1d6213de0",
            "b8942a1e-7065-e6ff-86fe-b600216b9849",
            "717d1cae-9aed-001e-c723-d8747a295754",
            "78eeb3fa-847e-7419-23d1-d49fcbfdc26a",
        ],
    ) {
        let mut request = graph
            .app
            .client
            .request(case.method.clone(), graph.app.url(&case.path))
            .body(case.body.clone());
        if let Some(auth) = case.auth {
            request = request.header("authorization", auth);
        }

        // Act
        let reply: Reply = graph.send(request).await;

        // Assert
        assert_eq!(
            reply.status.as_u16(),
            case.status,
            "{}: {} {} → {:?}",
            case.why,
            case.method,
            case.path,
            reply.body
        );
        graph.assert_error(&reply, case.status, case.code, &case.message, expected_id);
        if let Some((name, value)) = case.header {
            assert_eq!(reply.header(name), value, "{}", case.why);
        }
        assert_eq!(
            snapshot(&graph, &id).await,
            before,
            "{}: the state is unchanged",
            case.why
        );
    }
}

#[tokio::test]
async fn every_reply_carries_request_ids_and_echoes_the_clients_own() {
    // Arrange
    let graph = spawn().graph().await;
    let item = graph.upload("/a.txt", b"one").await;
    graph.upload("/a.txt", b"two").await;
    let id = item["id"].as_str().unwrap();
    let requests = [
        (Method::GET, format!("/v1.0/me/drive/items/{id}"), 200),
        (
            Method::GET,
            format!("/v1.0/me/drive/items/{id}/content"),
            302,
        ),
        (
            Method::POST,
            format!("/v1.0/me/drive/items/{id}/versions/1.0/restoreVersion"),
            204,
        ),
        (Method::GET, "/v1.0/me/drive/items/999".to_owned(), 404),
        (Method::GET, "/v3/me/drive".to_owned(), 400),
    ];
    let mut seen = Vec::new();

    for (method, path, status) in requests {
        // Act
        let echoed = graph
            .send(
                graph
                    .app
                    .client
                    .request(method.clone(), graph.app.url(&path))
                    .bearer_auth(TOKEN)
                    .header("client-request-id", "my-correlation-id"),
            )
            .await;
        let plain = graph
            .send(
                graph
                    .app
                    .client
                    .request(method.clone(), graph.app.url(&path))
                    .bearer_auth(TOKEN),
            )
            .await;

        // Assert
        assert_eq!(echoed.status.as_u16(), status, "{method} {path}");
        assert_eq!(echoed.header("client-request-id"), "my-correlation-id");
        assert_eq!(
            plain.header("client-request-id"),
            plain.request_id(),
            "without one, the client id is the request id"
        );
        for reply in [&echoed, &plain] {
            let request_id = reply.request_id();
            assert!(
                uuid_like(request_id),
                "{request_id} is a lowercase hyphenated GUID"
            );
            assert!(!seen.contains(&request_id.to_owned()), "ids are distinct");
            seen.push(request_id.to_owned());
        }
    }
}

fn uuid_like(value: &str) -> bool {
    let groups: Vec<_> = value.split('-').map(str::len).collect();
    groups == [8, 4, 4, 4, 12]
        && value
            .chars()
            .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c))
}
