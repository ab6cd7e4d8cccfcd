//! Reading an upload body (<https://developer.box.com/reference/post-files-content/>): a
//! `multipart/form-data` body with an `attributes` part (JSON; a new version may leave it out) and
//! the content in the first other part, whatever its name, filename or content type (the gen SDKs
//! call it `file`, legacy Node `content`).

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap};
use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use super::errors::BoxApiError;
use crate::store::content::{Content, Hasher, Hashes};
use crate::store::Face;

/// An upload, read and hashed, before the store is called. `attributes` is `None` when the body
/// has no (or an empty) `attributes` part: a new version may leave it out (curl `-F file=@a.txt`,
/// SDKs that send attributes only to rename), a new file may not.
pub(crate) struct Upload<A> {
    pub attributes: Option<A>,
    pub content: Content,
}

/// Splits the body into its parts, parses the attributes as `A` and hashes the content, checking
/// it against `content-md5` (which, despite its name, carries the SHA-1 in hex).
pub(crate) async fn read_upload<A: DeserializeOwned>(
    headers: &HeaderMap,
    body: Bytes,
) -> Result<Upload<A>, BoxApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let boundary = multer::parse_boundary(content_type).map_err(|_| {
        BoxApiError::invalid("Content-Type", "An upload must be multipart/form-data")
    })?;
    let malformed =
        |e: multer::Error| BoxApiError::invalid("body", format!("Malformed multipart body: {e}"));
    let mut multipart = multer::Multipart::new(Body::from(body).into_data_stream(), boundary);
    let mut attributes = None;
    let mut content = None;
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
        if field.name() == Some("attributes") {
            if content.is_some() {
                return Err(BoxApiError::MetadataAfterFileContents);
            }
            attributes = Some(field.bytes().await.map_err(malformed)?);
        } else {
            // The body is in memory, so multer hands the part over without waiting, often in
            // one piece (kept as it is, not copied): hashed in turns, so that a large upload
            // does not hold up the other requests on this worker.
            let mut hasher = Hasher::new(Hashes::of_upload_to(Face::Box));
            let mut pieces = Vec::new();
            while let Some(piece) = field.chunk().await.map_err(malformed)? {
                hasher.update_in_turns(&piece).await;
                pieces.push(piece);
            }
            let bytes = match <[Bytes; 1]>::try_from(pieces) {
                Ok([only]) => only,
                Err(pieces) => pieces.concat().into(),
            };
            content = Some(hasher.finish(bytes));
        }
        if attributes.is_some() && content.is_some() {
            break;
        }
    }
    let content = content.ok_or_else(|| BoxApiError::missing("file"))?;
    // An empty part says as little as `{}`: curl users send `-F attributes=`.
    let attributes = attributes
        .filter(|part| !part.iter().all(u8::is_ascii_whitespace))
        .map(|part| serde_json::from_slice(&part))
        .transpose()
        .map_err(|e| BoxApiError::invalid("attributes", format!("Invalid attributes JSON: {e}")))?;
    if let Some(digest) = headers.get("content-md5") {
        let digest = digest.to_str().unwrap_or_default().trim();
        if !digest.eq_ignore_ascii_case(content.sha1_hex().as_str()) {
            return Err(BoxApiError::BadDigest);
        }
    }
    Ok(Upload {
        attributes,
        content,
    })
}

/// A date an SDK put in the attributes: with an offset, with fractions, or naive (the Python gen
/// SDK's `isoformat()`), which is read as UTC. Kept to whole seconds, as Box prints dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AttributeDate(pub DateTime<Utc>);

impl<'de> Deserialize<'de> for AttributeDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        parse_date(&raw)
            .map(Self)
            .ok_or_else(|| serde::de::Error::custom(format!("{raw:?} is not an ISO 8601 date")))
    }
}

/// A Box date (RFC 3339, or without an offset as UTC), to the second. chrono's `%Y` also reads
/// years such as `+262142`, which no date Box writes has: those are not dates here.
pub(crate) fn parse_date(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    DateTime::parse_from_rfc3339(raw)
        .map(|at| at.with_timezone(&Utc))
        .or_else(|_| {
            NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S%.f").map(|at| at.and_utc())
        })
        .ok()
        .filter(|at| crate::timestamp::is_writable(*at))
        .map(|at| at.trunc_subsecs(0))
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn attribute_dates_are_read_in_every_form_clients_send() {
        let expected = "2024-01-02T03:04:05Z".parse().ok();
        for raw in [
            "2024-01-02T03:04:05+00:00",
            "2024-01-02T03:04:05Z",
            "2024-01-02T03:04:05.123456+00:00",
            "2024-01-02T04:04:05+01:00",
            "2024-01-02T03:04:05",
            "2024-01-02T03:04:05.5",
        ] {
            assert_eq!(parse_date(raw), expected, "{raw}");
        }
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date("2024-13-02T03:04:05"), None);
        assert_eq!(parse_date("+262142-12-31T23:59:59"), None);
        assert_eq!(parse_date("-0001-01-01T00:00:00"), None);
    }
}
