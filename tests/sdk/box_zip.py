"""Zip downloads through Box's official Python SDK (boxsdk 10.x, imported as box_sdk_gen),
pointed at a restore-mock server, as box_sdk_gen's own `test/zip_downloads.py` does:
`download_zip` of two files and an empty folder read back as an archive, then a download made,
read and followed through its `status_url` (two files: the folder counts none), and read a
second time in vain. Asserts as it goes; exits non-zero on the first failure.

Usage: box_zip.py ROOT_URL   (e.g. http://127.0.0.1:8080)
"""

import io
import sys
import zipfile

from box_sdk_gen import BoxAPIError
from box_sdk_gen.managers.folders import CreateFolderParent
from box_sdk_gen.managers.uploads import UploadFileAttributes, UploadFileAttributesParentField
from box_sdk_gen.managers.zip_downloads import (
    CreateZipDownloadItems,
    CreateZipDownloadItemsTypeField,
    DownloadZipItems,
    DownloadZipItemsTypeField,
)
from box_common import box_client, check


def main(root):
    client = box_client(root, "sdk-zip-token")

    def upload(name, data):
        return client.uploads.upload_file(
            UploadFileAttributes(name=name, parent=UploadFileAttributesParentField(id="0")),
            io.BytesIO(data),
        ).entries[0]

    first = upload("first.txt", b"first bytes")
    second = upload("second.bin", bytes(range(256)))
    folder = client.folders.create_folder("Empty", CreateFolderParent(id="0"))

    stream = client.zip_downloads.download_zip(
        [
            DownloadZipItems(id=first.id, type=DownloadZipItemsTypeField.FILE),
            DownloadZipItems(id=second.id, type=DownloadZipItemsTypeField.FILE),
            DownloadZipItems(id=folder.id, type=DownloadZipItemsTypeField.FOLDER),
        ],
        download_file_name="zip",
    )
    archive = zipfile.ZipFile(io.BytesIO(stream.read()))
    check(archive.namelist() == ["first.txt", "second.bin", "Empty/"], "the archive lists all three")
    check(archive.read("first.txt") == b"first bytes", "with the first file's bytes")
    check(archive.read("second.bin") == bytes(range(256)), "and the second's")

    items = [
        CreateZipDownloadItems(id=first.id, type=CreateZipDownloadItemsTypeField.FILE),
        CreateZipDownloadItems(id=second.id, type=CreateZipDownloadItemsTypeField.FILE),
        CreateZipDownloadItems(id=folder.id, type=CreateZipDownloadItemsTypeField.FOLDER),
    ]
    made = client.zip_downloads.create_zip_download(items, download_file_name="zip")
    check(made.download_url.startswith(root) and made.status_url.startswith(root), "URLs on the emulator")
    check(made.name_conflicts == [], "no name conflicts")
    client.zip_downloads.get_zip_download_content(made.download_url)
    status = client.zip_downloads.get_zip_download_status(made.status_url)
    check(status.total_file_count == 2, "two files: the folder counts none")
    check(status.downloaded_file_count == 2 and status.skipped_file_count == 0, "both downloaded")
    check(status.skipped_folder_count == 0, "no folder skipped")
    check(str(status.state.value) == "succeeded", "the download succeeded")
    try:
        client.zip_downloads.get_zip_download_content(made.download_url)
        check(False, "a download works once")
    except BoxAPIError as error:
        check(error.response_info.status_code == 404, "a download works once")
    print("box zip passed")


if __name__ == "__main__":
    main(sys.argv[1])
