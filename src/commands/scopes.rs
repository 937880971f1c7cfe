//! `agentos-auth scopes`: the scope reference (forms, resources, routes) and presets.

use serde_json::{json, Value};

use crate::agentos::{self, PRESETS};
use crate::cli::{GlobalArgs, ScopesArgs};
use crate::error::Result;

/// The scope forms AgentOS understands, with an example each.
const FORMS: &[(&str, &str)] = &[
    ("agent_os:admin", "everything (every route, every resource)"),
    (
        "RESOURCE:ACTION",
        "every resource of a kind, e.g. agents:read, sessions:write",
    ),
    (
        "RESOURCE:ID:ACTION",
        "one agent, team or workflow, e.g. agents:my-agent:run",
    ),
    (
        "RESOURCE:*:ACTION",
        "any agent, team or workflow, e.g. agents:*:run",
    ),
    ("system:ACTION", "legacy alias of config:ACTION"),
];

pub fn run(g: &GlobalArgs, a: &ScopesArgs) -> Result<()> {
    let srv = super::server::agentos(g, &a.agentos, &super::Ui::new(g))?;
    let profile = srv.profile;
    let routes = agentos::route_table(&srv);
    let presets: Vec<Value> = PRESETS
        .iter()
        .map(|p| {
            let spec = if p.takes_id {
                format!("{}:<id>", p.name)
            } else {
                p.name.to_string()
            };
            let scopes = agentos::expand_preset(
                profile,
                &if p.takes_id {
                    format!("{}:ID", p.name)
                } else {
                    p.name.to_string()
                },
            )
            .unwrap_or_default()
            .into_iter()
            .map(|s| s.replace(":ID:", ":<id>:"))
            .collect::<Vec<_>>();
            json!({"name": spec, "description": p.description, "scopes": scopes})
        })
        .collect();
    if a.json {
        let out = json!({
            "agno_version": profile.version,
            "claim": "scopes: a JSON list of strings (a single string is ONE scope)",
            "forms": FORMS.iter().map(|(f, d)| json!({"form": f, "meaning": d})).collect::<Vec<_>>(),
            "resources": profile.resources.iter().map(|r| json!({"name": r.name, "actions": r.actions, "per_id": r.has_ids})).collect::<Vec<_>>(),
            "routes": routes.iter().map(|(m, p, s)| {
                let missing = profile.unserved_routes.contains(&(*m, *p));
                json!({"method": m, "path": p, "scopes": s, "served": !missing})
            }).collect::<Vec<_>>(),
            "public": profile.public_paths,
            "presets": presets,
        });
        super::print_line(&out)?;
        return Ok(());
    }
    let mut out = String::new();
    out.push_str("Scopes: the token's \"scopes\" claim, a JSON list of strings (a single string is ONE scope).\n\nForms:\n");
    for (f, d) in FORMS {
        out.push_str(&format!("  {f:<20} {d}\n"));
    }
    out.push_str("\nResources and actions (per-id scopes only for agents, teams, workflows):\n");
    for r in profile.resources {
        let ids = if r.has_ids { " (ids)" } else { "" };
        out.push_str(&format!(
            "  {:<24} {}\n",
            format!("{}{ids}", r.name),
            r.actions.join(", ")
        ));
    }
    out.push_str(&format!(
        "\nRoutes (agno {}'s map; the first match wins; * spans '/'):\n",
        profile.version
    ));
    for (m, p, s) in &routes {
        let note = if profile.unserved_routes.contains(&(*m, *p)) {
            " (not served by the default app: 404)"
        } else {
            ""
        };
        out.push_str(&format!("  {m:<7}{p:<42} {}{note}\n", s.join(", ")));
    }
    out.push_str(&format!(
        "  Open without a token: {}\n  Unmapped routes need a valid token and no scope.\n",
        profile.public_paths.join(", ")
    ));
    out.push_str("\nPresets (agentos-auth mint --preset NAME):\n");
    for p in &presets {
        out.push_str(&format!(
            "  {:<20} {}\n",
            p["name"].as_str().unwrap_or_default(),
            p["description"].as_str().unwrap_or_default()
        ));
    }
    super::print_text(&out)?;
    Ok(())
}
