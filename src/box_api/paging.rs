//! Box's offset paging (`offset`, `limit`, and the `fields` that come with them), as the
//! version list, an upload session's parts, its log and a folder listing read it.

use serde::Deserialize;

use crate::box_api::errors::BoxApiError;
use crate::store::Window;

/// Box's offset-paging bounds: `limit` up to 1000, `offset` up to 10000
/// (<https://developer.box.com/guides/api-calls/pagination/offset-based/>).
const DEFAULT_LIMIT: usize = 1000;
const MAX_LIMIT: usize = 1000;
const MAX_OFFSET: usize = 10_000;

#[derive(Debug, Deserialize)]
pub(crate) struct OffsetPage {
    pub(crate) fields: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

impl OffsetPage {
    /// `limit` defaults to 1000 and is clamped to it; `offset` above 10000 is refused.
    pub(crate) fn window(&self) -> Result<Window, BoxApiError> {
        self.window_or(DEFAULT_LIMIT)
    }

    /// The same with another default `limit`, for listings whose pages are shorter.
    pub(crate) fn window_or(&self, default_limit: usize) -> Result<Window, BoxApiError> {
        Ok(Window {
            offset: offset(self.offset.as_deref())?,
            limit: limit(self.limit.as_deref(), default_limit)?,
        })
    }
}

/// `limit`: `default` when absent, clamped to 1000 (Box answers a larger one with its maximum,
/// not a 400), 400 `invalid_limit` when not a positive number.
pub(crate) fn limit(raw: Option<&str>, default: usize) -> Result<usize, BoxApiError> {
    match raw {
        None => Ok(default),
        Some(raw) => Ok(raw
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|limit| *limit > 0)
            .ok_or(BoxApiError::InvalidLimit)?
            .min(MAX_LIMIT)),
    }
}

/// `offset`: 0 when absent, 400 `invalid_offset` when not a number, 400 above 10000.
pub(crate) fn offset(raw: Option<&str>) -> Result<usize, BoxApiError> {
    let offset = match raw {
        None => 0,
        Some(raw) => raw
            .trim()
            .parse::<usize>()
            .map_err(|_| BoxApiError::InvalidOffset)?,
    };
    if offset > MAX_OFFSET {
        return Err(BoxApiError::invalid(
            "offset",
            format!("Invalid value '{offset}'. The offset must not exceed {MAX_OFFSET}."),
        ));
    }
    Ok(offset)
}
