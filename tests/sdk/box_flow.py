"""The whole life of a file's versions through Box's official Python SDK (boxsdk 10.x, imported as
box_sdk_gen), pointed at a restore-mock server: upload, new version with if_match, list, trash,
restore, promote, downloads, an error, then the calls around them: the signed-in user, rename and
move, and the file's own trash (delete, restore, purge). Asserts as it goes; exits non-zero on the first failure.

Usage: box_flow.py ROOT_URL   (e.g. http://127.0.0.1:8080)
"""

import io
import sys

from box_sdk_gen import BoxAPIError
from box_sdk_gen.internal.utils import create_null
from box_sdk_gen.managers.file_versions import PromoteFileVersionType
from box_sdk_gen.managers.files import UpdateFileByIdParent
from box_sdk_gen.managers.folders import CreateFolderParent
from box_sdk_gen.managers.uploads import (
    UploadFileAttributes,
    UploadFileAttributesParentField,
    UploadFileVersionAttributes,
)
from box_common import box_client, check


def main(root):
    client = box_client(root, "sdk-flow-token")

    # Upload a new file into the root, then a folder and a file inside it.
    first = client.uploads.upload_file(
        UploadFileAttributes(name="notes.txt", parent=UploadFileAttributesParentField(id="0")),
        io.BytesIO(b"first draft"),
    ).entries[0]
    check(first.name == "notes.txt" and first.size == len(b"first draft"), "upload_file made the file")
    check(first.etag == "0" and first.parent.id == "0", "a new file has etag 0 and the root as parent")
    folder = client.folders.create_folder("Drafts", CreateFolderParent(id="0"))
    check(folder.name == "Drafts" and folder.parent.id == "0", "create_folder made a folder in the root")

    # A new version, guarded by the file's etag.
    second = client.uploads.upload_file_version(
        first.id,
        UploadFileVersionAttributes(name="notes.txt"),
        io.BytesIO(b"second draft"),
        if_match=first.etag,
    ).entries[0]
    check(second.file_version.id != first.file_version.id, "upload_file_version made a new current version")
    check(second.etag != first.etag, "the etag changed with the new version")
    try:
        client.uploads.upload_file_version(
            first.id,
            UploadFileVersionAttributes(name="notes.txt"),
            io.BytesIO(b"lost update"),
            if_match=first.etag,
        )
        check(False, "a stale if_match is refused")
    except BoxAPIError as error:
        check(error.response_info.status_code == 412, "a stale if_match is refused with 412")
        check(error.response_info.code == "precondition_failed", "the 412 says precondition_failed")

    # The list holds previous versions only.
    versions = client.file_versions.get_file_versions(first.id)
    check(versions.total_count == 1, "get_file_versions lists the previous version only")
    old = versions.entries[0]
    check(old.id == first.file_version.id, "the listed version is the first upload")
    numbered = client.file_versions.get_file_versions(first.id, fields=["id", "version_number"])
    check(numbered.entries[0].version_number == "1", "fields=version_number gives the number as a string")

    # Trash it, read it back, restore it.
    client.file_versions.delete_file_version_by_id(first.id, old.id, if_match=second.etag)
    trashed = client.file_versions.get_file_version_by_id(first.id, old.id)
    check(trashed.trashed_at is not None and trashed.trashed_by is not None, "the version is in the trash")
    restored = client.file_versions.update_file_version_by_id(first.id, old.id, trashed_at=create_null())
    check(restored.trashed_at is None and restored.trashed_by is None, "restore cleared trashed_at and trashed_by")
    check(restored.restored_at is not None and restored.restored_by is not None, "restore set restored_at and restored_by")
    unchanged = client.file_versions.update_file_version_by_id(first.id, old.id)
    check(unchanged.id == old.id and unchanged.restored_at == restored.restored_at,
          "a PUT with no body reads the version back unchanged")

    # Promote the first version: a new current version with its content.
    promoted = client.file_versions.promote_file_version(
        first.id, id=old.id, type=PromoteFileVersionType.FILE_VERSION
    )
    check(promoted.id not in (old.id, second.file_version.id), "promote made a new version")
    check(promoted.sha_1 == old.sha_1, "the promoted copy has the old content's sha1")
    file = client.files.get_file_by_id(first.id)
    check(file.file_version.id == promoted.id and file.size == len(b"first draft"), "the file's current version is the copy")
    after = client.file_versions.get_file_versions(first.id)
    check(after.total_count == 2, "every earlier version is kept")

    # Downloads of the current and an older version.
    current = client.downloads.download_file(first.id).read()
    check(current == b"first draft", "download_file gives the current content")
    older = client.downloads.download_file(first.id, version=second.file_version.id).read()
    check(older == b"second draft", "download_file(version=) gives an older version's content")
    part = client.downloads.download_file(first.id, range="bytes=6-10").read()
    check(part == b"draft", "download_file(range=) gives those bytes only")
    url = client.downloads.get_download_file_url(first.id)
    check(url.startswith(root + "/"), "get_download_file_url gives an absolute URL on this server")

    # An unknown version is a BoxAPIError with Box's code.
    try:
        client.file_versions.get_file_version_by_id(first.id, "999999999999")
        check(False, "an unknown version is refused")
    except BoxAPIError as error:
        check(error.response_info.status_code == 404, "an unknown version is a 404")
        check(error.response_info.code == "not_found", "the 404 says not_found")
        check(bool(error.response_info.request_id), "the error carries a request_id")

    # The usual "is my token working" call.
    me = client.users.get_user_me()
    check(me.id == file.created_by.id and me.login == file.created_by.login, "get_user_me is the uploader")

    # Rename and move, guarded by the etag; the history moves along.
    moved = client.files.update_file_by_id(
        first.id, name="final.txt", parent=UpdateFileByIdParent(id=folder.id), if_match=file.etag
    )
    check(moved.name == "final.txt" and moved.parent.id == folder.id, "update_file_by_id renamed and moved the file")
    check(moved.etag != file.etag and moved.file_version.id == file.file_version.id, "a move changes the etag, not the content")
    check(client.file_versions.get_file_versions(first.id).total_count == 2, "the versions moved with the file")

    # A new version sent without attributes keeps the name.
    kept = client.uploads.upload_file_version(
        first.id, UploadFileVersionAttributes(name="final.txt"), io.BytesIO(b"third draft")
    ).entries[0]
    check(kept.name == "final.txt", "a new version keeps the moved file's name")

    # The file's own trash: delete, read it there, restore, delete again, purge.
    client.files.delete_file_by_id(first.id, if_match=kept.etag)
    in_trash = client.trashed_files.get_trashed_file_by_id(first.id)
    check(in_trash.item_status.value == "trashed" and in_trash.trashed_at is not None, "the file is in the trash")
    # Read through its own route, it says where it is, as Box's own SDK test expects
    # (test/trashed_files.py in box/box-python-sdk); its content is out of reach.
    check(client.files.get_file_by_id(first.id).item_status.value == "trashed", "get_file_by_id says trashed")
    try:
        client.downloads.download_file(first.id)
        check(False, "a trashed file's content is out of reach")
    except BoxAPIError as error:
        check(error.response_info.status_code == 404, "a trashed file's content is a 404")
        check(error.response_info.code == "trashed", "the 404 says trashed")
    back = client.trashed_files.restore_file_from_trash(first.id)
    check(back.item_status.value == "active" and back.parent.id == folder.id, "restore_file_from_trash put it back")
    check(client.file_versions.get_file_versions(first.id).total_count == 3, "a restored file has its whole history")
    client.files.delete_file_by_id(first.id)
    client.trashed_files.delete_trashed_file_by_id(first.id)
    try:
        client.trashed_files.get_trashed_file_by_id(first.id)
        check(False, "a purged file is gone")
    except BoxAPIError as error:
        check(error.response_info.status_code == 404, "a purged file is not found, not even in the trash")

    print("box flow passed")


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"))
