pub mod api;
pub mod browser;
pub mod pages;
pub mod state_fee;
