"""What the msgraph-sdk scripts share: a client on the emulator, signed in with a fixed token."""

from kiota_abstractions.authentication import (
    AccessTokenProvider,
    AllowedHostsValidator,
    BaseBearerTokenAuthenticationProvider,
)
from msgraph import GraphRequestAdapter, GraphServiceClient


class StaticToken(AccessTokenProvider):
    """A fixed bearer token: any non-empty one signs in, each as a user of its own (the emulator
    checks no signatures)."""

    def __init__(self, token):
        self.token = token

    async def get_authorization_token(self, uri, additional_authentication_context=None):
        return self.token

    def get_allowed_hosts_validator(self):
        return AllowedHostsValidator([])  # empty: every host


def graph_client(base_url: str, token: str) -> GraphServiceClient:
    """A client whose requests go to `base_url` (e.g. http://127.0.0.1:8080/v1.0) with `token`."""
    adapter = GraphRequestAdapter(BaseBearerTokenAuthenticationProvider(StaticToken(token)))
    adapter.base_url = base_url  # before building the client, which keeps it
    return GraphServiceClient(request_adapter=adapter)
