//! The change feeds across a crash: a Graph delta token and a Box stream position taken before
//! a SIGKILL, read after the restart, return every acknowledged change, none twice, and go on.

use std::collections::HashSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use reqwest::Client;
use serde_json::Value;
use tokio::sync::watch;

use crate::support::binary::BINARY;
use crate::support::box_api::{multipart, Part, BOUNDARY};
use crate::support::TempDir;

const GRAPH: &str = "crash-feed-graph";
const BOX: &str = "crash-feed-box";

fn start(dir: &Path) -> (Child, String) {
    crate::support::listening(
        Command::new(BINARY)
            .args(["--port", "0", "--data-dir"])
            .arg(dir)
            .env("RUST_LOG", "off")
            .stderr(Stdio::null()),
    )
}

async fn get(client: &Client, url: &str, token: &str) -> Value {
    let reply = client.get(url).bearer_auth(token).send().await.unwrap();
    assert_eq!(reply.status(), 200, "{url}");
    reply.json().await.unwrap()
}

/// Names acknowledged so far, and a count the killer waits on.
type Acked = Arc<Mutex<Vec<String>>>;

/// Uploads new files one after another until the server goes away; records each acknowledged.
async fn upload_until_killed(
    client: Client,
    base: String,
    graph: bool,
    acked: Acked,
    count: watch::Sender<usize>,
) {
    for n in 0.. {
        let name = format!("{}-{n}.txt", if graph { "g" } else { "b" });
        let request = match graph {
            true => client
                .put(format!("{base}/v1.0/me/drive/root:/{name}:/content"))
                .bearer_auth(GRAPH)
                .body(name.clone()),
            false => {
                let attributes = format!(r#"{{"name":"{name}","parent":{{"id":"0"}}}}"#);
                let parts = [Part::attributes(&attributes), Part::file(name.as_bytes())];
                client
                    .post(format!("{base}/api/2.0/files/content"))
                    .bearer_auth(BOX)
                    .header(
                        "content-type",
                        format!("multipart/form-data; boundary={BOUNDARY}"),
                    )
                    .body(multipart(&parts))
            }
        };
        match request.send().await {
            Ok(reply) if reply.status().is_success() => {
                acked.lock().unwrap().push(name);
                count.send_modify(|c| *c += 1);
            }
            _ => return,
        }
    }
}

/// Every name a delta round from `link` returns, in order, and the round's deltaLink.
async fn delta_names(client: &Client, link: &str) -> (Vec<String>, String) {
    let mut names = Vec::new();
    let mut next = link.to_owned();
    loop {
        let page = get(client, &next, GRAPH).await;
        for item in page["value"].as_array().unwrap() {
            if item["name"] != "root" {
                names.push(item["name"].as_str().unwrap().to_owned());
            }
        }
        match (
            page["@odata.nextLink"].as_str(),
            page["@odata.deltaLink"].as_str(),
        ) {
            (Some(link), _) => next = link.to_owned(),
            (None, Some(delta)) => return (names, delta.to_owned()),
            _ => panic!("a page has one of the links: {page}"),
        }
    }
}

/// Every upload event's file name from `position` on, and the event ids.
async fn event_names(client: &Client, base: &str, position: &str) -> (Vec<String>, Vec<String>) {
    let (mut names, mut ids) = (Vec::new(), Vec::new());
    let mut position = position.to_owned();
    loop {
        let url = format!("{base}/2.0/events?stream_position={position}&limit=7");
        let page = get(client, &url, BOX).await;
        for event in page["entries"].as_array().unwrap() {
            names.push(event["source"]["name"].as_str().unwrap().to_owned());
            ids.push(event["event_id"].as_str().unwrap().to_owned());
        }
        if page["chunk_size"] == 0 {
            return (names, ids);
        }
        position = page["next_stream_position"].as_str().unwrap().to_owned();
    }
}

fn assert_once_each(names: &[String], acked: &[String], what: &str) {
    let unique: HashSet<&String> = names.iter().collect();
    assert_eq!(
        unique.len(),
        names.len(),
        "{what}: a change came twice: {names:?}"
    );
    for name in acked {
        assert!(
            unique.contains(name),
            "{what}: acknowledged {name} is missing: {names:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delta_token_and_a_stream_position_from_before_a_sigkill_return_every_acknowledged_change_once(
) {
    // Arrange: a token and a position for "now", then writers on both faces.
    let dir = TempDir::new("test-feed-crash");
    let client = Client::new();
    let (mut child, base) = start(&dir);
    let latest = get(
        &client,
        &format!("{base}/v1.0/me/drive/root/delta?token=latest"),
        GRAPH,
    )
    .await;
    let delta_link = latest["@odata.deltaLink"].as_str().unwrap().to_owned();
    let now = get(
        &client,
        &format!("{base}/2.0/events?stream_position=now"),
        BOX,
    )
    .await;
    let position = now["next_stream_position"].as_str().unwrap().to_owned();
    let (graph_acked, box_acked): (Acked, Acked) = Default::default();
    let (count, mut counted) = watch::channel(0usize);
    let writers = [
        tokio::spawn(upload_until_killed(
            client.clone(),
            base.clone(),
            true,
            graph_acked.clone(),
            count.clone(),
        )),
        tokio::spawn(upload_until_killed(
            client.clone(),
            base.clone(),
            false,
            box_acked.clone(),
            count,
        )),
    ];

    // Act: SIGKILL while both write, then a restart on the same data dir (on another port: the
    // links carry the old one, so the token is taken out of it).
    counted.wait_for(|n| *n >= 40).await.unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    for writer in writers {
        writer.await.unwrap();
    }
    let (mut child, base) = start(&dir);
    let token = delta_link.split("token=").nth(1).unwrap().to_owned();
    let link = format!("{base}/v1.0/me/drive/root/delta?$top=5&token={token}");
    let (graph_names, next_link) = delta_names(&client, &link).await;
    let (box_names, ids) = event_names(&client, &base, &position).await;
    // After the restart the feeds go on: one more change, and only it.
    let reply = client
        .put(format!("{base}/v1.0/me/drive/root:/after.txt:/content"))
        .bearer_auth(GRAPH)
        .body("after")
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 201);
    let (after, _) = delta_names(&client, &next_link).await;
    child.kill().unwrap();
    child.wait().unwrap();

    // Assert
    assert_once_each(&graph_names, &graph_acked.lock().unwrap(), "Graph delta");
    assert_once_each(&box_names, &box_acked.lock().unwrap(), "Box events");
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        ids.len(),
        "event ids are unique"
    );
    assert_eq!(after, ["after.txt"]);
}
