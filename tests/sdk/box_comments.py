"""Comments through Box's official Python SDK (boxsdk 10.x, imported as box_sdk_gen), pointed at a
restore-mock server, as box_sdk_gen's own `test/comments.py` does: a comment and a reply listed
oldest first (the reply at `entries[1]`, naming the file), then read, updated and deleted, after
which reading it fails with 404. Asserts as it goes; exits non-zero on the first failure.

Usage: box_comments.py ROOT_URL   (e.g. http://127.0.0.1:8080)
"""

import io
import sys

from box_sdk_gen import BoxAPIError
from box_sdk_gen.managers.comments import CreateCommentItem, CreateCommentItemTypeField
from box_sdk_gen.managers.uploads import UploadFileAttributes, UploadFileAttributesParentField
from box_common import box_client, check


def main(root):
    client = box_client(root, "sdk-comments-token")
    file = client.uploads.upload_file(
        UploadFileAttributes(name="a.txt", parent=UploadFileAttributesParentField(id="0")),
        io.BytesIO(b"one"),
    ).entries[0]
    check(client.comments.get_file_comments(file.id).total_count == 0, "a fresh file has no comments")

    comment = client.comments.create_comment(
        "Hello there!", CreateCommentItem(id=file.id, type=CreateCommentItemTypeField.FILE)
    )
    check(comment.message == "Hello there!" and comment.is_reply_comment is False, "a comment is made")
    check(comment.item.id == file.id, "on the file")
    reply = client.comments.create_comment(
        "A reply", CreateCommentItem(id=comment.id, type=CreateCommentItemTypeField.COMMENT)
    )
    check(reply.is_reply_comment is True and reply.item.id == file.id, "a reply names the file")

    listed = client.comments.get_file_comments(file.id)
    check(listed.total_count == 2, "both are listed")
    check([c.id for c in listed.entries] == [comment.id, reply.id], "oldest first")

    updated = client.comments.update_comment_by_id(comment.id, message="Edited")
    check(updated.message == "Edited", "the update is answered")
    check(client.comments.get_comment_by_id(comment.id).message == "Edited", "and reads back")

    client.comments.delete_comment_by_id(comment.id)
    try:
        client.comments.get_comment_by_id(comment.id)
        check(False, "a deleted comment is not found")
    except BoxAPIError as error:
        check(error.response_info.status_code == 404, "a deleted comment is not found")
    check(client.comments.get_file_comments(file.id).total_count == 1, "the reply stays")
    print("box comments passed")


if __name__ == "__main__":
    main(sys.argv[1])
