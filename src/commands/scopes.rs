//! `agentos-auth scopes`: the scope reference (forms, resources, routes) and presets.

use serde_json::{json, Value};

use crate::agentos::roles::Effective;
use crate::agentos::{self, PRESETS};
use crate::cli::{GlobalArgs, ScopesArgs};
use crate::error::{Error, Result};
use crate::store::Store;

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
    if a.save || a.role.is_some() || a.subject.is_some() {
        return roles(g, a);
    }
    let srv = super::deployment_flags::agentos(g, &a.agentos, &super::Ui::new(g))?;
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
            "optional_routers": profile.routers.iter().map(|r| json!({
                "name": r.name,
                "enabled_by": r.enabled_by,
                "resources": r.resources.iter().map(|x| json!({"name": x.name, "actions": x.actions})).collect::<Vec<_>>(),
                "routes": r.routes.iter().map(|x| json!({"method": x.method, "path": x.pattern, "scopes": x.scopes})).collect::<Vec<_>>(),
                "admin_only": r.admin_only.map(|g| json!({"prefix": g.prefix, "detail": g.detail})),
            })).collect::<Vec<_>>(),
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
    if !profile.routers.is_empty() {
        out.push_str(&format!(
            "\nOptional routers of agno {} (not in the default app; verify knows them from --routes or --url):\n",
            profile.version
        ));
        for r in profile.routers {
            out.push_str(&format!("  {} ({})\n", r.name, r.enabled_by));
            if let Some(g) = r.admin_only {
                out.push_str(&format!(
                    "    {}/...: agent_os:admin only (else 403 \"{}\")\n",
                    g.prefix, g.detail
                ));
            }
            for x in r.resources {
                out.push_str(&format!("    {:<22} {}\n", x.name, x.actions.join(", ")));
            }
            for x in r.routes {
                out.push_str(&format!(
                    "    {:<7}{:<40} {}\n",
                    x.method,
                    x.pattern,
                    x.scopes.join(", ")
                ));
            }
        }
    }
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

/// `--role`, `--subject`, `--save`: a roles file's effective scopes, or storing it.
fn roles(g: &GlobalArgs, a: &ScopesArgs) -> Result<()> {
    let Some(super::LoadedRoles {
        policy,
        label,
        text,
    }) = super::load_roles(g, a.roles_file.as_deref())?
    else {
        return Err(Error::input("no roles file")
            .hint("pass --roles-file FILE, or store one with: agentos-auth scopes --roles-file FILE --save"));
    };
    if a.save {
        let store = Store::locate(g.home.as_deref())?;
        store.save_roles(&text)?;
        let mut settings = store.settings()?;
        if policy.roles_claim.is_some() && settings.roles_claim != policy.roles_claim {
            settings.roles_claim = policy.roles_claim.clone();
            store.save_settings(&settings)?;
        }
        super::Ui::new(g).note(format!(
            "stored {} in {} (verify, doctor and scopes use it; mint --roles writes {:?})",
            label,
            store.roles_path().display(),
            settings.roles_claim.as_deref().unwrap_or("roles")
        ));
        if a.role.is_none() && a.subject.is_none() {
            return Ok(());
        }
    }
    let (what, eff): (String, Effective) = match (&a.role, &a.subject) {
        (Some(role), _) => match policy.role_scopes(role) {
            Some(e) => (format!("role {role}"), e),
            None => {
                return Err(Error::input(format!("{label} defines no role {role:?}"))
                    .hint(format!("roles: {}", policy.role_names().join(", "))))
            }
        },
        (None, Some(sub)) => (format!("subject {sub}"), policy.subject_scopes(sub)),
        (None, None) => return Ok(()),
    };
    if a.json {
        return super::print_line(json!({"of": what, "effective": eff}));
    }
    let mut out = format!("{what}: {} ({})\n", eff.roles.join(", "), eff.via);
    if eff.roles.is_empty() {
        out = format!("{what}: {}\n", eff.via);
    }
    out.push_str(&format!("  allow: {}\n", list(&eff.allow)));
    out.push_str(&format!("  deny:  {}\n", list(&eff.deny)));
    if a.subject.is_some() {
        if let Some(claim) = &policy.roles_claim {
            out.push_str(&format!(
                "  (a token carrying a non-empty {claim:?} claim is decided on those roles instead)\n"
            ));
        }
    }
    super::print_text(&out)
}

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "(none)".into()
    } else {
        v.join(" ")
    }
}
