//! The Box face, under `/2.0` (API) and `/api/2.0` (uploads): users, files and folders (with
//! their trash, copies, search, shared links, locks, comments, collaborations, tasks, thumbnails,
//! metadata and zip downloads), uploads and file versions on the shared store, with Box's JSON,
//! errors and headers (<https://developer.box.com/reference/>).
//!
//! - `oauth`: sign-in (`/oauth2/token`, `/oauth2/revoke`, `/api/oauth2/authorize`) and what its
//!   tokens may do; `restriction`: a downscoped token kept to its file or folder; `reach`: a
//!   collaborator's request on another user's item, served in that user's space.
//! - `routes`: the handlers (`routes::thumbnails`: file thumbnails); `model`: the wire types
//!   (`shared_link`: an item's shared link, with URLs on the emulator); `fields`: the `fields`
//!   parameter;
//!   `multipart`: upload bodies; `extract`: extractors that fail with Box errors;
//!   `errors`: `BoxApiError` and the envelope; `layer`: the one middleware (admission, and every
//!   error rendered with its request id); `paging`: offset paging (`routes::folder_items` adds
//!   Box's marker paging for folder listings).
//! - `zip_downloads`: zip downloads between their creation and their end (not in the store).
//!
//! The rest of this page documents the face in full: what a client may send, what it gets back, and
//! where the emulator chose for Box where Box does not say. The README's `box curl` block shows
//! it at work (the test suite runs it as written).
//!
//! # Addresses and envelope
//! Box's file-versions API, on the same store as the Graph face but with its own files: a
//! token's Box files are not its Graph files. API paths live under `/2.0`; uploads under
//! `/api/2.0` (the SDKs' `upload_url` ends in `/api`) and also under `/2.0`, so one base URL
//! works for curl. Folder `0` ("All Files") always exists. Errors use Box's envelope (`type`,
//! `status`, `code`, `context_info`, `help_url`, `message`, `request_id`) and every reply
//! carries a `box-request-id` header; a missing token gets Box's empty 401 with
//! `WWW-Authenticate`. A fault rule ([`crate::faults`]) is rendered in the same envelope.
//!
//! # Files, versions and the trash
//! - Uploads: `POST /api/2.0/files/content` (multipart `attributes` then `file`) makes a file,
//!   `POST /api/2.0/files/{id}/content` a new version (`If-Match` optional; no `attributes`
//!   keeps the name). `GET /files/{id}/versions` lists the previous versions, newest first (the
//!   current one is the file's `file_version`), with `offset`/`limit` and `fields`.
//! - A version: `DELETE /files/{id}/versions/{v}` trashes it, `PUT …/versions/{v}` with
//!   `{"trashed_at": null}` restores it (`POST`, as in Box's curl sample, works too), `POST
//!   /files/{id}/versions/current` with `{"type": "file_version", "id"}` promotes it to a new
//!   current version. `GET /files/{id}/content?version={v}` downloads it.
//! - Content requests answer `302` to a signed `/_content/{token}` link that needs no token and
//!   expires after fifteen minutes on the emulator's clock.
//! - The trash holds whole files and folders (`DELETE /folders/{id}?recursive=true` for a folder
//!   with anything in it, else `400 folder_not_empty`; items already in the trash do not count,
//!   as rclone's `rmdir` after deleting a folder's files relies on). A trashed item's name is free again; a
//!   trashed file's `GET /files/{id}` answers 200 with `item_status: "trashed"` (as box_sdk_gen's
//!   own test reads it), its other routes (content, versions, uploads, rename) and a trashed
//!   folder's answer `404 trashed`, and so does everything below a trashed folder; its download
//!   links stop working. `GET
//!   /files/{id}/trash` and `/folders/{id}/trash` show only an item trashed itself
//!   (`item_status: "trashed"`, `purged_at` 30 days on), as the spec says;
//!   `/folders/trash/items` lists the trash.
//! - Restore (`POST /files/{id}`, `POST /folders/{id}`) puts the item back in its folder,
//!   renamed to `name` if given; `parent` is used only when that folder is gone (deleted or
//!   itself in the trash), as the spec says, and with no `parent` then the answer is `403
//!   access_denied_insufficient_permissions`. A taken name is `409 item_name_in_use` naming the
//!   item in the way. Purge (`DELETE …/trash`) removes the item, every version and their bytes:
//!   a body is freed once no version, upload session or download link refers to it (the memory
//!   benchmark uploads 256 files of 1 MiB, RSS 8 → 288 MiB, and purging them brings it back to
//!   15 MiB).
//! - Copies: `POST /files/{id}/copy` (`parent.id`, optional `name` and `version`) makes a new
//!   file with one version, of the current bytes or of the version named; `POST
//!   /folders/{id}/copy` copies the whole tree (what is in the trash stays behind) and answers
//!   with the new folder and its `item_collection`. Both `201`; a taken name `409
//!   item_name_in_use` (one object for a file, a list for a folder), a folder into itself or
//!   below `400 cyclical_folder_structure`, the root `400 bad_request`. A file copy's name loses
//!   `/`, `\` and control characters, as Box's reference says; a folder copy's is refused.
//! - `PUT /files/{id}` and `PUT /folders/{id}` rename and move (`name`, `parent.id`) with
//!   `If-Match` (`412`), set the item's shared link (below), and set `description` (at most 256
//!   characters) and `tags` (at most 100), as the spec limits them; `""` and `[]` clear them,
//!   `null` leaves them. The standard object shows `description`, `fields=tags` the tags.
//!   `collections` puts the item in the caller's Favorites or takes it out (below). `POST
//!   /2.0/folders` makes a folder. Users: below.
//!
//! # Locks
//! `PUT /files/{id}?fields=lock` with `{"lock": {"access": "lock", "expires_at": …,
//! "is_download_prevented": …}}` locks the file (`{"type": "lock"}`, as the legacy SDKs write it,
//! too; both keys optional), `{"lock": null}` unlocks it, and a body without `lock` leaves it.
//! `lock` is a full-only field, so only `fields=lock` shows it: Box's lock object (`type`, `id`,
//! `created_by`, `created_at`, `expired_at`, `is_download_prevented`, `app_type: null`) with the
//! expiry under both `expired_at` (the spec, box_sdk_gen) and `expires_at` (the Java and iOS
//! SDKs' fixtures), or `null`. Locking and unlocking move the etag and log `LOCK_CREATE` and
//! `LOCK_DESTROY` events (webhook triggers `FILE.LOCKED`, `FILE.UNLOCKED`). Once `expires_at`
//! passes on the emulator's clock the lock is gone (no event; the etag stays).
//!
//! A lock keeps everyone but its creator from changing the file: a new version (upload or
//! upload session), a rename or move, a trash or delete, a version promoted, trashed or deleted,
//! a lock over it, and a download when `is_download_prevented`, each `403
//! access_denied_item_locked` (Box has no 423: <https://github.com/box/box-ui-elements/issues/4831>
//! for a new version; the other refusals' code Box does not document). The creator and the
//! file's owner may unlock it (<https://github.com/box/box-python-sdk/issues/859>). A
//! collaborator who writes (see Collaborations) is refused by another user's lock like anyone
//! else. A bad `access`, an `expires_at` that is not a date or not in the future, a non-boolean
//! `is_download_prevented` and a lock on a folder are `400 bad_request` naming the key, with
//! nothing of the update applied.
//!
//! # Collaborations
//! `POST /2.0/collaborations` with `{"item": {"type": "file"|"folder", "id"}, "accessible_by":
//! {"type": "user", "id"|"login"}, "role"}` (optional `is_access_only`, `can_view_path`,
//! `expires_at`) invites a user to another user's item
//! (<https://developer.box.com/reference/post-collaborations/>). A user the emulator knows (by id,
//! or by the login of one who signed in or a fixture names) is `accepted` at once; a login nobody
//! has is `pending`, with `invite_email` set and `accessible_by: null` (no user exists yet, Box's
//! own reply there is not known), and once a user with that login signs in it is among their
//! `GET /2.0/collaborations?status=pending` (offset paging) and they accept or reject it with
//! `PUT /2.0/collaborations/{id}` `{"status": …}`. `GET`/`PUT`/`DELETE
//! /2.0/collaborations/{id}` read, change (`role`, `expires_at`, `can_view_path`) and remove one;
//! `GET /2.0/files/{id}/collaborations` and `/folders/{id}/collaborations` list those set on the
//! item itself, pending and accepted (marker paging: `entries`, `limit`, `next_marker`, and
//! `total_count` as the legacy fixtures show). The reply is Box's `Collaboration`, its `item` a
//! file or folder mini (the spec allows `null` while pending; the mini is shown).
//!
//! Roles, in one table (`store::sharing::BoxRole::allows`, after Box's
//! <https://support.box.com/hc/en-us/articles/360044196413-Understanding-Collaborator-Permission-Levels>),
//! checked by what a request does rather than by its method (`reach`): every role previews
//! (lists, reads, comments); `viewer`, `viewer uploader`, `editor` and `co-owner` also download,
//! and so copy out of the item into a folder of their own, where the copy is theirs (a
//! `previewer`, `uploader` or `previewer uploader` is refused both, `403`); `editor`,
//! `co-owner`, `uploader`, `previewer uploader` and `viewer uploader` write (upload, preflight
//! an upload, rename, move, delete, lock; an uploader's writes are not narrowed to uploads, nor
//! its previews to nothing, as Box's article would have it); the owner, `editor` and `co-owner`
//! may invite, change roles and remove collaborators. Collaborations on an item and on the
//! folders above it add up (a viewer of the folder who is an uploader of a file in it downloads
//! and writes that file). A live
//! (accepted, unexpired) collaboration on a file or folder opens it and everything below it: its
//! id in a path is served from the owner's space with the collaborator acting (their name on
//! what they change; the events go to the owner's stream), and a folder named in an upload's,
//! upload session's or new folder's `parent`, or a file in a new comment's `item`, is reached
//! the same way (an upload session commits only while the collaboration still allows it). A
//! comment, task or task assignment addressed by its own id (`/comments/{id}`, `/tasks/{id}`,
//! `/task_assignments/{id}`), and the file of a new task or the task of a new assignment, open
//! as the file they are on: a task is made, changed or deleted with a writing role, while any
//! role reads, comments (only the author changes a comment) and answers an assignment given to
//! them. Beyond the role: `403
//! access_denied_insufficient_permissions`; without a collaboration (or after its `DELETE`) the
//! item is `404`. Collaborated items show in the collaborator's `GET /folders/0/items` (unless
//! `is_access_only`), with their real `parent` and `path_collection` (the owner's folders:
//! Box shows `parent: null` when the path is hidden, which the emulator does not). The full
//! field `has_collaborations` is true on an item with a pending or accepted one; the
//! `permissions` field still describes the owner's rights. A collaborator may remove their own
//! collaboration (leave).
//!
//! Refused, with nothing changed: the root folder (`400
//! collaborations_not_available_on_root_folder`), a user who already collaborates or owns the
//! item (`400 user_already_collaborator`), an unknown item, a file named as a folder or an
//! unknown user id (`404`), an unknown role or `owner` on `POST` (`400 bad_request` naming
//! `role`), a group (`400` naming `accessible_by.type`: the emulator has no groups), a caller
//! whose role does not invite (`403`), a status change by anyone but the invitee (`403`) or of
//! one not pending (`400 invalid_status`), an unknown or hidden collaboration id (`404` naming
//! `collab`, as box-node-sdk's `get_collaborations_id_404.json` fixture does). `PUT` with
//! `role: "owner"` (an ownership transfer, `204` on Box) is `400 bad_request` naming `role`: the
//! emulator keeps each user's files in their own space and does not move a tree between users.
//! Creating, accepting, rejecting, changing the role and removing log `COLLAB_ADD_COLLABORATOR`,
//! `COLLAB_INVITE_COLLABORATOR` (an unknown login), `COLLAB_ADD_COLLABORATOR` (accepted), none
//! (rejected), `COLLAB_ROLE_CHANGE` and `COLLAB_REMOVE_COLLABORATOR` on the owner's stream (the
//! collaborator's own stream gets none), and fire the folder triggers `COLLABORATION.CREATED`,
//! `.ACCEPTED`, `.REJECTED`, `.UPDATED`, `.REMOVED` (with the folder as `source`). Collaborations
//! are kept by the durable store, go with their item when it is purged and with their
//! collaborator's reset, and appear in fixtures and the state export (`collaborations` on an
//! item) and on the admin page's item view.
//!
//! # Thumbnails
//! `GET /2.0/files/{id}/thumbnail.png` answers an image file (an `image/*` type) with `200
//! image/png`, a flat grey square of the smallest size Box makes in PNG (32, 64, 128, 256) that
//! meets `min_width`/`min_height` and fits `max_width`/`max_height`; with no bounds, 32 (Box does
//! not say which size it picks). Any other file is a `302` to `/_content/placeholder.png`, a
//! 256 × 256 PNG that needs no token, as Box sends a type it has no thumbnails for to a
//! placeholder graphic (<https://developer.box.com/reference/get-files-id-thumbnail-id/>). A
//! bound outside 32 to 320, not a number, or one no size meets is `400
//! requested_preview_unavailable`. `thumbnail.jpg` takes Box's JPG sizes (32, 160, 320) and
//! sends other files to the same placeholder, but an image is `404 preview_cannot_be_generated`:
//! no JPEG encoder is linked. Any other extension is an unrouted path (`405`). Box's `202`
//! (still generating) is never sent: thumbnails are made at once.
//!
//! # Metadata
//! Templates (<https://developer.box.com/guides/metadata/templates/>): `POST
//! /metadata_templates/schema` makes an enterprise template (`201`; `templateKey` derived from
//! `displayName` when left out; `global` is `403`), `GET|DELETE
//! /metadata_templates/{scope}/{template_key}/schema` reads or deletes one (a delete takes every
//! instance with it), `GET /metadata_templates/enterprise` lists them on one page. The emulator is
//! one enterprise, `enterprise_1`: `enterprise` and `enterprise_1` name it in a path, another
//! `enterprise_<id>` has no templates. `global.properties` is always there and takes any keys
//! with string or number values.
//!
//! Instances (<https://developer.box.com/guides/metadata/instances/>): `POST|GET|PUT|DELETE
//! /files/{id}/metadata/{scope}/{template_key}` and `GET /files/{id}/metadata` (all, `{"entries",
//! "limit": 100}`), the same under `/folders/{id}` (folder `0` is `405`). A create's values are
//! checked against the template's field types (`float` a number, `date` RFC 3339, `enum` and
//! `multiSelect` among the options) and echoed as sent; a reply carries `$parent`, `$template`,
//! `$scope` (long form), `$version` (0, then one more per update), `$id`, `$type`
//! (`<key>-<template id>`), `$typeVersion` and `$canEdit`. `PUT` takes a JSON Patch (RFC 6902:
//! `add`, `replace`, `remove`, `test`, `move`, `copy`; top-level paths, `~0`/`~1` escapes),
//! applied whole or not at all, the result checked against the template. box_sdk_gen sends no
//! body for `{}`: no body makes an instance without values. An instance goes with its item's
//! purge and stays through the trash (unreachable, `404 trashed`, until restored).
//! `GET /files/{id}` and `GET /folders/{id}` with `fields=metadata.<scope>.<templateKey>` add
//! `"metadata": {"<scope>": {"<templateKey>": instance}}` under the names asked for; an instance
//! the item lacks is left out (Box does not say whether it is left out or `null`).
//!
//! Errors: an unknown template `404 instance_tuple_not_found`, a second instance `409
//! tuple_already_exists` ("Conflict on Metadata Instance."), a value that does not fit `400
//! schema_validation_failed`, a failed `test` `409 failed_json_patch_application`, all in the
//! metadata service's own body `{"message", "code", "request_id"}`
//! (<https://github.com/box/box-openapi/issues/393>); no instance `404 instance_not_found`, a bad
//! patch (not an array, an unknown `op`, a path with no value) `400 bad_request`, a bad scope
//! `400 bad_request`, a taken template key `409 conflict`, in Box's envelope. The emulator's
//! bounds: 500 templates, 100 fields a template, 200 options a field, 100 instances an item
//! (Box's), 100 keys in `global.properties`, 4096 characters in a key, name or string value,
//! 100 operations in a patch.
//!
//! # Comments
//! `POST /comments` with `{"message", "item": {"type": "file", "id"}}` comments on a file and
//! answers `201` with the comment (<https://developer.box.com/reference/post-comments/>);
//! `"type": "comment"` replies to that comment, and the reply's `item` names the file, with
//! `is_reply_comment: true` (box-node-sdk's `post_comments_reply_200.json` fixture). A
//! `tagged_message` (`@[user_id:name]` mentions) is kept as sent and shown in `message` with
//! each mention as its name; only `fields=tagged_message` shows it. `GET /files/{id}/comments`
//! lists a file's comments, replies included, oldest first (offset paging, 100 to a page by
//! default, as box_sdk_gen's `test/comments.py` reads them); `GET`, `PUT` (`message`) and
//! `DELETE /comments/{id}` read, edit (moving `modified_at`) and delete one, after which it is
//! `404`. A file's `comment_count` (`fields=comment_count`) counts them. A comment belongs to
//! its file: another user's, one on a file in the trash and one whose file was purged are `404
//! not_found`, as an unknown id is; a purge or a user reset drops them. No `message` (nor
//! `tagged_message`), an empty one, one over 10000 characters (Box publishes no limit; this one
//! bounds what the store keeps), no `item` or an `item.type` other than `file` or `comment` is
//! `400 bad_request` naming the key. Not emulated: the `409 recent_similar_comment` Box may
//! answer a near-duplicate. Making, editing and deleting a comment log `COMMENT_CREATE`,
//! `COMMENT_EDIT` and `COMMENT_DELETE` events and fire the `COMMENT.CREATED`, `COMMENT.UPDATED`
//! and `COMMENT.DELETED` webhook triggers on the file and the folders above it, the comment as
//! `source`. Comments are in the state export and load from fixtures (`crate::fixture`).
//!
//! # Tasks
//! `POST /tasks` with `{"item": {"type": "file", "id"}}` makes a task on a file and answers
//! `201` (<https://developer.box.com/reference/post-tasks/>), with the spec's defaults for what
//! is left out: `action` `review` (or `complete`), `message` `""`, `due_at` `null`,
//! `completion_rule` `all_assignees` (or `any_assignee`). `GET`, `PUT` (any of those four keys;
//! the others keep their values) and `DELETE /tasks/{id}` read, change and delete one (its
//! assignments go with it); `GET /files/{id}/tasks` lists a file's, oldest first, as `{total_count,
//! entries}` without paging, as the spec says. A task shows its file as a `File--Mini` and its
//! assignments in `task_assignment_collection`
//! (<https://developer.box.com/reference/resources/task/>).
//!
//! `POST /task_assignments` with `{"task": {"type": "task", "id"}, "assign_to": {"id"}}` (or
//! `{"login"}`; `id` wins) assigns it to any user the emulator knows and answers `201`
//! (<https://developer.box.com/reference/post-task-assignments/>): `incomplete`, with the task's
//! message, `reminded_at` `null` (no reminders are sent). `PUT /task_assignments/{id}` with
//! `message` and `resolution_state` is the assignee's answer: `approved` or `rejected` for a
//! review, `completed` for a completion, `incomplete` for either (the guide's table,
//! <https://developer.box.com/guides/tasks/create>); leaving `incomplete` sets `completed_at`.
//! Anyone else is `403 access_denied_insufficient_permissions`, and a state the action does not
//! have `400 bad_request` naming `resolution_state`. `GET` and `DELETE /task_assignments/{id}`
//! and `GET /tasks/{id}/assignments` (`{total_count, entries}`, oldest first) complete them. A
//! task's `is_completed` follows its rule: every assignee (and at least one) has answered, or any
//! one has; a rejection counts as an answer (Box does not say).
//!
//! A task belongs to its file: another user's, one on a file in the trash and one whose file
//! was purged are `404 not_found`, as an unknown id is; a purge or a user reset drops them and
//! their assignments. An unknown file or user to assign is `404`; a bad `action`,
//! `completion_rule`, `due_at` (not RFC 3339) or `resolution_state` is `400 bad_request` naming
//! the key. Box's spec answers `500` for an assignee it cannot resolve; a `404` says what was
//! wrong. Bounds (Box publishes none): 10000 characters in a message, 1000 tasks on a file and
//! 1000 assignments on a task. An assignment made and one answered (or its message changed) are
//! `TASK_ASSIGNMENT_CREATE` and `_UPDATE` events in the `all` stream and fire the
//! `TASK_ASSIGNMENT.CREATED` and `.UPDATED` webhooks, with the assignment as `source`. Not
//! emulated: the `403` on assigning a completed task, reminders. Tasks and their assignments are
//! in the state export
//! and load from fixtures (`crate::fixture`).
//!
//! # Zip downloads
//! `POST /zip_downloads` with `{"items": [{"type": "file"|"folder", "id"}],
//! "download_file_name"}` checks every item and answers `202` with `download_url`,
//! `status_url`, `expires_at` and `name_conflicts`
//! (<https://developer.box.com/reference/post-zip-downloads/>). Both URLs are absolute on the
//! emulator's own origin (`http::origin`), as box_sdk_gen follows them as given:
//! `download_url` is `/_content/zip/{token}` (`crate::download::zip`, Box's `dl.boxcloud.com`),
//! `status_url` `/2.0/zip_downloads/{token}/status`; the token is signed, so it cannot be
//! guessed. `GET download_url` needs no token and streams the archive once,
//! `application/octet-stream` with `Content-Disposition: attachment;filename="{name}.zip";
//! filename*=UTF-8''{name}.zip` (the spec of `GET /zip_downloads/{id}/content`), until
//! `expires_at`, 15 minutes on the emulator's clock (Box says "a few seconds"); a second read,
//! or one after expiry, is a bare `404`. A folder brings its whole tree, empty folders included
//! (`Folder/`, `Folder/Sub/`); only files count. The archive holds the bytes the files had when
//! the download was made, in stored (uncompressed) entries. `GET status_url` is `404` before
//! the download starts (as Box says), then `{total_file_count, downloaded_file_count,
//! skipped_file_count: 0, skipped_folder_count: 0, state}` for 12 hours, to the user who made it.
//!
//! Items named alike (ignoring case) are each renamed to six hex digits from their id keeping a
//! file's extension (`Report.pdf` as `3aa6a7.pdf`, as in Box's example), and listed together as
//! one entry of `name_conflicts` (`[]` without a clash). No `items`, an empty list, the root
//! `0`, a type other than `file` or `folder`, or a `download_file_name` that is empty, over 255
//! characters or holds `/`, `\` or a control character is `400 bad_request`; more than 10,000
//! files (items, or files under the folders) `400 zip_download_file_count_exceeded_limit`; an
//! unknown, trashed or another user's item `404` (Box answers `403` for an item the caller may
//! not reach; here another user's items are as absent as everywhere else). An item a live
//! collaboration opens to the caller is zipped from its owner's tree when the role may
//! download it (viewer and up), else `403 access_denied_insufficient_permissions`. Without
//! `download_file_name` the archive is `download.zip` (Box does not say). A user has at most 100
//! downloads made and not yet read (`429 user_too_many_concurrent_downloads`, Box's code for its
//! own limit of 5 parallel downloads). Zip downloads are not part of the store: a reset forgets
//! them, and no fixture carries them.
//!
//! # Listing a folder
//! `GET /2.0/folders/{id}/items` lists a folder's children: folders first, then files, each
//! group by `sort` (`name`, the default, compared case-insensitively; `id`; `date`, the last
//! modification; `size`, a folder's whole tree) in `direction` (`ASC`, the default, or `DESC`),
//! equal keys then by name. Entries are mini objects (a file's `type, id, file_version,
//! sequence_id, etag, sha1, name`; a folder's `type, id, sequence_id, etag, name`); with
//! `fields`, `type, id, etag` plus the names asked for. Offset paging by default (`offset`,
//! `limit` 100 by default, clamped to 1000; reply `total_count, entries, offset, limit, order`);
//! marker paging with `usemarker=true` (`marker`; reply `entries, limit, next_marker`, `null` on
//! the last page). `GET /2.0/folders/{id}` embeds the first page as `item_collection`, shaped
//! by the same `offset`, `limit`, `sort` and `direction`. Query booleans may be written `true`
//! or `True` (box_sdk_gen), and `usemarker` also `useMarker` (legacy boxsdk).
//!
//! ```sh
//! curl -s -H "$AUTH" "$R/2.0/folders/0/items?limit=2&sort=size&direction=DESC"
//! curl -s -H "$AUTH" "$R/2.0/folders/0/items?usemarker=true&limit=2"   # then &marker=<next_marker>
//! ```
//!
//! A bad `limit` or `offset` is `400 invalid_limit`/`invalid_offset`, an offset above 10000, a
//! bad `marker`, `sort`, `direction` or `usemarker` `400 bad_request` naming the parameter; a
//! folder that is not there (or is a file, or in the trash) `404`.

//! # Events
//! `GET /2.0/events` (stream positions, `stream_type`, `limit`) and its long poll
//! (`OPTIONS /2.0/events` hands out a URL on the emulator; a `GET` there answers `new_change` or
//! `reconnect`) read the store's change log; `routes/events.rs` says what each answers.
//! # Search
//! `GET /2.0/search?query=…` finds the caller's files and folders outside the trash whose names
//! have a word starting with a word of `query` (any case; several words mean any of them), at
//! once, in name order then by id, narrowed by `type`, `file_extensions`, `ancestor_folder_ids`
//! (at any depth; a folder collaborated to the caller too) and `content_types` (only `name` is held, so without it nothing is found);
//! offset paging (`limit` 30 by default, up to 200); standard objects, or cut to `fields`;
//! `include_recent_shared_links=true` wraps each as a `search_result` (no link a user opened is
//! recorded, so `accessible_via_shared_link` is `null`). `mdfilters` (one template's filter:
//! equal values, any-of lists, inclusive `{"gt", "lt"}` ranges) keeps items whose instance of
//! the template passes it, and then `query` may be left out; `routes/search.rs` says what it
//! matches and refuses. The date, size and user filters, and a `trash_content`, `scope` or
//! `sort` other than the default are refused (`400` naming the parameter) rather than answered
//! with a wider result; an ancestor folder that is not there is `404`.
//!
//! # Recent items
//! `GET /2.0/recent_items` lists the files the caller changed lately, one entry per file with
//! its latest interaction (`item_upload` for a new file or copy, `item_comment` for a comment,
//! `item_modify` for any other change, a metadata instance's too), newest first, at most 1000 files or 90 days back on the
//! emulator's clock, read from the change log; downloads are not logged, so `item_open` and
//! `item_preview` never show, and files in the trash or gone drop out. Marker paging (`limit`
//! 100 by default, at most 1000); each `item` a standard file or cut to `fields`.
//! `routes/recent_items.rs` has the details.
//!
//! # Collections
//! Each user has one collection, Favorites, with an id of their own (`GET /2.0/collections`, `GET
//! /2.0/collections/{id}`); `PUT /files/{id}` or `/folders/{id}` with `{"collections": [{"id":
//! …}]}` puts the item in it, `[]` takes it out (neither moves the etag), and `GET
//! /2.0/collections/{id}/items` pages what is in it that the caller still reaches, outside the
//! trash, folders first and then by name. Another id is `404` in the path and `400 bad_request`
//! in an update. `routes/collections.rs` has the details.
//!
//! # Shared links
//! One per file or folder (not the root), set with `PUT /files/{id}?fields=shared_link` (or
//! `/folders/{id}`): `{"shared_link": {}}` makes one with the defaults (`open`, downloadable),
//! `access` (`open`, `company`, `collaborators`), `password` (eight characters or more with a
//! digit, an upper-case letter or a symbol; `null` removes it; only on `open` links, and
//! dropped when access leaves `open`), `unshared_at` (in the future) and `permissions`
//! (`can_download` only with `open` or `company`, `can_edit` only on a file that can be
//! downloaded, `can_preview` always true) change it, keys left out keep their values, and
//! `{"shared_link": null}` removes it; making one again gives a new URL. Each change moves the
//! item's etag. The reply's `shared_link` (also in every standard file and folder, and
//! `is_accessible_via_shared_link`) has `url`, an absolute `/_share/{token}` on the emulator
//! signed like Graph's sharing links, and for a file `download_url` (`…/download`): both open the
//! current bytes without a token (`download_url` only with `can_download`; a password link
//! wants `BoxApi: shared_link_password=…`, else `403`), and `404` once the link is gone.
//! `GET /2.0/shared_items` with `BoxApi: shared_link=<url>[&shared_link_password=<pw>]` (raw or
//! percent-encoded) answers the file or folder to any user holding the link: `403
//! incorrect_shared_item_password`, `404` for a link unknown, removed, expired, in the trash or
//! not for the caller (`company` opens to every signed-in user, `collaborators` to the owner
//! alone), `400` without the header. Choices where Box does not say: an expired link reads as
//! `shared_link: null`; a trashed item keeps its link, which opens nothing until the item is
//! restored; `vanity_name` is refused (`400`: no vanity URL is served); `effective_access` and
//! `effective_permission` are the link's own; `download_count` and `preview_count` stay `0`;
//! links are kept by the durable store and dropped by a reset, but not in fixtures or the
//! state export (as Graph's permissions are not).
//!
//! # Users, app users and `As-User`
//! `GET /users/me` and `GET /users/{id}` answer Box's standard user object (`fields` cuts it to
//! the mini set plus the names asked, full ones among them: `role`, `is_platform_access_only`,
//! `enterprise`, …); a deleted user is `404`. The admin endpoints
//! (<https://developer.box.com/reference/post-users/> and siblings) answer an admin: an app's
//! service account (an enterprise-subject client-credentials or JWT token, `oauth`) or a user
//! whose `role` is `admin` or `coadmin` (a fixture user's `role`, or `PUT /users/{id}`); anyone
//! else gets `403 access_denied_insufficient_permissions`.
//!
//! - `POST /users` (`201`): `{"name", "is_platform_access_only": true}` makes an app user with a
//!   login in Box's form, `AppUser_{id}_{10 characters}@boxdevedition.com`
//!   (<https://developer.box.com/guides/authentication/user-types/app-users/>; the id stands in
//!   for the app's service id); otherwise a managed user with `login` (an email address; one
//!   another live user has, case aside, is `409 user_login_already_used`). Ids are digits, the
//!   same for the same calls in the same order. The new user signs in through client
//!   credentials or JWT with `box_subject_type=user` and their id, sign-in closed or not.
//! - `GET /users`: live users by id with `offset`/`limit` (default 100), `filter_term` (the
//!   start of the name or login, case aside), `user_type` (`all` and `managed` are everyone: the
//!   emulator is one enterprise; `external` nobody), `fields`; `usemarker=true` is refused.
//! - `PUT /users/{id}`: `name`, `role` (`user`, `coadmin`), `status` (`active`, `inactive`,
//!   `cannot_delete_edit`, `cannot_delete_edit_upload`: kept and shown, it does not stop
//!   sign-in), `job_title`, `phone`, `address` (`""` clears). The login is not changed; every
//!   other key Box takes (`language`, `timezone`, `space_amount`, `tracking_codes`, …) is refused
//!   whole (`400 bad_request`) unless it asks for what every user shows (`"en"`, `"UTC"`, `[]`,
//!   …) or is `null`. A renamed user acts under the new name from the next request on, and every
//!   user mini that names them shows it, on what they did before too (items, versions,
//!   comments, tasks, locks, collaborations, webhook bodies): a mini refers to the user, looked
//!   up when the reply is written (`crate::names`). The Graph face's identity sets
//!   (`createdBy`, `lastModifiedBy`, …) show the new name the same way.
//! - `DELETE /users/{id}` (`204`, `force`, `notify`): removes the user's files and folders on both
//!   faces. Without `force=true` a user who owns any is refused: Box documents no code, and the
//!   emulator answers `400 bad_request` naming `force`. Their collaborations on others' items go
//!   in the same change (no event: Box documents none for this). A deleted user stays known as
//!   the author of what they did elsewhere, but is found nowhere, lists nowhere, and their tokens
//!   get `401`.
//!   An admin deleting themselves is `403` (so that an app cannot lock itself out).
//! - `As-User: {user id}` on any request
//!   (<https://developer.box.com/guides/authentication/jwt/as-user/>): an admin (as above) acts
//!   as that user: their folder `0`, their files, and they are the author of every change and
//!   the journal's `user` (its `app` still names the client). A non-admin is `403
//!   access_denied_insufficient_permissions`; an unknown or deleted user `404 not_found` (Box
//!   does not document this one).
//!
//! Made users, their profile and deletions are kept by the durable store and are in a state
//! export (the fixture's `users` take `role`, `app_user`, `status`, `job_title`, `phone`,
//! `address`, `deleted`), and they appear on the admin page's users list.
//!
//! # Large files: chunked upload sessions
//! `POST /api/2.0/files/upload_sessions` (`folder_id`, `file_size`, `file_name`) and
//! `POST /api/2.0/files/{id}/upload_sessions` (`file_size`, optional `file_name` to rename), also
//! under `/2.0`, with or without `Content-Type`. Limits: at least 20 000 000 bytes
//! (`file_size_too_small` below), `part_size` 8 MiB below 512 MiB and 32 MiB from there, sessions
//! live 7 days on the emulator's clock. The reply's `session_endpoints` are absolute on the host
//! and prefix the client used (plus `plan`, which box_sdk_gen's `upload_big_file_version` calls).
//!
//! ```sh
//! head -c 20000000 /dev/urandom > big.bin; split -b 8388608 -d big.bin part.
//! S=$(curl -s -H "$AUTH" -d '{"folder_id":"0","file_size":20000000,"file_name":"big.bin"}' $R/api/2.0/files/upload_sessions)
//! U=$(echo "$S" | python3 -c 'import json,sys; print(json.load(sys.stdin)["session_endpoints"]["upload_part"])')
//! sha() { echo "sha=$(openssl sha1 -binary "$1" | base64)"; }
//! curl -s -H "$AUTH" -X PUT "$U" -H "Digest: $(sha part.00)" -H 'Content-Range: bytes 0-8388607/20000000' --data-binary @part.00
//! curl -s -H "$AUTH" -X PUT "$U" -H "Digest: $(sha part.01)" -H 'Content-Range: bytes 8388608-16777215/20000000' --data-binary @part.01
//! curl -s -H "$AUTH" -X PUT "$U" -H "Digest: $(sha part.02)" -H 'Content-Range: bytes 16777216-19999999/20000000' --data-binary @part.02
//! P=$(curl -s -H "$AUTH" "$U/parts" | python3 -c 'import json,sys; print(json.dumps({"parts": json.load(sys.stdin)["entries"]}))')
//! curl -s -H "$AUTH" -H "Digest: $(sha big.bin)" -d "$P" "$U/commit"       # 201 {"total_count":1,"entries":[file]}
//! ```
//!
//! - Parts sit on the `part_size` grid (`416 range_not_satisfiable` off it or with another
//!   total), may come in any order and in parallel, and are immutable (`409 range_overlap`); a
//!   `digest` that is not the part's SHA-1 is `412 digest_mismatch`. `GET {U}` is the session
//!   with `num_parts_processed`, `GET {U}/parts` pages with `offset`/`limit`, `DELETE {U}` aborts
//!   (`204`, then `404`).
//! - The commit checks the listed parts (`400 parts_mismatch`, also while parts are missing) and
//!   the whole file's `digest` (`400 digest_mismatch`), then makes exactly one new file or
//!   version; the session then answers `404`, but to `DELETE` (`204`, once). The name is checked when the session is made and again
//!   at commit (`409 item_name_in_use`); an unknown folder or file is `404`.
//! - `POST {U}/plan` answers every part as a miss (the emulator keeps no part cache), so the SDK
//!   uploads them all. `OPTIONS /files/content` (`name`, `parent`, `size`; also with a trailing
//!   slash, as rclone sends it, and the upload is taken there too) and `OPTIONS
//!   /files/{id}/content` answer `200 {"upload_url": …}` or what the upload would get: `404`,
//!   `409`, `400 item_name_invalid`, `400 bad_request` for a `size` that is not a whole number of
//!   bytes, `403 file_size_limit_exceeded` over the largest file taken.
//! - A fault rule may answer a commit with `202` and `retry_after` (no body), which box_sdk_gen
//!   retries. `GET {U}/log` (the session's `log_event`) is the upload log, Box's "URL used to get
//!   the upload log from", whose entries Box does not document: the emulator lists the session's
//!   creation, then each part as it arrived (`{"type": "upload_session_event", "event_type":
//!   "session_created" | "part_uploaded", "created_at", "part"}`), paged with `offset`/`limit`.
//!
//! # A tour with curl
//! Every call above, run as written by the test suite (`tests/api/readme.rs`); `get` picks a
//! field out of a JSON reply:
//!
//! <!-- tested: box curl -->
//! ```sh
//! R=${RESTORE_MOCK_URL:-http://127.0.0.1:8080}; AUTH='Authorization: Bearer any-token'
//! get() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
//! # upload a new file into the root; keep its id, its etag and its first version's id
//! echo one > a.txt
//! U=$(curl -s -H "$AUTH" -F 'attributes={"name":"a.txt","parent":{"id":"0"}}' -F file=@a.txt $R/api/2.0/files/content)
//! F=$(echo "$U" | get '["entries"][0]["id"]'); ETAG=$(echo "$U" | get '["entries"][0]["etag"]')
//! V=$(echo "$U" | get '["entries"][0]["file_version"]["id"]')
//! # a new version (If-Match is optional)
//! echo two > a.txt
//! curl -s -H "$AUTH" -H "If-Match: $ETAG" -F 'attributes={"name":"a.txt"}' -F file=@a.txt $R/2.0/files/$F/content
//! # the file, and its previous versions (newest first; the current one is in file_version)
//! curl -s -H "$AUTH" "$R/2.0/files/$F?fields=name,version_number"
//! curl -s -H "$AUTH" "$R/2.0/files/$F/versions?fields=version_number,sha1&offset=0&limit=100"
//! # trash a version, restore it (PUT as in the spec; POST as in Box's curl sample works too)
//! curl -s -H "$AUTH" -X DELETE $R/2.0/files/$F/versions/$V
//! curl -s -H "$AUTH" -X PUT -d '{"trashed_at": null}' $R/2.0/files/$F/versions/$V
//! # promote the old version to current, then download the current and the old version: "one" twice
//! curl -s -H "$AUTH" -d "{\"type\":\"file_version\",\"id\":\"$V\"}" $R/2.0/files/$F/versions/current
//! curl -sL -H "$AUTH" $R/2.0/files/$F/content
//! curl -sL -H "$AUTH" "$R/2.0/files/$F/content?version=$V"
//! # a folder to upload into
//! curl -s -H "$AUTH" -d '{"name":"Reports","parent":{"id":"0"}}' $R/2.0/folders
//! # who the token is; a new version with no attributes keeps the name
//! curl -s -H "$AUTH" $R/2.0/users/me
//! curl -s -H "$AUTH" -F file=@a.txt $R/2.0/files/$F/content
//! # rename and move (If-Match optional), then the file's own trash: delete, look, restore, purge
//! curl -s -H "$AUTH" -X PUT -d '{"name":"b.txt","parent":{"id":"0"}}' $R/2.0/files/$F
//! curl -s -H "$AUTH" -X DELETE $R/2.0/files/$F
//! curl -s -H "$AUTH" $R/2.0/files/$F/trash; curl -s -H "$AUTH" $R/2.0/folders/trash/items
//! curl -s -H "$AUTH" -X POST -d '{}' $R/2.0/files/$F          # 201, back where it was
//! curl -s -H "$AUTH" -X DELETE $R/2.0/files/$F; curl -s -H "$AUTH" -X DELETE $R/2.0/files/$F/trash
//! ```
//!
//! # Known differences: choices where Box does not say
//! Each is pinned by a test: a new version answers 201; `DELETE` of the current version and
//! promote of the current or a trashed version answer 400 `bad_request` naming
//! `file_version_id`; a restore with an empty body or `{}` returns the version unchanged;
//! restoring a version that is not trashed returns it unchanged; an unrouted path or a
//! non-numeric id in a path answers 405 `method_not_allowed`; `fields` returns the requested
//! fields plus `type`, `id` (and `etag` for files); a trashed version's `purged_at` is 30 days
//! after `trashed_at`; trashing and restoring do not change the file's etag; `?version=` of a
//! trashed version is 404. A listing's marker is the position of the next page (Box's are
//! opaque): it never expires, and an item added or removed between pages may shift the rest by
//! one, as Box warns for its own markers. `fields` on a folder (create, read, update) keeps `type`, `id`, `etag` and
//! the fields named (`item_collection` among them). The full-only fields of files and folders
//! (`permissions`, `tags`, `is_externally_owned`, `has_collaborations`, `lock`, `sync_state`,
//! `allowed_invitee_roles`, …) say what the model holds: the caller owns all, everything is
//! allowed but deleting, renaming or sharing the root; `has_collaborations` says whether a
//! collaboration is set on the item; `tags` and `lock` are what was set.

mod change_source;
mod errors;
mod extract;
mod fields;
mod full_fields;
mod layer;
mod model;
mod multipart;
mod oauth;
mod paging;
mod reach;
mod restriction;
mod routes;
pub(crate) mod shared_link;
pub(crate) mod webhooks;
pub(crate) mod zip_downloads;

use axum::routing::{any, get, post};
use axum::{middleware, Router};

use crate::state::AppState;
use errors::BoxApiError;
use routes::{
    collaborations, collections, comments, copy, events, files, folder_items, folders, metadata,
    recent_items, search, sessions, shared_links, thumbnails, trash, uploads, users, versions,
    webhooks as hooks,
};
use routes::{tasks, zip_downloads as zips};

/// Every Box route. The SDKs append `/2.0/…` to their API root and to their upload root, which
/// ends in `/api`
/// (<https://github.com/box/box-python-sdk/blob/main/box_sdk_gen/networking/base_urls.py>), so
/// uploads are served under both prefixes.
pub(crate) fn router(state: AppState) -> Router<AppState> {
    let mut router = Router::new()
        .route(
            "/2.0/files/{file_id}",
            get(files::get_file)
                .put(files::update_file)
                .delete(trash::delete_file)
                .post(trash::restore_file),
        )
        .route("/2.0/files/{file_id}/copy", post(copy::copy_file))
        .route("/2.0/folders/{folder_id}/copy", post(copy::copy_folder))
        .route(
            "/2.0/files/{file_id}/trash",
            get(trash::get_trashed_file).delete(trash::purge_file),
        )
        .route(
            "/2.0/files/{file_id}/content",
            get(files::download_file)
                .post(uploads::upload_version)
                .options(sessions::preflight_version),
        )
        // The format is part of the last segment, so each is its own route; another extension
        // is an unrouted path (405), as Box answers a misspelled one.
        .route(
            "/2.0/files/{file_id}/thumbnail.png",
            get(thumbnails::get_png_thumbnail),
        )
        .route(
            "/2.0/files/{file_id}/thumbnail.jpg",
            get(thumbnails::get_jpg_thumbnail),
        )
        .route(
            "/2.0/files/{file_id}/versions",
            get(versions::list_versions),
        )
        .route(
            "/2.0/files/{file_id}/versions/current",
            post(versions::promote_version),
        )
        .route(
            "/2.0/files/{file_id}/versions/{file_version_id}",
            get(versions::get_version)
                .delete(versions::trash_version)
                // PUT is the method of Box's specification and SDKs; POST the one of its
                // published curl sample, which users copy
                // (https://developer.box.com/reference/put-files-id-versions-id/).
                .put(versions::restore_from_trash)
                .post(versions::restore_from_trash),
        )
        .route("/2.0/comments", post(comments::create_comment))
        .route(
            "/2.0/comments/{comment_id}",
            get(comments::get_comment)
                .put(comments::update_comment)
                .delete(comments::delete_comment),
        )
        .route(
            "/2.0/files/{file_id}/comments",
            get(comments::list_comments),
        )
        .route("/2.0/tasks", post(tasks::create_task))
        .route(
            "/2.0/tasks/{task_id}",
            get(tasks::get_task)
                .put(tasks::update_task)
                .delete(tasks::delete_task),
        )
        .route(
            "/2.0/tasks/{task_id}/assignments",
            get(tasks::list_task_assignments),
        )
        .route("/2.0/files/{file_id}/tasks", get(tasks::list_file_tasks))
        .route("/2.0/task_assignments", post(tasks::create_task_assignment))
        .route(
            "/2.0/task_assignments/{task_assignment_id}",
            get(tasks::get_task_assignment)
                .put(tasks::update_task_assignment)
                .delete(tasks::delete_task_assignment),
        )
        .route("/2.0/zip_downloads", post(zips::create_zip_download))
        .route(
            "/2.0/zip_downloads/{zip_download_id}/status",
            get(zips::get_zip_download_status),
        )
        .route("/2.0/folders", post(folders::create_folder))
        .route(
            "/2.0/folders/{folder_id}",
            get(folders::get_folder)
                .put(folders::update_folder)
                .delete(trash::delete_folder)
                .post(trash::restore_folder),
        )
        .route(
            "/2.0/folders/{folder_id}/items",
            get(folder_items::list_items),
        )
        .route(
            "/2.0/folders/{folder_id}/trash",
            get(trash::get_trashed_folder).delete(trash::purge_folder),
        )
        .route("/2.0/folders/trash/items", get(trash::list_trash))
        .route(
            "/2.0/webhooks",
            get(hooks::list_webhooks).post(hooks::create_webhook),
        )
        .route(
            "/2.0/webhooks/{webhook_id}",
            get(hooks::get_webhook)
                .put(hooks::update_webhook)
                .delete(hooks::delete_webhook),
        )
        .route(
            "/2.0/events",
            get(events::list_events).options(events::realtime_servers),
        )
        .route("/2.0/events/realtime", get(events::long_poll))
        .route(
            "/2.0/metadata_templates/schema",
            post(metadata::create_template),
        )
        .route(
            "/2.0/metadata_templates/{scope}",
            get(metadata::list_templates),
        )
        .route(
            "/2.0/metadata_templates/{scope}/{template_key}/schema",
            get(metadata::get_template).delete(metadata::delete_template),
        )
        .route(
            "/2.0/files/{file_id}/metadata",
            get(metadata::list_file_instances),
        )
        .route(
            "/2.0/files/{file_id}/metadata/{scope}/{template_key}",
            get(metadata::get_file_instance)
                .post(metadata::create_file_instance)
                .put(metadata::update_file_instance)
                .delete(metadata::delete_file_instance),
        )
        .route(
            "/2.0/folders/{folder_id}/metadata",
            get(metadata::list_folder_instances),
        )
        .route(
            "/2.0/folders/{folder_id}/metadata/{scope}/{template_key}",
            get(metadata::get_folder_instance)
                .post(metadata::create_folder_instance)
                .put(metadata::update_folder_instance)
                .delete(metadata::delete_folder_instance),
        )
        .route(
            "/2.0/collaborations",
            get(collaborations::list_pending).post(collaborations::create_collaboration),
        )
        .route(
            "/2.0/collaborations/{collaboration_id}",
            get(collaborations::get_collaboration)
                .put(collaborations::update_collaboration)
                .delete(collaborations::delete_collaboration),
        )
        .route(
            "/2.0/files/{file_id}/collaborations",
            get(collaborations::list_file_collaborations),
        )
        .route(
            "/2.0/folders/{folder_id}/collaborations",
            get(collaborations::list_folder_collaborations),
        )
        .route("/2.0/search", get(search::search))
        .route("/2.0/recent_items", get(recent_items::get_recent_items))
        .route("/2.0/collections", get(collections::list_collections))
        .route(
            "/2.0/collections/{collection_id}",
            get(collections::get_collection),
        )
        .route(
            "/2.0/collections/{collection_id}/items",
            get(collections::list_collection_items),
        )
        .route("/2.0/shared_items", get(shared_links::find_shared_item))
        .route("/2.0/users/me", get(users::get_user_me))
        .route(
            "/2.0/users/{user_id}",
            get(users::get_user)
                .put(users::update_user)
                .delete(users::delete_user),
        )
        .route(
            "/2.0/users",
            get(users::list_users).post(users::create_user),
        )
        .route(
            "/2.0/files/content",
            post(uploads::upload_file).options(sessions::preflight_file),
        )
        .route(
            "/api/2.0/files/content",
            post(uploads::upload_file).options(sessions::preflight_file),
        )
        .route(
            "/api/2.0/files/{file_id}/content",
            post(uploads::upload_version).options(sessions::preflight_version),
        );
    // rclone sends its upload preflight with a trailing slash (`preUploadCheck` in
    // https://github.com/rclone/rclone/blob/master/backend/box/box.go), and Box answers it as
    // without; the upload itself is taken both ways on both prefixes, as its preflight names it.
    for prefix in ["/2.0", "/api/2.0"] {
        router = router.route(
            &format!("{prefix}/files/content/"),
            post(uploads::upload_file).options(sessions::preflight_file),
        );
    }
    // Chunked uploads: the SDKs use the upload root (`/api/2.0`), curl users often `/2.0`.
    for prefix in ["/2.0", "/api/2.0"] {
        let session = format!("{prefix}/files/upload_sessions/{{upload_session_id}}");
        router = router
            .route(
                &format!("{prefix}/files/upload_sessions"),
                post(sessions::create_file_session),
            )
            .route(
                &format!("{prefix}/files/{{file_id}}/upload_sessions"),
                post(sessions::create_version_session),
            )
            .route(
                &session,
                get(sessions::get_session)
                    .put(sessions::upload_part)
                    .delete(sessions::abort_session),
            )
            .route(&format!("{session}/parts"), get(sessions::list_parts))
            .route(&format!("{session}/log"), get(sessions::upload_log))
            .route(&format!("{session}/commit"), post(sessions::commit_session))
            .route(&format!("{session}/plan"), post(sessions::plan_session));
    }
    // The app's own fallback answers as Graph, so the face claims its prefixes itself.
    for prefix in ["/2.0", "/api/2.0"] {
        for path in [
            prefix.to_owned(),
            format!("{prefix}/"),
            format!("{prefix}/{{*rest}}"),
        ] {
            router = router.route(&path, any(unrouted));
        }
    }
    // The token routes carry no bearer token: they stay outside the admission layer and admit
    // themselves (`oauth`).
    router
        .method_not_allowed_fallback(unrouted)
        .layer(middleware::from_fn_with_state(
            state,
            layer::admit_and_render,
        ))
        .merge(oauth::router())
}

/// A path or method Box does not route. Real Box answers a misspelled path with 405, not 404, and
/// no `context_info` (<https://github.com/box/box-python-sdk-gen/issues/432>).
async fn unrouted() -> BoxApiError {
    BoxApiError::MethodNotAllowed
}
