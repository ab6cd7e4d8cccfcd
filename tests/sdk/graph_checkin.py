"""Checks a file out and in on restore-mock with Microsoft's official Python SDK (msgraph-sdk).

Usage: graph_checkin.py <graph-base-url>   (e.g. http://127.0.0.1:8080/v1.0)

The site `team`'s library has minor versions turned on (the test's fixture). Alice uploads a
file, checks it out, writes a draft and checks it in without `checkInAs` (a minor version, `1.1`),
then checks out, writes and checks in with `checkInAs: "published"` (the next major, `2.0`), and
lists the versions and reads the `publication` facet through the SDK's models after each step.
Last it deletes the minor version `1.1` and reads the list and `1.0`'s bytes back.
Every step asserts; any failure exits non-zero with a traceback.
"""

import asyncio
import sys

from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.drives.item.items.item.checkin.checkin_post_request_body import (
    CheckinPostRequestBody,
)
from msgraph.generated.drives.item.items.item.drive_item_item_request_builder import (
    DriveItemItemRequestBuilder,
)
from msgraph.generated.models.o_data_errors.o_data_error import ODataError

from graph_common import graph_client


async def main(base_url: str) -> None:
    client = graph_client(base_url, "sdk-alice")

    drive = await client.sites.by_site_id("team").drive.get()
    assert drive.drive_type == "documentLibrary", drive.drive_type
    items = client.drives.by_drive_id(drive.id).items
    made = await items.by_drive_item_id("root:/plan.txt:").content.put(b"v1")
    item = items.by_drive_item_id(made.id)
    select = DriveItemItemRequestBuilder.DriveItemItemRequestBuilderGetQueryParameters(
        select=["id", "publication"]
    )

    async def labels():
        return [v.id for v in (await item.versions.get()).value]

    async def publication():
        facet = (await item.get(RequestConfiguration(query_parameters=select))).publication
        return facet.level, facet.version_id

    # A check-in without checkInAs: the draft becomes the minor version 1.1.
    assert await item.checkout.post() is None
    await item.content.put(b"draft")
    assert await labels() == ["1.1", "1.0"], await labels()
    assert await publication() == ("checkout", "1.1"), await publication()
    await item.checkin.post(CheckinPostRequestBody(comment="wip"))
    assert await labels() == ["1.1", "1.0"], await labels()
    assert await publication() == ("draft", "1.1"), await publication()
    print("minor", await labels())

    # A published check-in: the next major version, 2.0; 1.1 stays, readable by its label.
    await item.checkout.post()
    await item.content.put(b"final")
    await item.checkin.post(CheckinPostRequestBody(comment="ship", check_in_as="published"))
    assert await labels() == ["2.0", "1.1", "1.0"], await labels()
    assert await publication() == ("published", "2.0"), await publication()
    minor = await item.versions.by_drive_item_version_id("1.1").get()
    assert minor.id == "1.1" and minor.size == len(b"draft"), (minor.id, minor.size)
    data = await item.content.get()
    assert data == b"final", data
    print("published", await labels())

    # The minor version goes for good; the list and a read by its label say so.
    assert await item.versions.by_drive_item_version_id("1.1").delete() is None
    assert await labels() == ["2.0", "1.0"], await labels()
    try:
        await item.versions.by_drive_item_version_id("1.1").get()
        raise AssertionError("1.1 is still there")
    except ODataError as error:
        assert error.response_status_code == 404, error.response_status_code
    first = await item.versions.by_drive_item_version_id("1.0").content.get()
    assert first == b"v1", first
    print("deleted", await labels())
    print("ok")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
