"""Copy (polling the monitor), search and special folders through msgraph-sdk (Python).

Usage: graph_copy_search.py <graph-base-url>   (e.g. http://127.0.0.1:8080/v1.0)

The copy is posted through the SDK's `copy.post`, which returns None: the monitor URL is read
from the reply's `Location` with a HeadersInspectionHandlerOption, as the SDK documents, and
polled with a plain GET and no token (https://learn.microsoft.com/en-us/graph/api/driveitem-copy
says the monitor needs none), until `completed`. Every step asserts; any failure exits non-zero.
"""

import asyncio
import json
import struct
import sys
import urllib.request
import zlib

from kiota_abstractions.base_request_configuration import RequestConfiguration
from kiota_http.middleware.options import HeadersInspectionHandlerOption
from msgraph.generated.drives.item.items.item.copy.copy_post_request_body import (
    CopyPostRequestBody,
)
from msgraph.generated.models.drive_item import DriveItem
from msgraph.generated.models.folder import Folder
from msgraph.generated.models.item_reference import ItemReference

from graph_common import graph_client


def png(width, height):
    """A grey PNG of this size, made with the standard library."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def poll(url):
    """One plain GET of the monitor: (status, body)."""
    try:
        with urllib.request.urlopen(url) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


async def main(base_url: str) -> None:
    client = graph_client(base_url, "sdk-copy-token")
    drive = await client.me.drive.get()
    items = client.drives.by_drive_id(drive.id).items

    source = await items.by_drive_item_id("root:/Reports/q1 report.txt:").content.put(b"one")
    await items.by_drive_item_id("root:/Reports/q1 report.txt:").content.put(b"two!")
    await items.by_drive_item_id("root:/notes.txt:").content.put(b"n")
    dest = await items.by_drive_item_id("root").children.post(
        DriveItem(name="Archive", folder=Folder())
    )

    # Copy, reading Location through the headers-inspection option.
    inspect = HeadersInspectionHandlerOption(inspect_response_headers=True)
    body = CopyPostRequestBody(
        name="q1 copy.txt",
        parent_reference=ItemReference(drive_id=drive.id, id=dest.id),
    )
    returned = await items.by_drive_item_id(source.id).copy.post(
        body, request_configuration=RequestConfiguration(options=[inspect])
    )
    assert returned is None, returned
    location = next(iter(inspect.response_headers.get("location")))
    assert "/monitor/" in location, location
    status, first = poll(location)
    assert status == 202 and first["status"] == "inProgress", (status, first)
    polls = 1
    while True:
        status, report = poll(location)
        polls += 1
        if report["status"] == "completed":
            break
        assert polls < 10, report
    assert status == 200 and report["percentageComplete"] == 100, report
    copied = await items.by_drive_item_id(report["resourceId"]).get()
    assert copied.name == "q1 copy.txt" and copied.parent_reference.id == dest.id, copied
    assert copied.size == 4, copied.size
    versions = await items.by_drive_item_id(copied.id).versions.get()
    assert [v.id for v in versions.value] == ["1.0"], [v.id for v in versions.value]
    content = await items.by_drive_item_id(copied.id).content.get()
    assert content == b"two!", content
    print("copied after", polls, "polls:", copied.name)

    # Search: a folder and the whole drive, through the SDK's q builders.
    found = await items.by_drive_item_id("root").search_with_q("Q1").get()
    names = sorted(item.name for item in found.value)
    assert names == ["q1 copy.txt", "q1 report.txt"], names
    in_folder = await items.by_drive_item_id(dest.id).search_with_q("report").get()
    assert [item.name for item in in_folder.value] == [], [i.name for i in in_folder.value]
    in_drive = await client.drives.by_drive_id(drive.id).search_with_q("notes").get()
    assert [item.name for item in in_drive.value] == ["notes.txt"], in_drive.value
    print("search", names)

    # The app folder, made by the first read.
    app = await client.drives.by_drive_id(drive.id).special.by_drive_item_id("approot").get()
    assert app.name == "restore-mock" and app.special_folder.name == "approot", app
    print("approot", app.parent_reference.path)

    # Thumbnails of a 300 x 200 image: the list, and set 0 through the SDK's deepest builder.
    photo = await items.by_drive_item_id("root:/photo.png:").content.put(png(300, 200))
    sets = await items.by_drive_item_id(photo.id).thumbnails.get()
    small = sets.value[0].small
    assert (small.width, small.height) == (96, 64), (small.width, small.height)
    one = await items.by_drive_item_id(photo.id).thumbnails.by_thumbnail_set_id("0").get()
    assert (one.large.width, one.large.height) == (800, 533), (one.large.width, one.large.height)
    with urllib.request.urlopen(small.url) as reply:
        assert reply.headers["content-type"] == "image/png", reply.headers["content-type"]
        assert reply.read()[16:24] == struct.pack(">II", 96, 64), "a 96 x 64 PNG"
    none = await items.by_drive_item_id("root:/notes.txt:").thumbnails.get()
    assert none.value == [], none.value
    print("thumbnails", small.width, small.height)
    print("ok")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
