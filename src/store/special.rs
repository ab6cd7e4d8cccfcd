//! Special folders: the folders Graph names by role (`/drive/special/{name}`,
//! <https://learn.microsoft.com/en-us/graph/api/drive-get-specialfolder>), each at a fixed path
//! below a drive's root. The emulator keeps no alias: a special folder is whatever folder is at
//! its path, so one the user renames or moves stops being it (the service keeps the alias).

/// A special folder, by the name Graph gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecialFolder {
    /// The application's own folder, `Apps/{application}`; made by any access.
    AppRoot,
    Documents,
    Photos,
    CameraRoll,
    Music,
    Desktop,
    Recordings,
}

/// The application the app folder is named after: the emulator stands for one app.
pub const APP_FOLDER: &str = "restore-mock";

impl SpecialFolder {
    pub const ALL: [Self; 7] = [
        Self::AppRoot,
        Self::Documents,
        Self::Photos,
        Self::CameraRoll,
        Self::Music,
        Self::Desktop,
        Self::Recordings,
    ];

    /// Its name in URLs and in the `specialFolder` facet.
    pub fn name(self) -> &'static str {
        match self {
            Self::AppRoot => "approot",
            Self::Documents => "documents",
            Self::Photos => "photos",
            Self::CameraRoll => "cameraroll",
            Self::Music => "music",
            Self::Desktop => "desktop",
            Self::Recordings => "recordings",
        }
    }

    /// Where it is below the drive's root: the folder names OneDrive gives them in English.
    pub fn path(self) -> &'static [&'static str] {
        match self {
            Self::AppRoot => &["Apps", APP_FOLDER],
            Self::Documents => &["Documents"],
            Self::Photos => &["Pictures"],
            Self::CameraRoll => &["Pictures", "Camera Roll"],
            Self::Music => &["Music"],
            Self::Desktop => &["Desktop"],
            Self::Recordings => &["Recordings"],
        }
    }

    /// The folder a URL names, case-insensitively.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// The special folder at `path` below a root (names compared case-insensitively), if any.
    pub fn at(path: &[&str]) -> Option<Self> {
        Self::ALL.into_iter().find(|f| {
            f.path().len() == path.len()
                && (f.path().iter().zip(path))
                    .all(|(a, b)| super::rules::name_key(a) == super::rules::name_key(b))
        })
    }
}
