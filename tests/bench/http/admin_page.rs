//! The requests the admin page (`/__admin/ui`) makes while it polls, at the 10⁵-version file:
//! its timeline from either end and at any page, the item, a folder of the 10⁴-file pool, the
//! users, the journal's first page, and the page itself. Each must stay under 10 ms at c=1.

use std::sync::Arc;

use hyper::{Method, StatusCode};

use crate::baseline::Baseline;
use crate::fixture::{Pool, Seeded, FOLDER_IDS};
use crate::load::Rng;
use crate::operations::{request, Context, Operation};

/// The page asks for this many versions, requests or users at a time.
const PAGE: u64 = 50;

pub fn table(context: &Context, seeded: &Seeded) -> Vec<Operation> {
    let long = seeded.graph.long;
    let standard = seeded.box_api.standard;
    vec![
        get(context, "admin_timeline_newest", move |_| {
            format!("/__admin/items/{}/versions?limit={PAGE}", long.item(0))
        }),
        get(context, "admin_timeline_any_page", move |rng| {
            let order = if rng.below(2) == 0 {
                "newest"
            } else {
                "oldest"
            };
            let offset = rng.below(long.history as u64 - PAGE);
            format!(
                "/__admin/items/{}/versions?order={order}&offset={offset}&limit={PAGE}",
                long.item(0)
            )
        }),
        get(context, "admin_item", move |_| {
            format!("/__admin/items/{}", long.item(0))
        }),
        get(context, "admin_children", move |rng| {
            // One of the folders of a hundred files each that hold the 10⁴-file pool.
            let folder = 1 + rng.below(standard.files as u64 / 100);
            format!(
                "/__admin/items/{}/children?limit=100",
                folder_id(standard, folder)
            )
        }),
        get(context, "admin_users", |_| "/__admin/users".to_owned()),
        get(context, "admin_journal", |_| {
            format!("/__admin/requests?order=newest&limit={PAGE}")
        }),
        get(context, "admin_ui", |_| "/__admin/ui".to_owned()),
    ]
}

fn folder_id(pool: Pool, folder: u64) -> u64 {
    pool.first_item + FOLDER_IDS + folder
}

fn get(
    context: &Context,
    name: &'static str,
    uri: impl Fn(&mut Rng) -> String + Send + Sync + 'static,
) -> Operation {
    let host = context.host.clone();
    Operation {
        name,
        baseline: Baseline::Json,
        expected: StatusCode::OK,
        make: Arc::new(move |rng: &mut Rng| request(Method::GET, &uri(rng), &host, None)),
    }
}
