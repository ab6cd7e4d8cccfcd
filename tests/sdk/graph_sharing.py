"""Sharing and check-out on restore-mock with Microsoft's official Python SDK (msgraph-sdk).

Usage: graph_sharing.py <graph-base-url>   (e.g. http://127.0.0.1:8080/v1.0)

Alice uploads a file to her own drive, makes a view link (opened without a token) and invites
Bob with `write`. Bob finds it in `sharedWithMe`, reads it and writes a version through Alice's
drive id. Alice checks it out: Bob's next write gets 423; Alice writes twice and checks in with
a comment, which leaves one new version. Every step asserts; any failure exits non-zero.
"""

import asyncio
import sys
import urllib.request

from kiota_abstractions.api_error import APIError
from msgraph.generated.drives.item.items.item.checkin.checkin_post_request_body import (
    CheckinPostRequestBody,
)
from msgraph.generated.drives.item.items.item.create_link.create_link_post_request_body import (
    CreateLinkPostRequestBody,
)
from msgraph.generated.drives.item.items.item.invite.invite_post_request_body import (
    InvitePostRequestBody,
)
from msgraph.generated.models.drive_recipient import DriveRecipient

from graph_common import graph_client


async def main(base_url: str) -> None:
    alice = graph_client(base_url, "sdk-alice")
    bob = graph_client(base_url, "sdk-bob")
    bob_me = await bob.me.get()
    alice_drive = await alice.me.drive.get()
    bob_drive = await bob.me.drive.get()
    mine = alice.drives.by_drive_id(alice_drive.id).items
    theirs = bob.drives.by_drive_id(alice_drive.id).items

    item = await mine.by_drive_item_id("root:/report.txt:").content.put(b"v1")

    # A view link: created (201), then the same one again; its URL needs no token.
    body = CreateLinkPostRequestBody(type="view", scope="anonymous")
    link = await mine.by_drive_item_id(item.id).create_link.post(body)
    again = await mine.by_drive_item_id(item.id).create_link.post(body)
    assert link.roles == ["read"] and link.link.type == "view", link
    assert again.id == link.id, (again.id, link.id)
    with urllib.request.urlopen(link.link.web_url) as reply:
        assert reply.read() == b"v1"
    print("link", link.link.scope)

    # Bob, invited with write, finds the file and writes a version through Alice's drive.
    invite = InvitePostRequestBody(
        recipients=[DriveRecipient(email=bob_me.mail)],
        roles=["write"],
        require_sign_in=True,
        send_invitation=False,
    )
    granted = await mine.by_drive_item_id(item.id).invite.post(invite)
    assert [p.roles for p in granted.value] == [["write"]], granted.value
    shared = await bob.drives.by_drive_id(bob_drive.id).shared_with_me.get()
    assert [s.remote_item.id for s in shared.value] == [item.id], shared.value
    assert shared.value[0].remote_item.parent_reference.drive_id == alice_drive.id
    seen = await theirs.by_drive_item_id(item.id).get()
    assert seen.name == "report.txt", seen.name
    assert await theirs.by_drive_item_id(item.id).content.get() == b"v1"
    await theirs.by_drive_item_id(item.id).content.put(b"v2 by bob")
    permissions = await mine.by_drive_item_id(item.id).permissions.get()
    assert len(permissions.value) == 2, permissions.value
    print("invited", bob_me.id)

    # Checked out by Alice: Bob is locked out, Alice's two writes become one version.
    await mine.by_drive_item_id(item.id).checkout.post()
    try:
        await theirs.by_drive_item_id(item.id).content.put(b"bob again")
        raise AssertionError("a write to a checked-out file went through")
    except APIError as error:
        assert error.response_status_code == 423, error.response_status_code
    await mine.by_drive_item_id(item.id).content.put(b"v3 draft")
    await mine.by_drive_item_id(item.id).content.put(b"v3 final")
    checkin = CheckinPostRequestBody(comment="done", check_in_as="published")
    await mine.by_drive_item_id(item.id).checkin.post(checkin)
    versions = await mine.by_drive_item_id(item.id).versions.get()
    assert [v.id for v in versions.value] == ["3.0", "2.0", "1.0"], versions.value
    assert await theirs.by_drive_item_id(item.id).content.get() == b"v3 final"
    print("checked in", [v.id for v in versions.value])
    print("ok")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
