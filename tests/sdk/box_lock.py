"""Locking through Box's official Python SDK (boxsdk 10.x, imported as box_sdk_gen), pointed at a
restore-mock server, as box_sdk_gen's own `test/files.py testFileLock` does: lock with
`fields=['lock']`, read the lock, unlock with `lock=create_null()`. A description and tags go
with it. Asserts as it goes; exits non-zero on the first failure.

Usage: box_lock.py ROOT_URL   (e.g. http://127.0.0.1:8080)
"""

import datetime
import io
import sys

from box_sdk_gen import BaseUrls, BoxClient, BoxDeveloperTokenAuth
from box_sdk_gen.internal.utils import create_null
from box_sdk_gen.managers.files import UpdateFileByIdLock, UpdateFileByIdLockAccessField
from box_sdk_gen.managers.uploads import UploadFileAttributes, UploadFileAttributesParentField


def check(condition, what):
    if not condition:
        raise AssertionError(what)
    print("ok:", what)


def main(root):
    client = BoxClient(auth=BoxDeveloperTokenAuth(token="sdk-lock-token")).with_custom_base_urls(
        BaseUrls(base_url=root, upload_url=root + "/api", oauth_2_url=root + "/oauth2")
    )
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

    unlocked = client.files.update_file_by_id(file.id, lock=create_null(), fields=["lock"])
    check(unlocked.lock is None, "unlocked with null")

    described = client.files.update_file_by_id(
        file.id, description="notes", tags=["approved"], fields=["description", "tags"]
    )
    check(described.description == "notes" and described.tags == ["approved"], "description and tags kept")
    print("box lock passed")


if __name__ == "__main__":
    main(sys.argv[1])
