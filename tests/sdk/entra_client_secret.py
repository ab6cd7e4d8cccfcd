"""Signs in with Microsoft's own libraries, unmodified but for the authority, over https.

Usage: entra_client_secret.py <root-url> <user-id>   (e.g. https://127.0.0.1:8443 42)

1. azure-identity's ClientSecretCredential (instance discovery off) drives msgraph-sdk's
   GraphServiceClient as the app `report-app`: it reads user <user-id>'s drive and is refused
   `/me` with Graph's 400.
2. MSAL Python's device flow as the public client `cli` (approved at once), then `/me/drive`.

Trust comes from REQUESTS_CA_BUNDLE and SSL_CERT_FILE (the emulator's local CA). Prints one JSON
line: the drive ids each identity saw.
"""

import asyncio
import json
import sys

import msal
import requests
from azure.identity import ClientSecretCredential
from kiota_authentication_azure.azure_identity_authentication_provider import (
    AzureIdentityAuthenticationProvider,
)
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.models.o_data_errors.o_data_error import ODataError

GRAPH = "https://graph.microsoft.com/.default"


async def as_app(root: str, user: str) -> str:
    credential = ClientSecretCredential(
        tenant_id="contoso.onmicrosoft.com",
        client_id="report-app",
        client_secret="right",
        authority=root,
        disable_instance_discovery=True,
    )
    auth = AzureIdentityAuthenticationProvider(
        credential, scopes=[GRAPH], allowed_hosts=["127.0.0.1"]
    )
    adapter = GraphRequestAdapter(auth)
    adapter.base_url = root + "/v1.0"
    client = GraphServiceClient(request_adapter=adapter)
    drive = await client.users.by_user_id(user).drive.get()
    try:
        await client.me.get()
    except ODataError as error:
        assert error.response_status_code == 400, error.response_status_code
        assert error.error.code == "BadRequest", error.error.code
        assert error.error.message == (
            "/me request is only valid with delegated authentication flow."
        ), error.error.message
    else:
        raise AssertionError("an app token must not reach /me")
    return drive.id


def device_flow(root: str) -> str:
    app = msal.PublicClientApplication(
        "cli", authority=root + "/organizations", instance_discovery=False
    )
    flow = app.initiate_device_flow(scopes=["Files.ReadWrite"])
    assert "user_code" in flow, flow
    result = app.acquire_token_by_device_flow(flow)
    assert "access_token" in result, result
    assert result["token_type"] == "Bearer", result
    reply = requests.get(
        root + "/v1.0/me/drive",
        headers={"Authorization": "Bearer " + result["access_token"]},
        timeout=30,
    )
    assert reply.status_code == 200, reply.text
    return reply.json()["id"]


def main(root: str, user: str) -> None:
    app_drive = asyncio.run(as_app(root, user))
    device_drive = device_flow(root)
    print(json.dumps({"app": app_drive, "device": device_drive}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
