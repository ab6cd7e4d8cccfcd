"""A Graph change-notification subscription through Microsoft's official Python SDK (msgraph-sdk),
with a local receiver that answers the validation request as Graph wants: subscribe to the drive
root, upload a file, wait for the delivery through the admin API, check the notification, then
read, renew and delete the subscription. Exits non-zero on the first failure.

Usage: graph_subscription.py GRAPH_BASE_URL   (e.g. http://127.0.0.1:8080/v1.0)
"""

import asyncio
import json
import sys
import threading
import urllib.request
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

from msgraph.generated.models.subscription import Subscription

from graph_common import graph_client

notifications = []


class Hook(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        token = parse_qs(urlparse(self.path).query).get("validationToken")
        if token:
            # parse_qs decodes it, as a receiver must.
            echo = token[0].encode("utf-8")
            self.send_response(200)
            self.send_header("content-type", "text/plain")
            self.send_header("content-length", str(len(echo)))
            self.end_headers()
            self.wfile.write(echo)
            return
        notifications.append(json.loads(body))
        self.send_response(202)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def settle(base_url):
    root = base_url[: -len("/v1.0")]
    request = urllib.request.Request(
        root + "/__admin/deliveries/settle",
        data=json.dumps({"timeout_ms": 10000}).encode(),
        method="POST",
        headers={"content-type": "application/json"},
    )
    return json.load(urllib.request.urlopen(request))["settled"]


async def main(base_url):
    receiver = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{receiver.server_address[1]}/graph-hook"

    client = graph_client(base_url, "sdk-subscription-token")

    expires = datetime.now(timezone.utc) + timedelta(days=2)
    subscription = await client.subscriptions.post(
        Subscription(
            change_type="updated",
            notification_url=url,
            resource="/me/drive/root",
            expiration_date_time=expires,
            client_state="sdk-secret",
        )
    )
    assert subscription.id and subscription.resource == "/me/drive/root", subscription
    print("subscribed", subscription.id)

    drive = await client.me.drive.get()
    items = client.drives.by_drive_id(drive.id).items
    await items.by_drive_item_id("root:/watched/notes.txt:").content.put(b"hello")
    assert settle(base_url), "the notification settled"
    assert len(notifications) == 1, notifications
    [note] = notifications[0]["value"]
    assert note["subscriptionId"] == subscription.id, note
    assert note["clientState"] == "sdk-secret" and note["changeType"] == "updated", note
    assert note["resource"] == "/me/drive/root" and note["resourceData"] is None, note
    print("notified", note["subscriptionId"])

    read = await client.subscriptions.by_subscription_id(subscription.id).get()
    assert read.notification_url == url, read
    later = expires + timedelta(days=1)
    renewed = await client.subscriptions.by_subscription_id(subscription.id).patch(
        Subscription(expiration_date_time=later)
    )
    assert renewed.expiration_date_time.replace(microsecond=0) == later.replace(microsecond=0), renewed
    await client.subscriptions.by_subscription_id(subscription.id).delete()
    listed = await client.subscriptions.get()
    assert listed.value == [], listed.value
    receiver.shutdown()
    print("graph subscription passed")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
