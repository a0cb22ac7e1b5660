pub mod api;
pub mod browser;
pub mod pages;
