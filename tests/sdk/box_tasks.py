"""Tasks through Box's official Python SDK (boxsdk 10.x, imported as box_sdk_gen), pointed at a
restore-mock server, as box_sdk_gen's own `test/tasks.py` and `test/task_assignments.py` do: a
task made on a file, assigned to the current user, resolved by them, listed on the file and on
the task, updated, then its assignment and the task deleted, after which reading them fails with
404. Asserts as it goes; exits non-zero on the first failure.

Usage: box_tasks.py ROOT_URL   (e.g. http://127.0.0.1:8080)
"""

import io
import sys

from box_sdk_gen import BoxAPIError
from box_sdk_gen.internal.utils import date_time_from_string
from box_sdk_gen.managers.task_assignments import (
    CreateTaskAssignmentAssignTo,
    CreateTaskAssignmentTask,
    UpdateTaskAssignmentByIdResolutionState,
)
from box_sdk_gen.managers.tasks import (
    CreateTaskAction,
    CreateTaskCompletionRule,
    CreateTaskItem,
    CreateTaskItemTypeField,
    UpdateTaskByIdAction,
)
from box_sdk_gen.managers.uploads import UploadFileAttributes, UploadFileAttributesParentField
from box_common import box_client, check


def not_found(call, what):
    try:
        call()
        check(False, what)
    except BoxAPIError as error:
        check(error.response_info.status_code == 404, what)


def main(root):
    client = box_client(root, "sdk-tasks-token")
    me = client.users.get_user_me()
    file = client.uploads.upload_file(
        UploadFileAttributes(name="a.txt", parent=UploadFileAttributesParentField(id="0")),
        io.BytesIO(b"one"),
    ).entries[0]
    check(client.tasks.get_file_tasks(file.id).total_count == 0, "a fresh file has no tasks")

    task = client.tasks.create_task(
        CreateTaskItem(type=CreateTaskItemTypeField.FILE, id=file.id),
        action=CreateTaskAction.REVIEW,
        message="Please review",
        due_at=date_time_from_string("2035-01-01T00:00:00Z"),
        completion_rule=CreateTaskCompletionRule.ALL_ASSIGNEES,
    )
    check(task.item.id == file.id and task.message == "Please review", "a task is made on the file")
    check(task.created_by.id == me.id and task.is_completed is False, "by me, not completed")

    assignment = client.task_assignments.create_task_assignment(
        CreateTaskAssignmentTask(id=task.id), CreateTaskAssignmentAssignTo(id=me.id)
    )
    check(assignment.assigned_to.id == me.id, "it is assigned to me")
    check(str(assignment.resolution_state.value) == "incomplete", "not yet resolved")

    resolved = client.task_assignments.update_task_assignment_by_id(
        assignment.id,
        message="Looks good",
        resolution_state=UpdateTaskAssignmentByIdResolutionState.APPROVED,
    )
    check(str(resolved.resolution_state.value) == "approved", "I approve it")
    check(resolved.message == "Looks good", "with my message")
    check(client.tasks.get_task_by_id(task.id).is_completed is True, "the task is then completed")

    listed = client.task_assignments.get_task_assignments(task.id)
    check(listed.total_count == 1 and listed.entries[0].id == assignment.id, "the task lists it")
    on_file = client.tasks.get_file_tasks(file.id)
    check([t.id for t in on_file.entries] == [task.id], "the file lists the task")

    updated = client.tasks.update_task_by_id(
        task.id, action=UpdateTaskByIdAction.COMPLETE, message="Now complete it"
    )
    check(str(updated.action.value) == "complete" and updated.message == "Now complete it", "updated")

    client.task_assignments.delete_task_assignment_by_id(assignment.id)
    not_found(lambda: client.task_assignments.get_task_assignment_by_id(assignment.id), "unassigned")
    client.tasks.delete_task_by_id(task.id)
    not_found(lambda: client.tasks.get_task_by_id(task.id), "a deleted task is not found")
    check(client.tasks.get_file_tasks(file.id).total_count == 0, "the file has no task left")
    print("box tasks passed")


if __name__ == "__main__":
    main(sys.argv[1])
