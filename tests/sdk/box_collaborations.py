"""Collaborations through Box's official Python SDK (boxsdk 10.x, imported as box_sdk_gen), with
two users on one restore-mock server: the owner makes a folder with a file and collaborates the
second user (by login) as a viewer; the second user's client sees the folder in its root, lists
it, downloads the file and copies it into their own root (a viewer may: the copy is theirs); made
a previewer, they may no longer copy it (403); the owner deletes the collaboration, and the
second user then gets 404 for the file. Asserts as it goes; exits non-zero on the first failure.

Usage: box_collaborations.py ROOT_URL   (e.g. http://127.0.0.1:8080)
"""

import io
import sys

from box_sdk_gen import BoxAPIError
from box_sdk_gen.managers.files import CopyFileParent
from box_sdk_gen.managers.folders import CreateFolderParent
from box_sdk_gen.managers.uploads import UploadFileAttributes, UploadFileAttributesParentField
from box_sdk_gen.managers.user_collaborations import (
    CreateCollaborationAccessibleBy,
    CreateCollaborationAccessibleByTypeField,
    CreateCollaborationItem,
    CreateCollaborationItemTypeField,
    CreateCollaborationRole,
    UpdateCollaborationByIdRole,
)
from box_common import box_client, check


def main(root):
    owner = box_client(root, "sdk-collab-owner")
    guest = box_client(root, "sdk-collab-guest")
    folder = owner.folders.create_folder("Shared", CreateFolderParent(id="0"))
    file = owner.uploads.upload_file(
        UploadFileAttributes(name="a.txt", parent=UploadFileAttributesParentField(id=folder.id)),
        io.BytesIO(b"shared bytes"),
    ).entries[0]
    login = guest.users.get_user_me().login

    collab = owner.user_collaborations.create_collaboration(
        CreateCollaborationItem(type=CreateCollaborationItemTypeField.FOLDER, id=folder.id),
        CreateCollaborationAccessibleBy(type=CreateCollaborationAccessibleByTypeField.USER, login=login),
        CreateCollaborationRole.VIEWER,
    )
    check(collab.status == "accepted" and collab.role == "viewer", "a known user is accepted as a viewer")
    check(collab.accessible_by.login == login and collab.item.id == folder.id, "on the folder")
    listed = owner.list_collaborations.get_folder_collaborations(folder.id)
    check([c.id for c in listed.entries] == [collab.id], "the folder lists it")

    root_items = guest.folders.get_folder_items("0")
    check([e.name for e in root_items.entries] == ["Shared"], "the guest sees the folder in their root")
    inside = guest.folders.get_folder_items(folder.id)
    check([e.name for e in inside.entries] == ["a.txt"], "and lists it")
    stream = guest.downloads.download_file(file.id)
    check(stream.read() == b"shared bytes", "and downloads the file")

    me = guest.users.get_user_me()
    mine = guest.files.copy_file(file.id, CopyFileParent(id="0"), name="mine.txt")
    check(mine.parent.id == "0" and mine.owned_by.id == me.id, "a viewer copies it into their root, as theirs")
    check(guest.downloads.download_file(mine.id).read() == b"shared bytes", "with the file's bytes")

    owner.user_collaborations.update_collaboration_by_id(collab.id, role=UpdateCollaborationByIdRole.PREVIEWER)
    try:
        guest.files.copy_file(file.id, CopyFileParent(id="0"), name="again.txt")
        check(False, "a previewer may not copy it")
    except BoxAPIError as error:
        info = error.response_info
        check(
            info.status_code == 403 and info.code == "access_denied_insufficient_permissions",
            "a previewer may not copy it",
        )

    owner.user_collaborations.delete_collaboration_by_id(collab.id)
    try:
        guest.files.get_file_by_id(file.id)
        check(False, "the file is not found once the collaboration is gone")
    except BoxAPIError as error:
        check(error.response_info.status_code == 404, "the file is not found once the collaboration is gone")
    print("box collaborations passed")


if __name__ == "__main__":
    main(sys.argv[1])
