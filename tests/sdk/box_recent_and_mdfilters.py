"""Recent items and search by metadata through Box's official Python SDK (boxsdk 10.x, imported
as box_sdk_gen), pointed at a restore-mock server: `recent_items.get_recent_items()` after
uploads, a new version and a comment, paged by marker; and `search.search_for_content` with
`mdfilters=[MetadataFilter(...)]` (a plain value, a float range, no query), as box_sdk_gen's own
`test/search.py testMetadataFilters` calls it; and the comment read back as a COMMENT_CREATE
event whose source is the comment. Asserts as it goes; exits non-zero on the first
failure.

Usage: box_recent_and_mdfilters.py ROOT_URL   (e.g. http://127.0.0.1:8080)
"""

import io
import sys

from box_sdk_gen.managers.comments import CreateCommentItem, CreateCommentItemTypeField
from box_sdk_gen.managers.file_metadata import CreateFileMetadataByIdScope
from box_sdk_gen.managers.metadata_templates import (
    CreateMetadataTemplateFields,
    CreateMetadataTemplateFieldsTypeField,
)
from box_sdk_gen.managers.uploads import (
    UploadFileAttributes,
    UploadFileAttributesParentField,
    UploadFileVersionAttributes,
)
from box_sdk_gen.schemas.metadata_field_filter_float_range import MetadataFieldFilterFloatRange
from box_sdk_gen.schemas.metadata_filter import MetadataFilter, MetadataFilterScopeField
from box_common import box_client, check


def main(root):
    client = box_client(root, "sdk-recent-token")
    files = {}
    for name in ["a.txt", "b.txt", "c.txt"]:
        files[name] = client.uploads.upload_file(
            UploadFileAttributes(name=name, parent=UploadFileAttributesParentField(id="0")),
            io.BytesIO(name.encode()),
        ).entries[0]
    client.uploads.upload_file_version(files["a.txt"].id, UploadFileVersionAttributes(name="a.txt"), io.BytesIO(b"two"))
    client.comments.create_comment(
        "Looks good", CreateCommentItem(id=files["b.txt"].id, type=CreateCommentItemTypeField.FILE)
    )

    events = client.events.get_events(stream_position="0")
    kinds = [getattr(e.event_type, "value", e.event_type) for e in events.entries]
    check(kinds.count("COMMENT_CREATE") == 1, f"the comment is a COMMENT_CREATE event: {kinds}")
    # A comment source is none of the union's named classes: the SDK keeps it as it came.
    source = events.entries[kinds.index("COMMENT_CREATE")].source
    source = source if isinstance(source, dict) else source.to_dict()
    check(source["type"] == "comment" and source["message"] == "Looks good", "with the comment as its source")

    recent = client.recent_items.get_recent_items()
    got = [(e.item.name, e.interaction_type.value) for e in recent.entries]
    check(
        got == [("b.txt", "item_comment"), ("a.txt", "item_modify"), ("c.txt", "item_upload")],
        f"each file once, newest interaction first: {got}",
    )
    first = client.recent_items.get_recent_items(limit=2)
    check(len(first.entries) == 2 and first.next_marker, "a first page of two with a marker")
    rest = client.recent_items.get_recent_items(limit=2, marker=first.next_marker)
    check([e.item.name for e in rest.entries] == ["c.txt"] and not rest.next_marker, "the last page")

    client.metadata_templates.create_metadata_template(
        "enterprise",
        "Invoice",
        template_key="invoice",
        fields=[
            CreateMetadataTemplateFields(
                type=CreateMetadataTemplateFieldsTypeField.STRING, key="customer", display_name="customer"
            ),
            CreateMetadataTemplateFields(
                type=CreateMetadataTemplateFieldsTypeField.FLOAT, key="amount", display_name="amount"
            ),
        ],
    )
    for name, values in [("a.txt", {"customer": "Acme", "amount": 100}), ("b.txt", {"customer": "Beta", "amount": 250})]:
        client.file_metadata.create_file_metadata_by_id(
            files[name].id, CreateFileMetadataByIdScope.ENTERPRISE, "invoice", values
        )
    by_value = client.search.search_for_content(
        mdfilters=[
            MetadataFilter(scope=MetadataFilterScopeField.ENTERPRISE, template_key="invoice", filters={"customer": "Acme"})
        ]
    )
    check([e.name for e in by_value.entries] == ["a.txt"], "a plain value, without a query")
    by_range = client.search.search_for_content(
        query="txt",
        mdfilters=[
            MetadataFilter(
                scope=MetadataFilterScopeField.ENTERPRISE,
                template_key="invoice",
                filters={"amount": MetadataFieldFilterFloatRange(gt=100, lt=300)},
            )
        ],
    )
    check([e.name for e in by_range.entries] == ["a.txt", "b.txt"], "a float range, bounds inclusive")
    print("box recent items and mdfilters passed")


if __name__ == "__main__":
    main(sys.argv[1])
