//! Tasks on files and their assignments (<https://developer.box.com/reference/post-tasks/>,
//! <https://developer.box.com/reference/post-task-assignments/>): make a task on a file, read,
//! edit, list (a file's, unpaged) and delete it; assign it to a user by id or login, and let the
//! assignee resolve their assignment.

use axum::extract::{FromRequestParts, RawPathParams, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::IdValue;
use crate::box_api::errors::BoxApiError;
use crate::box_api::extract::{BoxJson, Caller, FilePath};
use crate::box_api::model::{TaskAssignmentJson, TaskJson, Unpaged};
use crate::box_api::multipart::parse_date;
use crate::box_api::reach;
use crate::control::journal::Touched;
use crate::state::AppState;
use crate::store::sharing::BoxAccess;
use crate::store::tasks::{
    AssignmentEdit, AssignmentView, CompletionRule, NewTask, Resolution, TaskAction, TaskEdit,
    TaskView, MAX_MESSAGE,
};
use crate::store::{BoxTarget, ItemId};

/// `/tasks/{task_id}`: Box's ids are numbers; any other text names no task.
pub(crate) struct TaskPath(pub u64);

/// `/task_assignments/{task_assignment_id}`, the same way.
pub(crate) struct AssignmentPath(pub u64);

/// The numeric path parameter `key`, or 404.
async fn number_param(parts: &mut Parts, key: &str) -> Result<u64, BoxApiError> {
    let params = RawPathParams::from_request_parts(parts, &()).await?;
    params
        .iter()
        .find(|(name, _)| *name == key)
        .and_then(|(_, value)| value.parse().ok())
        .ok_or(BoxApiError::NotFound)
}

impl<S: Send + Sync> FromRequestParts<S> for TaskPath {
    type Rejection = BoxApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        number_param(parts, "task_id").await.map(Self)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for AssignmentPath {
    type Rejection = BoxApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        number_param(parts, "task_assignment_id").await.map(Self)
    }
}

/// `{"type", "id"}` naming what a task or an assignment goes on.
#[derive(Debug, Deserialize)]
pub(crate) struct TypedRef {
    id: Option<IdValue>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

impl TypedRef {
    /// The id, if `kind` is the type named (a missing type is taken as that type: the spec
    /// marks `item.type` optional). An id that cannot name anything is 404, as a body's parent
    /// id is.
    fn id(reference: Option<Self>, name: &'static str, kind: &str) -> Result<u64, BoxApiError> {
        let reference = reference.ok_or(BoxApiError::missing(name))?;
        if reference.kind.as_deref().is_some_and(|k| k != kind) {
            let message = format!("Invalid value. Expected '{kind}'.");
            return Err(BoxApiError::invalid(name, message));
        }
        match reference.id.ok_or(BoxApiError::missing(name))? {
            IdValue::Number(n) => Ok(n),
            IdValue::Text(text) => text.parse().map_err(|_| BoxApiError::NotFound),
        }
    }
}

/// `POST /tasks`'s body; `PUT /tasks/{id}` takes the same keys but `item`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct TaskBody {
    item: Option<TypedRef>,
    action: Option<String>,
    message: Option<String>,
    due_at: Option<String>,
    completion_rule: Option<String>,
}

/// `POST /task_assignments`'s body.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct AssignBody {
    task: Option<TypedRef>,
    assign_to: Option<AssignTo>,
}

#[derive(Debug, Deserialize)]
struct AssignTo {
    id: Option<IdValue>,
    login: Option<String>,
}

/// `PUT /task_assignments/{id}`'s body.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct AssignmentBody {
    message: Option<String>,
    resolution_state: Option<String>,
}

/// 201 with the task, no assignments yet. `action` defaults to `review`, `completion_rule` to
/// `all_assignees`, `message` to empty and `due_at` to none, as the spec's defaults say.
pub(crate) async fn create_task(
    State(state): State<AppState>,
    Caller(space): Caller,
    BoxJson(body): BoxJson<Option<TaskBody>>,
) -> Result<Response, BoxApiError> {
    let body = body.unwrap_or_default();
    let new = NewTask {
        file: ItemId(TypedRef::id(body.item, "item", "file")?),
        action: action(body.action.as_deref())?.unwrap_or(TaskAction::Review),
        message: message(body.message)?.unwrap_or_default(),
        due_at: due_at(body.due_at.as_deref())?,
        completion_rule: (completion_rule(body.completion_rule.as_deref())?)
            .unwrap_or(CompletionRule::AllAssignees),
    };
    // A collaborator makes tasks on the owner's file with a writing role.
    let space = reach::space_for(&state, &space, new.file, BoxAccess::Write)?;
    let view = state.store.create_task(&space, new)?;
    Ok(task_reply(StatusCode::CREATED, &view))
}

pub(crate) async fn get_task(
    State(state): State<AppState>,
    Caller(space): Caller,
    TaskPath(id): TaskPath,
) -> Result<Response, BoxApiError> {
    let view = state.store.task(&space, id)?;
    Ok(task_reply(StatusCode::OK, &view))
}

/// 200 with the task as changed; keys left out keep their values.
pub(crate) async fn update_task(
    State(state): State<AppState>,
    Caller(space): Caller,
    TaskPath(id): TaskPath,
    BoxJson(body): BoxJson<Option<TaskBody>>,
) -> Result<Response, BoxApiError> {
    let body = body.unwrap_or_default();
    let edit = TaskEdit {
        action: action(body.action.as_deref())?,
        message: message(body.message)?,
        due_at: due_at(body.due_at.as_deref())?,
        completion_rule: completion_rule(body.completion_rule.as_deref())?,
    };
    let view = state.store.edit_task(&space, id, edit)?;
    Ok(task_reply(StatusCode::OK, &view))
}

/// 204, its assignments gone with it; a `GET` after it is 404.
pub(crate) async fn delete_task(
    State(state): State<AppState>,
    Caller(space): Caller,
    TaskPath(id): TaskPath,
) -> Result<Response, BoxApiError> {
    state.store.delete_task(&space, id)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /files/{id}/tasks`: `{total_count, entries}`, oldest first, not paged (the spec: "This
/// endpoint does not support pagination").
pub(crate) async fn list_file_tasks(
    State(state): State<AppState>,
    Caller(space): Caller,
    FilePath(file): FilePath,
) -> Result<Response, BoxApiError> {
    let views = state.store.tasks(&space, file)?;
    let entries: Vec<_> = views.iter().map(TaskJson::new).collect();
    let reply = Json(Unpaged {
        total_count: entries.len(),
        entries,
    });
    Ok(Touched::mark(file, reply.into_response()))
}

/// 201 with the assignment, `incomplete`. `assign_to.id` wins over `assign_to.login`; a user
/// the emulator does not know is 404 (Box's spec answers 500 for "any of the IDs for this
/// request were not valid"; a 404 tells a client what it got wrong).
pub(crate) async fn create_task_assignment(
    State(state): State<AppState>,
    Caller(space): Caller,
    BoxJson(body): BoxJson<Option<AssignBody>>,
) -> Result<Response, BoxApiError> {
    let body = body.unwrap_or_default();
    let task = TypedRef::id(body.task, "task", "task")?;
    let assign_to = body.assign_to.ok_or(BoxApiError::missing("assign_to"))?;
    let assignee = match (assign_to.id, assign_to.login) {
        (Some(IdValue::Text(id)), _) => id,
        (Some(IdValue::Number(id)), _) => id.to_string(),
        (None, Some(login)) => login,
        (None, None) => return Err(BoxApiError::missing("assign_to.id")),
    };
    // A collaborator assigns tasks on the owner's file with a writing role.
    let target = BoxTarget::Task(task);
    let space = (reach::target_space(&state, &space, target, BoxAccess::Write)?).unwrap_or(space);
    let view = state.store.assign_task(&space, task, &assignee)?;
    Ok(assignment_reply(StatusCode::CREATED, &view))
}

pub(crate) async fn get_task_assignment(
    State(state): State<AppState>,
    Caller(space): Caller,
    AssignmentPath(id): AssignmentPath,
) -> Result<Response, BoxApiError> {
    let view = state.store.task_assignment(&space, id)?;
    Ok(assignment_reply(StatusCode::OK, &view))
}

/// 200 with the assignment as the assignee answered it; anyone else is `403`.
pub(crate) async fn update_task_assignment(
    State(state): State<AppState>,
    Caller(space): Caller,
    AssignmentPath(id): AssignmentPath,
    BoxJson(body): BoxJson<Option<AssignmentBody>>,
) -> Result<Response, BoxApiError> {
    let body = body.unwrap_or_default();
    let edit = AssignmentEdit {
        message: message(body.message)?,
        resolution: resolution(body.resolution_state.as_deref())?,
    };
    let view = state.store.edit_task_assignment(&space, id, edit)?;
    Ok(assignment_reply(StatusCode::OK, &view))
}

/// 204; the task stays.
pub(crate) async fn delete_task_assignment(
    State(state): State<AppState>,
    Caller(space): Caller,
    AssignmentPath(id): AssignmentPath,
) -> Result<Response, BoxApiError> {
    state.store.delete_task_assignment(&space, id)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /tasks/{id}/assignments`: `{total_count, entries}`, oldest first.
pub(crate) async fn list_task_assignments(
    State(state): State<AppState>,
    Caller(space): Caller,
    TaskPath(id): TaskPath,
) -> Result<Response, BoxApiError> {
    let view = state.store.task(&space, id)?;
    let entries: Vec<_> = (view.assignments.iter())
        .map(|a| TaskAssignmentJson::new(a, &view.file))
        .collect();
    let reply = Json(Unpaged {
        total_count: entries.len(),
        entries,
    });
    Ok(Touched::mark(view.task.file, reply.into_response()))
}

fn task_reply(status: StatusCode, view: &TaskView) -> Response {
    let reply = (status, Json(TaskJson::new(view))).into_response();
    Touched::mark(view.task.file, reply)
}

fn assignment_reply(status: StatusCode, view: &AssignmentView) -> Response {
    let json = TaskAssignmentJson::new(&view.assignment, &view.file);
    let reply = (status, Json(json)).into_response();
    Touched::mark(view.assignment.file, reply)
}

fn action(raw: Option<&str>) -> Result<Option<TaskAction>, BoxApiError> {
    raw.map(|raw| match raw {
        "review" => Ok(TaskAction::Review),
        "complete" => Ok(TaskAction::Complete),
        _ => Err(BoxApiError::invalid(
            "action",
            "Invalid value. Expected 'review' or 'complete'.",
        )),
    })
    .transpose()
}

fn completion_rule(raw: Option<&str>) -> Result<Option<CompletionRule>, BoxApiError> {
    raw.map(|raw| match raw {
        "all_assignees" => Ok(CompletionRule::AllAssignees),
        "any_assignee" => Ok(CompletionRule::AnyAssignee),
        _ => Err(BoxApiError::invalid(
            "completion_rule",
            "Invalid value. Expected 'all_assignees' or 'any_assignee'.",
        )),
    })
    .transpose()
}

fn resolution(raw: Option<&str>) -> Result<Option<Resolution>, BoxApiError> {
    raw.map(|raw| match raw {
        "incomplete" => Ok(Resolution::Incomplete),
        "completed" => Ok(Resolution::Completed),
        "approved" => Ok(Resolution::Approved),
        "rejected" => Ok(Resolution::Rejected),
        _ => Err(BoxApiError::invalid(
            "resolution_state",
            "Invalid value. Expected 'completed', 'incomplete', 'approved' or 'rejected'.",
        )),
    })
    .transpose()
}

fn due_at(raw: Option<&str>) -> Result<Option<DateTime<Utc>>, BoxApiError> {
    raw.map(|raw| {
        parse_date(raw).ok_or(BoxApiError::invalid(
            "due_at",
            "Invalid value. Expected an ISO 8601 date.",
        ))
    })
    .transpose()
}

/// A message as kept: at most `MAX_MESSAGE` characters (empty is fine: it is optional).
fn message(raw: Option<String>) -> Result<Option<String>, BoxApiError> {
    match raw {
        Some(text) if text.chars().count() > MAX_MESSAGE => Err(BoxApiError::invalid(
            "message",
            format!("Invalid value. A message may be at most {MAX_MESSAGE} characters long."),
        )),
        other => Ok(other),
    }
}
