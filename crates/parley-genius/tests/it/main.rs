//! The integration tests of `parley-genius`: the real ANAC scenarios, when present, and
//! property tests through the public API.

mod genius_scenarios;
mod geniusweb_properties;
mod geniusweb_scenarios;
mod helpers;
mod prerequisites;
mod properties;
