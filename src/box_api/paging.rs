//! Box's offset paging (`offset`, `limit`, and the `fields` that come with them), as the
//! version list, an upload session's parts and its log read it.

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
        let limit = match self.limit.as_deref() {
            None => DEFAULT_LIMIT,
            Some(raw) => raw
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|limit| *limit > 0)
                .ok_or(BoxApiError::InvalidLimit)?
                .min(MAX_LIMIT),
        };
        let offset = match self.offset.as_deref() {
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
        Ok(Window { offset, limit })
    }
}
