//! Reading signed download links.

/// The version id a download link (`…/_content/{token}`) names. Links are signed and expire, so
/// tests that compare whole replies compare this instead of the link's text; the token's first
/// eight bytes are the id (`links.rs`), the rest is what the emulator alone can make.
pub fn linked_version(link: &str) -> u64 {
    use base64::Engine as _;
    let token = link.rsplit('/').next().unwrap_or_default();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .unwrap_or_else(|e| panic!("{link} is not a signed link: {e}"));
    u64::from_be_bytes(bytes[..8].try_into().expect("a token of 32 bytes"))
}
