//! Thumbnails: the sizes Graph names (`small`, `medium`, `large`, their `…Square` forms, and
//! custom `cWxH` / `cWxH_crop`, <https://learn.microsoft.com/en-us/graph/api/driveitem-list-thumbnails>),
//! worked out from an image's own dimensions (read from its header by `imagesize`, nothing
//! decoded), and the image a thumbnail link serves: a PNG of exactly that size, one flat colour,
//! made by `png`. The emulator shows no picture, only the geometry a client lays out with.
//! Box's thumbnails and placeholder are made here too.

use std::borrow::Cow;

/// The largest edge a thumbnail may have: what a client asks for sizes the PNG made, so it is
/// bounded (the service's largest named size is 1920 on the thumbnailSet page).
pub(crate) const MAX_EDGE: u32 = 1920;

/// A size a client names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ThumbnailSize {
    /// The longest edge, the other kept in proportion: `small` 96, `medium` 176, `large` 800.
    Longest(u32),
    /// Exactly this square: `smallSquare`, `mediumSquare`, `largeSquare`.
    Square(u32),
    /// `cWxH`: fits inside the box, in proportion.
    Fit(u32, u32),
    /// `cWxH_crop`: fills the box exactly.
    Crop(u32, u32),
}

/// The sizes a set lists when the request names none, as the docs' sample reply has them.
pub(crate) const DEFAULT_SIZES: [&str; 3] = ["large", "medium", "small"];

impl ThumbnailSize {
    /// The size `name` names, or `None` for a name Graph does not define. Width before height
    /// in custom sizes (the docs' sample is ambiguous; this is what python-o365 assumes).
    pub fn parse(name: &str) -> Option<Self> {
        let named = match name {
            "small" => Some(Self::Longest(96)),
            "medium" => Some(Self::Longest(176)),
            "large" => Some(Self::Longest(800)),
            "smallSquare" => Some(Self::Square(96)),
            "mediumSquare" => Some(Self::Square(176)),
            "largeSquare" => Some(Self::Square(800)),
            _ => None,
        };
        if named.is_some() {
            return named;
        }
        let custom = name.strip_prefix('c')?;
        let (custom, crop) = match custom
            .strip_suffix("_crop")
            .or_else(|| custom.strip_suffix("_Crop"))
        {
            Some(rest) => (rest, true),
            None => (custom, false),
        };
        let (w, h) = custom.split_once('x')?;
        let edge = |s: &str| {
            let digits = !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
            digits
                .then(|| s.parse::<u32>().ok())
                .flatten()
                .filter(|n| (1..=MAX_EDGE).contains(n))
        };
        let (w, h) = (edge(w)?, edge(h)?);
        Some(if crop {
            Self::Crop(w, h)
        } else {
            Self::Fit(w, h)
        })
    }

    /// Width and height for an image of `source` dimensions (a square when they are not known).
    pub fn dimensions(self, source: Option<(u32, u32)>) -> (u32, u32) {
        let (sw, sh) = source.filter(|(w, h)| *w > 0 && *h > 0).unwrap_or((1, 1));
        let scale = |scale: f64| {
            let w = (f64::from(sw) * scale)
                .round()
                .clamp(1.0, f64::from(MAX_EDGE)) as u32;
            let h = (f64::from(sh) * scale)
                .round()
                .clamp(1.0, f64::from(MAX_EDGE)) as u32;
            (w, h)
        };
        match self {
            Self::Longest(edge) => scale(f64::from(edge) / f64::from(sw.max(sh))),
            Self::Square(edge) => (edge, edge),
            Self::Fit(w, h) => {
                scale((f64::from(w) / f64::from(sw)).min(f64::from(h) / f64::from(sh)))
            }
            Self::Crop(w, h) => (w, h),
        }
    }
}

/// An image's width and height, read from its header; `None` when the bytes are not an image
/// format `imagesize` knows.
pub(crate) fn image_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    let size = imagesize::blob_size(bytes).ok()?;
    Some((
        u32::try_from(size.width).ok()?,
        u32::try_from(size.height).ok()?,
    ))
}

/// A `width` × `height` PNG of one grey, both edges at most `MAX_EDGE`.
pub(crate) fn flat_png(width: u32, height: u32) -> Result<Vec<u8>, png::EncodingError> {
    let (width, height) = (width.clamp(1, MAX_EDGE), height.clamp(1, MAX_EDGE));
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header()?;
    let pixels = vec![0xC0u8; (width * height) as usize];
    writer.write_image_data(&pixels)?;
    writer.finish()?;
    Ok(out)
}

/// Where the placeholder thumbnail is served: Box's answer for a file type it makes no
/// thumbnails of is a `302` to a placeholder graphic on its CDN, which needs no token.
pub(crate) const PLACEHOLDER_PATH: &str = "/_content/placeholder.png";

/// The placeholder's edge: the largest PNG thumbnail Box makes.
pub(crate) const PLACEHOLDER_EDGE: u32 = 256;

/// Reads the `thumbnail=WxH` a thumbnail link carries after its token.
pub(crate) fn requested(query: Option<&str>) -> Option<(u32, u32)> {
    let value = query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("thumbnail="))?;
    match ThumbnailSize::parse(&format!("c{}_crop", Cow::from(value)))? {
        ThumbnailSize::Crop(w, h) => Some((w, h)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_read_and_sized_as_graph_names_them() {
        let photo = Some((1200, 800));
        for (name, expected) in [
            ("small", (96, 64)),
            ("medium", (176, 117)),
            ("large", (800, 533)),
            ("smallSquare", (96, 96)),
            ("c300x400", (300, 200)),
            ("c300x400_crop", (300, 400)),
            ("c300x400_Crop", (300, 400)),
        ] {
            let size = ThumbnailSize::parse(name).unwrap();
            assert_eq!(size.dimensions(photo), expected, "{name}");
        }
        assert_eq!(
            ThumbnailSize::parse("small").unwrap().dimensions(None),
            (96, 96)
        );
        for bad in [
            "tiny", "c0x10", "c10", "c10x", "c99999x1", "cx1", "c+1x1", "c1921x1",
        ] {
            assert_eq!(ThumbnailSize::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_png_has_the_size_asked_and_its_own_header_says_so() {
        let bytes = flat_png(30, 20).unwrap();
        assert_eq!(image_dimensions(&bytes), Some((30, 20)));
        assert_eq!(requested(Some("thumbnail=30x20")), Some((30, 20)));
        assert_eq!(requested(Some("thumbnail=0x20")), None);
        assert_eq!(requested(None), None);
    }
}
