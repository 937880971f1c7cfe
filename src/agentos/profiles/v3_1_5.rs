//! agno 3.1.5, answering for 3.1.5-3.1.8: the 3.1.10 profile's route map, rules and texts
//! (3.1.5-3.1.10 have one JWT/RBAC fingerprint), except that its MCP server has no
//! tool-run route yet (`POST /mcp/server/tools/{tool_name}/run` is 3.1.9 on). Its default
//! app has 3.1.10's routes (default_app_routes.py prints the same list off 3.1.5).

use super::v3_1_10::PROFILE as V3_1_10;
use super::Profile;

pub const PROFILE: Profile = Profile {
    version: "3.1.5",
    since: "3.1.5",
    mcp: super::MCP_3_0_9,
    public: Some(super::PUBLIC_3_1_2),
    ..V3_1_10
};
