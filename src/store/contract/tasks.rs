//! Box tasks in the store contract: made, assigned, resolved, edited and deleted, and (for a
//! store that keeps its state) all of it there after reopening, with new ids going on from the
//! last.

use super::*;
use crate::store::tasks::{
    AssignmentEdit, CompletionRule, NewTask, Resolution, TaskAction, TaskEdit,
};

pub(super) fn tasks_are_there_after_reopening<S: Durable>() {
    let subject = S::open();
    let file = {
        let store = subject.store();
        let space = space(store);
        let file = upload(store, &space, &["a.txt"], b"one");
        let new = |message: &str| NewTask {
            file,
            action: TaskAction::Review,
            message: message.into(),
            due_at: None,
            completion_rule: CompletionRule::AllAssignees,
        };
        let kept = store.create_task(&space, new("kept")).unwrap().task.id;
        let gone = store.create_task(&space, new("gone")).unwrap().task.id;
        let me = space.actor.id.clone();
        let first = store.assign_task(&space, kept, &me).unwrap().assignment.id;
        store.assign_task(&space, kept, &me).unwrap();
        let answer = AssignmentEdit {
            message: Some("ok".into()),
            resolution: Some(Resolution::Approved),
        };
        store.edit_task_assignment(&space, first, answer).unwrap();
        store.delete_task_assignment(&space, first + 1).unwrap();
        let edit = TaskEdit {
            completion_rule: Some(CompletionRule::AnyAssignee),
            ..TaskEdit::default()
        };
        store.edit_task(&space, kept, edit).unwrap();
        store.delete_task(&space, gone).unwrap();
        file
    };

    let subject = subject.reopen();
    let store = subject.store();
    let space = space(store);
    let tasks = store.tasks(&space, file).unwrap();
    let kept: Vec<_> = (tasks.iter())
        .map(|t| {
            let states: Vec<_> = (t.assignments.iter())
                .map(|a| (a.id, a.resolution, a.message.as_str()))
                .collect();
            (t.task.id, t.task.completion_rule, t.is_completed, states)
        })
        .collect();
    assert_eq!(
        kept,
        [(
            1,
            CompletionRule::AnyAssignee,
            true,
            vec![(1, Resolution::Approved, "ok")]
        )]
    );
    let me = space.actor.id.clone();
    let again = NewTask {
        file,
        action: TaskAction::Complete,
        message: String::new(),
        due_at: None,
        completion_rule: CompletionRule::AllAssignees,
    };
    let next = store.create_task(&space, again).unwrap();
    assert_eq!(next.task.id, 3, "task ids go on after the deleted one");
    let assigned = store.assign_task(&space, 1, &me).unwrap();
    assert_eq!(assigned.assignment.id, 3, "assignment ids too");
}
