"""Locking through Box's official Python SDK (boxsdk 10.x, imported as box_sdk_gen), pointed at a
restore-mock server, as box_sdk_gen's own `test/files.py testFileLock` does: lock with
`fields=['lock']`, read the lock, unlock with `lock=create_null()`. While it is locked, an
editor the file is shared with is refused a new version and a download (the lock prevents
downloads), then uploads once it is unlocked. A description and tags go with it. Asserts as it
goes; exits non-zero on the first failure.

Usage: box_lock.py ROOT_URL   (e.g. http://127.0.0.1:8080)
"""

import datetime
import io
import sys

from box_sdk_gen import BoxAPIError
from box_sdk_gen.internal.utils import create_null
from box_sdk_gen.managers.files import UpdateFileByIdLock, UpdateFileByIdLockAccessField
from box_sdk_gen.managers.uploads import (
    UploadFileAttributes,
    UploadFileAttributesParentField,
    UploadFileVersionAttributes,
)
from box_sdk_gen.managers.user_collaborations import (
    CreateCollaborationAccessibleBy,
    CreateCollaborationAccessibleByTypeField,
    CreateCollaborationItem,
    CreateCollaborationItemTypeField,
    CreateCollaborationRole,
)
from box_common import box_client, check


def refused(call, what):
    try:
        call()
    except BoxAPIError as error:
        info = error.response_info
        check(info.status_code == 403 and info.body["code"] == "access_denied_item_locked", what)
        return
    check(False, what)


def main(root):
    client = box_client(root, "sdk-lock-token")
    editor = box_client(root, "sdk-lock-editor")
    file = client.uploads.upload_file(
        UploadFileAttributes(name="a.txt", parent=UploadFileAttributesParentField(id="0")),
        io.BytesIO(b"one"),
    ).entries[0]
    expires = datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)

    locked = client.files.update_file_by_id(
        file.id,
        lock=UpdateFileByIdLock(
            access=UpdateFileByIdLockAccessField.LOCK, expires_at=expires, is_download_prevented=True
        ),
        fields=["lock"],
    )
    check(locked.lock is not None, "the reply carries the lock")
    check(locked.lock.type == "lock" and locked.lock.is_download_prevented, "of type lock, download prevented")
    check(locked.lock.expired_at == expires, "expiring when asked")
    check(locked.lock.created_by.id == client.users.get_user_me().id, "made by the caller")
    again = client.files.get_file_by_id(file.id, fields=["lock"])
    check(again.lock.id == locked.lock.id, "and reads back")

    client.user_collaborations.create_collaboration(
        CreateCollaborationItem(type=CreateCollaborationItemTypeField.FILE, id=file.id),
        CreateCollaborationAccessibleBy(
            type=CreateCollaborationAccessibleByTypeField.USER, id=editor.users.get_user_me().id
        ),
        CreateCollaborationRole.EDITOR,
    )
    new_version = lambda: editor.uploads.upload_file_version(
        file.id, UploadFileVersionAttributes(name="a.txt"), io.BytesIO(b"two")
    )
    refused(new_version, "an editor is refused a new version of the locked file")
    refused(lambda: editor.downloads.download_file(file.id), "and its download, which the lock prevents")

    unlocked = client.files.update_file_by_id(file.id, lock=create_null(), fields=["lock"])
    check(unlocked.lock is None, "unlocked with null")
    check(new_version().entries[0].file_version.id != file.file_version.id, "then the editor uploads a new version")

    described = client.files.update_file_by_id(
        file.id, description="notes", tags=["approved"], fields=["description", "tags"]
    )
    check(described.description == "notes" and described.tags == ["approved"], "description and tags kept")
    print("box lock passed")


if __name__ == "__main__":
    main(sys.argv[1])
