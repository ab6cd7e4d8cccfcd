//! Comments on files (<https://developer.box.com/reference/post-comments/>): make one on a file
//! or as a reply, read, list (offset paging, oldest first, replies included), edit and delete.

use axum::extract::{FromRequestParts, RawPathParams, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::IdValue;
use crate::box_api::errors::BoxApiError;
use crate::box_api::extract::{BoxJson, BoxQuery, Caller, FilePath};
use crate::box_api::fields::{shape, Fields, FieldsQuery, COMMENT_BASE};
use crate::box_api::model::{CommentJson, Comments};
use crate::box_api::paging::OffsetPage;
use crate::control::journal::Touched;
use crate::state::AppState;
use crate::store::comments::{Comment, CommentTarget, CommentText, MAX_MESSAGE};
use crate::store::sharing::BoxAccess;
use crate::store::ItemId;

/// A file's comments come 100 to a page unless `limit` says otherwise (box-node-sdk's
/// `get_files_id_comments_200.json` fixture), up to Box's 1000.
const DEFAULT_LIMIT: usize = 100;

/// `/comments/{comment_id}`: Box's ids are numbers; any other text names no comment.
pub(crate) struct CommentPath(pub u64);

impl<S: Send + Sync> FromRequestParts<S> for CommentPath {
    type Rejection = BoxApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let params = RawPathParams::from_request_parts(parts, state).await?;
        let id = params
            .iter()
            .find(|(name, _)| *name == "comment_id")
            .and_then(|(_, value)| value.parse().ok())
            .ok_or(BoxApiError::NotFound)?;
        Ok(Self(id))
    }
}

/// `POST /comments`'s body: `message` or `tagged_message`, and the `item` it goes on.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct NewCommentBody {
    message: Option<String>,
    tagged_message: Option<String>,
    item: Option<ItemRef>,
}

#[derive(Debug, Deserialize)]
struct ItemRef {
    id: Option<IdValue>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// `PUT /comments/{id}`'s body.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct EditCommentBody {
    message: Option<String>,
}

/// 201 with the comment. The spec marks `message` required, but a `tagged_message` stands for it
/// (<https://developer.box.com/reference/post-comments/>: "To mention a user, use the
/// `tagged_message` parameter instead"); with both, the tagged one is kept.
pub(crate) async fn create_comment(
    State(state): State<AppState>,
    Caller(space): Caller,
    BoxQuery(query): BoxQuery<FieldsQuery>,
    BoxJson(body): BoxJson<Option<NewCommentBody>>,
) -> Result<Response, BoxApiError> {
    let body = body.unwrap_or_default();
    let text = match (body.tagged_message, body.message) {
        (Some(tagged), _) => CommentText::Tagged(checked("tagged_message", tagged)?),
        (None, Some(message)) => CommentText::Plain(checked("message", message)?),
        (None, None) => return Err(BoxApiError::missing("message")),
    };
    let target = target(body.item)?;
    // A collaborator comments on a file they reach (viewers may: Box's viewer role comments).
    let space = match target {
        CommentTarget::File(file) => {
            crate::box_api::reach::space_for(&state, &space, file, BoxAccess::Preview)?
        }
        CommentTarget::Comment(_) => space,
    };
    let comment = state.store.create_comment(&space, target, text)?;
    let file = comment.file;
    let reply = comment_reply(StatusCode::CREATED, &comment, query.fields());
    Ok(Touched::mark(file, reply))
}

pub(crate) async fn get_comment(
    State(state): State<AppState>,
    Caller(space): Caller,
    CommentPath(id): CommentPath,
    BoxQuery(query): BoxQuery<FieldsQuery>,
) -> Result<Response, BoxApiError> {
    let comment = state.store.comment(&space, id)?;
    let reply = comment_reply(StatusCode::OK, &comment, query.fields());
    Ok(Touched::mark(comment.file, reply))
}

/// 200 with the comment as edited. A body without `message` is refused: an edit that changes
/// nothing would hide the client's mistake.
pub(crate) async fn update_comment(
    State(state): State<AppState>,
    Caller(space): Caller,
    CommentPath(id): CommentPath,
    BoxQuery(query): BoxQuery<FieldsQuery>,
    BoxJson(body): BoxJson<Option<EditCommentBody>>,
) -> Result<Response, BoxApiError> {
    let message = (body.unwrap_or_default().message).ok_or(BoxApiError::missing("message"))?;
    let message = checked("message", message)?;
    let comment = state.store.edit_comment(&space, id, message)?;
    let reply = comment_reply(StatusCode::OK, &comment, query.fields());
    Ok(Touched::mark(comment.file, reply))
}

/// 204; a `GET` after it is 404.
pub(crate) async fn delete_comment(
    State(state): State<AppState>,
    Caller(space): Caller,
    CommentPath(id): CommentPath,
) -> Result<Response, BoxApiError> {
    state.store.delete_comment(&space, id)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /files/{id}/comments`: oldest first, replies included (box-python-sdk's
/// `test/comments.py` reads a reply at `entries[1]`).
pub(crate) async fn list_comments(
    State(state): State<AppState>,
    Caller(space): Caller,
    FilePath(file): FilePath,
    BoxQuery(query): BoxQuery<OffsetPage>,
) -> Result<Response, BoxApiError> {
    let window = query.window_or(DEFAULT_LIMIT)?;
    let listing = state.store.comments(&space, file, window)?;
    let fields = Fields::parse(query.fields.as_deref());
    let entries = (listing.entries.iter())
        .map(|c| {
            shape(
                fields.as_ref(),
                CommentJson::new(c, fields.is_some()),
                COMMENT_BASE,
            )
        })
        .collect();
    let reply = Json(Comments {
        total_count: listing.total,
        entries,
        offset: window.offset,
        limit: window.limit,
    });
    Ok(Touched::mark(file, reply.into_response()))
}

/// A message as kept: not empty, not over `MAX_MESSAGE` characters.
fn checked(name: &'static str, text: String) -> Result<String, BoxApiError> {
    if text.trim().is_empty() {
        return Err(BoxApiError::invalid(
            name,
            "Invalid value. The comment is empty.",
        ));
    }
    if text.chars().count() > MAX_MESSAGE {
        return Err(BoxApiError::invalid(
            name,
            format!("Invalid value. A comment may be at most {MAX_MESSAGE} characters long."),
        ));
    }
    Ok(text)
}

/// What the comment goes on. An id that cannot name a file or comment names nothing (404), as
/// a body's parent id does.
fn target(item: Option<ItemRef>) -> Result<CommentTarget, BoxApiError> {
    let item = item.ok_or(BoxApiError::missing("item"))?;
    let kind = item.kind.ok_or(BoxApiError::missing("item.type"))?;
    let id = match item.id.ok_or(BoxApiError::missing("item.id"))? {
        IdValue::Number(n) => n,
        IdValue::Text(text) => text.parse().map_err(|_| BoxApiError::NotFound)?,
    };
    match kind.as_str() {
        "file" => Ok(CommentTarget::File(ItemId(id))),
        "comment" => Ok(CommentTarget::Comment(id)),
        _ => Err(BoxApiError::invalid(
            "item.type",
            "Invalid value. Expected 'file' or 'comment'.",
        )),
    }
}

/// One comment as a reply body, with `fields` applied (its base set is `type` and `id`).
fn comment_reply(status: StatusCode, comment: &Comment, fields: Option<Fields<'_>>) -> Response {
    let json = CommentJson::new(comment, fields.is_some());
    (status, Json(shape(fields.as_ref(), json, COMMENT_BASE))).into_response()
}
