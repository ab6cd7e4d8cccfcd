//! The `source` of a Box change about an object on a file rather than the file itself (a comment,
//! a task assignment), as the event stream (`routes::events`) and webhook deliveries
//! (`webhooks::outlet`) both show it: the object as its own `GET` shows it now, or, once it is
//! deleted (or its file is gone), its type, id and file. Box's user events carry the comment as
//! the source of `COMMENT_*` events
//! (<https://developer.box.com/guides/events/user-events/for-user/>), and the assignment as that
//! of `TASK_ASSIGNMENT_*`.

use serde_json::{json, Value};

use crate::box_api::model::{CommentJson, TaskAssignmentJson};
use crate::state::AppState;
use crate::store::{ChangeEntry, ItemId, Space};

/// The object `entry` changed, if it changed one on a file; `None` for a change to an item.
pub(crate) fn on_file(state: &AppState, space: &Space, entry: &ChangeEntry) -> Option<Value> {
    if let Some(comment) = entry.kind.comment() {
        return Some(match state.store.comment(space, comment) {
            Ok(found) => json!(CommentJson::new(&found, false)),
            Err(_) => gone("comment", comment, entry.item),
        });
    }
    let assignment = entry.kind.task_assignment()?;
    Some(match state.store.task_assignment(space, assignment) {
        Ok(view) => json!(TaskAssignmentJson::new(&view.assignment, &view.file)),
        Err(_) => gone("task_assignment", assignment, entry.item),
    })
}

/// What is left of an object once it is gone: its type, id and file.
fn gone(kind: &str, id: u64, file: ItemId) -> Value {
    json!({
        "type": kind,
        "id": id.to_string(),
        "item": {"id": file.to_string(), "type": "file"},
    })
}
