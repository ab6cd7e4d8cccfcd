"""Box's production sign-in paths through the official Python SDK (boxsdk 10.x, box_sdk_gen), unchanged
but for the base URLs: client credentials (enterprise and user subject), JWT with a generated RSA key,
the OAuth code grant with a refresh after the token expired, and a downscoped token refused a write.
Asserts as it goes; exits non-zero on the first failure. The caller reads the journal to check which
user or app each request ran as.

Usage: box_sign_in.py ROOT_URL ccg|jwt|oauth|downscope
"""

import io
import sys
from urllib.parse import parse_qs, urlsplit

import requests
from box_sdk_gen import (
    BaseUrls,
    BoxAPIError,
    BoxCCGAuth,
    BoxClient,
    BoxDeveloperTokenAuth,
    BoxJWTAuth,
    BoxOAuth,
    CCGConfig,
    JWTConfig,
    NetworkSession,
    OAuthConfig,
)
from box_sdk_gen.managers.uploads import (
    UploadFileAttributes,
    UploadFileAttributesParentField,
    UploadFileVersionAttributes,
)
from box_common import check


def session(root):
    # The one change an app makes: its base URLs. Token requests go to base_url + /oauth2/token.
    return NetworkSession(base_urls=BaseUrls(base_url=root, upload_url=root + "/api", oauth_2_url=root + "/api/oauth2"))


def client(auth, root):
    return BoxClient(auth=auth, network_session=session(root))


def upload(box, name, text):
    return box.uploads.upload_file(
        UploadFileAttributes(name=name, parent=UploadFileAttributesParentField(id="0")),
        io.BytesIO(text),
    ).entries[0]


def ccg(root):
    auth = BoxCCGAuth(CCGConfig(client_id="ccg-app", client_secret="ccg-secret", enterprise_id="900"))
    me = client(auth, root).users.get_user_me()
    check(me.name == "Service Account ccg-app", "the enterprise subject is the app's service account")
    check(me.login.startswith("AutomationUser_"), "a service account's login is shaped as Box's")
    upload(client(auth, root), "from-the-app.txt", b"app")
    as_user = client(auth.with_user_subject("4242"), root).users.get_user_me()
    check(as_user.id == "4242", "with_user_subject signs in as that user")


def jwt(root):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"passphrase"),
    ).decode()
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    # The client's public key makes the emulator check the assertion's signature.
    configured = requests.put(
        root + "/__admin/clients",
        json={"clients": [{"id": "jwt-app", "secret": "jwt-secret", "public_key": public_pem}]},
    )
    check(configured.status_code == 200, "the client with its public key is configured")
    config = JWTConfig(
        client_id="jwt-app",
        client_secret="jwt-secret",
        jwt_key_id="key-1",
        private_key=private_pem,
        private_key_passphrase="passphrase",
        enterprise_id="900",
    )
    auth = BoxJWTAuth(config)
    me = client(auth, root).users.get_user_me()
    check(me.name == "Service Account jwt-app", "a JWT for the enterprise signs in as the service account")
    as_user = client(auth.with_user_subject("4343"), root).users.get_user_me()
    check(as_user.id == "4343", "a JWT for a user signs in as that user")

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = JWTConfig(
        client_id="jwt-app",
        client_secret="jwt-secret",
        jwt_key_id="key-1",
        private_key=other.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"passphrase"),
        ).decode(),
        private_key_passphrase="passphrase",
        enterprise_id="900",
    )
    try:
        client(BoxJWTAuth(forged), root).users.get_user_me()
        raise AssertionError("an assertion signed by another key signed in")
    except BoxAPIError as error:
        check(error.response_info.status_code == 400, "an assertion signed by another key is refused")
        check(error.response_info.body["error"] == "invalid_grant", "as invalid_grant")


def oauth(root):
    auth = BoxOAuth(OAuthConfig(client_id="web-app", client_secret="web-secret"))
    # get_authorize_url() always names account.box.com: an app under test swaps the origin.
    url = urlsplit(auth.get_authorize_url())
    check(url.netloc == "account.box.com", "the SDK builds the authorize URL on account.box.com")
    authorize = requests.get(
        root + url.path + "?" + url.query + "&redirect_uri=http://localhost/callback&state=xyz",
        allow_redirects=False,
    )
    check(authorize.status_code == 302, "the authorize step redirects at once")
    redirect = parse_qs(urlsplit(authorize.headers["location"]).query)
    check(redirect["state"] == ["xyz"], "the redirect carries the state back")
    # Without network_session= the SDK would post the code to real Box.
    auth.get_tokens_authorization_code_grant(redirect["code"][0], network_session=session(root))
    box = client(auth, root)
    first = box.users.get_user_me()
    # An hour and a second later on the emulator's clock, the token has expired: the next call gets
    # a 401, and the SDK refreshes and retries by itself.
    moved = requests.post(root + "/__admin/clock", json={"advance_seconds": 3601})
    check(moved.status_code == 200, "the clock moved past the token's lifetime")
    again = box.users.get_user_me()
    check(again.id == first.id, "after the refresh the same user is signed in")


def downscope(root):
    auth = BoxCCGAuth(CCGConfig(client_id="scoped-app", client_secret="s", enterprise_id="900"))
    box = client(auth, root)
    kept = upload(box, "kept.txt", b"one")
    other = upload(box, "other.txt", b"two")
    token = auth.downscope_token(["item_preview"], resource=root + "/2.0/files/" + kept.id, network_session=session(root))
    check([r.scope for r in token.restricted_to] == ["item_preview"], "the token is restricted to item_preview")
    narrow = client(BoxDeveloperTokenAuth(token=token.access_token), root)
    check(narrow.files.get_file_by_id(kept.id).name == "kept.txt", "the downscoped token reads its file")
    for what, attempt in [
        ("a write outside its scope", lambda: narrow.uploads.upload_file_version(
            kept.id, UploadFileVersionAttributes(name="kept.txt"), io.BytesIO(b"changed"))),
        ("a read of another file", lambda: narrow.files.get_file_by_id(other.id)),
    ]:
        try:
            attempt()
            raise AssertionError(what + " was allowed")
        except BoxAPIError as error:
            check(error.response_info.status_code == 403, what + " is refused with 403")
    versions = box.file_versions.get_file_versions(kept.id)
    check(versions.total_count == 0, "the refused write made no version")


if __name__ == "__main__":
    {"ccg": ccg, "jwt": jwt, "oauth": oauth, "downscope": downscope}[sys.argv[2]](sys.argv[1])
    print("box sign-in passed:", sys.argv[2])
