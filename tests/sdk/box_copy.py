"""Copying through Box's official Python SDK (boxsdk 10.x, imported as box_sdk_gen), pointed at a
restore-mock server: a file (its current bytes, then an older version's), a whole folder, and
the name conflict a second copy runs into. Asserts as it goes; exits non-zero on the first
failure.

Usage: box_copy.py ROOT_URL   (e.g. http://127.0.0.1:8080)
"""

import io
import sys

from box_sdk_gen import BoxAPIError
from box_sdk_gen.managers.files import CopyFileParent
from box_sdk_gen.managers.folders import CopyFolderParent, CreateFolderParent
from box_sdk_gen.managers.uploads import (
    UploadFileAttributes,
    UploadFileAttributesParentField,
    UploadFileVersionAttributes,
)
from box_common import box_client, check


def read(client, file_id):
    return client.downloads.download_file(file_id).read()


def main(root):
    client = box_client(root, "sdk-copy-token")
    folder = client.folders.create_folder("Source", CreateFolderParent(id="0"))
    sub = client.folders.create_folder("sub", CreateFolderParent(id=folder.id))
    original = client.uploads.upload_file(
        UploadFileAttributes(name="a.txt", parent=UploadFileAttributesParentField(id=folder.id)),
        io.BytesIO(b"one"),
    ).entries[0]
    client.uploads.upload_file_version(original.id, UploadFileVersionAttributes(name="a.txt"), io.BytesIO(b"two"))
    client.uploads.upload_file(
        UploadFileAttributes(name="b.txt", parent=UploadFileAttributesParentField(id=sub.id)),
        io.BytesIO(b"bee"),
    )

    # A file: box_sdk_gen's own test checks the parent and the name.
    copied = client.files.copy_file(original.id, CopyFileParent(id="0"), name="copy.txt")
    check(copied.id != original.id and copied.parent.id == "0", "the copy is a new file in the root")
    check(copied.name == "copy.txt" and read(client, copied.id) == b"two", "it holds the current bytes")
    versions = client.file_versions.get_file_versions(copied.id)
    check(versions.total_count == 0, "it has one version, no earlier one")
    first = client.file_versions.get_file_versions(original.id).entries[0]
    older = client.files.copy_file(original.id, CopyFileParent(id="0"), name="old.txt", version=first.id)
    check(read(client, older.id) == b"one", "a copy of a named version holds that version's bytes")

    # A folder, with everything in it.
    tree = client.folders.copy_folder(folder.id, CopyFolderParent(id="0"), name="Copy")
    names = [entry.name for entry in tree.item_collection.entries]
    check(tree.id != folder.id and names == ["sub", "a.txt"], "the folder copy lists its children")
    inner = [entry for entry in tree.item_collection.entries if entry.name == "sub"][0]
    below = client.folders.get_folder_items(inner.id)
    check([entry.name for entry in below.entries] == ["b.txt"], "and the tree below was copied")

    # The same copy again: the name is taken.
    try:
        client.files.copy_file(original.id, CopyFileParent(id="0"), name="copy.txt")
        check(False, "a second copy under a taken name is refused")
    except BoxAPIError as error:
        info = error.response_info
        check(info.status_code == 409 and info.code == "item_name_in_use", "409 item_name_in_use")
        check(info.context_info["conflicts"]["id"] == copied.id, "naming the copy in the way")
    print("box copy passed")


if __name__ == "__main__":
    main(sys.argv[1])
