//! The admin page in a real headless chromium: seeded from a fixture with both faces, it shows
//! every file and every version with its author, marks the trashed one, picks up a restore made
//! through the API without a reload, links a journal entry to the file it touched, and opens a
//! shared library from the sidebar.

use std::collections::HashMap;

use reqwest::Method;
use restore_mock::fixture::{Fixture, FixtureItemType};
use restore_mock::store::Face;
use restore_mock::Emulator;
use serde_json::{json, Value};

use crate::support::chromium::Browser;
use crate::support::spawn;
use crate::support::Reply;
use crate::support::{call_as, linked_version};

const ADMIN_TOKEN: &str = "ui-admin-token";

fn fixture() -> Fixture {
    Fixture::from_json(include_bytes!("fixtures/ui.json")).expect("tests/api/fixtures/ui.json")
}

async fn emulator() -> Emulator {
    spawn()
        .admin_token(ADMIN_TOKEN)
        .clock("2024-05-07T10:00:00Z".parse().unwrap())
        .fixture(fixture())
        .start()
        .await
        .emulator
}

/// Opens the page and gives it the admin token through its form, as a user would.
async fn signed_in_page(emulator: &Emulator) -> Browser {
    let mut page = Browser::open(&emulator.url("/__admin/ui")).await;
    page.wait_for("!document.getElementById('login').hidden")
        .await;
    page.eval(&format!(
        "document.getElementById('token').value = {}; \
         document.getElementById('login').requestSubmit(); true",
        json!(ADMIN_TOKEN)
    ))
    .await;
    page.wait_for("document.querySelectorAll('#users .user').length > 0")
        .await;
    page
}

/// Opens an item in the tree: each folder on its path, then the item itself.
async fn open_in_tree(page: &mut Browser, path: &[u64]) {
    for id in path {
        let selector = format!("#users [data-tree][data-id='{id}']");
        // Waits for the node to be drawn (its parent's children arrive by the next poll).
        let open = page
            .wait_for(&format!(
                "document.querySelector({0}) && \
                 document.querySelector({0}).getAttribute('aria-expanded')",
                json!(selector)
            ))
            .await;
        if open != json!("true") {
            page.click(&selector).await;
        }
    }
}

/// What the timeline on screen says about each version, newest first.
/// The versions the page shows; each signed download link is written as the id it links to.
async fn timeline(page: &mut Browser) -> Value {
    let mut shown = page.eval(
        "[...document.querySelectorAll('#item-body .version')].map((li) => ({
            title: li.querySelector('.title').textContent,
            author: li.querySelector('.author').textContent,
            current: !!li.querySelector('.tag.current'),
            trashed: li.querySelector('.trash') ? li.querySelector('.trash').textContent : null,
            source: li.querySelector('.source a') ? li.querySelector('.source a').textContent : null,
            download: li.querySelector('a[download]').getAttribute('href'),
        }))",
    )
    .await;
    for version in shown.as_array_mut().into_iter().flatten() {
        let link = version["download"].as_str().unwrap_or_default().to_owned();
        version["download"] = json!(format!("link to {}", linked_version(&link)));
    }
    shown
}

#[tokio::test]
async fn the_page_shows_every_file_of_both_faces_with_each_version_and_its_author() {
    // Arrange
    let emulator = emulator().await;
    let fixture = fixture();
    let names: HashMap<&str, &str> = fixture
        .users
        .iter()
        .map(|u| (u.id.as_str(), u.name.as_deref().unwrap()))
        .collect();
    let mut page = signed_in_page(&emulator).await;

    for space in &fixture.spaces {
        let root = space.root.as_ref().unwrap().id.0;
        for item in &space.items {
            if item.kind != FixtureItemType::File {
                continue;
            }
            // The folders above the file, by the ids the fixture gives them.
            let mut path = vec![root];
            let segments: Vec<&str> = item.path.split('/').collect();
            for depth in 1..segments.len() {
                let folder = segments[..depth].join("/");
                let id = space.items.iter().find(|i| i.path == folder).unwrap();
                path.push(id.id.unwrap().0);
            }
            let file = item.id.unwrap().0;

            // Act
            open_in_tree(&mut page, &path).await;
            page.click(&format!("#users [data-tree][data-id='{file}']"))
                .await;
            let count = item.versions.len();
            page.wait_for(&format!(
                "document.getElementById('item-heading').textContent === {} && \
                 document.querySelectorAll('#item-body .version').length === {count}",
                json!(segments.last().unwrap())
            ))
            .await;
            let shown = timeline(&mut page).await;

            // Assert
            let expected: Vec<Value> = item
                .versions
                .iter()
                .enumerate()
                .rev()
                .map(|(i, v)| {
                    let number = v.number.unwrap_or(i as u32 + 1);
                    let label = |number: u32| match space.face {
                        Face::Graph => format!("{number}.0"),
                        Face::Box => number.to_string(),
                    };
                    let author = v.created_by.as_deref().unwrap_or(&space.owner);
                    let trashed = v.trashed_at.map(|at| {
                        let by = v.trashed_by.as_deref().unwrap();
                        format!(
                            "Trashed by {} ({by}) at {}",
                            names[by],
                            at.format("%Y-%m-%d %H:%M:%SZ")
                        )
                    });
                    let source = v.restored_from.map(|from| {
                        let copied = item
                            .versions
                            .iter()
                            .position(|o| o.id == Some(from))
                            .unwrap();
                        format!("version {}", label(copied as u32 + 1))
                    });
                    json!({
                        "title": format!("Version {}", label(number)),
                        "author": format!("{} ({author})", names[author]),
                        "current": i + 1 == count,
                        "trashed": trashed,
                        "source": source,
                        "download": format!("link to {}", v.id.unwrap()),
                    })
                })
                .collect();
            assert_eq!(shown, json!(expected), "{}", item.path);
        }
    }
}

#[tokio::test]
async fn a_restore_through_the_api_appears_without_a_reload_with_its_journal_entry() {
    // Arrange
    let emulator = emulator().await;
    let mut page = signed_in_page(&emulator).await;
    open_in_tree(&mut page, &[100, 110]).await;
    page.click("#users [data-tree][data-id='111']").await;
    page.wait_for("document.querySelectorAll('#item-body .version').length === 4")
        .await;
    // Anything set on the window is gone if the page reloads.
    page.eval("window.sameDocument = true").await;

    // Act
    let restored = call_as(
        &emulator,
        "ada-token",
        Method::POST,
        "/v1.0/me/drive/items/111/versions/1.0/restoreVersion",
    )
    .await;
    page.wait_for("document.querySelectorAll('#item-body .version').length === 5")
        .await;

    // Assert
    assert_eq!(restored, 204);
    let Reply { body: stored, .. } = crate::support::send(
        reqwest::Client::new()
            .get(emulator.url("/__admin/items/111/versions?limit=1"))
            .bearer_auth(ADMIN_TOKEN),
    )
    .await;
    let new_id = &stored["versions"][0]["id"];
    let newest = timeline(&mut page).await[0].clone();
    assert_eq!(
        newest,
        json!({
            "title": "Version 5.0", "author": "Ada Lovelace (4101)", "current": true,
            "trashed": null, "source": "version 1.0", "download": format!("link to {new_id}")
        })
    );
    assert_eq!(page.eval("window.sameDocument === true").await, json!(true));
    let row = page
        .wait_for(
            "[...document.querySelectorAll('#requests tbody tr')].map((tr) => \
               [...tr.cells].map((td) => td.textContent)) \
             .find((cells) => cells[3] === '/v1.0/me/drive/items/111/versions/1.0/restoreVersion')",
        )
        .await;
    assert_eq!(
        row.as_array().unwrap()[1..],
        json!([
            "graph",
            "POST",
            "/v1.0/me/drive/items/111/versions/1.0/restoreVersion",
            "204",
            "4101",
            "—",
            "item 111"
        ])
        .as_array()
        .unwrap()[..]
    );
}

#[tokio::test]
async fn a_journal_entry_opens_the_file_it_touched_and_names_the_fault_rule_that_answered() {
    // Arrange
    let emulator = emulator().await;
    let client = reqwest::Client::new();
    let rule = client
        .post(emulator.url("/__admin/faults"))
        .bearer_auth(ADMIN_TOKEN)
        .json(&json!({"match": {"api": "box", "path": "/2.0/files/212"},
                      "action": {"type": "error", "status": 503}, "times": 1}))
        .send()
        .await
        .unwrap();
    let rule: Value = rule.json().await.unwrap();
    for path in [
        "/2.0/files/211/versions",
        "/2.0/files/211/versions",
        "/2.0/files/212",
    ] {
        call_as(&emulator, "grace-token", Method::GET, path).await;
    }
    let mut page = signed_in_page(&emulator).await;

    // Act
    let faulted = page
        .wait_for(
            "[...document.querySelectorAll('#requests tbody tr')] \
             .map((tr) => [...tr.cells].map((td) => td.textContent)) \
             .find((cells) => cells[3] === '/2.0/files/212')",
        )
        .await;
    page.click("#requests tbody button").await;
    page.wait_for(
        "document.getElementById('item-heading').textContent === 'lease.pdf' && \
         document.querySelectorAll('#item-body .version').length === 3",
    )
    .await;
    let fault_rows = page
        .eval(
            "[...document.querySelectorAll('#fault-table tbody tr')] \
             .map((tr) => [...tr.cells].map((td) => td.textContent))",
        )
        .await;

    // Assert
    assert_eq!(faulted[4], "503 (failed)");
    assert_eq!(faulted[6], format!("rule {}", rule["id"]));
    assert_eq!(
        faulted[7], "—",
        "the fault answered before the face saw the file"
    );
    assert_eq!(
        fault_rows,
        json!([[
            format!("rule {}", rule["id"]),
            "api box, path /2.0/files/212",
            "error 503",
            "next 1",
            "1"
        ]])
    );
    let trashed = timeline(&mut page).await[1]["trashed"].clone();
    assert_eq!(
        trashed,
        json!("Trashed by Grace Hopper (4102) at 2024-05-05 12:00:00Z")
    );
}

#[tokio::test]
async fn the_journal_filters_like_its_route_and_the_timeline_turns_oldest_first() {
    // Arrange
    let emulator = emulator().await;
    for (path, token) in [
        ("/v1.0/me/drive/items/111/versions", "ada-token"),
        ("/2.0/files/211/versions", "grace-token"),
        ("/2.0/files/212", "grace-token"),
    ] {
        call_as(&emulator, token, Method::GET, path).await;
    }
    let mut page = signed_in_page(&emulator).await;
    open_in_tree(&mut page, &[100, 110]).await;
    page.click("#users [data-tree][data-id='111']").await;
    page.wait_for("document.querySelectorAll('#item-body .version').length === 4")
        .await;

    // Act
    page.eval(
        "const form = document.getElementById('journal-filter'); \
         form.elements.api.value = 'box'; form.requestSubmit(); true",
    )
    .await;
    let paths = page
        .wait_for(
            "(() => { const rows = [...document.querySelectorAll('#requests tbody tr')] \
               .map((tr) => [...tr.cells].map((td) => td.textContent)); \
               return rows.every((cells) => cells[1] === 'box') && rows.map((cells) => cells[3]); })()",
        )
        .await;
    page.click("#item-body button[data-key='order']").await;
    let oldest = page
        .wait_for(
            "document.querySelector('#item-body .version .title').textContent === 'Version 1.0' && \
             [...document.querySelectorAll('#item-body .version .title')].map((t) => t.textContent)",
        )
        .await;

    // Assert
    assert_eq!(paths, json!(["/2.0/files/212", "/2.0/files/211/versions"]));
    assert_eq!(
        oldest,
        json!(["Version 1.0", "Version 2.0", "Version 3.0", "Version 4.0"])
    );
    let pressed = page
        .eval("document.querySelector(\"#item-body button[data-key='order']\").getAttribute('aria-pressed')")
        .await;
    assert_eq!(pressed, "true");
}

#[tokio::test]
async fn a_long_timeline_pages_and_its_copy_mark_jumps_to_the_page_of_the_version_it_copied() {
    // Arrange: 120 versions, then version 1 restored on top: its source is on the third page.
    let mut fixture = fixture();
    let long = (1..=120)
        .map(|n| restore_mock::fixture::FixtureVersion::text(format!("draft {n}")))
        .collect();
    let mut item = restore_mock::fixture::FixtureItem::file("long.txt", long);
    item.id = Some(restore_mock::store::ItemId(150));
    fixture.spaces[0].items.push(item);
    let emulator = spawn()
        .admin_token(ADMIN_TOKEN)
        .fixture(fixture)
        .start()
        .await
        .emulator;
    let restored = call_as(
        &emulator,
        "ada-token",
        Method::POST,
        "/v1.0/me/drive/items/150/versions/1.0/restoreVersion",
    )
    .await;
    assert_eq!(restored, 204);
    let mut page = signed_in_page(&emulator).await;
    open_in_tree(&mut page, &[100]).await;
    page.click("#users [data-tree][data-id='150']").await;
    let first_page = page
        .wait_for(
            "document.querySelectorAll('#item-body .version').length === 50 && \
             document.querySelector('#item-body .pager-row').textContent",
        )
        .await;

    // Act
    page.click("#item-body .version .source a").await;
    let focused = page
        .wait_for(
            "document.activeElement && document.activeElement.classList.contains('version') && \
             [document.activeElement.querySelector('.title').textContent, \
              document.querySelector('#item-body .pager-row').textContent]",
        )
        .await;

    // Assert
    assert_eq!(first_page, "Previous versions 1–50 of 121 Next");
    assert_eq!(
        focused,
        json!(["Version 1.0", "Previous versions 101–121 of 121 Next"])
    );
}

#[tokio::test]
async fn a_deleted_version_leaves_a_mark_between_its_neighbours_and_a_copy_links_to_its_source() {
    // Arrange: Ada deletes 3.0 of q2-summary.docx and copies notes.txt.
    let emulator = emulator().await;
    let client = reqwest::Client::new();
    let graph = |method: Method, path: &str| {
        (client.request(method, emulator.url(&format!("/v1.0/me/drive{path}"))))
            .bearer_auth("ada-token")
    };
    let deleted = graph(Method::DELETE, "/items/111/versions/3.0");
    assert_eq!(deleted.send().await.unwrap().status(), 204);
    let copy = graph(Method::POST, "/items/113/copy").json(&json!({"name": "notes copy.txt"}));
    assert_eq!(copy.send().await.unwrap().status(), 202);
    let made = graph(Method::GET, "/root:/notes copy.txt")
        .send()
        .await
        .unwrap();
    let made: Value = made.json().await.unwrap();
    let copy = made["id"].as_str().unwrap().to_owned();
    let mut page = signed_in_page(&emulator).await;
    open_in_tree(&mut page, &[100, 110]).await;

    // Act
    page.click("#users [data-tree][data-id='111']").await;
    let rail = page
        .wait_for(
            "document.querySelector('#item-body .deleted-mark') && \
             [...document.querySelectorAll('#item-body .timeline > li')].map((li) => \
               li.classList.contains('deleted-mark') ? li.textContent \
                 : li.querySelector('.title').textContent)",
        )
        .await;
    page.click(&format!("#users [data-tree][data-id='{copy}']"))
        .await;
    let mark = page
        .wait_for(
            "document.getElementById('item-heading').textContent === 'notes copy.txt' && \
             document.querySelector('#item-body .copied') && \
             document.querySelector('#item-body .copied').textContent",
        )
        .await;
    page.click("#item-body .copied a").await;
    let opened = page
        .wait_for(
            "document.getElementById('item-heading').textContent === 'notes.txt' && \
             location.hash",
        )
        .await;

    // Assert
    assert_eq!(
        rail,
        json!([
            "Version 4.0",
            "Version 3.0 deleted by Ada Lovelace (4101) at 2024-05-07 10:00:00Z",
            "Version 2.0",
            "Version 1.0"
        ])
    );
    assert_eq!(mark, "⤴ Copied from notes.txt");
    assert_eq!(opened, "#item=113");
}

#[tokio::test]
async fn a_file_put_in_the_box_trash_opens_from_its_journal_entry_marked_as_trashed() {
    // Arrange
    let emulator = emulator().await;
    let deleted = call_as(&emulator, "grace-token", Method::DELETE, "/2.0/files/212").await;
    assert_eq!(deleted, 204);
    let mut page = signed_in_page(&emulator).await;

    // Act
    page.click("#requests tbody button").await;
    let shown = page
        .wait_for(
            "document.getElementById('item-heading').textContent === 'roadmap.md' && \
             document.querySelector('#item-meta .trash') && \
             document.querySelector('#item-meta .trash').textContent",
        )
        .await;

    // Assert
    assert_eq!(
        shown,
        "In the trash: put there by Grace Hopper (4102) at 2024-05-07 10:00:00Z"
    );
}

#[tokio::test]
async fn a_shared_library_opens_from_the_sidebar_with_each_versions_author_and_a_warned_fragment_is_marked(
) {
    // Arrange: two members write one file in eng's Specs library, and Alice sends Documents a
    // fragment off Graph's 320 KiB grid (one byte of two, not the last).
    use crate::admin_drives::{fixture, library, root, upload_by_two_users};
    let emulator = spawn()
        .admin_token(ADMIN_TOKEN)
        .fixture(fixture())
        .start()
        .await
        .emulator;
    let file = upload_by_two_users(&emulator).await;
    let specs_root = root(&emulator, &library(&emulator, "eng", "Specs").await).await;
    let documents = library(&emulator, "eng", "Documents").await;
    let client = reqwest::Client::new();
    let session = format!(
        "/v1.0/drives/{}/root:/notes.bin:/createUploadSession",
        documents["id"].as_str().unwrap()
    );
    let Reply {
        status,
        body: opened,
        ..
    } = crate::support::send(
        client
            .post(emulator.url(&session))
            .bearer_auth("alice")
            .json(&json!({})),
    )
    .await;
    assert_eq!(status, 200, "{opened}");
    let fragment = client
        .put(opened["uploadUrl"].as_str().unwrap())
        .header("content-range", "bytes 0-0/2")
        .body(vec![0u8])
        .send()
        .await
        .unwrap();
    assert_eq!(fragment.status(), 202);
    let mut page = signed_in_page(&emulator).await;

    // Act
    let drive = format!("#drives [data-tree][data-id='{specs_root}']");
    let heading = page
        .wait_for(&format!(
            "document.querySelector({0}) && \
             document.querySelector({0}).closest('.drive').querySelector('h3').textContent",
            json!(drive)
        ))
        .await;
    page.click(&drive).await;
    let node = format!("#drives [data-tree][data-id='{file}']");
    page.wait_for(&format!("document.querySelector({})", json!(node)))
        .await;
    page.click(&node).await;
    page.wait_for(
        "document.getElementById('item-heading').textContent === 'plan.txt' && \
         document.querySelectorAll('#item-body .version').length === 2",
    )
    .await;
    let shown = timeline(&mut page).await;
    let warned = page
        .wait_for(
            "[...document.querySelectorAll('#requests tbody tr .tag.warning')] \
             .map((mark) => mark.title)[0]",
        )
        .await;

    // Assert
    assert_eq!(
        heading,
        json!(format!(
            "Engineering · Specs site eng · group Engineering (g-eng) · members a1, b2 · id {}",
            library(&emulator, "eng", "Specs").await["id"]
                .as_str()
                .unwrap()
        ))
    );
    let authors: Vec<&Value> = shown
        .as_array()
        .unwrap()
        .iter()
        .map(|v| &v["author"])
        .collect();
    assert_eq!(authors, [&json!("Bob (b2)"), &json!("Alice (a1)")]);
    assert_eq!(
        warned,
        json!(
            "a fragment of 1 bytes, not a multiple of 320 KiB (327680 bytes): \
             Graph asks that of every fragment but the last"
        )
    );
}

#[tokio::test]
async fn a_webhook_delivery_is_listed_and_opens_the_item_whose_change_it_reports() {
    // Arrange: Grace watches Contracts and uploads a new version of the lease in it.
    let emulator = emulator().await;
    let receiver =
        crate::support::receiver::Receiver::start(crate::support::receiver::Answer::Status(200))
            .await;
    let client = reqwest::Client::new();
    let hook = client
        .post(emulator.url("/2.0/webhooks"))
        .bearer_auth("grace-token")
        .json(
            &json!({"target": {"id": "210", "type": "folder"}, "address": receiver.url(),
                      "triggers": ["FILE.UPLOADED"]}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(hook.status(), 201);
    let boundary = "ui-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"attributes\"\r\n\r\n\
         {{\"name\":\"lease.pdf\"}}\r\n--{boundary}\r\nContent-Disposition: form-data; \
         name=\"file\"; filename=\"\"\r\n\r\nsigned\r\n--{boundary}--\r\n"
    );
    let uploaded = client
        .post(emulator.url("/api/2.0/files/211/content"))
        .bearer_auth("grace-token")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), 201);
    assert!(
        emulator
            .settle_deliveries(std::time::Duration::from_secs(10))
            .await
    );
    let mut page = signed_in_page(&emulator).await;

    // Act
    let row = page
        .wait_for(
            "[...document.querySelectorAll('#delivery-table tbody tr')] \
             .map((tr) => [...tr.cells].map((td) => td.textContent)) \
             .find((cells) => cells.length === 8)",
        )
        .await;
    page.click("#delivery-table tbody button").await;
    page.wait_for("document.getElementById('item-heading').textContent === 'lease.pdf'")
        .await;

    // Assert
    let latency = row[5].as_str().unwrap().to_owned();
    assert!(latency.ends_with(" ms"), "{latency}");
    assert_eq!(
        row,
        json!([
            "2024-05-07 10:00:00Z",
            "box webhook",
            receiver.url(),
            "1",
            "200",
            latency,
            "delivered",
            "item 211"
        ])
    );
    let outstanding = page
        .eval("document.getElementById('deliveries-outstanding').textContent")
        .await;
    assert_eq!(outstanding, json!("Everything delivered or given up."));
}

#[tokio::test]
async fn a_token_request_and_an_apps_call_are_journaled_with_the_app_named() {
    // Arrange
    let emulator = emulator().await;
    let mut page = signed_in_page(&emulator).await;
    let client = reqwest::Client::new();

    // Act: an app signs in with client credentials and reads Ada's drive.
    let Reply { body: signed, .. } = crate::support::send(
        client
            .post(emulator.url("/common/oauth2/v2.0/token"))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", "sync-app"),
                ("client_secret", "a secret"),
                ("scope", "https://graph.microsoft.com/.default"),
            ]),
    )
    .await;
    let token = signed["access_token"].as_str().expect("a token");
    let drive = client
        .get(emulator.url("/v1.0/users/4101/drive"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();

    // Assert: both rows name the app beside its service account, which the journal records.
    assert_eq!(drive.status(), 200);
    let Reply { body: journal, .. } = crate::support::send(
        client
            .get(emulator.url("/__admin/requests?path_prefix=/v1.0/users/4101/drive"))
            .bearer_auth(ADMIN_TOKEN),
    )
    .await;
    let entry = &journal["requests"][0];
    assert_eq!(entry["app"], "sync-app", "{journal}");
    let account = entry["user"].as_str().expect("the app's service account");
    let row = |path: &str| {
        format!(
            "[...document.querySelectorAll('#requests tbody tr')].map((tr) => \
               [...tr.cells].map((td) => td.textContent)) \
             .find((cells) => cells[3] === {})",
            json!(path)
        )
    };
    let call = page.wait_for(&row("/v1.0/users/4101/drive")).await;
    assert_eq!(call[5], format!("app sync-app ({account})"));
    let sign_in = page.wait_for(&row("/common/oauth2/v2.0/token")).await;
    let sign_in = sign_in.as_array().expect("the row's cells");
    // The sign-in is recorded as the identity it signed in.
    let app = format!("app sync-app ({account})");
    let expected = json!(["POST", "/common/oauth2/v2.0/token", "200", app]);
    assert_eq!(sign_in[2..6], expected.as_array().unwrap()[..]);
}

#[tokio::test]
async fn a_box_files_shared_link_lock_notes_favorites_and_metadata_show_beside_its_versions() {
    // Arrange: Grace shares, locks, describes, tags and favors roadmap.md and gives it
    // properties.
    let emulator = emulator().await;
    let client = reqwest::Client::new();
    let listed = crate::support::send(
        (client.get(emulator.url("/2.0/collections"))).bearer_auth("grace-token"),
    )
    .await;
    let favorites = listed.body["entries"][0]["id"].clone();
    let changes = [
        (
            Method::PUT,
            "/2.0/files/212",
            json!({"shared_link": {"access": "open"}, "description": "Q3 plan",
                   "tags": ["plan", "q3"], "collections": [{"id": favorites}],
                   "lock": {"access": "lock", "is_download_prevented": false}}),
        ),
        (
            Method::POST,
            "/2.0/files/212/metadata/global/properties",
            json!({"team": "ops"}),
        ),
    ];
    for (method, path, body) in changes {
        let reply = client
            .request(method, emulator.url(path))
            .bearer_auth("grace-token")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(reply.status().is_success(), "{path}: {}", reply.status());
    }
    let mut page = signed_in_page(&emulator).await;

    // Act: the newest journal entry (the metadata) opens the file.
    page.click("#requests tbody button").await;
    page.wait_for(
        "document.getElementById('item-heading').textContent === 'roadmap.md' && \
         document.querySelectorAll('#item-box dt').length === 6",
    )
    .await;
    let rows = page
        .eval(
            "[...document.querySelectorAll('#item-box dt')].map((dt) => \
               [dt.textContent, dt.nextElementSibling.textContent])",
        )
        .await;
    let href = page
        .eval("document.querySelector('#item-box dd a').getAttribute('href')")
        .await;

    // Assert
    let url = href.as_str().unwrap();
    assert!(url.starts_with("/_share/"), "{url}");
    assert_eq!(
        rows,
        json!([
            ["Description", "Q3 plan"],
            ["Tags", "plan, q3"],
            ["In Favorites of", "Grace Hopper (4102)"],
            [
                "Shared link",
                format!("{url} · open access · can download · by Grace Hopper (4102)")
            ],
            [
                "Lock",
                "Locked by Grace Hopper (4102) at 2024-05-07 10:00:00Z"
            ],
            ["Metadata: Properties", "global.properties v0 · team = ops"],
        ])
    );
    // The link on the page opens the file without a token, as Box's own URL does.
    let opened = client.get(emulator.url(url)).send().await.unwrap();
    assert_eq!(opened.status(), 200);
}
