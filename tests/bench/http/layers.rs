//! Where the emulator's overhead over a bare route goes: the same fixed-204 route under each of
//! the app-level layers the route table puts around every request (tracing, then `app_layer`:
//! journal, the clock's `Date`), then under both in the same order, then the whole app router
//! answering on its fallback (through `restore_mock::internals`, the `internals` feature). Every variant is a server of its own on the server runtime,
//! measured in rotation like everything else.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::http::StatusCode;
use axum::routing::any;
use axum::{middleware, Router};
use hyper::header::HeaderValue;
use hyper::Method;
use restore_mock::config::Config;
use restore_mock::internals::{app_layer, build_state, router};
use tokio::net::TcpListener;
use tokio::runtime::Runtime;
use tower_http::trace::TraceLayer;

use crate::cpu::ThreadCpu;
use crate::load::{Rng, Target};
use crate::operations;
use crate::report::LayerRow;
use crate::rounds::{self, median_of, median_ratio, Schedule};

/// A Graph-looking path. The fixed route does not mark its reply as a face's, so the pipeline
/// notes the request but records nothing; the fallback variant, answered by the Graph face,
/// includes the record.
const PATH: &str = "/v1.0/bench-layer";

pub fn measure(
    server_runtime: &Runtime,
    client: &Runtime,
    cpu: &ThreadCpu,
    concurrency: usize,
    schedule: Schedule,
) -> Vec<LayerRow> {
    let state = build_state(&Config::default()).expect("a default state");
    let route = || Router::new().route(PATH, any(|| async { StatusCode::NO_CONTENT }));
    let app_layer = || middleware::from_fn_with_state(state.clone(), app_layer);
    let variants: Vec<(&str, Router, StatusCode, &str)> = vec![
        (
            "bare route (fixed 204)",
            route(),
            StatusCode::NO_CONTENT,
            PATH,
        ),
        (
            "+ TraceLayer",
            route().layer(TraceLayer::new_for_http()),
            StatusCode::NO_CONTENT,
            PATH,
        ),
        (
            "+ app_layer",
            route().layer(app_layer()),
            StatusCode::NO_CONTENT,
            PATH,
        ),
        (
            "+ both, as app.rs",
            route().layer(app_layer()).layer(TraceLayer::new_for_http()),
            StatusCode::NO_CONTENT,
            PATH,
        ),
        (
            "app::router, fallback",
            // No face serves PATH: the whole app answers Graph's 400 from its fallback.
            router(state.clone()),
            StatusCode::BAD_REQUEST,
            PATH,
        ),
        (
            "app::router, /__admin/health",
            // The smallest routed reply of the whole app: no face, no journal, fixed JSON.
            router(state.clone()),
            StatusCode::OK,
            "/__admin/health",
        ),
    ];
    let mut names = Vec::new();
    let mut targets = Vec::new();
    let mut servers = Vec::new();
    for (name, router, expected, path) in variants {
        let listener = server_runtime
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .expect("bind a layer variant");
        let address = listener.local_addr().expect("an address");
        servers.push(server_runtime.spawn(async move {
            let _ = axum::serve(listener, router).await;
        }));
        names.push(name);
        targets.push(target(address, expected, path));
    }
    let results = client.block_on(rounds::rotate(&targets, concurrency, schedule, cpu));
    for handle in servers {
        handle.abort();
    }
    names
        .into_iter()
        .enumerate()
        .map(|(i, name)| LayerRow {
            variant: name.to_owned(),
            concurrency,
            rps: median_of(&results[i], |r| r.rps()),
            p99_us: median_of(&results[i], |r| r.percentile_us(0.99)),
            cpu_us_per_req: median_of(&results[i], |r| r.cpu_us_per_request()),
            cpu_ratio: median_ratio(&results[i], &results[0], |r| r.cpu_us_per_request()),
            errors: rounds::errors(&results[i]).1,
        })
        .collect()
}

fn target(address: SocketAddr, expected: StatusCode, path: &'static str) -> Target {
    let host = HeaderValue::from_str(&address.to_string()).expect("a host");
    Target {
        address,
        expected,
        make: Arc::new(move |_: &mut Rng| operations::request(Method::GET, path, &host, None)),
    }
}
