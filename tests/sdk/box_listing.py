"""Listing a folder through Box's official Python SDK (boxsdk 10.x, imported as box_sdk_gen),
pointed at a restore-mock server: a folder of 250 files paged by offset and by marker (the SDK
writes `usemarker=True`), sorted, cut by `fields`, and the folder's own `item_collection`.
Asserts as it goes; exits non-zero on the first failure.

Usage: box_listing.py ROOT_URL   (e.g. http://127.0.0.1:8080)
"""

import io
import sys

from box_sdk_gen.managers.folders import (
    CreateFolderParent,
    GetFolderItemsDirection,
    GetFolderItemsSort,
)
from box_sdk_gen.managers.uploads import UploadFileAttributes, UploadFileAttributesParentField
from box_common import box_client, check

COUNT = 250


def main(root):
    client = box_client(root, "sdk-listing-token")
    folder = client.folders.create_folder("Many", CreateFolderParent(id="0"))
    sub = client.folders.create_folder("sub", CreateFolderParent(id=folder.id))
    names = ["f%03d.txt" % i for i in range(COUNT)]
    for name in reversed(names):
        client.uploads.upload_file(
            UploadFileAttributes(name=name, parent=UploadFileAttributesParentField(id=folder.id)),
            io.BytesIO(name.encode()),
        )

    # Offset paging, as a client pages: the next offset is offset + the reply's limit.
    seen, offset = [], 0
    for _ in range(10):
        page = client.folders.get_folder_items(folder.id, offset=offset, limit=100)
        check(page.total_count == COUNT + 1 and page.limit == 100, "an offset page at %d" % offset)
        seen += [entry.name for entry in page.entries]
        offset += page.limit
        if offset >= page.total_count:
            break
    check(seen == ["sub"] + names, "offset paging lists the folder first, then every file once by name")
    check(page.order[1].by == "name" and page.order[1].direction == "ASC", "the order is echoed")

    # Marker paging: the SDK sends usemarker=True.
    seen, marker = [], None
    for _ in range(10):
        page = client.folders.get_folder_items(folder.id, usemarker=True, marker=marker, limit=100)
        seen += [entry.name for entry in page.entries]
        marker = page.next_marker
        if not marker:
            break
    check(seen == ["sub"] + names, "marker paging lists every item once")

    top = client.folders.get_folder_items(
        folder.id, sort=GetFolderItemsSort.NAME, direction=GetFolderItemsDirection.DESC, limit=2
    )
    check([e.name for e in top.entries] == ["sub", names[-1]], "sort and direction keep folders first")
    sized = client.folders.get_folder_items(folder.id, fields=["name", "size"], offset=1, limit=1)
    entry = sized.entries[0]
    check(entry.name == names[0] and entry.size == len(names[0]), "fields add size to the entries")

    read = client.folders.get_folder_by_id(folder.id)
    check(read.item_collection.total_count == COUNT + 1, "the folder carries its item_collection")
    check(read.item_collection.entries[0].id == sub.id, "whose first entry is the subfolder")
    check(len(read.item_collection.entries) == 100, "a first page of 100")
    print("box listing passed")


if __name__ == "__main__":
    main(sys.argv[1])
