//! Integration tests: each starts its own emulator on a free port and talks to it over HTTP.

mod admin;
mod box_concurrency;
mod box_errors;
mod box_files;
mod box_sdk;
mod box_support;
mod box_upload;
mod box_versions;
mod helpers;
