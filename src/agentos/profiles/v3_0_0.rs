//! agno 3.0.0, answering for 3.0.0-3.0.8: the 3.0.11 profile's route map, rules and
//! texts (release_fingerprint.py finds no change between 3.0.0 and 3.0.8, and at 3.0.9
//! only this), except that the auth middleware matches `request.url.path`, which for an
//! AgentOS mounted under a prefix still carries the prefix. Its default app is its own
//! (no `POST /knowledge/content/{content_id}/refresh` yet), and its MCP server has no
//! Server Card yet.

use super::v3_0_11::PROFILE as V3_0_11;
use super::{Behaviour, Profile};

pub const PROFILE: Profile = Profile {
    version: "3.0.0",
    since: "3.0.0",
    default_app: include_str!("default_apps/3.0.0.routes"),
    behaviour: Behaviour {
        matches_route_path: false,
        ..V3_0_11.behaviour
    },
    // No Server Card before 3.0.9.
    mcp: super::MCP_2_7,
    public: None,
    ..V3_0_11
};
