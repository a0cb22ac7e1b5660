pub mod api;
pub mod browser;
pub mod crash;
pub mod lists;
pub mod pages;
pub mod state_fee;
pub mod together;
