//! Black-box tests of the running server: one test binary for the whole
//! workspace, one folder per context (its API, pages, browser and command-line
//! tests), helpers by what they help with.

mod applications;
mod catalog;
mod documents;
mod helpers;
mod identity;
mod notifications;
mod payments;
mod platform;
mod signatures;
