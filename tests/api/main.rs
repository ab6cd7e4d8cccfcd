//! Integration tests: each starts its own emulator on a free port and talks to it over HTTP.

mod access;
mod admin;
mod box_concurrency;
mod box_errors;
mod box_files;
mod box_sdk;
mod box_support;
mod box_upload;
mod box_versions;
mod cli;
mod determinism;
mod durable;
mod faults;
mod helpers;
mod journal;
mod onedrive_addressing;
mod onedrive_client;
mod onedrive_concurrency;
mod onedrive_errors;
mod onedrive_sdk;
mod onedrive_sessions;
mod onedrive_upload;
mod onedrive_versions;
