"""What the box_sdk_gen scripts share: a client on the emulator, and a check that says what held."""

from box_sdk_gen import BaseUrls, BoxClient, BoxDeveloperTokenAuth


def check(condition, what):
    if not condition:
        raise AssertionError(what)
    print("ok:", what)


def box_client(root, token):
    """A client signed in with a developer token, whose API, upload and OAuth hosts are all the
    emulator at `root` (as `--box-url` prints it)."""
    return BoxClient(auth=BoxDeveloperTokenAuth(token=token)).with_custom_base_urls(
        BaseUrls(base_url=root, upload_url=root + "/api", oauth_2_url=root + "/oauth2")
    )
