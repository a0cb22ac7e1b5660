pub mod api;
pub mod browser;
pub mod charges;
pub mod crash;
pub mod pages;
pub mod receipts;
