"""Thumbnails through Box's official Python SDK (boxsdk 10.x, imported as box_sdk_gen), pointed at
a restore-mock server: a PNG of an image within the bounds asked for, the placeholder a file
with no thumbnails is sent to (followed, and as a URL), and the 400 for bounds no size meets.
Asserts as it goes; exits non-zero on the first failure.

Usage: box_thumbnail.py ROOT_URL   (e.g. http://127.0.0.1:8080)
"""

import io
import os
import struct
import sys
import zlib

from box_sdk_gen import BoxAPIError
from box_sdk_gen.managers.files import GetFileThumbnailByIdExtension, GetFileThumbnailUrlExtension
from box_sdk_gen.managers.uploads import UploadFileAttributes, UploadFileAttributesParentField
from box_common import box_client, check


def png(width, height):
    """A grey PNG, written by hand so the script needs nothing beyond the SDK."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def size(image):
    check(image[:8] == b"\x89PNG\r\n\x1a\n", "the thumbnail is a PNG")
    return struct.unpack(">II", image[16:24])


def upload(client, name, data):
    attributes = UploadFileAttributes(name=name, parent=UploadFileAttributesParentField(id="0"))
    return client.uploads.upload_file(attributes, io.BytesIO(data)).entries[0]


def main(root):
    client = box_client(root, "sdk-thumb-token")
    photo = upload(client, "photo.png", png(300, 200))
    thumb = client.files.get_file_thumbnail_by_id(
        photo.id, GetFileThumbnailByIdExtension.PNG, min_width=64, max_width=128
    ).read()
    check(size(thumb) == (64, 64), "an image's thumbnail is the smallest size within the bounds")

    # As in box_sdk_gen's own test: random bytes under a name with no extension.
    blob = upload(client, "blob", os.urandom(4096))
    placeholder = client.files.get_file_thumbnail_by_id(blob.id, GetFileThumbnailByIdExtension.PNG).read()
    check(size(placeholder) == (256, 256), "a file with none is sent to the placeholder, followed")
    url = client.files.get_file_thumbnail_url(blob.id, GetFileThumbnailUrlExtension.PNG)
    check(url == root + "/_content/placeholder.png", "and get_file_thumbnail_url gives its URL")

    try:
        client.files.get_file_thumbnail_by_id(photo.id, GetFileThumbnailByIdExtension.PNG, min_height=300)
        check(False, "bounds no PNG size meets are refused")
    except BoxAPIError as error:
        info = error.response_info
        check(info.status_code == 400 and info.code == "requested_preview_unavailable", "400 requested_preview_unavailable")
    print("box thumbnail passed")


if __name__ == "__main__":
    main(sys.argv[1])
