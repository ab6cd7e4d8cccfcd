"""DefaultAzureCredential, unmodified, through the emulator's managed-identity endpoint.

Usage: entra_managed_identity.py <root-url> <user-id>   (plain http)

IDENTITY_ENDPOINT and IDENTITY_HEADER come from the environment, as `restore-mock exec` and
`--print-env` give them; nothing names the emulator in code. The token then reads user
<user-id>'s drive. Prints one JSON line: the drive id.
"""

import json
import sys

import requests
from azure.identity import DefaultAzureCredential


def main(root: str, user: str) -> None:
    token = DefaultAzureCredential().get_token("https://graph.microsoft.com/.default")
    assert token.expires_on > 0, token
    reply = requests.get(
        f"{root}/v1.0/users/{user}/drive",
        headers={"Authorization": "Bearer " + token.token},
        timeout=30,
    )
    assert reply.status_code == 200, reply.text
    print(json.dumps({"drive": reply.json()["id"]}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
