"""Box's user event stream through the official Python SDK (boxsdk 10.x, box_sdk_gen): its
EventStream (a fetch, then `OPTIONS /events` and long polls of the real-time URL the emulator
hands out) sees an upload, then a version promote made while it waits. Asserts as it goes;
exits non-zero on the first failure.

Usage: box_events.py ROOT_URL   (e.g. http://127.0.0.1:8080)
"""

import io
import queue
import sys
import threading

from box_sdk_gen.managers.events import GetEventStreamQueryParams
from box_sdk_gen.managers.file_versions import PromoteFileVersionType
from box_sdk_gen.managers.uploads import (
    UploadFileAttributes,
    UploadFileAttributesParentField,
    UploadFileVersionAttributes,
)
from box_common import box_client

WAIT = 30  # seconds; a change reaches the stream in milliseconds


def main(root):
    client = box_client(root, "sdk-events-token")
    start = client.events.get_events(stream_position="now").next_stream_position

    first = client.uploads.upload_file(
        UploadFileAttributes(name="events.txt", parent=UploadFileAttributesParentField(id="0")),
        io.BytesIO(b"one"),
    ).entries[0]

    stream = client.events.get_event_stream(query_params=GetEventStreamQueryParams(stream_position=str(start)))
    received = queue.Queue()

    def listen():
        for event in stream:
            received.put(event)

    threading.Thread(target=listen, daemon=True).start()
    upload = received.get(timeout=WAIT)
    assert upload.event_type == "ITEM_UPLOAD" and upload.source.id == first.id, upload
    print("ok: the stream's first fetch saw the upload")

    # While the stream long-polls: a second version, and the first one promoted.
    client.uploads.upload_file_version(first.id, UploadFileVersionAttributes(name="events.txt"), io.BytesIO(b"two"))
    old = client.file_versions.get_file_versions(first.id).entries[0]
    client.file_versions.promote_file_version(first.id, id=old.id, type=PromoteFileVersionType.FILE_VERSION)
    types = []
    while "ITEM_MAKE_CURRENT_VERSION" not in types:
        event = received.get(timeout=WAIT)
        assert event.source.id == first.id, event
        types.append(event.event_type)
    assert types == ["ITEM_UPLOAD", "ITEM_MAKE_CURRENT_VERSION"], types
    print("ok: the long poll woke the stream for the new version and the promote")
    stream.stop()
    print("box events passed")


if __name__ == "__main__":
    main(sys.argv[1])
