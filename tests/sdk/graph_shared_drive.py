"""Drives a group's shared drive on restore-mock with Microsoft's official Python SDK (msgraph-sdk).

Usage: graph_shared_drive.py <graph-base-url>   (e.g. http://127.0.0.1:8080/v1.0)

Two users, each with a client of their own: Alice finds the group's drive and uploads a file
through `drives.by_drive_id(...)`, Bob uploads a new version and restores Alice's; both list one
history with both authors, the team site's library is the same drive, and neither user's own
drive holds the file. Every step asserts; any failure exits non-zero with a traceback.
"""

import asyncio
import sys

from graph_common import graph_client


async def main(base_url: str) -> None:
    alice = graph_client(base_url, "sdk-alice")
    bob = graph_client(base_url, "sdk-bob")
    alice_me = await alice.me.get()
    bob_me = await bob.me.get()

    # The group's drive: a library of its own, owned by the group, made on first use.
    drive = await alice.groups.by_group_id("sdk-team").drive.get()
    assert drive.drive_type == "documentLibrary", drive.drive_type
    # msgraph's IdentitySet has no `group` property: the SDK keeps it in additional_data.
    group = drive.owner.additional_data.get("group")
    assert drive.owner.user is None and group is not None, drive.owner
    assert "sdk-team" in str(group), group
    assert drive.id.startswith("b!"), drive.id
    site = await bob.groups.by_group_id("sdk-team").sites.by_site_id("root").get()
    library = await bob.sites.by_site_id(site.id).drive.get()
    assert library.id == drive.id, (library.id, drive.id)
    print("drive", drive.id, "site", site.id)

    # Alice uploads, Bob adds a version and restores Alice's, all through drives.by_drive_id.
    alice_items = alice.drives.by_drive_id(drive.id).items
    bob_items = bob.drives.by_drive_id(drive.id).items
    first = await alice_items.by_drive_item_id("root:/plan.txt:").content.put(b"v1")
    assert first.parent_reference.drive_type == "documentLibrary", first.parent_reference
    assert first.parent_reference.site_id == site.id, first.parent_reference.site_id
    second = await bob_items.by_drive_item_id("root:/plan.txt:").content.put(b"v2!")
    assert second.id == first.id, (second.id, first.id)
    restored = await bob_items.by_drive_item_id(first.id).versions.by_drive_item_version_id(
        "1.0"
    ).restore_version.post()
    assert restored is None

    # One history, both authors, seen alike by both members.
    for client in (alice, bob):
        versions = await client.drives.by_drive_id(drive.id).items.by_drive_item_id(
            first.id
        ).versions.get()
        assert [v.id for v in versions.value] == ["3.0", "2.0", "1.0"], versions.value
        authors = [v.last_modified_by.user.id for v in versions.value]
        assert authors == [bob_me.id, bob_me.id, alice_me.id], authors
    item = await alice_items.by_drive_item_id(first.id).get()
    assert item.created_by.user.id == alice_me.id and item.last_modified_by.user.id == bob_me.id
    data = await alice_items.by_drive_item_id(first.id).content.get()
    assert data == b"v1", data

    # Neither member's own drive holds it.
    for client in (alice, bob):
        own = await client.me.drive.get()
        children = await client.drives.by_drive_id(own.id).items.by_drive_item_id(
            "root"
        ).children.get()
        assert children.value == [], [c.name for c in children.value]
    print("ok")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
