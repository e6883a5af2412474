//! The one integration-test binary: store and service tests on both engines, HTTP tests
//! through the router (the app on port 0), the role × action matrix, and browser tests.

mod api;
mod authz;
mod cli;
mod e2e;
mod pages;
mod services;
mod store;
