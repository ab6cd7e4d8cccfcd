"""Search through Box's official Python SDK (boxsdk 10.x, imported as box_sdk_gen), pointed at a
restore-mock server: names found at once after upload, narrowed by type, extension and ancestor
folder, and the shared-link form the SDK reads as another class. Asserts as it goes; exits
non-zero on the first failure.

Usage: box_search.py ROOT_URL   (e.g. http://127.0.0.1:8080)
"""

import io
import sys

from box_sdk_gen.managers.folders import CreateFolderParent
from box_sdk_gen.managers.search import SearchForContentType
from box_sdk_gen.managers.uploads import UploadFileAttributes, UploadFileAttributesParentField
from box_common import box_client, check


def main(root):
    client = box_client(root, "sdk-search-token")
    folder = client.folders.create_folder("Reports", CreateFolderParent(id="0"))
    for name, parent in [("report-2024.txt", folder.id), ("report-2019.pdf", folder.id), ("notes.txt", "0")]:
        client.uploads.upload_file(
            UploadFileAttributes(name=name, parent=UploadFileAttributesParentField(id=parent)),
            io.BytesIO(name.encode()),
        )

    found = client.search.search_for_content(query="report")
    check(found.type.value == "search_results_items", "the reply is search_results_items")
    check([e.name for e in found.entries] == ["report-2019.pdf", "report-2024.txt", "Reports"], "found at once, by name")
    files = client.search.search_for_content(
        query="report", type=SearchForContentType.FILE, file_extensions=["pdf"], ancestor_folder_ids=[folder.id]
    )
    check([e.name for e in files.entries] == ["report-2019.pdf"], "narrowed by type, extension and folder")
    paged = client.search.search_for_content(query="report", limit=1, offset=1)
    check(paged.total_count == 3 and [e.name for e in paged.entries] == ["report-2024.txt"], "offset paging")
    linked = client.search.search_for_content(query="notes", include_recent_shared_links=True)
    check(linked.type.value == "search_results_with_shared_links", "the shared-link form")
    check(linked.entries[0].item.name == "notes.txt", "each result wraps its item")
    print("box search passed")


if __name__ == "__main__":
    main(sys.argv[1])
