"""msgraph-sdk's `LargeFileUploadTask` (msgraph-core) uploads a new file and a new version through
Graph upload sessions on a restore-mock server.

Usage: graph_big_file.py <graph-base-url>   (e.g. http://127.0.0.1:8080/v1.0)

msgraph-core 1.5.2 re-sends the last range after the upload has completed
(https://github.com/microsoftgraph/msgraph-sdk-python-core/issues/718); the real service answers
that with 400, and so does the emulator, so the task raises although the file is complete. This
script shows exactly that, then reads the file back to show it is whole.
"""

import asyncio
import hashlib
import io
import sys

from kiota_abstractions.api_error import APIError
from msgraph.generated.drives.item.items.item.create_upload_session.create_upload_session_post_request_body import (
    CreateUploadSessionPostRequestBody,
)
from msgraph.generated.models.drive_item_uploadable_properties import (
    DriveItemUploadableProperties,
)
from msgraph_core.tasks.large_file_upload import LargeFileUploadTask

from graph_common import graph_client


def pattern(size, seed):
    block = hashlib.sha256(bytes([seed])).digest() * (1024 * 1024 // 32)
    return (block * (size // len(block) + 1))[:size]


async def upload(client, item, data):
    """Opens a session on `item` and runs the task; returns the error it raised, if any."""
    body = CreateUploadSessionPostRequestBody(
        item=DriveItemUploadableProperties(
            additional_data={"@microsoft.graph.conflictBehavior": "replace"}
        )
    )
    session = await item.create_upload_session.post(body)
    assert session.upload_url.startswith("http://127.0.0.1:"), session.upload_url
    assert session.expiration_date_time.tzinfo is not None, "the expiry carries a zone"
    assert session.next_expected_ranges == ["0-"], session.next_expected_ranges
    task = LargeFileUploadTask(session, client.request_adapter, io.BytesIO(data))
    try:
        await task.upload()
    except APIError as error:
        return error
    return None


async def main(base_url: str) -> None:
    client = graph_client(base_url, "sdk-flow-token")
    drive = await client.me.drive.get()
    items = client.drives.by_drive_id(drive.id).items

    # A new file, 12 MiB: three fragments of the task's 5 MiB chunks.
    first = pattern(12 * 1024 * 1024, 1)
    error = await upload(client, items.by_drive_item_id("root:/big/new.bin:"), first)
    assert error is not None and error.response_status_code == 400, error
    print("new file: the task raised", error.response_status_code, "after completing")
    made = await items.by_drive_item_id("root:/big/new.bin:").get()
    assert made.size == len(first), made.size
    # OneDrive for Business shows quickXorHash alone; the bytes are checked by reading them back.
    hashes = made.file.hashes
    assert hashes.quick_xor_hash and hashes.sha1_hash is None and hashes.sha256_hash is None, hashes
    data = await items.by_drive_item_id(made.id).content.get()
    assert hashlib.sha256(data).digest() == hashlib.sha256(first).digest(), len(data)

    # A new version of it, by id, in one fragment: the task then sends an empty one.
    second = pattern(1_000_000, 2)
    error = await upload(client, items.by_drive_item_id(made.id), second)
    assert error is not None and error.response_status_code == 400, error
    print("new version: the task raised", error.response_status_code, "after completing")
    after = await items.by_drive_item_id(made.id).get()
    assert after.size == len(second), after.size
    assert after.file.hashes.quick_xor_hash not in (None, hashes.quick_xor_hash), after.file.hashes
    versions = await items.by_drive_item_id(made.id).versions.get()
    assert [v.id for v in versions.value] == ["2.0", "1.0"], [v.id for v in versions.value]
    data = await items.by_drive_item_id(made.id).content.get()
    assert data == second, len(data)
    print("graph big file passed")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
