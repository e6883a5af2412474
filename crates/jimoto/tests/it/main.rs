//! The one integration-test binary, a module per capability (store and service tests on both
//! engines, then the pages and the API through the router in-process), plus the schema, the
//! role × action matrix, the API contract, the CLI and the browser journeys.

mod accounts;
mod api;
mod audit;
mod auth;
mod authz;
mod cli;
mod e2e;
mod evaluate;
mod events;
mod growth;
mod hire;
mod home;
mod imports;
mod kpis;
mod matching;
mod organisations;
mod programs;
mod regions;
mod residents;
mod schema;
mod work;
