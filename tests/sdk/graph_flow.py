"""Drives restore-mock's Graph face with Microsoft's official Python SDK (msgraph-sdk).

Usage: graph_flow.py <graph-base-url>   (e.g. http://127.0.0.1:8080/v1.0)

The flow Microsoft's docs show for versions
(https://learn.microsoft.com/en-us/graph/api/driveitem-list-versions and the pages it links), as
msgraph-sdk 1.65 sends it: read the drive, upload a file by path, replace it, list the versions
(newest first), page them, read and download old versions, restore one, check the item and its
bytes, read errors as `ODataError`s, then the calls around versions: `GET /me`, `/me/drives`, and
renaming and moving an item with `patch`. Every step asserts; any failure exits non-zero with a
traceback.
"""

import asyncio
import sys

from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.drives.item.items.item.versions.versions_request_builder import (
    VersionsRequestBuilder,
)
from msgraph.generated.models.drive_item import DriveItem
from msgraph.generated.models.folder import Folder
from msgraph.generated.models.item_reference import ItemReference
from msgraph.generated.models.o_data_errors.o_data_error import ODataError

from graph_common import graph_client


async def expect_error(call, status, code):
    """Awaits `call`, which must fail with `status` and Graph error `code`."""
    try:
        await call
    except ODataError as error:
        assert error.response_status_code == status, (error.response_status_code, status)
        assert error.error.code == code, (error.error.code, code)
        assert error.error.inner_error.request_id, "innerError carries the request id"
        return
    raise AssertionError(f"expected {status} {code}, but the call succeeded")


async def main(base_url: str) -> None:
    client = graph_client(base_url, "sdk-flow-token")

    me = await client.me.get()
    assert me.id and me.user_principal_name and me.display_name, me
    assert me.mail == me.user_principal_name, (me.mail, me.user_principal_name)

    drive = await client.me.drive.get()
    assert drive.owner.user.id == me.id, (drive.owner.user.id, me.id)
    drives = await client.me.drives.get()
    assert [d.id for d in drives.value] == [drive.id], [d.id for d in drives.value]
    assert drive.id.startswith("b!"), drive.id
    assert drive.drive_type == "business", drive.drive_type
    print("drive", drive.id)
    items = client.drives.by_drive_id(drive.id).items

    # Upload by path (the folder does not exist yet), then replace twice, once by id.
    first = await items.by_drive_item_id("root:/sdk flow/notes.txt:").content.put(b"one")
    assert first.name == "notes.txt" and first.size == 3, (first.name, first.size)
    assert first.parent_reference.path.endswith("/root:/sdk flow"), first.parent_reference.path
    assert first.file.hashes.quick_xor_hash, "quickXorHash is reported"
    second = await items.by_drive_item_id("root:/sdk flow/notes.txt:").content.put(b"second")
    assert second.id == first.id and second.size == 6
    assert second.e_tag != first.e_tag and second.c_tag != first.c_tag
    item = items.by_drive_item_id(first.id)
    third = await item.content.put(b"third!!")
    assert third.id == first.id and third.size == 7
    print("uploaded", first.id)

    versions = await item.versions.get()
    assert [v.id for v in versions.value] == ["3.0", "2.0", "1.0"], [v.id for v in versions.value]
    assert [v.size for v in versions.value] == [7, 6, 3]
    assert versions.odata_next_link is None

    # Paging: $top with @odata.nextLink, followed as the SDK does.
    config = RequestConfiguration(
        query_parameters=VersionsRequestBuilder.VersionsRequestBuilderGetQueryParameters(
            top=2, select=["id", "size"]
        )
    )
    page = await item.versions.get(request_configuration=config)
    assert [v.id for v in page.value] == ["3.0", "2.0"], [v.id for v in page.value]
    assert page.odata_next_link, "a next link when more versions remain"
    rest = await item.versions.with_url(page.odata_next_link).get()
    assert [v.id for v in rest.value] == ["1.0"], [v.id for v in rest.value]
    assert rest.odata_next_link is None
    print("paged", page.odata_next_link)

    old = await item.versions.by_drive_item_version_id("1.0").get()
    assert old.id == "1.0" and old.size == 3
    current = await item.versions.by_drive_item_version_id("current").get()
    assert current.id == "3.0", current.id
    old_bytes = await item.versions.by_drive_item_version_id("1.0").content.get()
    assert old_bytes == b"one", old_bytes
    await expect_error(
        item.versions.by_drive_item_version_id("current").content.get(), 400, "invalidRequest"
    )
    await expect_error(item.versions.by_drive_item_version_id("9.0").get(), 404, "itemNotFound")
    await expect_error(
        item.versions.by_drive_item_version_id("9.0").restore_version.post(), 404, "itemNotFound"
    )

    # Restore: 204, a new version 4.0 with 1.0's bytes, every earlier version kept.
    restored = await item.versions.by_drive_item_version_id("1.0").restore_version.post()
    assert restored is None
    versions = await item.versions.get()
    assert [v.id for v in versions.value] == ["4.0", "3.0", "2.0", "1.0"]
    assert [v.size for v in versions.value] == [3, 7, 6, 3]
    after = await item.get()
    assert after.size == 3 and after.e_tag != third.e_tag and after.c_tag != third.c_tag
    assert after.file.hashes.quick_xor_hash == first.file.hashes.quick_xor_hash
    data = await item.content.get()
    assert data == b"one", data
    print("restored", [v.id for v in versions.value])

    # Folders: create under the root with the SDK's body, then again to get a renamed one.
    root = await client.drives.by_drive_id(drive.id).root.get()
    folder = DriveItem(
        name="Reports",
        folder=Folder(),
        additional_data={"@microsoft.graph.conflictBehavior": "rename"},
    )
    made = await items.by_drive_item_id(root.id).children.post(folder)
    assert made.name == "Reports" and made.folder is not None
    again = await items.by_drive_item_id(root.id).children.post(folder)
    assert again.name == "Reports 1", again.name
    children = await items.by_drive_item_id(root.id).children.get()
    assert [c.name for c in children.value] == ["Reports", "Reports 1", "sdk flow"]

    # Rename and move with patch: the eTag changes, the cTag and the history do not.
    moved = await item.patch(
        DriveItem(name="moved.txt", parent_reference=ItemReference(id=made.id))
    )
    assert moved.name == "moved.txt" and moved.parent_reference.id == made.id, moved.name
    assert moved.e_tag != after.e_tag and moved.c_tag == after.c_tag, (moved.e_tag, moved.c_tag)
    moved_versions = await item.versions.get()
    assert [v.id for v in moved_versions.value] == ["4.0", "3.0", "2.0", "1.0"]
    await expect_error(
        items.by_drive_item_id(again.id).patch(DriveItem(name="REPORTS")), 409, "nameAlreadyExists"
    )
    print("moved", moved.parent_reference.path)

    # Delete, then the item is gone.
    await item.delete()
    await expect_error(item.get(), 404, "itemNotFound")
    await expect_error(item.versions.get(), 404, "itemNotFound")
    print("ok")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
