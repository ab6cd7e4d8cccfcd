"""One call through an official SDK, which must get past a fault that fires once with 429.

Usage: retry.py graph <graph-base-url> <token> <item-id>   restores version 1.0 of the item
       retry.py box <root-url> <token> <file-id>           reads the file

The emulator is set (by the Rust test) to answer the first matching request with 429 and
Retry-After: 1; the SDK's own retry policy must then succeed. Exits non-zero on failure.
"""

import asyncio
import sys


async def graph(base_url, token, item_id):
    from kiota_abstractions.authentication import (
        AccessTokenProvider,
        AllowedHostsValidator,
        BaseBearerTokenAuthenticationProvider,
    )
    from msgraph import GraphRequestAdapter, GraphServiceClient

    class StaticToken(AccessTokenProvider):
        async def get_authorization_token(self, uri, additional_authentication_context=None):
            return token

        def get_allowed_hosts_validator(self):
            return AllowedHostsValidator([])

    adapter = GraphRequestAdapter(BaseBearerTokenAuthenticationProvider(StaticToken()))
    adapter.base_url = base_url
    client = GraphServiceClient(request_adapter=adapter)
    drive = await client.me.drive.get()
    item = client.drives.by_drive_id(drive.id).items.by_drive_item_id(item_id)
    await item.versions.by_drive_item_version_id("1.0").restore_version.post()
    versions = await item.versions.get()
    assert versions.value[0].id == "3.0", [v.id for v in versions.value]
    print("restored after a retry")


def box(root, token, file_id):
    from box_common import box_client

    client = box_client(root, token)
    file = client.files.get_file_by_id(file_id)
    assert file.id == file_id, file.id
    print("read after a retry")


if __name__ == "__main__":
    face, url, token, item = sys.argv[1:5]
    if face == "graph":
        asyncio.run(graph(url, token, item))
    else:
        box(url.rstrip("/"), token, item)
