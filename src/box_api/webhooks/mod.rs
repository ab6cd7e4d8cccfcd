//! Box webhooks (V2): what a webhook is, what it delivers and how it is signed. The routes that
//! make and change them are `routes/webhooks.rs`.
//!
//! - `registry`: the webhooks that exist (in memory: a restart forgets them, a reset empties
//!   them).
//! - `triggers`: the trigger names and which targets may use each.
//! - `signature`: the two keys and the HMAC Box signs each delivery with.
//! - `outlet`: which changes of the store's change log a webhook hears, and the delivery it
//!   sends.
//!
//! # Deliveries
//! A change to a watched file, or to anything at any depth below a watched folder, whose kind
//! maps to one of the webhook's triggers, is sent to the webhook's `address` as Box sends it
//! (<https://developer.box.com/guides/webhooks/v2/>): a `POST` with the `webhook_event` body
//! (`id`, the same on every retry, `created_at`, `trigger`, `webhook`, `created_by`, `source`
//! in its standard form, `additional_info: []`) and the headers `BOX-DELIVERY-ID` (new per
//! attempt), `BOX-DELIVERY-TIMESTAMP` (the wall clock, even under a frozen emulator clock),
//! `BOX-SIGNATURE-PRIMARY`, `BOX-SIGNATURE-SECONDARY`, `BOX-SIGNATURE-VERSION: 1`,
//! `BOX-SIGNATURE-ALGORITHM: HmacSHA256`, `User-Agent: Box-WH-Client/0.1`. A 2xx within 30
//! seconds is success; otherwise it is retried up to 10 times, waiting 1 s, 2 s, 4 s, … (at most
//! 10 minutes between tries), then given up.
//!
//! | change | trigger |
//! |---|---|
//! | file uploaded, new version | `FILE.UPLOADED` (folder targets only: Box has no version trigger) |
//! | folder made | `FOLDER.CREATED` |
//! | renamed, moved | `FILE.RENAMED`/`FOLDER.RENAMED`, `FILE.MOVED`/`FOLDER.MOVED` |
//! | trashed, restored from the trash | `FILE.TRASHED`/`FOLDER.TRASHED`, `FILE.RESTORED`/`FOLDER.RESTORED` |
//! | deleted for good | `FILE.DELETED`/`FOLDER.DELETED` |
//! | comment made, edited, deleted on a file | `COMMENT.CREATED`, `COMMENT.UPDATED`, `COMMENT.DELETED` (`source`: the comment) |
//! | copied | `FILE.COPIED`/`FOLDER.COPIED` |
//! | file locked, unlocked | `FILE.LOCKED`, `FILE.UNLOCKED` |
//! | collaboration made or invited, accepted, rejected, changed, removed | `COLLABORATION.CREATED`, `.ACCEPTED`, `.REJECTED`, `.UPDATED`, `.REMOVED` (folder targets only) |
//! | task assigned, assignment answered or its message changed | `TASK_ASSIGNMENT.CREATED`, `.UPDATED` (`source`: the assignment) |
//! | metadata instance made, changed, removed | `METADATA_INSTANCE.CREATED`, `.UPDATED`, `.DELETED` (`source`: the file or folder) |
//!
//! A version promoted, deleted or trashed sends nothing, as on Box. A webhook hears only
//! changes in its owner's own files (Box spaces are per user here).
//!
//! # Keys
//! Box sets the keys per application in its developer console. Here: the defaults
//! [`signature::DEFAULT_PRIMARY_KEY`] and [`signature::DEFAULT_SECONDARY_KEY`], a fixture's
//! `box_webhook_keys`, or `PUT /__admin/webhook-keys` (`{"primary", "secondary"}`); `GET
//! /__admin/webhook-keys` reads those in force.

pub(crate) mod outlet;
pub(crate) mod registry;
pub mod signature;
pub(crate) mod triggers;
