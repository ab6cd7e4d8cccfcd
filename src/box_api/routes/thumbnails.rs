//! `GET /2.0/files/{file_id}/thumbnail.png` and `thumbnail.jpg`
//! (<https://developer.box.com/reference/get-files-id-thumbnail-id/>): the size is the smallest
//! one Box makes in that format (PNG 32, 64, 128, 256; JPG 32, 160, 320, all square) that meets
//! `min_width`/`min_height` and fits `max_width`/`max_height` (each 32 to 320). An image file
//! (an `image/*` type, as the Graph face decides) gets a flat PNG of that size, made by
//! `download::thumbnail`; any other file a `302` to a placeholder PNG on the emulator, as Box
//! answers for a type it has no thumbnails for. No JPEG encoder is linked, so an image asked for
//! as `.jpg` is Box's `404 preview_cannot_be_generated`.

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::box_api::errors::BoxApiError;
use crate::box_api::extract::{BoxQuery, Caller, FilePath};
use crate::download::thumbnail::{flat_png, PLACEHOLDER_PATH};
use crate::http::origin::Origin;
use crate::state::AppState;

/// The square sizes Box serves per format (the spec's operation description).
const PNG_SIZES: [u32; 4] = [32, 64, 128, 256];
const JPG_SIZES: [u32; 3] = [32, 160, 320];
/// The range the spec gives each of the four size parameters.
const PARAM_RANGE: std::ops::RangeInclusive<u32> = 32..=320;

/// The four bounds, read as text so that a bad one is Box's thumbnail error, not a generic 400.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct SizeQuery {
    min_height: Option<String>,
    min_width: Option<String>,
    max_height: Option<String>,
    max_width: Option<String>,
}

/// The format in the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Png,
    Jpg,
}

impl SizeQuery {
    /// The edge to serve among `sizes`: the smallest that meets both minimums and fits both
    /// maximums (Box does not say which it picks when several do). Out of range, not a number,
    /// or no size left: `400 requested_preview_unavailable`.
    fn edge(&self, sizes: &[u32]) -> Result<u32, BoxApiError> {
        let bound = |value: &Option<String>, default: u32| match value {
            None => Ok(default),
            Some(text) => text
                .parse::<u32>()
                .ok()
                .filter(|n| PARAM_RANGE.contains(n))
                .ok_or(BoxApiError::RequestedPreviewUnavailable),
        };
        let min = bound(&self.min_width, *PARAM_RANGE.start())?
            .max(bound(&self.min_height, *PARAM_RANGE.start())?);
        let max = bound(&self.max_width, *PARAM_RANGE.end())?
            .min(bound(&self.max_height, *PARAM_RANGE.end())?);
        sizes
            .iter()
            .copied()
            .find(|edge| (min..=max).contains(edge))
            .ok_or(BoxApiError::RequestedPreviewUnavailable)
    }
}

pub(crate) async fn get_png_thumbnail(
    state: State<AppState>,
    caller: Caller,
    file: FilePath,
    origin: Origin,
    query: BoxQuery<SizeQuery>,
) -> Result<Response, BoxApiError> {
    thumbnail(state, caller, file, origin, query, Format::Png)
}

pub(crate) async fn get_jpg_thumbnail(
    state: State<AppState>,
    caller: Caller,
    file: FilePath,
    origin: Origin,
    query: BoxQuery<SizeQuery>,
) -> Result<Response, BoxApiError> {
    thumbnail(state, caller, file, origin, query, Format::Jpg)
}

fn thumbnail(
    State(state): State<AppState>,
    Caller(space): Caller,
    FilePath(file): FilePath,
    Origin(origin): Origin,
    BoxQuery(query): BoxQuery<SizeQuery>,
    format: Format,
) -> Result<Response, BoxApiError> {
    let item = state.store.item(&space, file)?;
    let Some(view) = item.file() else {
        return Err(BoxApiError::NotFound);
    };
    let edge = query.edge(match format {
        Format::Png => &PNG_SIZES,
        Format::Jpg => &JPG_SIZES,
    })?;
    if !view.mime_type.starts_with("image/") {
        // Box's answer for a type it makes no thumbnails of: its placeholder graphic.
        let location = format!("{origin}{PLACEHOLDER_PATH}");
        return Ok((StatusCode::FOUND, [(header::LOCATION, location)]).into_response());
    }
    if format == Format::Jpg {
        return Err(BoxApiError::PreviewCannotBeGenerated);
    }
    let png = flat_png(edge, edge).map_err(|_| BoxApiError::InternalServerError)?;
    let kind = [(header::CONTENT_TYPE, HeaderValue::from_static("image/png"))];
    Ok((StatusCode::OK, kind, png).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_smallest_size_within_the_bounds_is_served() {
        let query = |pairs: &[(&str, &str)]| {
            let mut q = SizeQuery::default();
            for (name, value) in pairs {
                let slot = match *name {
                    "min_width" => &mut q.min_width,
                    "min_height" => &mut q.min_height,
                    "max_width" => &mut q.max_width,
                    _ => &mut q.max_height,
                };
                *slot = Some((*value).to_owned());
            }
            q
        };
        for (pairs, sizes, expected) in [
            (&[][..], &PNG_SIZES[..], Some(32)),
            (&[("min_width", "100")][..], &PNG_SIZES[..], Some(128)),
            (
                &[("min_height", "200"), ("min_width", "33")],
                &PNG_SIZES,
                Some(256),
            ),
            (&[("min_width", "257")], &PNG_SIZES, None),
            (
                &[("min_width", "100"), ("max_height", "120")],
                &PNG_SIZES,
                None,
            ),
            (&[("max_width", "31")], &PNG_SIZES, None),
            (&[("max_width", "321")], &PNG_SIZES, None),
            (&[("max_width", "abc")], &PNG_SIZES, None),
            (&[("min_width", "161")], &JPG_SIZES, Some(320)),
        ] {
            let got = query(pairs).edge(sizes).ok();
            assert_eq!(got, expected, "{pairs:?}");
        }
    }
}
