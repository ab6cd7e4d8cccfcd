//! The Box face, under `/2.0` (API) and `/api/2.0` (uploads): users, files and folders (with
//! their trash), uploads and file versions on the shared store, with Box's JSON, errors and headers (`shared/reference/box-file-versions.md`).
//!
//! - `routes`: the handlers; `model`: the wire types; `fields`: the `fields` parameter;
//!   `multipart`: upload bodies; `extract`: extractors that fail with Box errors;
//!   `errors`: `BoxApiError` and the envelope; `auth`: the one middleware.

mod errors;
mod extract;
mod fields;
mod layer;
mod model;
mod multipart;
mod paging;
mod routes;

use axum::routing::{any, get, post};
use axum::{middleware, Router};

use crate::state::AppState;
use errors::BoxApiError;
use routes::{files, folders, sessions, trash, uploads, users, versions};

/// Every Box route. The SDKs append `/2.0/…` to their API root and to their upload root, which
/// ends in `/api` (reference §1), so uploads are served under both prefixes.
pub(crate) fn router(state: AppState) -> Router<AppState> {
    let mut router = Router::new()
        .route(
            "/2.0/files/{file_id}",
            get(files::get_file)
                .put(files::update_file)
                .delete(trash::delete_file)
                .post(trash::restore_file),
        )
        .route(
            "/2.0/files/{file_id}/trash",
            get(trash::get_trashed_file).delete(trash::purge_file),
        )
        .route(
            "/2.0/files/{file_id}/content",
            get(files::download_file)
                .post(uploads::upload_version)
                .options(sessions::preflight_version),
        )
        .route(
            "/2.0/files/{file_id}/versions",
            get(versions::list_versions),
        )
        .route(
            "/2.0/files/{file_id}/versions/current",
            post(versions::promote_version),
        )
        .route(
            "/2.0/files/{file_id}/versions/{file_version_id}",
            get(versions::get_version)
                .delete(versions::trash_version)
                // PUT is the method of Box's specification and SDKs; POST the one of its
                // published curl sample, which users copy (reference §2).
                .put(versions::restore_from_trash)
                .post(versions::restore_from_trash),
        )
        .route("/2.0/folders", post(folders::create_folder))
        .route(
            "/2.0/folders/{folder_id}",
            get(folders::get_folder)
                .put(folders::update_folder)
                .delete(trash::delete_folder)
                .post(trash::restore_folder),
        )
        .route(
            "/2.0/folders/{folder_id}/trash",
            get(trash::get_trashed_folder).delete(trash::purge_folder),
        )
        .route("/2.0/folders/trash/items", get(trash::list_trash))
        .route("/2.0/users/me", get(users::get_user_me))
        .route("/2.0/users/{user_id}", get(users::get_user))
        .route(
            "/2.0/files/content",
            post(uploads::upload_file).options(sessions::preflight_file),
        )
        .route(
            "/api/2.0/files/content",
            post(uploads::upload_file).options(sessions::preflight_file),
        )
        .route(
            "/api/2.0/files/{file_id}/content",
            post(uploads::upload_version).options(sessions::preflight_version),
        );
    // Chunked uploads: the SDKs use the upload root (`/api/2.0`), curl users often `/2.0`.
    for prefix in ["/2.0", "/api/2.0"] {
        let session = format!("{prefix}/files/upload_sessions/{{upload_session_id}}");
        router = router
            .route(
                &format!("{prefix}/files/upload_sessions"),
                post(sessions::create_file_session),
            )
            .route(
                &format!("{prefix}/files/{{file_id}}/upload_sessions"),
                post(sessions::create_version_session),
            )
            .route(
                &session,
                get(sessions::get_session)
                    .put(sessions::upload_part)
                    .delete(sessions::abort_session),
            )
            .route(&format!("{session}/parts"), get(sessions::list_parts))
            .route(&format!("{session}/log"), get(sessions::upload_log))
            .route(&format!("{session}/commit"), post(sessions::commit_session))
            .route(&format!("{session}/plan"), post(sessions::plan_session));
    }
    // The app's own fallback answers as Graph, so the face claims its prefixes itself.
    for prefix in ["/2.0", "/api/2.0"] {
        for path in [
            prefix.to_owned(),
            format!("{prefix}/"),
            format!("{prefix}/{{*rest}}"),
        ] {
            router = router.route(&path, any(unrouted));
        }
    }
    router
        .method_not_allowed_fallback(unrouted)
        .layer(middleware::from_fn_with_state(
            state,
            layer::admit_and_render,
        ))
}

/// A path or method Box does not route. Real Box answers a misspelled path with 405, not 404, and
/// no `context_info` (box-python-sdk-gen#432, reference §4.2 and §7).
async fn unrouted() -> BoxApiError {
    BoxApiError::MethodNotAllowed
}
