"""A JSON batch through msgraph-sdk (Python): `client.batch.post` with msgraph-core's
`BatchRequestContent`, its items made from the SDK's own request builders.

Usage: graph_batch.py <graph-base-url>   (e.g. http://127.0.0.1:8080/v1.0)

msgraph-core 1.5 has three bugs a batch meets, against the real service as here:
- an item keeps its request's absolute URL, which Graph refuses (it wants one relative to the
  version): the URL is cut down as https://github.com/microsoftgraph/msgraph-sdk-python/issues/1015
  shows (https://github.com/microsoftgraph/msgraph-sdk-python-core/issues/1116);
- it serializes a body with `json.loads`, so only JSON bodies can be batched (a folder is made
  rather than a file uploaded);
- it reads a reply's body as base64, so a JSON body comes back as None: the statuses are what it
  reports, and the caller reads the rest back.
Prints the statuses by id as JSON.
"""

import asyncio
import json
import sys

from msgraph.generated.models.drive_item import DriveItem
from msgraph.generated.models.folder import Folder
from msgraph_core.requests.batch_request_content import BatchRequestContent
from msgraph_core.requests.batch_request_item import BatchRequestItem

from graph_common import graph_client


async def main(base_url: str) -> None:
    client = graph_client(base_url, "sdk-batch-token")
    drive = await client.me.drive.get()
    items = client.drives.by_drive_id(drive.id).items

    make = items.by_drive_item_id("root").children.to_post_request_information(
        DriveItem(name="From a batch", folder=Folder())
    )
    read = items.by_drive_item_id("root:/From a batch:").to_get_request_information()
    missing = items.by_drive_item_id("404404").to_get_request_information()
    batch = BatchRequestContent()
    for id, request, depends_on in [
        ("make", make, []),
        ("read", read, ["make"]),
        ("missing", missing, []),
    ]:
        item = BatchRequestItem(request, id=id, depends_on=depends_on)
        item.url = item.url.replace(base_url, "", 1)
        batch.add_request(id, item)

    replies = await client.batch.post(batch)

    print(json.dumps(replies.get_response_status_codes(), sort_keys=True))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
