//! Black-box tests of the running server: one test binary for the whole crate.

mod access;
mod applications;
mod audit;
mod browser;
mod browser_applications;
mod browser_payments;
mod catalog;
mod charges;
mod cli;
mod contacts;
mod document_pages;
mod documents;
mod helpers;
mod login;
mod notifications;
mod openapi;
mod pages;
mod payment_documents;
mod payment_pages;
mod payments;
mod payments_crash;
mod profile;
mod registration;
mod sessions;
mod signatures;
mod state_fee;
