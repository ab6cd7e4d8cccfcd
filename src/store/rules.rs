//! The rules every store applies the same way, whatever holds its state: which names are valid,
//! the case-insensitive key names are compared by, the free name `rename` picks, the MIME type
//! a file gets when the upload names none, and walking a path down to its folder.

use super::StoreError;

/// The key a name is indexed by: both services treat names case-insensitively.
pub fn name_key(name: &str) -> String {
    name.to_lowercase()
}

/// Names both services refuse: empty, too long, path separators and the reserved characters
/// OneDrive lists (`/ \ * < > ? : |` and `"`), and the dot names.
pub fn validate_name(name: &str) -> Result<(), StoreError> {
    let reason = if name.trim().is_empty() {
        Some("the name is empty")
    } else if name.chars().count() > 255 {
        Some("the name is longer than 255 characters")
    } else if name == "." || name == ".." {
        Some("the name is reserved")
    } else if name.chars().any(|c| {
        matches!(c, '/' | '\\' | '*' | '<' | '>' | '?' | ':' | '|' | '"') || c.is_control()
    }) {
        Some("the name contains a character that is not allowed")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(StoreError::InvalidName(format!("{name:?}: {reason}"))),
        None => Ok(()),
    }
}

/// The first of `name`, `stem 1.ext`, `stem 2.ext`, … that `taken` says is free.
pub fn free_name(name: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(name) {
        return name.to_owned();
    }
    let (stem, ext) = match name.rfind('.') {
        Some(dot) if dot > 0 => name.split_at(dot),
        _ => (name, ""),
    };
    (1u64..)
        .map(|n| format!("{stem} {n}{ext}"))
        .find(|candidate| !taken(candidate))
        .expect("some number is free")
}

/// The MIME type of a file whose upload named none, from its extension.
pub fn guess_mime_type(name: &str) -> String {
    let ext = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase());
    match ext.as_deref() {
        Some("txt") => "text/plain",
        Some("json") => "application/json",
        Some("html" | "htm") => "text/html",
        Some("csv") => "text/csv",
        Some("md") => "text/markdown",
        Some("pdf") => "application/pdf",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
    .to_owned()
}

/// What a path segment names, as `walk` asks a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry<Id> {
    Folder(Id),
    File(Id),
    Missing,
}

/// Where a walk down a path of folders ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Walk<Id> {
    /// The deepest folder that exists.
    pub folder: Id,
    /// The segments below `folder` that name no item yet, in order: folders to make.
    pub missing: Vec<String>,
}

/// Walks `segments` (folders only) down from `base`, asking `entry` what each names. A file on
/// the way is `NotAFolder`; a missing folder is `ItemNotFound` unless `create` allows making it,
/// in which case it and everything after it are returned as `missing`, changing nothing.
pub fn walk<Id: Copy>(
    base: Id,
    segments: &[String],
    create: bool,
    entry: impl Fn(Id, &str) -> Entry<Id>,
) -> Result<Walk<Id>, StoreError> {
    let mut folder = base;
    for (i, segment) in segments.iter().enumerate() {
        match entry(folder, segment) {
            Entry::Folder(child) => folder = child,
            Entry::File(_) => return Err(StoreError::NotAFolder),
            Entry::Missing if create => {
                return Ok(Walk {
                    folder,
                    missing: segments[i..].to_vec(),
                })
            }
            Entry::Missing => return Err(StoreError::ItemNotFound),
        }
    }
    Ok(Walk {
        folder,
        missing: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_names_number_the_stem_and_keep_the_extension() {
        let taken = ["a.txt", "a 1.txt", ".env", "noext"];
        let is_taken = |name: &str| taken.contains(&name);
        assert_eq!(free_name("b.txt", is_taken), "b.txt");
        assert_eq!(free_name("a.txt", is_taken), "a 2.txt");
        assert_eq!(free_name(".env", is_taken), ".env 1");
        assert_eq!(free_name("noext", is_taken), "noext 1");
    }

    #[test]
    fn a_walk_stops_at_the_first_missing_folder_or_refuses_a_file() {
        // Folder 1 holds folder 2 ("a") and file 3 ("f").
        let entry = |folder: u8, name: &str| match (folder, name) {
            (1, "a") => Entry::Folder(2),
            (1, "f") => Entry::File(3),
            _ => Entry::Missing,
        };
        let path = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let walked = walk(1, &path(&["a", "b", "c"]), true, entry).unwrap();
        assert_eq!(
            walked,
            Walk {
                folder: 2,
                missing: path(&["b", "c"])
            }
        );
        assert!(matches!(
            walk(1, &path(&["a", "b"]), false, entry),
            Err(StoreError::ItemNotFound)
        ));
        assert!(matches!(
            walk(1, &path(&["f", "b"]), true, entry),
            Err(StoreError::NotAFolder)
        ));
    }
}
