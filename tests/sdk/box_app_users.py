"""App users through the official Python SDK (box_sdk_gen), unchanged but for the base URLs: an
enterprise client-credentials client makes an app user, signs in as them with
`CCGConfig(user_id=...)` and uploads as them, lists their folder with `with_as_user_header`, then
as the admin lists, updates and deletes them. Asserts as it goes; exits non-zero on the first
failure. The caller reads the state back.

Usage: box_app_users.py ROOT_URL
"""

import io
import sys

from box_sdk_gen import BaseUrls, BoxAPIError, BoxCCGAuth, BoxClient, CCGConfig, NetworkSession
from box_sdk_gen.managers.uploads import UploadFileAttributes, UploadFileAttributesParentField
from box_sdk_gen.managers.users import UpdateUserByIdStatus
from box_common import check


def client(config, root):
    session = NetworkSession(base_urls=BaseUrls(base_url=root, upload_url=root + "/api", oauth_2_url=root + "/api/oauth2"))
    return BoxClient(auth=BoxCCGAuth(config), network_session=session)


def main(root):
    admin = client(CCGConfig(client_id="users-app", client_secret="s", enterprise_id="900"), root)
    made = admin.users.create_user("Sdk App User", is_platform_access_only=True)
    check(made.login.startswith("AppUser_") and made.login.endswith("@boxdevedition.com"), "an app user gets Box's login")

    own = client(CCGConfig(client_id="users-app", client_secret="s", user_id=made.id), root)
    check(own.users.get_user_me().id == made.id, "CCGConfig(user_id=...) signs in as the app user")
    uploaded = own.uploads.upload_file(
        UploadFileAttributes(name="theirs.txt", parent=UploadFileAttributesParentField(id="0")),
        io.BytesIO(b"app user"),
    ).entries[0]
    check(uploaded.created_by.id == made.id, "the upload is the app user's")

    items = admin.with_as_user_header(made.id).folders.get_folder_items("0")
    check([e.name for e in items.entries] == ["theirs.txt"], "with_as_user_header lists the app user's folder")

    listed = admin.users.get_users(filter_term="Sdk App")
    check([u.id for u in listed.entries] == [made.id] and listed.total_count == 1, "the admin lists the app user")

    changed = admin.users.update_user_by_id(made.id, name="Sdk Renamed", status=UpdateUserByIdStatus.INACTIVE)
    check(changed.name == "Sdk Renamed" and changed.status.value == "inactive", "the admin renames and deactivates them")

    try:
        admin.users.delete_user_by_id(made.id)
        raise AssertionError("a user who owns a file was deleted without force")
    except BoxAPIError as error:
        check(error.response_info.status_code == 400, "without force a user who owns files stays")
    admin.users.delete_user_by_id(made.id, force=True)
    try:
        admin.users.get_user_by_id(made.id)
        raise AssertionError("a deleted user was found")
    except BoxAPIError as error:
        check(error.response_info.status_code == 404, "a deleted user is not found")


if __name__ == "__main__":
    main(sys.argv[1])
    print("box app users passed")
