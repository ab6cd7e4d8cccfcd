"""Favorites through Box's official Python SDK (boxsdk 10.x, imported as box_sdk_gen), pointed at a
restore-mock server, as box_sdk_gen's own `test/collections.py` uses them: find the Favorites
collection among the user's collections, put a folder and a file in it with `collections=[…]`,
page its items, take the folder out with `collections=[]`. Asserts as it goes; exits non-zero on
the first failure.

Usage: box_favorites.py ROOT_URL   (e.g. http://127.0.0.1:8080)
"""

import io
import sys

from box_sdk_gen.managers.files import UpdateFileByIdCollections
from box_sdk_gen.managers.folders import CreateFolderParent, UpdateFolderByIdCollections
from box_sdk_gen.managers.uploads import UploadFileAttributes, UploadFileAttributesParentField
from box_common import box_client, check


def main(root):
    client = box_client(root, "sdk-favorites-token")
    collections = client.collections.get_collections()
    check(collections.total_count == 1, "one collection")
    favorites = collections.entries[0]
    check(favorites.collection_type == "favorites" and favorites.name == "Favorites", "Favorites")
    check(client.collections.get_collection_by_id(favorites.id).id == favorites.id, "read by its id")
    check(client.collections.get_collection_items(favorites.id).total_count == 0, "empty at first")

    folder = client.folders.create_folder("Deals", CreateFolderParent(id="0"))
    file = client.uploads.upload_file(
        UploadFileAttributes(name="a.txt", parent=UploadFileAttributesParentField(id="0")),
        io.BytesIO(b"one"),
    ).entries[0]
    client.folders.update_folder_by_id(
        folder.id, collections=[UpdateFolderByIdCollections(id=favorites.id)]
    )
    client.files.update_file_by_id(file.id, collections=[UpdateFileByIdCollections(id=favorites.id)])
    items = client.collections.get_collection_items(favorites.id, fields=["name"])
    check([e.name for e in items.entries] == ["Deals", "a.txt"], "folders first, then files")
    page = client.collections.get_collection_items(favorites.id, offset=1, limit=1)
    check(page.total_count == 2 and [e.id for e in page.entries] == [file.id], "paged")

    client.folders.update_folder_by_id(folder.id, collections=[])
    items = client.collections.get_collection_items(favorites.id)
    check([e.id for e in items.entries] == [file.id], "the folder taken out")
    print("box favorites passed")


if __name__ == "__main__":
    main(sys.argv[1])
