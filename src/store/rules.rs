//! The rules every store applies the same way, whatever holds its state: which names each face's
//! service takes, the case-insensitive key names are compared by, the free name `rename` picks, the MIME type
//! a file gets when the upload names none, how long a path may be, and walking a path down to its
//! folder.

use super::{Face, StoreError};

/// The key a name is indexed by: both services compare names case-insensitively, but neither
/// folds by Unicode compatibility. A character folds to its lowercase only when the two are each
/// other's case (`A`/`a`, `Ä`/`ä`, `Σ`/`σ`); one-way mappings stay themselves, so the Kelvin sign
/// `K` (U+212A), the Ohm sign `Ω`, the Angstrom sign `Å`, the long `ſ` and the dotless `ı` are
/// names of their own, as on the file systems both services sync to (Windows compares names
/// through an up-case table, where `k` becomes `K`, never U+212A).
pub fn name_key(name: &str) -> String {
    if name.is_ascii() {
        return name.to_ascii_lowercase();
    }
    name.chars().map(fold).collect()
}

fn fold(c: char) -> char {
    let mut lower = c.to_lowercase();
    let (Some(lower), None) = (lower.next(), lower.next()) else {
        return c;
    };
    let mut upper = lower.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(back), None) if back == c => lower,
        _ => c,
    }
}

/// The longest name either service takes, in characters.
const MAX_NAME: usize = 255;

/// Refuses a name the face's service refuses, for a file or a folder anywhere.
///
/// Graph, as OneDrive and SharePoint in Microsoft 365 do ("Restrictions and limitations in
/// OneDrive and SharePoint", <https://support.microsoft.com/office/64883a5d-228e-48f5-b3d2-eb39e07630fa>):
/// `" * : < > ? / \ |` anywhere, a leading or trailing space, the names `.lock`, `CON`, `PRN`,
/// `AUX`, `NUL`, `COM0`–`COM9`, `LPT0`–`LPT9` and `desktop.ini`, `_vti_` anywhere, a leading
/// `~$`; `#` and `%` are allowed. Control characters are refused too: the sync clients write
/// names to Windows, which refuses characters 1–31
/// (<https://learn.microsoft.com/windows/win32/fileio/naming-a-file>).
///
/// Box, as its API reference says of `name` (<https://developer.box.com/reference/post-folders/>,
/// <https://developer.box.com/reference/post-files-content/>): no non-printable characters, no
/// `/` or `\`, no trailing space, not `.` or `..`; every other character is allowed.
///
/// Both: not empty, at most 255 characters, and not `.` or `..` (a path segment with a meaning).
pub fn validate_name(face: Face, name: &str) -> Result<(), StoreError> {
    let reason = common_refusal(name).or_else(|| match face {
        Face::Graph => graph_refusal(name),
        Face::Box => box_refusal(name),
    });
    refuse(name, reason)
}

/// What a path spans from a drive's root (or Box's "All Files") down to an item: its levels
/// (`a/b/f.txt` is 3) and its characters, separators included (9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathSpan {
    pub levels: usize,
    pub chars: usize,
}

impl PathSpan {
    /// The path made of `names`, from the top down.
    pub fn of<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let (levels, chars) = (names.into_iter()).fold((0, 0), |(levels, chars), name| {
            (levels + 1, chars + name.chars().count())
        });
        Self {
            levels,
            chars: chars + levels.saturating_sub(1),
        }
    }
}

/// The longest path Graph takes, in characters: "The entire decoded file path, including the
/// file name, can't contain more than 400 characters" in OneDrive and SharePoint (same page as
/// `validate_name`), counted here from the drive's root.
pub const GRAPH_MAX_PATH: usize = 400;

/// How deep Box items may sit below "All Files" here. Box documents no limit; its replies name
/// every folder above an item (`path_collection`), so one page of 1,000 entries at 10,000
/// levels would name ten million folders. No application nests this deep.
pub const BOX_MAX_DEPTH: usize = 500;

/// Refuses a path the face does not take: longer than `GRAPH_MAX_PATH` characters on Graph
/// (whose detailed code for it is `pathIsTooLong`,
/// <https://learn.microsoft.com/onedrive/developer/rest-api/concepts/errors>), deeper than
/// `BOX_MAX_DEPTH` levels on Box.
pub fn check_path(face: Face, span: PathSpan) -> Result<(), StoreError> {
    let fits = match face {
        Face::Graph => span.chars <= GRAPH_MAX_PATH,
        Face::Box => span.levels <= BOX_MAX_DEPTH,
    };
    match fits {
        true => Ok(()),
        false => Err(StoreError::PathTooLong),
    }
}

/// Refuses a folder name the face's service refuses: the rules of `validate_name`, and on Graph
/// two more that SharePoint sets for folders (same page): no `forms` at a drive's root (each
/// library keeps its forms there), and no folder name starting with `~`.
pub fn validate_folder_name(face: Face, name: &str, at_root: bool) -> Result<(), StoreError> {
    validate_name(face, name)?;
    let reason = match face {
        Face::Graph if at_root && name.eq_ignore_ascii_case("forms") => {
            Some("a folder at a drive's root cannot be named forms")
        }
        Face::Graph if name.starts_with('~') => Some("a folder name cannot start with ~"),
        Face::Graph | Face::Box => None,
    };
    refuse(name, reason)
}

fn refuse(name: &str, reason: Option<&str>) -> Result<(), StoreError> {
    match reason {
        Some(reason) => Err(StoreError::InvalidName(format!("{name:?}: {reason}"))),
        None => Ok(()),
    }
}

fn common_refusal(name: &str) -> Option<&'static str> {
    if name.trim().is_empty() {
        Some("the name is empty")
    } else if name.chars().count() > MAX_NAME {
        Some("the name is longer than 255 characters")
    } else if name == "." || name == ".." {
        Some("the name is reserved")
    } else if name
        .chars()
        .any(|c| matches!(c, '/' | '\\') || c.is_control())
    {
        Some("the name contains a character that is not allowed")
    } else {
        None
    }
}

/// The device names Windows reserves, and the files SharePoint keeps for itself.
const GRAPH_RESERVED: &[&str] = &[
    ".lock",
    "CON",
    "PRN",
    "AUX",
    "NUL",
    "COM0",
    "COM1",
    "COM2",
    "COM3",
    "COM4",
    "COM5",
    "COM6",
    "COM7",
    "COM8",
    "COM9",
    "LPT0",
    "LPT1",
    "LPT2",
    "LPT3",
    "LPT4",
    "LPT5",
    "LPT6",
    "LPT7",
    "LPT8",
    "LPT9",
    "desktop.ini",
];

fn graph_refusal(name: &str) -> Option<&'static str> {
    if name
        .chars()
        .any(|c| matches!(c, '"' | '*' | ':' | '<' | '>' | '?' | '|'))
    {
        Some("the name contains a character that is not allowed")
    } else if name.starts_with(' ') || name.ends_with(' ') {
        Some("the name starts or ends with a space")
    } else if GRAPH_RESERVED.iter().any(|r| r.eq_ignore_ascii_case(name)) {
        Some("the name is reserved")
    } else if name.to_ascii_lowercase().contains("_vti_") {
        Some("the name contains _vti_, which SharePoint reserves")
    } else if name.starts_with("~$") {
        Some("the name starts with ~$, which Office keeps for its lock files")
    } else {
        None
    }
}

fn box_refusal(name: &str) -> Option<&'static str> {
    // Box's "non-printable ASCII" is 0-31 and DEL, which `is_control` covered above.
    name.ends_with(' ').then_some("the name ends with a space")
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
    fn names_fold_case_but_not_compatibility_characters() {
        for (a, b, same, why) in [
            ("Report.TXT", "report.txt", true, "ASCII case"),
            ("ÄRGER", "ärger", true, "Latin-1 case"),
            ("ΣΟΦΙΑ", "σοφια", true, "Greek case"),
            ("\u{212A}elvin", "kelvin", false, "the Kelvin sign is not K"),
            ("\u{2126}", "\u{3C9}", false, "the Ohm sign is not omega"),
            (
                "\u{212B}",
                "\u{E5}",
                false,
                "the Angstrom sign is not a-ring",
            ),
            ("\u{17F}", "s", false, "the long s is not s"),
            ("\u{131}", "i", false, "the dotless i is not i"),
            ("\u{FB01}", "fi", false, "a ligature is not its letters"),
            ("stra\u{DF}e", "strasse", false, "sharp s is not ss"),
        ] {
            assert_eq!(name_key(a) == name_key(b), same, "{why}: {a} / {b}");
        }
    }

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
