"""Metadata through Box's official Python SDK (boxsdk 10.x, imported as box_sdk_gen), pointed at a
restore-mock server, as box_sdk_gen's own `test/file_metadata.py testEnterpriseFileMetadata`
does: make an enterprise template, apply it to a file, change it with a JSON Patch, read it back,
delete it, and delete the template. Asserts as it goes; exits non-zero on the first failure.

Usage: box_metadata.py ROOT_URL   (e.g. http://127.0.0.1:8080)
"""

import io
import sys

from box_sdk_gen import BoxAPIError
from box_sdk_gen.managers.file_metadata import (
    CreateFileMetadataByIdScope,
    DeleteFileMetadataByIdScope,
    GetFileMetadataByIdScope,
    UpdateFileMetadataByIdRequestBody,
    UpdateFileMetadataByIdRequestBodyOpField,
    UpdateFileMetadataByIdScope,
)
from box_sdk_gen.managers.metadata_templates import (
    CreateMetadataTemplateFields,
    CreateMetadataTemplateFieldsOptionsField,
    CreateMetadataTemplateFieldsTypeField,
    DeleteMetadataTemplateScope,
)
from box_sdk_gen.managers.uploads import UploadFileAttributes, UploadFileAttributesParentField
from box_common import box_client, check


def main(root):
    client = box_client(root, "sdk-metadata-token")
    file = client.uploads.upload_file(
        UploadFileAttributes(name="a.txt", parent=UploadFileAttributesParentField(id="0")),
        io.BytesIO(b"one"),
    ).entries[0]

    template = client.metadata_templates.create_metadata_template(
        "enterprise",
        "Contract",
        template_key="contract",
        fields=[
            CreateMetadataTemplateFields(
                type=CreateMetadataTemplateFieldsTypeField.STRING, key="name", display_name="name"
            ),
            CreateMetadataTemplateFields(
                type=CreateMetadataTemplateFieldsTypeField.FLOAT, key="age", display_name="age"
            ),
            CreateMetadataTemplateFields(
                type=CreateMetadataTemplateFieldsTypeField.ENUM,
                key="countryCode",
                display_name="countryCode",
                options=[
                    CreateMetadataTemplateFieldsOptionsField(key="US"),
                    CreateMetadataTemplateFieldsOptionsField(key="CA"),
                ],
            ),
        ],
    )
    check(template.template_key == "contract", "the template is made")

    created = client.file_metadata.create_file_metadata_by_id(
        file.id, CreateFileMetadataByIdScope.ENTERPRISE, "contract",
        {"name": "John", "age": 23, "countryCode": "US"},
    )
    check(created.template == "contract" and created.scope == template.scope, "the instance is made")
    check(created.version == 0, "at version 0")
    check(str(created.extra_data["age"]) == "23", "23 comes back as 23")

    try:
        client.file_metadata.create_file_metadata_by_id(
            file.id, CreateFileMetadataByIdScope.ENTERPRISE, "contract", {}
        )
        check(False, "a second instance is refused")
    except BoxAPIError as error:
        check(error.response_info.status_code == 409, "a second instance is 409")
        check(error.response_info.code == "tuple_already_exists", "with tuple_already_exists")

    updated = client.file_metadata.update_file_metadata_by_id(
        file.id, UpdateFileMetadataByIdScope.ENTERPRISE, "contract",
        [
            UpdateFileMetadataByIdRequestBody(
                op=UpdateFileMetadataByIdRequestBodyOpField.REPLACE, path="/name", value="Jack"
            ),
            UpdateFileMetadataByIdRequestBody(
                op=UpdateFileMetadataByIdRequestBodyOpField.REPLACE, path="/age", value=24
            ),
            UpdateFileMetadataByIdRequestBody(
                op=UpdateFileMetadataByIdRequestBodyOpField.REPLACE, path="/countryCode", value="CA"
            ),
        ],
    )
    check(updated.extra_data["name"] == "Jack" and updated.version == 1, "the patch applies")
    read = client.file_metadata.get_file_metadata_by_id(
        file.id, GetFileMetadataByIdScope.ENTERPRISE, "contract"
    )
    check(read.extra_data["countryCode"] == "CA" and str(read.extra_data["age"]) == "24", "and reads back")
    listed = client.file_metadata.get_file_metadata(file.id)
    check(len(listed.entries) == 1, "one instance is listed")

    client.file_metadata.delete_file_metadata_by_id(
        file.id, DeleteFileMetadataByIdScope.ENTERPRISE, "contract"
    )
    try:
        client.file_metadata.get_file_metadata_by_id(
            file.id, GetFileMetadataByIdScope.ENTERPRISE, "contract"
        )
        check(False, "a deleted instance is gone")
    except BoxAPIError as error:
        check(error.response_info.status_code == 404, "a deleted instance is 404")
    client.metadata_templates.delete_metadata_template(DeleteMetadataTemplateScope.ENTERPRISE, "contract")
    print("box metadata passed")


if __name__ == "__main__":
    main(sys.argv[1])
