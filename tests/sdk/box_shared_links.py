"""Shared links through Box's official Python SDK (boxsdk 10.x, imported as box_sdk_gen), pointed
at a restore-mock server, in the steps of the SDK's own test/shared_links_files.py and
test/shared_links_folders.py: add a link with a password, read it, find the item through it as
another user (and fail without the password), change its access, open its URL without a token,
remove it. Asserts as it goes; exits non-zero on the first failure.

Usage: box_shared_links.py ROOT_URL   (e.g. http://127.0.0.1:8080)
"""

import io
import sys
import urllib.error
import urllib.request

from box_sdk_gen import BoxAPIError
from box_sdk_gen.internal.utils import create_null
from box_sdk_gen.managers.folders import CreateFolderParent
from box_sdk_gen.managers.shared_links_files import (
    AddShareLinkToFileSharedLink,
    AddShareLinkToFileSharedLinkAccessField,
    UpdateSharedLinkOnFileSharedLink,
    UpdateSharedLinkOnFileSharedLinkAccessField,
)
from box_sdk_gen.managers.shared_links_folders import (
    AddShareLinkToFolderSharedLink,
    AddShareLinkToFolderSharedLinkAccessField,
)
from box_sdk_gen.managers.uploads import UploadFileAttributes, UploadFileAttributesParentField
from box_common import box_client, check


def fetch(url):
    """The status and bytes of a tokenless GET."""
    try:
        with urllib.request.urlopen(url) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def main(root):
    client = box_client(root, "sdk-links-token")
    other = box_client(root, "sdk-links-other")
    file = client.uploads.upload_file(
        UploadFileAttributes(name="shared.txt", parent=UploadFileAttributesParentField(id="0")),
        io.BytesIO(b"shared bytes"),
    ).entries[0]

    # The SDK test's steps for a file.
    added = client.shared_links_files.add_share_link_to_file(
        file.id,
        "shared_link",
        shared_link=AddShareLinkToFileSharedLink(
            access=AddShareLinkToFileSharedLinkAccessField.OPEN, password="Secret123@"
        ),
    )
    check(added.shared_link.access == "open", "the link is open")
    check(added.shared_link.is_password_enabled, "with a password")
    read = client.shared_links_files.get_shared_link_for_file(file.id, "shared_link")
    check(read.shared_link.url == added.shared_link.url, "it reads back")
    url = read.shared_link.url
    found = other.shared_links_files.find_file_for_shared_link(
        "".join(["shared_link=", url, "&shared_link_password=Secret123@"])
    )
    check(found.id == file.id and found.name == "shared.txt", "another user finds the file through it")
    try:
        other.shared_links_files.find_file_for_shared_link("shared_link=" + url)
        check(False, "no password is refused")
    except BoxAPIError as error:
        check(error.response_info.status_code == 403, "no password is refused with 403")
    updated = client.shared_links_files.update_shared_link_on_file(
        file.id,
        "shared_link",
        shared_link=UpdateSharedLinkOnFileSharedLink(
            access=UpdateSharedLinkOnFileSharedLinkAccessField.OPEN
        ),
    )
    check(updated.shared_link.access == "open", "the access is changed")
    status, body = fetch(updated.shared_link.download_url)
    check(status == 403, "the download URL wants the password")
    updated = client.shared_links_files.update_shared_link_on_file(
        file.id, "shared_link", shared_link=UpdateSharedLinkOnFileSharedLink(password=create_null())
    )
    check(not updated.shared_link.is_password_enabled, "the password is removed")
    status, body = fetch(updated.shared_link.download_url)
    check(status == 200 and body == b"shared bytes", "the download URL opens the bytes without a token")
    removed = client.shared_links_files.remove_shared_link_from_file(
        file.id, "shared_link", shared_link=create_null()
    )
    check(removed.shared_link is None, "the link is removed")
    check(fetch(url)[0] == 404, "its URL opens nothing")

    # And for a folder.
    folder = client.folders.create_folder("Shared", CreateFolderParent(id="0"))
    shared = client.shared_links_folders.add_share_link_to_folder(
        folder.id,
        "shared_link",
        shared_link=AddShareLinkToFolderSharedLink(
            access=AddShareLinkToFolderSharedLinkAccessField.OPEN
        ),
    )
    check(shared.shared_link.download_url is None, "a folder's link has no download URL")
    found = other.shared_links_folders.find_folder_for_shared_link(
        "shared_link=" + shared.shared_link.url
    )
    check(found.id == folder.id and found.name == "Shared", "another user finds the folder")
    print("box shared links passed")


if __name__ == "__main__":
    main(sys.argv[1])
