//! Webhook trigger names, and which targets may use each
//! (<https://developer.box.com/guides/webhooks/triggers/>; the names are the `triggers` enum of
//! `POST /webhooks` in <https://github.com/box/box-openapi>).

/// Every trigger a client may ask for. `WEBHOOK.DELETED` is not among them: Box sends it on its
/// own and refuses it in a request.
pub(crate) const TRIGGERS: &[&str] = &[
    "FILE.UPLOADED",
    "FILE.PREVIEWED",
    "FILE.DOWNLOADED",
    "FILE.TRASHED",
    "FILE.DELETED",
    "FILE.RESTORED",
    "FILE.COPIED",
    "FILE.MOVED",
    "FILE.LOCKED",
    "FILE.UNLOCKED",
    "FILE.RENAMED",
    "COMMENT.CREATED",
    "COMMENT.UPDATED",
    "COMMENT.DELETED",
    "TASK_ASSIGNMENT.CREATED",
    "TASK_ASSIGNMENT.UPDATED",
    "METADATA_INSTANCE.CREATED",
    "METADATA_INSTANCE.UPDATED",
    "METADATA_INSTANCE.DELETED",
    "FOLDER.CREATED",
    "FOLDER.RENAMED",
    "FOLDER.DOWNLOADED",
    "FOLDER.RESTORED",
    "FOLDER.DELETED",
    "FOLDER.COPIED",
    "FOLDER.MOVED",
    "FOLDER.TRASHED",
    "COLLABORATION.CREATED",
    "COLLABORATION.ACCEPTED",
    "COLLABORATION.REJECTED",
    "COLLABORATION.REMOVED",
    "COLLABORATION.UPDATED",
    "SHARED_LINK.DELETED",
    "SHARED_LINK.CREATED",
    "SHARED_LINK.UPDATED",
    "SIGN_REQUEST.COMPLETED",
    "SIGN_REQUEST.DECLINED",
    "SIGN_REQUEST.EXPIRED",
    "SIGN_REQUEST.SIGNER_EMAIL_BOUNCED",
    "SIGN_REQUEST.SIGN_SIGNER_SIGNED",
    "SIGN_REQUEST.SIGN_DOCUMENT_CREATED",
    "SIGN_REQUEST.SIGN_ERROR_FINALIZING",
];

/// The trigger as the table spells it, if it is one a client may ask for.
pub(crate) fn known(name: &str) -> Option<&'static str> {
    TRIGGERS.iter().copied().find(|t| *t == name)
}

/// Triggers only a folder can be the target of: `FILE.UPLOADED` (a file uploaded or moved into
/// it), every `FOLDER.*` and every `COLLABORATION.*`.
pub(crate) fn folder_only(trigger: &str) -> bool {
    trigger == "FILE.UPLOADED"
        || trigger.starts_with("FOLDER.")
        || trigger.starts_with("COLLABORATION.")
}
