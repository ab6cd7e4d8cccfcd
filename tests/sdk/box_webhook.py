"""A Box webhook through Box's official Python SDK (boxsdk 10.x, imported as box_sdk_gen), with a
local receiver: create the webhook on a folder, upload into it, wait for the delivery through the
admin API, then check it with the SDK's own `WebhooksManager.validate_message` (both keys, each
alone) and see it refused once the body is altered. Exits non-zero on the first failure.

Usage: box_webhook.py ROOT_URL PRIMARY_KEY SECONDARY_KEY   (e.g. http://127.0.0.1:8080)
"""

import io
import json
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

from box_sdk_gen.managers.folders import CreateFolderParent
from box_sdk_gen.managers.uploads import UploadFileAttributes, UploadFileAttributesParentField
from box_sdk_gen.managers.webhooks import (
    CreateWebhookTarget,
    CreateWebhookTargetTypeField,
    CreateWebhookTriggers,
    WebhooksManager,
)
from box_common import box_client, check

received = []


class Hook(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        # box_sdk_gen reads headers by lower-case name.
        received.append((body.decode("utf-8"), {k.lower(): v for k, v in self.headers.items()}))
        self.send_response(200)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def main(root, primary, secondary):
    receiver = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{receiver.server_address[1]}/box-hook"

    client = box_client(root, "sdk-webhook-token")
    folder = client.folders.create_folder("Watched", CreateFolderParent(id="0"))
    webhook = client.webhooks.create_webhook(
        CreateWebhookTarget(id=folder.id, type=CreateWebhookTargetTypeField.FOLDER),
        address,
        [CreateWebhookTriggers.FILE_UPLOADED],
    )
    check(webhook.target.id == folder.id and webhook.address == address, "create_webhook made it")
    check([w.id for w in client.webhooks.get_webhooks().entries] == [webhook.id], "get_webhooks lists it")

    uploaded = client.uploads.upload_file(
        UploadFileAttributes(name="report.txt", parent=UploadFileAttributesParentField(id=folder.id)),
        io.BytesIO(b"quarterly numbers"),
    ).entries[0]

    settle = urllib.request.Request(
        root + "/__admin/deliveries/settle",
        data=json.dumps({"timeout_ms": 10000}).encode(),
        method="POST",
        headers={"content-type": "application/json"},
    )
    settled = json.load(urllib.request.urlopen(settle))
    check(settled["settled"], "the delivery settled")
    check(len(received) == 1, f"one delivery arrived ({len(received)})")
    body, headers = received[0]
    event = json.loads(body)
    check(event["trigger"] == "FILE.UPLOADED" and event["source"]["id"] == uploaded.id,
          "the delivery names the trigger and the uploaded file")
    check(event["webhook"]["id"] == webhook.id, "the delivery names the webhook")

    check(WebhooksManager.validate_message(body, headers, primary, secondary_key=secondary),
          "validate_message accepts it with both keys")
    check(WebhooksManager.validate_message(body, headers, primary), "validate_message accepts the primary key")
    check(WebhooksManager.validate_message(body, headers, "wrong", secondary_key=secondary),
          "validate_message accepts the secondary key alone")
    altered = body.replace("quarterly", "QUARTERLY") if "quarterly" in body else body.replace("report", "rEport")
    check(altered != body, "the body was altered")
    check(not WebhooksManager.validate_message(altered, headers, primary, secondary_key=secondary),
          "validate_message refuses the altered body")
    check(not WebhooksManager.validate_message(body, headers, "wrong", secondary_key="wrong too"),
          "validate_message refuses other keys")

    client.webhooks.delete_webhook_by_id(webhook.id)
    check(client.webhooks.get_webhooks().entries == [], "delete_webhook_by_id removed it")
    receiver.shutdown()
    print("box webhook passed")


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3])
