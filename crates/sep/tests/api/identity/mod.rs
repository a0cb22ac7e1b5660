pub mod access;
pub mod audit;
pub mod browser;
pub mod contacts;
pub mod login;
pub mod profile;
pub mod registration;
pub mod sessions;
