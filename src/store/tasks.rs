//! Box's tasks on files and their assignments
//! (<https://developer.box.com/reference/resources/task/>,
//! <https://developer.box.com/reference/resources/task-assignment/>): what a `POST /tasks` or
//! `POST /task_assignments` asks for and what the store keeps. They sit in the tree's side state
//! with the comments (`super::sharing::Sharing`), under its lock, and go when their file does.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::store::accounts::User;
use crate::store::by_item::ByItem;
use crate::store::domain::{ItemId, ItemView};

/// The longest task or assignment message kept. Box publishes no limit; this one bounds what a
/// client can make the store hold, as comments' does.
pub const MAX_MESSAGE: usize = 10_000;
/// The most tasks one file holds, and the most assignments one task holds. Box publishes
/// neither; these bound what a client can make the store hold and a listing (which Box does not
/// page) return.
pub const MAX_TASKS_PER_FILE: usize = 1000;
pub const MAX_ASSIGNMENTS_PER_TASK: usize = 1000;

/// What an assignee is asked to do (`action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskAction {
    Review,
    Complete,
}

/// Who must resolve the task before it is completed (`completion_rule`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompletionRule {
    AllAssignees,
    AnyAssignee,
}

/// An assignment's `resolution_state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    Incomplete,
    Completed,
    Approved,
    Rejected,
}

impl Resolution {
    /// Whether a task with `action` can be in this state: a review is `incomplete`, `approved`
    /// or `rejected`, a completion `incomplete` or `completed`
    /// (<https://developer.box.com/guides/tasks/create>, "Task actions").
    pub fn fits(self, action: TaskAction) -> bool {
        match self {
            Self::Incomplete => true,
            Self::Completed => action == TaskAction::Complete,
            Self::Approved | Self::Rejected => action == TaskAction::Review,
        }
    }
}

/// One task on a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    /// A number, as Box's task ids are.
    pub id: u64,
    pub file: ItemId,
    pub action: TaskAction,
    pub message: String,
    pub due_at: Option<DateTime<Utc>>,
    pub completion_rule: CompletionRule,
    pub by: User,
    pub created: DateTime<Utc>,
}

/// One user's part in a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// A number, as Box's assignment ids are.
    pub id: u64,
    pub task: u64,
    pub file: ItemId,
    pub assigned_to: User,
    pub assigned_by: User,
    /// The task's message when it was assigned, until the assignee writes their own.
    pub message: String,
    pub resolution: Resolution,
    pub assigned_at: DateTime<Utc>,
    /// When it left `incomplete` (back to `None` if it returns there).
    pub completed_at: Option<DateTime<Utc>>,
}

/// What `POST /tasks` asks for, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTask {
    pub file: ItemId,
    pub action: TaskAction,
    pub message: String,
    pub due_at: Option<DateTime<Utc>>,
    pub completion_rule: CompletionRule,
}

/// What `PUT /tasks/{id}` changes; `None` keeps the value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskEdit {
    pub action: Option<TaskAction>,
    pub message: Option<String>,
    pub due_at: Option<DateTime<Utc>>,
    pub completion_rule: Option<CompletionRule>,
}

/// What `PUT /task_assignments/{id}` changes; `None` keeps the value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssignmentEdit {
    pub message: Option<String>,
    pub resolution: Option<Resolution>,
}

/// A task as shown: with its file as it is now, its assignments, and whether it is completed.
#[derive(Debug, Clone)]
pub struct TaskView {
    pub task: Task,
    pub file: ItemView,
    pub assignments: Vec<Assignment>,
    pub is_completed: bool,
}

/// An assignment as shown, with its file as it is now.
#[derive(Debug, Clone)]
pub struct AssignmentView {
    pub assignment: Assignment,
    pub file: ItemView,
}

/// Why a task operation did nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaskError {
    /// An id that names no task on a file the caller reaches.
    #[error("the task does not exist")]
    TaskNotFound,
    #[error("the task assignment does not exist")]
    AssignmentNotFound,
    /// `assign_to` names no user the emulator knows.
    #[error("the user to assign does not exist")]
    UserNotFound,
    /// Only the assignee resolves their assignment.
    #[error("only the assignee may update a task assignment")]
    NotTheAssignee,
    /// A resolution the task's action does not have (`approved` on a `complete` task).
    #[error("the resolution state does not fit the task's action")]
    ResolutionForAction,
    #[error("the file holds the most tasks the emulator keeps")]
    TooManyTasks,
    #[error("the task holds the most assignments the emulator keeps")]
    TooManyAssignments,
}

/// A task's refusal travels as the sharing state's, where tasks are kept.
impl From<TaskError> for crate::store::StoreError {
    fn from(error: TaskError) -> Self {
        Self::Sharing(error.into())
    }
}

/// Every task and assignment, by id (which is also the order they were made in), each also
/// found by its file: a file's tasks are read for its state export and its purge, and a task's
/// assignments for every task view.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskState {
    tasks: ByItem<u64, Task>,
    assignments: ByItem<u64, Assignment>,
    last_task: u64,
    last_assignment: u64,
}

impl TaskState {
    pub fn task(&self, id: u64) -> Option<&Task> {
        self.tasks.get(&id)
    }

    pub fn assignment(&self, id: u64) -> Option<&Assignment> {
        self.assignments.get(&id)
    }

    /// A file's tasks, oldest first.
    pub fn tasks_on(&self, file: ItemId) -> impl Iterator<Item = &Task> {
        self.tasks.on(file)
    }

    /// A task's assignments, oldest first.
    pub fn assignments_of(&self, task: u64) -> impl Iterator<Item = &Assignment> {
        let file = self.tasks.get(&task).map(|t| t.file);
        (file.into_iter())
            .flat_map(|file| self.assignments.on(file))
            .filter(move |a| a.task == task)
    }

    pub fn has_tasks_on(&self, file: ItemId) -> bool {
        self.tasks_on(file).next().is_some()
    }

    /// Whether the task's assignees have done what its rule asks: every one (at least one) for
    /// `all_assignees`, any one for `any_assignee`. A rejection is a resolution too: the
    /// reviewer has reviewed (<https://developer.box.com/guides/tasks/create>, "Completion
    /// rules", asks assignees "to review or approve").
    pub fn is_completed(&self, task: &Task) -> bool {
        let mut states = self.assignments_of(task.id).map(|a| a.resolution);
        let done = |r: Resolution| r != Resolution::Incomplete;
        match task.completion_rule {
            CompletionRule::AnyAssignee => states.any(done),
            CompletionRule::AllAssignees => {
                let mut any = false;
                let all = states.all(|r| {
                    any = true;
                    done(r)
                });
                any && all
            }
        }
    }

    pub fn new_task_id(&mut self) -> u64 {
        self.last_task += 1;
        self.last_task
    }

    /// Keeps ids up to these from being handed out again (records loaded with their ids).
    pub fn claim_ids(&mut self, task: u64, assignment: u64) {
        self.last_task = self.last_task.max(task);
        self.last_assignment = self.last_assignment.max(assignment);
    }

    pub fn new_assignment_id(&mut self) -> u64 {
        self.last_assignment += 1;
        self.last_assignment
    }

    pub fn set_task(&mut self, task: Task) {
        self.tasks.insert(task.id, task);
    }

    pub fn set_assignment(&mut self, assignment: Assignment) {
        self.assignments.insert(assignment.id, assignment);
    }

    /// Removes a task and its assignments.
    pub fn remove_task(&mut self, id: u64) {
        self.tasks.remove(&id);
        self.assignments.retain(|a| a.task != id);
    }

    pub fn remove_assignment(&mut self, id: u64) {
        self.assignments.remove(&id);
    }

    /// Forgets what was set on files that are gone.
    pub fn retain_items(&mut self, exists: impl Fn(ItemId) -> bool) {
        self.tasks.retain(|t| exists(t.file));
        self.assignments.retain(|a| exists(a.file));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolutions_fit_their_actions_only() {
        use Resolution::*;
        use TaskAction::*;
        let cases = [
            (Incomplete, Review, true),
            (Incomplete, Complete, true),
            (Completed, Complete, true),
            (Completed, Review, false),
            (Approved, Review, true),
            (Approved, Complete, false),
            (Rejected, Review, true),
            (Rejected, Complete, false),
        ];
        for (state, action, fits) in cases {
            assert_eq!(state.fits(action), fits, "{state:?} on {action:?}");
        }
    }
}
