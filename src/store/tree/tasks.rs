//! Box's tasks on the tree (`crate::store::tasks`): made on a file the caller reaches, assigned
//! to users, resolved by the assignee, read, edited and deleted through that file. A task on a
//! file another space holds, or one in the trash, is not there, and neither are its assignments.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::Tree;
use crate::store::accounts::User;
use crate::store::domain::{ItemId, Space};
use crate::store::tasks::{
    Assignment, AssignmentEdit, AssignmentView, NewTask, Resolution, Task, TaskEdit, TaskError,
    TaskView, MAX_ASSIGNMENTS_PER_TASK, MAX_TASKS_PER_FILE,
};
use crate::store::StoreError;

impl Tree {
    /// A new task on a file, with no assignments yet.
    pub fn create_task(
        &mut self,
        space: &Space,
        new: NewTask,
        now: DateTime<Utc>,
    ) -> Result<TaskView, StoreError> {
        self.file(space, new.file)?;
        if self.sharing.tasks().tasks_on(new.file).count() >= MAX_TASKS_PER_FILE {
            return Err(TaskError::TooManyTasks.into());
        }
        let tasks = self.sharing_mut().tasks_mut();
        let task = Task {
            id: tasks.new_task_id(),
            file: new.file,
            action: new.action,
            message: new.message,
            due_at: new.due_at,
            completion_rule: new.completion_rule,
            by: (*space.actor).clone(),
            created: now,
        };
        tasks.set_task(task.clone());
        Ok(self.task_view(task))
    }

    /// A task on a file the caller reaches.
    pub fn task(&self, space: &Space, id: u64) -> Result<TaskView, StoreError> {
        let task = self.reachable_task(space, id)?.clone();
        Ok(self.task_view(task))
    }

    /// A file's tasks, oldest first; Box does not page them.
    pub fn tasks(&self, space: &Space, file: ItemId) -> Result<Vec<TaskView>, StoreError> {
        self.file(space, file)?;
        let tasks: Vec<Task> = self.sharing.tasks().tasks_on(file).cloned().collect();
        Ok(tasks.into_iter().map(|t| self.task_view(t)).collect())
    }

    /// Changes what `edit` names. Assignments keep their states when the action changes (Box
    /// does not say they are reset).
    pub fn edit_task(
        &mut self,
        space: &Space,
        id: u64,
        edit: TaskEdit,
    ) -> Result<TaskView, StoreError> {
        let mut task = self.reachable_task(space, id)?.clone();
        if let Some(action) = edit.action {
            task.action = action;
        }
        if let Some(message) = edit.message {
            task.message = message;
        }
        if let Some(due_at) = edit.due_at {
            task.due_at = Some(due_at);
        }
        if let Some(rule) = edit.completion_rule {
            task.completion_rule = rule;
        }
        self.sharing_mut().tasks_mut().set_task(task.clone());
        Ok(self.task_view(task))
    }

    /// Deletes a task and its assignments.
    pub fn delete_task(&mut self, space: &Space, id: u64) -> Result<(), StoreError> {
        self.reachable_task(space, id)?;
        self.sharing_mut().tasks_mut().remove_task(id);
        Ok(())
    }

    /// Assigns a task to `user` (`None`: the key named no one). The task is looked for first,
    /// so an unknown task is 404 whoever is named.
    pub fn assign_task(
        &mut self,
        space: &Space,
        task: u64,
        user: Option<Arc<User>>,
        now: DateTime<Utc>,
    ) -> Result<AssignmentView, StoreError> {
        let found = self.reachable_task(space, task)?;
        let (file, message) = (found.file, found.message.clone());
        let user = user.ok_or(TaskError::UserNotFound)?;
        let tasks = self.sharing.tasks();
        if tasks.assignments_of(task).count() >= MAX_ASSIGNMENTS_PER_TASK {
            return Err(TaskError::TooManyAssignments.into());
        }
        let tasks = self.sharing_mut().tasks_mut();
        let assignment = Assignment {
            id: tasks.new_assignment_id(),
            task,
            file,
            assigned_to: (*user).clone(),
            assigned_by: (*space.actor).clone(),
            message,
            resolution: Resolution::Incomplete,
            assigned_at: now,
            completed_at: None,
        };
        tasks.set_assignment(assignment.clone());
        Ok(self.assignment_view(assignment))
    }

    /// An assignment of a task on a file the caller reaches.
    pub fn task_assignment(&self, space: &Space, id: u64) -> Result<AssignmentView, StoreError> {
        let assignment = self.reachable_assignment(space, id)?.clone();
        Ok(self.assignment_view(assignment))
    }

    /// The assignee's answer: their message, their resolution (one the task's action has).
    pub fn edit_task_assignment(
        &mut self,
        space: &Space,
        id: u64,
        edit: AssignmentEdit,
        now: DateTime<Utc>,
    ) -> Result<AssignmentView, StoreError> {
        let mut assignment = self.reachable_assignment(space, id)?.clone();
        if assignment.assigned_to.id != space.actor.id {
            return Err(TaskError::NotTheAssignee.into());
        }
        if let Some(resolution) = edit.resolution {
            let task = self.sharing.tasks().task(assignment.task);
            let action = task.ok_or(TaskError::AssignmentNotFound)?.action;
            if !resolution.fits(action) {
                return Err(TaskError::ResolutionForAction.into());
            }
            if resolution != assignment.resolution {
                assignment.completed_at = (resolution != Resolution::Incomplete).then_some(now);
            }
            assignment.resolution = resolution;
        }
        if let Some(message) = edit.message {
            assignment.message = message;
        }
        self.sharing_mut()
            .tasks_mut()
            .set_assignment(assignment.clone());
        Ok(self.assignment_view(assignment))
    }

    pub fn delete_task_assignment(&mut self, space: &Space, id: u64) -> Result<(), StoreError> {
        self.reachable_assignment(space, id)?;
        self.sharing_mut().tasks_mut().remove_assignment(id);
        Ok(())
    }

    /// Forgets the tasks of a file that is gone (purged, or its user reset).
    pub(super) fn forget_tasks(&mut self, file: ItemId) {
        if self.sharing.tasks().has_tasks_on(file) {
            self.sharing_mut()
                .tasks_mut()
                .retain_items(|item| item != file);
        }
    }

    fn task_view(&self, task: Task) -> TaskView {
        let tasks = self.sharing.tasks();
        TaskView {
            file: self.view(task.file),
            assignments: tasks.assignments_of(task.id).cloned().collect(),
            is_completed: tasks.is_completed(&task),
            task,
        }
    }

    fn assignment_view(&self, assignment: Assignment) -> AssignmentView {
        AssignmentView {
            file: self.view(assignment.file),
            assignment,
        }
    }

    /// The task, if its file is one the caller reaches and not in the trash.
    fn reachable_task(&self, space: &Space, id: u64) -> Result<&Task, StoreError> {
        let task = (self.sharing.tasks().task(id)).ok_or(TaskError::TaskNotFound)?;
        match self.file(space, task.file) {
            Ok(_) => Ok(task),
            Err(_) => Err(TaskError::TaskNotFound.into()),
        }
    }

    /// The assignment, if its file is one the caller reaches and not in the trash.
    fn reachable_assignment(&self, space: &Space, id: u64) -> Result<&Assignment, StoreError> {
        let assignment =
            (self.sharing.tasks().assignment(id)).ok_or(TaskError::AssignmentNotFound)?;
        match self.file(space, assignment.file) {
            Ok(_) => Ok(assignment),
            Err(_) => Err(TaskError::AssignmentNotFound.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::domain::ItemKind;
    use crate::store::tasks::{CompletionRule, TaskAction};
    use crate::store::tree::arrange::Arranged;

    #[test]
    fn a_purge_drops_the_files_tasks_and_assignments_and_keeps_the_others() {
        let mut at = Arranged::new();
        let purged = at.file(at.root, &["a.txt"], b"x");
        let kept = at.file(at.root, &["b.txt"], b"x");
        let Arranged {
            mut tree,
            space,
            now,
            ..
        } = at;
        let user = space.actor.clone();
        let new = |file| NewTask {
            file,
            action: TaskAction::Review,
            message: String::new(),
            due_at: None,
            completion_rule: CompletionRule::AllAssignees,
        };
        let gone = tree.create_task(&space, new(purged), now).unwrap().task.id;
        let stays = tree.create_task(&space, new(kept), now).unwrap().task.id;
        for task in [gone, stays] {
            tree.assign_task(&space, task, Some(user.clone()), now)
                .unwrap();
        }

        tree.trash_item(&space, purged, ItemKind::File, false, None, now)
            .unwrap();
        tree.purge_item(&space, purged, ItemKind::File).unwrap();

        let tasks = tree.sharing().tasks();
        assert!(tasks.task(gone).is_none() && tasks.assignment(1).is_none());
        assert_eq!(tasks.task(stays).map(|t| t.file), Some(kept));
        assert_eq!(tasks.assignment(2).map(|a| a.task), Some(stays));
    }
}
