//! Graph's name rules, each with its source: the names OneDrive and SharePoint in Microsoft 365
//! refuse for files and folders, and which names are the same name (case-insensitively, but not
//! by Unicode compatibility).

use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use reqwest::StatusCode;
use serde_json::json;

use crate::support::graph::{Graph, Reply};
use crate::support::{spawn, with_request_ids};

/// Microsoft's "Restrictions and limitations in OneDrive and SharePoint", sections "Invalid
/// characters" and "Invalid file or folder names".
const M365: &str = "https://support.microsoft.com/office/restrictions-and-limitations-in-onedrive-and-sharepoint-64883a5d-228e-48f5-b3d2-eb39e07630fa";
/// Windows' "Naming Files, Paths, and Namespaces": characters 1-31 are refused; the sync
/// clients write every name to a Windows disk.
const WINDOWS: &str = "https://learn.microsoft.com/windows/win32/fileio/naming-a-file";
/// The same page: "Do not assume case sensitivity. For example, consider the names OSCAR, Oscar,
/// and oscar to be the same"; OneDrive and SharePoint find name conflicts that way.
const CONFLICT: &str = WINDOWS;

const BAD_CHARACTER: &str = "the name contains a character that is not allowed";
const SPACE: &str = "the name starts or ends with a space";
const RESERVED: &str = "the name is reserved";

/// A name, what it names, whether in the root, the refusal (`None`: made), the rule and its
/// source.
type Case<'a> = (&'a str, Kind, bool, Option<&'a str>, &'a str, &'a str);

#[derive(Clone, Copy)]
enum Kind {
    File,
    Folder,
}

/// Makes a file (PUT its content) or a folder (POST to its parent's children) named `name` in
/// the root or in the folder `sub`.
async fn make(graph: &Graph, kind: Kind, in_root: bool, name: &str) -> Reply {
    let parent = if in_root { "root" } else { "root:/sub:" };
    match kind {
        Kind::File => {
            let folder = if in_root { "" } else { "sub/" };
            let encoded = utf8_percent_encode(name, NON_ALPHANUMERIC);
            graph
                .put(&format!("/me/drive/root:/{folder}{encoded}:/content"), b"x")
                .await
        }
        Kind::Folder => {
            let body = json!({"name": name, "folder": {}});
            graph
                .post_json(&format!("/me/drive/{parent}/children"), body)
                .await
        }
    }
}

#[tokio::test]
async fn file_and_folder_names_are_refused_where_microsoft_365_refuses_them() {
    // Arrange
    let graph = spawn().graph().await;
    let sub = make(&graph, Kind::Folder, true, "sub").await;
    assert_eq!(sub.status, StatusCode::CREATED, "{sub:?}");
    use Kind::{File, Folder};
    let forms_root = "a folder at a drive's root cannot be named forms";
    #[rustfmt::skip]
    let cases: [Case; 29] = [
        ("a\"b", Folder, true, Some(BAD_CHARACTER), "a double quote", M365),
        ("a*b", File, true, Some(BAD_CHARACTER), "an asterisk", M365),
        ("a:b", Folder, true, Some(BAD_CHARACTER), "a colon", M365),
        ("a<b", File, true, Some(BAD_CHARACTER), "a less-than sign", M365),
        ("a>b", File, true, Some(BAD_CHARACTER), "a greater-than sign", M365),
        ("a?b", File, true, Some(BAD_CHARACTER), "a question mark", M365),
        ("a/b", Folder, true, Some(BAD_CHARACTER), "a slash", M365),
        ("a\\b", Folder, true, Some(BAD_CHARACTER), "a backslash", M365),
        ("a|b", File, true, Some(BAD_CHARACTER), "a pipe", M365),
        (" lead.txt", File, true, Some(SPACE), "a leading space", M365),
        ("trail.txt ", File, true, Some(SPACE), "a trailing space", M365),
        ("CON", File, true, Some(RESERVED), "a device name", M365),
        ("con", Folder, true, Some(RESERVED), "a device name in lower case", M365),
        ("COM0", File, true, Some(RESERVED), "COM0 as well as COM1-9", M365),
        ("LPT9", File, true, Some(RESERVED), "LPT0-9", M365),
        (".lock", File, true, Some(RESERVED), "the name .lock", M365),
        ("Desktop.ini", File, true, Some(RESERVED), "desktop.ini, in any case", M365),
        ("a_vti_b", File, true, Some("the name contains _vti_, which SharePoint reserves"), "_vti_ anywhere", M365),
        ("~$report.docx", File, true, Some("the name starts with ~$, which Office keeps for its lock files"), "a leading ~$", M365),
        ("forms", Folder, true, Some(forms_root), "a folder named forms at a drive's root", M365),
        ("Forms", Folder, true, Some(forms_root), "Forms in any case", M365),
        ("~drafts", Folder, false, Some("a folder name cannot start with ~"), "a folder starting with ~", M365),
        ("tab\there", File, true, Some(BAD_CHARACTER), "a control character", WINDOWS),
        ("forms", Folder, false, None, "forms below the root is allowed", M365),
        ("forms", File, true, None, "a file named forms is allowed", M365),
        ("~notes.txt", File, true, None, "a file starting with ~ is allowed", M365),
        ("#1 at 100%.txt", File, true, None, "# and % are allowed", M365),
        ("CON.txt", File, false, None, "only the bare device name is listed", M365),
        ("naïve résumé.txt", File, false, None, "letters beyond ASCII", M365),
    ];

    // One per case, in order: the folder `sub` was the server's first request.
    let ids = [
        "910a2dec-8902-5cc1-f320-3e9039f4a821",
        "975835de-1c97-56ce-f75f-04cbb5a1a1dd",
        "1d0b14e4-db01-8fed-c164-bb7b2b9b3e3a",
        "6e73e372-e233-8aca-16b1-cba95fc60262",
        "63033b0c-a389-c35a-e8f9-38e3d92c0f81",
        "bd64a5d9-adef-e000-6c1e-186443822970",
        "63cbe1e4-5932-0dd7-88fc-a0195de67e12",
        "9e5651b0-ef95-3636-e62b-6430f1260052",
        "aeaf52fe-be70-6064-d484-a1e7c35a0b13",
        "088712be-8a58-2fca-6fc5-530939fb94c3",
        "50f5647d-2380-309d-baa3-2132e1340f17",
        "943ff9fc-99de-8f03-ae9b-71a31d422e93",
        "c4ca37b7-f8ad-8aff-e1ec-8deaabc4ba58",
        "6aa9d614-35db-e63e-ce63-7ffb158bdee8",
        "875b9307-abf5-5005-4ac7-8209f18552c9",
        "5de186dc-ba77-9207-da27-eb19c3a2a69f",
        "808475f0-2ee3-7363-b5c7-e924acf5315b",
        "1120b3d0-0955-f032-ff49-f9357523cf3e",
        "bc4075f2-ef43-1a44-ff32-a37dde1f1c11",
        "36225990-4816-818c-9491-ff89aac68f9b",
        "06ca0a95-b7e8-25c7-f4fd-ae57518e21d6",
        "c80de0f9-d4d6-0e0a-c0ea-9e5112e4b595",
        "e8d7da00-1b01-81d6-d258-5f822e87ea23",
        "aac8c000-00a8-1e44-cabf-bb1d86fc26bb",
        "a208c12c-f0c7-b709-e0db-a5bfbf040ff0",
        "c3b7f4e8-0f55-4dda-b641-78b5e30e4307",
        "974e3532-5981-068a-160c-6cfea433cfe8",
        "905c768a-d49f-146c-f5ba-ff474368a97c",
        "bb7b49ab-8801-cf70-4888-c80c52609446",
    ];
    for ((name, kind, in_root, refusal, rule, source), request_id) in with_request_ids(cases, ids) {
        // Act
        let reply = make(&graph, kind, in_root, name).await;

        // Assert
        match refusal {
            None => {
                assert_eq!(
                    reply.status,
                    StatusCode::CREATED,
                    "{rule} ({source}): {reply:?}"
                );
                assert_eq!(reply.body["name"], json!(name), "{rule}");
                assert_eq!(reply.request_id(), request_id, "{rule}");
            }
            Some(reason) => {
                let message = format!("Invalid name: {name:?}: {reason}");
                assert_eq!(
                    reply.status,
                    StatusCode::BAD_REQUEST,
                    "{rule} ({source}): {reply:?}"
                );
                graph.assert_error(&reply, 400, "invalidRequest", &message, request_id);
            }
        }
    }
    let names = |path: &str| {
        let path = path.to_owned();
        let graph = &graph;
        async move {
            let listed = graph.get(&path).await;
            let mut names: Vec<String> = (listed.body["value"].as_array().unwrap().iter())
                .map(|item| item["name"].as_str().unwrap().to_owned())
                .collect();
            names.sort();
            names
        }
    };
    assert_eq!(
        names("/me/drive/root/children").await,
        ["#1 at 100%.txt", "forms", "sub", "~notes.txt"],
        "only the allowed names were made at the root"
    );
    assert_eq!(
        names("/me/drive/root:/sub:/children").await,
        ["CON.txt", "forms", "naïve résumé.txt"],
    );
}

#[tokio::test]
async fn names_that_differ_only_by_case_clash_but_a_kelvin_sign_is_not_a_k() {
    // Arrange
    let graph = spawn().graph().await;
    let first = graph.put("/me/drive/root:/kilo.txt:/content", b"k").await;
    assert_eq!(first.status, StatusCode::CREATED);

    // Act
    let upper = graph
        .put(
            "/me/drive/root:/KILO.txt:/content?@microsoft.graph.conflictBehavior=fail",
            b"K",
        )
        .await;
    let kelvin = graph
        .put(
            "/me/drive/root:/%E2%84%AAilo.txt:/content?@microsoft.graph.conflictBehavior=fail",
            b"\xE2\x84\xAA",
        )
        .await;

    // Assert
    assert_eq!(
        upper.status,
        StatusCode::CONFLICT,
        "case does not make a new name ({CONFLICT}): {upper:?}"
    );
    graph.assert_error(
        &upper,
        409,
        "nameAlreadyExists",
        "An item with the same name already exists under the parent.",
        "910a2dec-8902-5cc1-f320-3e9039f4a821",
    );
    assert_eq!(
        kelvin.status,
        StatusCode::CREATED,
        "U+212A only folds to k by Unicode compatibility: {kelvin:?}"
    );
    assert_eq!(kelvin.body["name"], json!("\u{212A}ilo.txt"));
    let listed = graph.get("/me/drive/root/children").await;
    let names: Vec<&str> = (listed.body["value"].as_array().unwrap().iter())
        .map(|item| item["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        names.contains(&"kilo.txt") && names.contains(&"\u{212A}ilo.txt"),
        "{names:?}"
    );
}

#[tokio::test]
async fn an_upload_session_for_a_refused_name_is_refused_before_any_fragment_is_sent() {
    // Arrange
    let graph = spawn().graph().await;

    // Act
    let reply = graph
        .post("/me/drive/root:/a%3Fb.bin:/createUploadSession")
        .await;

    // Assert
    graph.assert_error(
        &reply,
        400,
        "invalidRequest",
        &format!("Invalid name: \"a?b.bin\": {BAD_CHARACTER}"),
        "e220a839-7b1d-cdaf-e4d9-71771b652c20",
    );
    let listed = graph.get("/me/drive/root/children").await;
    assert_eq!(listed.body["value"], json!([]), "{M365}");
}
