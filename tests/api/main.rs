//! Integration tests: each starts its own emulator on a free port and talks to it over HTTP.

mod admin;
mod cli;
mod helpers;
mod onedrive_addressing;
mod onedrive_client;
mod onedrive_concurrency;
mod onedrive_errors;
mod onedrive_sdk;
mod onedrive_upload;
mod onedrive_versions;
