"""Graph delta through Microsoft's official Python SDK (msgraph-sdk): a first round paged with
`$top` to its deltaLink (following each `@odata.nextLink` with `with_url`), then a restore and a
delete, which the next round returns: the restored file in its latest state and the deleted one
with the `deleted` facet. `delta_with_token` reads the token out of the link, as callers do.
Every step asserts; any failure exits non-zero with a traceback.

Usage: graph_delta.py <graph-base-url>   (e.g. http://127.0.0.1:8080/v1.0)
"""

import asyncio
import sys
from urllib.parse import parse_qs, urlparse

from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.drives.item.items.item.delta.delta_request_builder import (
    DeltaRequestBuilder,
)

from graph_common import graph_client


async def main(base_url: str) -> None:
    client = graph_client(base_url, "sdk-delta-token")
    drive = await client.me.drive.get()
    items = client.drives.by_drive_id(drive.id).items

    notes = await items.by_drive_item_id("root:/docs/notes.txt:").content.put(b"one")
    await items.by_drive_item_id(notes.id).content.put(b"two")
    scratch = await items.by_drive_item_id("root:/scratch.txt:").content.put(b"tmp")

    # The first round, two items a page, to its deltaLink.
    delta = items.by_drive_item_id("root").delta
    query = DeltaRequestBuilder.DeltaRequestBuilderGetQueryParameters(top=2)
    page = await delta.get(RequestConfiguration(query_parameters=query))
    seen, pages = [], 0
    while True:
        pages += 1
        assert page.value, "no page is empty"
        seen += [item.name for item in page.value]
        if page.odata_next_link:
            page = await delta.with_url(page.odata_next_link).get()
            continue
        delta_link = page.odata_delta_link
        break
    assert delta_link, "the round ends with a deltaLink"
    assert seen == ["root", "docs", "notes.txt", "scratch.txt"], seen
    assert pages == 2, pages
    print("first round", seen)

    # A restore and a delete, then the next round.
    await items.by_drive_item_id(notes.id).versions.by_drive_item_version_id("1.0").restore_version.post()
    await items.by_drive_item_id(scratch.id).delete()
    changes = await delta.with_url(delta_link).get()
    by_id = {item.id: item for item in changes.value}
    assert by_id[notes.id].size == 3 and by_id[notes.id].deleted is None, by_id[notes.id]
    assert by_id[scratch.id].deleted is not None, "the deleted file has the deleted facet"
    assert by_id[scratch.id].deleted.state == "deleted", by_id[scratch.id].deleted
    assert changes.odata_delta_link and not changes.odata_next_link
    print("changes", sorted(item.name or item.id for item in changes.value))

    # The token out of the link, in the function form the SDK sends.
    token = parse_qs(urlparse(changes.odata_delta_link).query)["token"][0]
    again = await items.by_drive_item_id("root").delta_with_token(token).get()
    assert again.value == [], [item.id for item in again.value]
    print("graph delta passed")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
