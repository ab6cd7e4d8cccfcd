"""Box's official Python SDK (boxsdk 10.x, box_sdk_gen) uploads big files through chunked upload
sessions against a restore-mock server: `upload_big_file` for a new file whose size is an exact
multiple of the part size (https://github.com/box/box-node-sdk/issues/1586), then
`upload_big_file_version` with a rename.
Asserts as it goes; exits non-zero on the first failure.

Usage: box_big_file.py ROOT_URL   (e.g. http://127.0.0.1:8080)
"""

import hashlib
import io
import sys
from box_common import box_client, check


PART = 8 * 1024 * 1024


def pattern(size, seed):
    block = hashlib.sha256(bytes([seed])).digest() * (1024 * 1024 // 32)
    return (block * (size // len(block) + 1))[:size]


def main(root):
    client = box_client(root, "sdk-big-file-token")

    first = pattern(3 * PART, 1)
    made = client.chunked_uploads.upload_big_file(io.BytesIO(first), "big.bin", len(first), "0")
    check(made is not None and made.name == "big.bin", "upload_big_file made the file")
    check(made.size == len(first), "the file has every byte")
    check(made.sha_1 == hashlib.sha1(first).hexdigest(), "the file's sha1 is the upload's")

    second = pattern(20_000_123, 2)
    version = client.chunked_uploads.upload_big_file_version(
        made.id, io.BytesIO(second), len(second), file_name="bigger.bin"
    )
    check(version is not None and version.id == made.id, "upload_big_file_version updated the file")
    check(version.name == "bigger.bin", "file_name renamed the file")
    check(version.sha_1 == hashlib.sha1(second).hexdigest(), "the new version's sha1 is the upload's")
    versions = client.file_versions.get_file_versions(made.id)
    check(versions.total_count == 1, "the first upload is the one previous version")
    check(versions.entries[0].sha_1 == made.sha_1, "the previous version is the first upload")
    current = client.downloads.download_file(made.id).read()
    check(current == second, "the current content is the new version's")

    print("box big file passed")


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"))
