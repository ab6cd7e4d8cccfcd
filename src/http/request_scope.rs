//! The scopes every face's handler runs in: `names` (replies name users as they are now) and
//! `store::acknowledge` (the reply waits until what the handler wrote or saw is kept).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::names;
use crate::store::{acknowledge, StoreError, VersionStore};

/// Runs a request's handler inside both scopes.
///
/// The handler comes boxed: a face's handler future is kilobytes, and each scope would otherwise
/// hold its own copy and move it when first polled. Graph's went from 6 KiB to 39 KiB that way,
/// and copying it was 6.5 % of a Graph `GET` item's CPU.
pub(crate) async fn run<T, E, F>(store: Arc<dyn VersionStore>, work: Pin<Box<F>>) -> Result<T, E>
where
    E: From<StoreError>,
    F: Future<Output = Result<T, E>>,
{
    acknowledge::held(names::scope(store, work)).await
}
