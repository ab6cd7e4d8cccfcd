//! What a Box zip download reads (<https://developer.box.com/reference/post-zip-downloads/>):
//! the files and folders named, and for a folder everything below it, with the bytes of each
//! file's current version. The store hands out the bytes it holds (`Arc`s, no copy); the Box
//! face names the entries and writes the archive.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::store::content::Content;
use crate::store::domain::{ItemId, ItemKind};

/// One item named in the request, with what goes into the archive under it.
#[derive(Debug, Clone)]
pub struct ZipItem {
    pub id: ItemId,
    pub kind: ItemKind,
    pub name: String,
    /// When the item (a folder: the folder itself) was last modified.
    pub modified: DateTime<Utc>,
    /// A file item's own bytes (with an empty path), or every file below a folder, each by its
    /// path under the folder (`a/b.txt`), folders before their contents.
    pub files: Vec<ZipFile>,
    /// Every folder below a folder item, by its path under it (an empty one still shows), with
    /// when it was last modified.
    pub folders: Vec<(String, DateTime<Utc>)>,
}

#[derive(Debug, Clone)]
pub struct ZipFile {
    pub path: String,
    pub content: Arc<Content>,
    pub modified: DateTime<Utc>,
}

/// The items named, in the order named, unless they hold more than the limit of files.
#[derive(Debug, Clone)]
pub enum Gathered {
    Items(Vec<ZipItem>),
    /// More files than the limit: the walk stopped there.
    TooManyFiles,
}
