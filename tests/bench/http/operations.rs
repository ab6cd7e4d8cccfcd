//! The per-operation drivers: which request each operation sends, what status counts as success,
//! and which baseline it is compared with. URL shapes follow the vendors' pages and what the
//! official SDKs send: Graph
//! (<https://learn.microsoft.com/en-us/graph/api/resources/driveitemversion>, and
//! msgraph-sdk-python's request builders under `msgraph/generated/drives/item/items/item`) and Box
//! (<https://developer.box.com/reference/get-files-id-versions/> and its siblings).

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, StatusCode};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::baseline::Baseline;
use crate::fixture::{Pool, Seeded, AUTHORIZATION, FOLDER_IDS};
use crate::load::{self, MakeRequest, Rng};

/// One operation the benchmark drives.
#[derive(Clone)]
pub struct Operation {
    /// The name in the report, e.g. `graph_restore_version`.
    pub name: &'static str,
    pub baseline: Baseline,
    pub expected: StatusCode,
    pub make: Arc<MakeRequest>,
}

/// What every request needs: the `Host` to send and the Graph drive prefix.
#[derive(Debug, Clone)]
pub struct Context {
    pub host: HeaderValue,
    /// `/v1.0/drives/{drive-id}` as the Python SDK addresses items
    /// (<https://github.com/microsoftgraph/msgraph-sdk-python/tree/main/msgraph/generated/drives/item/items/item>),
    /// or `/v1.0/me/drive`.
    pub graph_drive: String,
}

/// The size of the Graph upload's body.
pub const UPLOAD_BYTES: usize = 1024 * 1024;

/// The operations of the throughput table, on the standard pools (10⁴ files of 10² versions).
pub fn table(context: &Context, seeded: &Seeded, downloads: Arc<[String]>) -> Vec<Operation> {
    let upload: Bytes = (0..UPLOAD_BYTES)
        .map(|i| (i * 7 % 251) as u8)
        .collect::<Vec<u8>>()
        .into();
    vec![
        graph_restore_version(context, seeded.graph.standard),
        graph_list_versions(context, seeded.graph.standard),
        graph_upload(context, seeded.graph.standard, upload),
        box_restore_version(context, seeded.box_api.standard),
        box_promote_version(context, seeded.box_api.standard),
        box_list_versions(context, seeded.box_api.standard),
        graph_get_item(context, seeded.graph.standard),
        graph_get_root(context),
        box_get_file(context, seeded.box_api.standard),
        download_version(context, downloads),
        box_token_client_credentials(context),
        graph_list_children(context, seeded.graph.standard),
        box_list_folder_items(context, seeded.box_api.standard),
        box_list_wide_folder(context, seeded.box_wide, 100),
        box_list_wide_folder(context, seeded.box_wide, 1000),
        box_search(context, seeded.box_wide),
        entra_client_credentials(context),
    ]
}

/// The operations whose cost must not grow with the history, on one pool per face, for the
/// scale sweep.
pub fn sweep(context: &Context, graph: Pool, box_api: Pool) -> Vec<Operation> {
    vec![
        graph_restore_version(context, graph),
        graph_list_versions(context, graph),
        box_promote_version(context, box_api),
        box_list_versions(context, box_api),
    ]
}

/// `POST /{tenant}/oauth2/v2.0/token` with client credentials, as azure-identity sends it → 200
/// with a signed JWT: the cost of a test suite's sign-ins (issue 21's target: ≥ 5,000/s at
/// c=16). Sixteen apps, so that tokens are not all one client's.
pub fn entra_client_credentials(context: &Context) -> Operation {
    let host = context.host.clone();
    Operation {
        name: "entra_client_credentials",
        baseline: Baseline::Json,
        expected: StatusCode::OK,
        make: Arc::new(move |rng: &mut Rng| {
            let form = format!(
                "client_id=bench-app-{}&client_secret=s&grant_type=client_credentials&\
                 scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&client_info=1",
                rng.below(16)
            );
            request(
                Method::POST,
                "/common/oauth2/v2.0/token",
                &host,
                Some(("application/x-www-form-urlencoded", Bytes::from(form))),
            )
        }),
    }
}

/// `POST {item}/versions/{label}/restoreVersion`, no body (as the Python SDK sends it) → 204.
pub fn graph_restore_version(context: &Context, pool: Pool) -> Operation {
    let (host, drive) = (context.host.clone(), context.graph_drive.clone());
    Operation {
        name: "graph_restore_version",
        baseline: Baseline::Empty204,
        expected: StatusCode::NO_CONTENT,
        make: Arc::new(move |rng: &mut Rng| {
            let file = rng.below(pool.files as u64);
            // Any seeded version but the newest: labels are `N.0`, as OneDrive for Business and
            // SharePoint name versions.
            let number = 1 + rng.below(pool.history as u64 - 1);
            let uri = format!(
                "{drive}/items/{}/versions/{number}.0/restoreVersion",
                pool.item(file)
            );
            request(Method::POST, &uri, &host, None)
        }),
    }
}

/// `GET {item}/versions?$top=100`: one page of a hundred, newest first → 200.
pub fn graph_list_versions(context: &Context, pool: Pool) -> Operation {
    let (host, drive) = (context.host.clone(), context.graph_drive.clone());
    Operation {
        name: "graph_list_versions",
        baseline: Baseline::SameBytes,
        expected: StatusCode::OK,
        make: Arc::new(move |rng: &mut Rng| {
            let file = rng.below(pool.files as u64);
            let uri = format!("{drive}/items/{}/versions?$top=100", pool.item(file));
            request(Method::GET, &uri, &host, None)
        }),
    }
}

/// `PUT {item}/content` with 1 MiB of bytes: a new version of an existing file → 200.
pub fn graph_upload(context: &Context, pool: Pool, body: Bytes) -> Operation {
    let (host, drive) = (context.host.clone(), context.graph_drive.clone());
    Operation {
        name: "graph_upload_1mib",
        baseline: Baseline::UploadJson,
        expected: StatusCode::OK,
        make: Arc::new(move |rng: &mut Rng| {
            let file = rng.below(pool.files as u64);
            let uri = format!("{drive}/items/{}/content", pool.item(file));
            // The same bytes every time: the store keeps one copy of equal bodies, so a long
            // run does not grow memory by a MiB a request.
            request(
                Method::PUT,
                &uri,
                &host,
                Some(("application/octet-stream", body.clone())),
            )
        }),
    }
}

/// `GET {item}` → 200 driveItem.
pub fn graph_get_item(context: &Context, pool: Pool) -> Operation {
    let (host, drive) = (context.host.clone(), context.graph_drive.clone());
    Operation {
        name: "graph_get_item",
        baseline: Baseline::Json,
        expected: StatusCode::OK,
        make: Arc::new(move |rng: &mut Rng| {
            let uri = format!("{drive}/items/{}", pool.item(rng.below(pool.files as u64)));
            request(Method::GET, &uri, &host, None)
        }),
    }
}

/// `GET {drive}/root` → 200 driveItem of the root, whose `size` counts every file of the
/// drive (the fixture's 10⁴ and more): what it costs must not grow with the drive.
pub fn graph_get_root(context: &Context) -> Operation {
    let (host, drive) = (context.host.clone(), context.graph_drive.clone());
    Operation {
        name: "graph_get_root",
        baseline: Baseline::Json,
        expected: StatusCode::OK,
        make: Arc::new(move |_: &mut Rng| {
            request(Method::GET, &format!("{drive}/root"), &host, None)
        }),
    }
}

/// `PUT /2.0/files/{id}/versions/{vid}` with `{"trashed_at": null}` → 200 file_version
/// (<https://developer.box.com/reference/put-files-id-versions-id/>).
pub fn box_restore_version(context: &Context, pool: Pool) -> Operation {
    let host = context.host.clone();
    Operation {
        name: "box_restore_version",
        baseline: Baseline::Json,
        expected: StatusCode::OK,
        make: Arc::new(move |rng: &mut Rng| {
            let file = rng.below(pool.files as u64);
            // Odd numbers below the newest: the versions the fixture put in the trash.
            let number = 1 + 2 * rng.below((pool.history as u64 - 1) / 2);
            let uri = format!(
                "/2.0/files/{}/versions/{}",
                pool.item(file),
                pool.version(file, number)
            );
            let body = Bytes::from_static(br#"{"trashed_at": null}"#);
            request(Method::PUT, &uri, &host, Some(("application/json", body)))
        }),
    }
}

/// `POST /2.0/files/{id}/versions/current` with `{"type": "file_version", "id": …}` → 201
/// (<https://developer.box.com/reference/post-files-id-versions-current/>).
pub fn box_promote_version(context: &Context, pool: Pool) -> Operation {
    let host = context.host.clone();
    Operation {
        name: "box_promote_version",
        baseline: Baseline::Json,
        expected: StatusCode::CREATED,
        make: Arc::new(move |rng: &mut Rng| {
            let file = rng.below(pool.files as u64);
            // A previous version that is not in the trash: even numbers on pools with trashed
            // odd ones, any but the newest otherwise.
            let number = if pool.trashed_odd {
                2 + 2 * rng.below((pool.history as u64 - 2) / 2)
            } else {
                1 + rng.below(pool.history as u64 - 1)
            };
            let uri = format!("/2.0/files/{}/versions/current", pool.item(file));
            let body = format!(
                r#"{{"type": "file_version", "id": "{}"}}"#,
                pool.version(file, number)
            );
            request(
                Method::POST,
                &uri,
                &host,
                Some(("application/json", Bytes::from(body))),
            )
        }),
    }
}

/// `GET /2.0/files/{id}/versions?limit=100&offset=0`: one page of previous versions → 200.
pub fn box_list_versions(context: &Context, pool: Pool) -> Operation {
    let host = context.host.clone();
    Operation {
        name: "box_list_versions",
        baseline: Baseline::SameBytes,
        expected: StatusCode::OK,
        make: Arc::new(move |rng: &mut Rng| {
            let file = rng.below(pool.files as u64);
            let uri = format!("/2.0/files/{}/versions?limit=100&offset=0", pool.item(file));
            request(Method::GET, &uri, &host, None)
        }),
    }
}

/// `GET {folder}/children?$top=100`: one of the pool's folders of a hundred files → 200
/// (<https://learn.microsoft.com/en-us/graph/api/driveitem-list-children>).
pub fn graph_list_children(context: &Context, pool: Pool) -> Operation {
    let (host, drive) = (context.host.clone(), context.graph_drive.clone());
    Operation {
        name: "graph_list_children",
        baseline: Baseline::SameBytes,
        expected: StatusCode::OK,
        make: Arc::new(move |rng: &mut Rng| {
            let uri = format!("{drive}/items/{}/children?$top=100", folder(pool, rng));
            request(Method::GET, &uri, &host, None)
        }),
    }
}

/// `GET /2.0/folders/{id}/items?limit=100&offset=0`: one of the pool's folders of a hundred
/// files → 200 (<https://developer.box.com/reference/get-folders-id-items/>).
pub fn box_list_folder_items(context: &Context, pool: Pool) -> Operation {
    let host = context.host.clone();
    Operation {
        name: "box_list_folder_items",
        baseline: Baseline::SameBytes,
        expected: StatusCode::OK,
        make: Arc::new(move |rng: &mut Rng| {
            let uri = format!(
                "/2.0/folders/{}/items?limit=100&offset=0",
                folder(pool, rng)
            );
            request(Method::GET, &uri, &host, None)
        }),
    }
}

/// `GET /2.0/folders/{id}/items?limit={limit}&offset=…`: a page of `limit` (100 or 1000, Box's
/// maximum) at a random whole-page offset in the folder of 10⁴ files (issue 24's rows).
pub fn box_list_wide_folder(context: &Context, pool: Pool, limit: u64) -> Operation {
    let host = context.host.clone();
    let folder = pool.first_item + FOLDER_IDS;
    let pages = (pool.files as u64 / limit).max(1);
    Operation {
        name: match limit {
            100 => "box_list_wide_folder_100",
            _ => "box_list_wide_folder_1000",
        },
        baseline: Baseline::SameBytes,
        expected: StatusCode::OK,
        make: Arc::new(move |rng: &mut Rng| {
            let offset = rng.below(pages) * limit;
            let uri = format!("/2.0/folders/{folder}/items?limit={limit}&offset={offset}");
            request(Method::GET, &uri, &host, None)
        }),
    }
}

/// `GET /2.0/search?query=w0NNN&ancestor_folder_ids={wide}`: Box's search over the folder of 10⁴
/// files by a name prefix that ten of them start with (`w0042` finds `w00420.txt` to
/// `w00429.txt`), as box_sdk_gen's `search.search_for_content` sends it
/// (<https://developer.box.com/reference/get-search/>) → 200 (issue 24's search row). Every file
/// is looked at: its name, and its content, which is text.
pub fn box_search(context: &Context, pool: Pool) -> Operation {
    let host = context.host.clone();
    let folder = pool.first_item + FOLDER_IDS;
    let prefixes = (pool.files as u64 / 10).max(1);
    Operation {
        name: "box_search",
        baseline: Baseline::Json,
        expected: StatusCode::OK,
        make: Arc::new(move |rng: &mut Rng| {
            let prefix = rng.below(prefixes);
            let uri = format!("/2.0/search?query=w{prefix:04}&ancestor_folder_ids={folder}");
            request(Method::GET, &uri, &host, None)
        }),
    }
}

/// The id of one of `pool`'s folders of a hundred files (the fixture numbers them from 1).
fn folder(pool: Pool, rng: &mut Rng) -> u64 {
    let folders = (pool.files as u64).div_ceil(100);
    pool.first_item + FOLDER_IDS + 1 + rng.below(folders)
}

/// `GET /2.0/files/{id}` → 200 file.
pub fn box_get_file(context: &Context, pool: Pool) -> Operation {
    let host = context.host.clone();
    Operation {
        name: "box_get_file",
        baseline: Baseline::Json,
        expected: StatusCode::OK,
        make: Arc::new(move |rng: &mut Rng| {
            let uri = format!("/2.0/files/{}", pool.item(rng.below(pool.files as u64)));
            request(Method::GET, &uri, &host, None)
        }),
    }
}

/// `GET` a version's download link, the pre-authenticated URL both faces hand out, which needs
/// no token → 200 with the version's bytes. The links are signed, so they are read from the
/// server (`download_links`), not built here.
pub fn download_version(context: &Context, links: Arc<[String]>) -> Operation {
    let host = context.host.clone();
    Operation {
        name: "download_version",
        baseline: Baseline::Json,
        expected: StatusCode::OK,
        make: Arc::new(move |rng: &mut Rng| {
            let link = links
                .get(rng.below(links.len() as u64) as usize)
                .map_or("/_content/none", String::as_str);
            request(Method::GET, link, &host, None)
        }),
    }
}

/// The download links (path and query) of every version of the first `files` files of `pool`,
/// from the `@microsoft.graph.downloadUrl` of each listed version. Empty when the listing fails:
/// the row's probe then reports why.
pub async fn download_links(
    address: SocketAddr,
    context: &Context,
    pool: Pool,
    files: usize,
) -> Arc<[String]> {
    let mut links = Vec::new();
    let Ok(mut sender) = load::connect(address).await else {
        return links.into();
    };
    for file in 0..files.min(pool.files) as u64 {
        let uri = format!(
            // The Graph face lists the link only when `$select` names it, as the service does.
            "{}/items/{}/versions?$top={}&$select=id,@microsoft.graph.downloadUrl",
            context.graph_drive,
            pool.item(file),
            pool.history
        );
        let request = request(Method::GET, &uri, &context.host, None);
        let Ok((StatusCode::OK, body)) = load::send(&mut sender, request).await else {
            break;
        };
        let listing: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        let urls = listing["value"].as_array().into_iter().flatten();
        links.extend(
            urls.filter_map(|version| version["@microsoft.graph.downloadUrl"].as_str())
                .filter_map(|url| url.parse::<hyper::Uri>().ok())
                .filter_map(|uri| Some(uri.path_and_query()?.to_string())),
        );
    }
    links.into()
}

/// The baseline route an operation is compared with.
pub fn baseline(context: &Context, baseline: Baseline, body: Option<Bytes>) -> Operation {
    let host = context.host.clone();
    Operation {
        name: baseline.path(),
        baseline,
        expected: match baseline {
            Baseline::Empty204 => StatusCode::NO_CONTENT,
            Baseline::Json | Baseline::UploadJson | Baseline::SameBytes => StatusCode::OK,
        },
        make: Arc::new(move |_: &mut Rng| match &body {
            Some(bytes) => request(
                Method::POST,
                baseline.path(),
                &host,
                Some(("application/octet-stream", bytes.clone())),
            ),
            None => request(Method::GET, baseline.path(), &host, None),
        }),
    }
}

/// A request with the headers an SDK sends: `Host`, the bearer token, `Accept`.
pub fn request(
    method: Method,
    uri: &str,
    host: &HeaderValue,
    body: Option<(&'static str, Bytes)>,
) -> Request<Full<Bytes>> {
    let mut builder = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, host)
        .header(header::AUTHORIZATION, AUTHORIZATION)
        .header(header::ACCEPT, "application/json");
    let body = match body {
        Some((content_type, bytes)) => {
            builder = builder.header(header::CONTENT_TYPE, content_type);
            bytes
        }
        None => Bytes::new(),
    };
    builder.body(Full::new(body)).expect("a valid request")
}

/// `POST /oauth2/token` with client credentials for the enterprise, form-encoded as box_sdk_gen's
/// `BoxCCGAuth` sends it (<https://developer.box.com/reference/post-oauth2-token/>): a new token
/// for the app's service account every time → 200.
pub fn box_token_client_credentials(context: &Context) -> Operation {
    let host = context.host.clone();
    let form = Bytes::from_static(
        b"grant_type=client_credentials&client_id=bench-app&client_secret=bench-secret\
          &box_subject_type=enterprise&box_subject_id=1",
    );
    Operation {
        name: "box_token_ccg",
        // The fixed JSON route takes any method; the upload baseline sends 1 MiB.
        baseline: Baseline::Json,
        expected: StatusCode::OK,
        make: Arc::new(move |_: &mut Rng| {
            let body = ("application/x-www-form-urlencoded", form.clone());
            request(Method::POST, "/oauth2/token", &host, Some(body))
        }),
    }
}

/// The Graph drive prefix: `/v1.0/drives/{drive-id}` from `GET /v1.0/me/drive`, the form the Python
/// SDK addresses items with
/// (<https://github.com/microsoftgraph/msgraph-sdk-python/tree/main/msgraph/generated/drives/item/items/item>),
/// or `/v1.0/me/drive` when that does not answer.
pub async fn graph_drive(address: SocketAddr, host: &HeaderValue) -> String {
    const FALLBACK: &str = "/v1.0/me/drive";
    let Ok(mut sender) = load::connect(address).await else {
        return FALLBACK.to_owned();
    };
    let request = request(Method::GET, FALLBACK, host, None);
    let drive_id = match load::send(&mut sender, request).await {
        Ok((StatusCode::OK, body)) => serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|drive| drive.get("id")?.as_str().map(str::to_owned)),
        _ => None,
    };
    match drive_id {
        // Kiota encodes everything but letters, digits and `-._~` in a path parameter.
        Some(id) => format!("/v1.0/drives/{}", utf8_percent_encode(&id, PATH_PARAMETER)),
        None => FALLBACK.to_owned(),
    }
}

const PATH_PARAMETER: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
