//! The rules against agno 3.1.10's behaviour (observed on a real app).

use serde_json::Value;

use super::decision::*;
use super::path_pattern::fnmatch;
use super::routes::*;
use super::scope_plane::*;
use super::scopes::*;
use super::{check_body, BodyCheck, Server, LATEST, RESOURCES};

fn outcome(claim: &str, method: &str, path: &str) -> String {
    let value: Option<Value> = (claim != "-").then(|| serde_json::from_str(claim).unwrap());
    match check_access(&Server::default(), value.as_ref(), method, path) {
        Access::Public => "public".to_string(),
        Access::Allowed => {
            match listing_filter(&Server::default(), value.as_ref(), method, path, path) {
                Some(ids) => format!("allow[{}]", ids.join(",")),
                None => "allow".to_string(),
            }
        }
        Access::Forbidden { detail, .. } => format!("403 {detail}"),
        Access::ServerError { .. } => "500".to_string(),
    }
}

#[test]
fn access_matches_agno() {
    #[rustfmt::skip]
    let cases: &[(&str, &str, &str, &str)] = &[
        (r#"["agent_os:admin"]"#, "POST", "/agents/a1/runs", "allow"),
        (r#"["agent_os:admin"]"#, "DELETE", "/service-accounts/x", "allow"),
        (r#"[]"#, "GET", "/health", "public"),
        (r#"-"#, "GET", "/docs", "public"),
        (r#"[]"#, "OPTIONS", "/agents", "public"),
        (r#"[]"#, "GET", "/health/", "public"),
        (r#"[]"#, "GET", "/", "public"),
        (r#"[]"#, "POST", "/health", "public"),
        (r#"[]"#, "GET", "/info", "public"),
        (r#"[]"#, "GET", "/openapi.json", "public"),
        (r#"[]"#, "GET", "/docs/oauth2-redirect", "public"),
        (r#"[]"#, "GET", "/healthz", "allow"),
        (r#"[]"#, "GET", "/agents", "403 Insufficient permissions. Required scope(s): agents:read"),
        (r#"-"#, "GET", "/agents", "403 Insufficient permissions. Required scope(s): agents:read"),
        (r#"["agents:read"]"#, "GET", "/agents", "allow"),
        (r#"["agents:a1:read","agents:a2:read"]"#, "GET", "/agents", "allow[a1,a2]"),
        (r#"["agents:a1:run"]"#, "GET", "/agents", "403 Insufficient permissions. Required scope(s): agents:read"),
        (r#"["agents:*:read"]"#, "GET", "/agents", "allow"),
        (r#"["agents:a1:read"]"#, "GET", "/agents/", "allow[a1]"),
        (r#"["agents:a1:read"]"#, "GET", "/agents?limit=5", "allow[a1]"),
        (r#"["teams:t1:read"]"#, "GET", "/teams", "allow[t1]"),
        (r#"["workflows:w1:run"]"#, "GET", "/workflows", "403 Insufficient permissions. Required scope(s): workflows:read"),
        (r#"["agents:a1:read"]"#, "GET", "/agents/a1", "allow"),
        (r#"["agents:a1:read"]"#, "GET", "/agents/a2", "403 Insufficient permissions. Required scope(s): agents:read"),
        (r#"["agents:*:read"]"#, "GET", "/agents/a9", "allow"),
        (r#"["agents:read"]"#, "GET", "/agents/a1", "allow"),
        (r#"["agents:run"]"#, "POST", "/agents/a1/runs", "allow"),
        (r#"["agents:a1:run"]"#, "POST", "/agents/a1/runs", "allow"),
        (r#"["agents:a2:run"]"#, "POST", "/agents/a1/runs", "403 Insufficient permissions. Required scope(s): agents:run"),
        (r#"["agents:*:run"]"#, "POST", "/agents/a1/runs", "allow"),
        (r#"["agents:read"]"#, "POST", "/agents/a1/runs", "403 Insufficient permissions. Required scope(s): agents:run"),
        (r#""agents:run""#, "POST", "/agents/a1/runs", "allow"),
        (r#""agents:read agents:run""#, "POST", "/agents/a1/runs", "403 Insufficient permissions. Required scope(s): agents:run"),
        (r#""agents:read agents:run""#, "GET", "/agents", "403 Insufficient permissions. Required scope(s): agents:read"),
        (r#""agents:read,agents:run""#, "GET", "/agents/a1", "403 Insufficient permissions. Required scope(s): agents:read"),
        (r#"["agents:a1:read"]"#, "GET", "/agents/a1/runs", "403 Access denied to run this agent"),
        (r#"["agents:a1:read","agents:a1:run"]"#, "GET", "/agents/a1/runs", "allow"),
        (r#"["agents:a1:run"]"#, "GET", "/agents/a1/runs", "403 Insufficient permissions. Required scope(s): agents:read"),
        (r#"["agents:a1:run"]"#, "GET", "/agents/a1/runs/r1", "403 Insufficient permissions. Required scope(s): agents:read"),
        (r#"["agents:a1:read","agents:a1:run"]"#, "GET", "/agents/a1/runs/r1/checkpoints/3", "allow"),
        (r#"["agents:a1:read"]"#, "POST", "/agents/a1/runs/r1/resume", "403 Access denied to run this agent"),
        (r#"[]"#, "POST", "/agents/a1/runs/r1/resume", "403 Access denied to run this agent"),
        (r#"["agents:a1:run"]"#, "POST", "/agents/a1/runs/r1/continue", "allow"),
        (r#"["agents:a1:run"]"#, "POST", "/agents/a1/runs/r1/cancel", "allow"),
        (r#"[]"#, "POST", "/agents/a1/sessions/s1/fork", "403 Access denied to run this agent"),
        (r#"["agents:run"]"#, "POST", "/agents/a1/sessions/s1/compact", "allow"),
        (r#"["teams:t1:read"]"#, "POST", "/teams/t1/runs", "403 Insufficient permissions. Required scope(s): teams:run"),
        (r#"["teams:t1:read","teams:t1:run"]"#, "POST", "/teams/t1/runs", "allow"),
        (r#"["workflows:w1:read"]"#, "GET", "/workflows/w1/runs", "403 Access denied to run this workflow"),
        (r#"["workflows:*:run","workflows:read"]"#, "POST", "/workflows/w1/runs/r1/resume", "allow"),
        (r#"["agents:read"]"#, "POST", "/agents", "403 Insufficient permissions. Required scope(s): agents:write"),
        (r#"["agents:*:write"]"#, "POST", "/agents", "allow"),
        (r#"["agents:a1:write"]"#, "PATCH", "/agents/a1", "allow"),
        (r#"["agents:a1:delete"]"#, "DELETE", "/agents/a2", "403 Insufficient permissions. Required scope(s): agents:delete"),
        (r#"["system:read"]"#, "GET", "/config", "allow"),
        (r#"["system:*:read"]"#, "GET", "/config", "allow"),
        (r#"["config:read"]"#, "GET", "/models", "allow"),
        (r#"["config:read"]"#, "POST", "/databases/all/migrate", "403 Insufficient permissions. Required scope(s): config:write"),
        (r#"["system:write"]"#, "POST", "/databases/db1/migrate", "allow"),
        (r#"["sessions:read"]"#, "GET", "/sessions/s1", "allow"),
        (r#"["sessions:s1:read"]"#, "GET", "/sessions/s1", "403 Insufficient permissions. Required scope(s): sessions:read"),
        (r#"["sessions:*:read"]"#, "GET", "/sessions", "allow"),
        (r#"["sessions:read"]"#, "DELETE", "/sessions", "403 Insufficient permissions. Required scope(s): sessions:delete"),
        (r#"["sessions:write"]"#, "POST", "/sessions/s1/rename", "allow"),
        (r#"["memories:read"]"#, "GET", "/memory_topics", "allow"),
        (r#"["memories:read"]"#, "GET", "/user_memory_stats", "allow"),
        (r#"["knowledge:read"]"#, "POST", "/knowledge/search", "allow"),
        (r#"["knowledge:write"]"#, "POST", "/knowledge/search", "403 Insufficient permissions. Required scope(s): knowledge:read"),
        (r#"["knowledge:read"]"#, "GET", "/knowledge/k1/sources", "allow"),
        (r#"["approvals:read"]"#, "GET", "/approvals/count", "allow"),
        (r#"["approvals:read"]"#, "POST", "/approvals/a1/resolve", "403 Insufficient permissions. Required scope(s): approvals:write"),
        (r#"["service_accounts:write"]"#, "POST", "/service-accounts", "allow"),
        (r#"["service_accounts:read"]"#, "DELETE", "/service-accounts/sa1", "403 Insufficient permissions. Required scope(s): service_accounts:delete"),
        (r#"["schedules:write"]"#, "POST", "/schedules/s1/trigger", "allow"),
        (r#"["schedules:write"]"#, "GET", "/schedules/s1/runs/r1", "403 Insufficient permissions. Required scope(s): schedules:read"),
        (r#"["components:read"]"#, "GET", "/components/c1/configs/current", "allow"),
        (r#"["components:delete"]"#, "POST", "/components/c1/restore", "allow"),
        (r#"["metrics:read"]"#, "POST", "/metrics/refresh", "403 Insufficient permissions. Required scope(s): metrics:write"),
        (r#"["traces:read"]"#, "POST", "/traces/search", "allow"),
        (r#"["evals:write"]"#, "POST", "/eval-runs", "allow"),
        (r#"[]"#, "DELETE", "/learnings", "allow"),
        (r#"[]"#, "DELETE", "/eval-runs/e1", "allow"),
        (r#"["registry:read"]"#, "GET", "/registry", "allow"),
        (r#"[]"#, "GET", "/some/unknown/route", "allow"),
        (r#"["agent_os:admin", 5]"#, "GET", "/config", "403 Insufficient permissions. Required scope(s): config:read"),
        (r#"["agents:read", 5]"#, "GET", "/agents", "403 Insufficient permissions. Required scope(s): agents:read"),
        (r#"[5]"#, "GET", "/some/unknown/route", "allow"),
        (r#"[5]"#, "POST", "/agents/a1/runs/r1/resume", "500"),
        (r#"["filesystem:read", null]"#, "GET", "/filesystem/files", "403 Insufficient permissions. Required scope(s): filesystem:read"),
        (r#"{"a": 1}"#, "GET", "/config", "403 Insufficient permissions. Required scope(s): config:read"),
        (r#"null"#, "GET", "/config", "403 Insufficient permissions. Required scope(s): config:read"),
        (r#"["filesystem:read"]"#, "GET", "/filesystem/files", "403 Insufficient permissions. Required scope(s): agents:read"),
        (r#"["filesystem:read","agents:a1:run"]"#, "GET", "/filesystem/files", "allow"),
        (r#"["filesystem:read","agents:a1:read"]"#, "GET", "/filesystem/files?agent_id=a2", "403 Insufficient permissions. Required scope(s): agents:read"),
        (r#"["filesystem:read","agents:a1:read"]"#, "GET", "/filesystem/content?agent_id=a1&path=x", "allow"),
        (r#"["agents:read"]"#, "GET", "/filesystem/files", "403 Insufficient permissions. Required scope(s): filesystem:read"),
        (r#"["agents:a1:read"]"#, "POST", "/a2a/agents/a1/v1/message:send", "allow"),
        (r#"["AGENTS:READ"]"#, "GET", "/agents", "403 Insufficient permissions. Required scope(s): agents:read"),
        (r#"["agents:read "]"#, "GET", "/agents", "403 Insufficient permissions. Required scope(s): agents:read"),
        (r#"["agents::read"]"#, "GET", "/agents/a1", "allow"),
        (r#"["agents::read"]"#, "GET", "/agents", "allow"),
        (r#"["agents:a1:read:x"]"#, "GET", "/agents/a1", "403 Insufficient permissions. Required scope(s): agents:read"),
        (r#"["agents:my agent:read"]"#, "GET", "/agents/my%20agent", "allow"),
        (r#"["agents:a1:read"]"#, "get", "/agents/a1", "allow"),
        (r#"["teams:read","teams:run"]"#, "GET", "/teams/t1/runs/r1/checkpoints", "allow"),
        (r#"["agents:a1:read", "agents:a1:run"]"#, "GET", "/knowledge/agents/sources", "403 Insufficient permissions. Required scope(s): knowledge:read"),
    ];
    let mut failures = Vec::new();
    for (claim, method, path, want) in cases {
        let got = outcome(claim, method, path);
        if got != *want {
            failures.push(format!(
                "{claim} {method} {path}: got {got:?}, want {want:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn forbidden_names_what_is_required() {
    let v = serde_json::json!(["agents:a1:read"]);
    match check_access(&Server::default(), Some(&v), "GET", "/agents/a1/runs") {
        Access::Forbidden { required, .. } => assert_eq!(required, ["agents:a1:run"]),
        other => panic!("{other:?}"),
    }
    match check_access(&Server::default(), Some(&v), "POST", "/teams/t1/runs") {
        Access::Forbidden { required, .. } => assert_eq!(required, ["teams:run"]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn route_rules() {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let cases: Vec<(&str, &str, RouteRule)> = vec![
        ("GET", "/health", RouteRule::Public),
        ("OPTIONS", "/agents/a1/runs", RouteRule::Public),
        ("GET", "/nope", RouteRule::Unmapped { then: None }),
        (
            "POST",
            "/agents/a1/runs",
            RouteRule::Needs {
                scopes: s(&["agents:run"]),
                resource: Some(("agents".into(), "a1".into())),
                then: Some(RouterCheck::Resource {
                    kind: "agents".into(),
                    id: "a1".into(),
                    action: "run".into(),
                }),
            },
        ),
        (
            "GET",
            "/agents/",
            RouteRule::Needs {
                scopes: s(&["agents:read"]),
                resource: None,
                then: Some(RouterCheck::Listing {
                    kind: "agents".into(),
                }),
            },
        ),
        (
            "POST",
            "/teams/t1/runs/r1/resume",
            RouteRule::Unmapped {
                then: Some(RouterCheck::Resource {
                    kind: "teams".into(),
                    id: "t1".into(),
                    action: "run".into(),
                }),
            },
        ),
        (
            "GET",
            "/sessions/s1",
            RouteRule::Needs {
                scopes: s(&["sessions:read"]),
                resource: None,
                then: None,
            },
        ),
        (
            "GET",
            "/filesystem/files?agent_id=a%201",
            RouteRule::Needs {
                scopes: s(&["filesystem:read"]),
                resource: None,
                then: Some(RouterCheck::AgentFiles {
                    agent_id: Some("a 1".into()),
                }),
            },
        ),
    ];
    for (m, p, want) in cases {
        assert_eq!(required_scopes(&Server::default(), m, p), want, "{m} {p}");
    }
}

#[test]
fn route_table_is_agnos_map() {
    let srv = Server::default();
    let t = route_table(&srv);
    assert_eq!(t.len(), 107);
    assert_eq!(t[0], ("GET", "/config", vec!["config:read"]));
    for (m, p, scopes) in &t {
        assert!(["GET", "POST", "PATCH", "DELETE", "PUT"].contains(m), "{m}");
        assert!(p.starts_with('/'));
        for s in scopes {
            validate_scope(LATEST, s).unwrap_or_else(|e| panic!("{m} {p}: {e}"));
        }
    }
    for r in RESOURCES {
        for a in r.actions {
            assert!(
                t.iter()
                    .any(|(_, _, sc)| sc.contains(&format!("{}:{a}", r.name).as_str())),
                "{}:{a}",
                r.name
            );
        }
    }
}

#[test]
fn scope_grammar() {
    let ok = [
        "agent_os:admin",
        "agents:read",
        "agents:run",
        "agents:my-agent:run",
        "agents:*:run",
        "teams:t1:write",
        "workflows:*:delete",
        "system:read",
        "system:write",
        "config:read",
        "sessions:*:read",
        "service_accounts:delete",
        "filesystem:read",
        "registry:read",
    ];
    for s in ok {
        validate_scope(LATEST, s).unwrap_or_else(|e| panic!("{s}: {e}"));
    }
    let bad: &[(&str, &str, &str)] = &[
        (
            "agent:read",
            "no resource \"agent\"",
            "did you mean \"agents:read\"",
        ),
        (
            "agents:exec",
            "agents has no action \"exec\"",
            "did you mean \"agents:run\"? agents allows read, write, delete, run",
        ),
        ("agents:execute", "no action", "\"agents:run\""),
        ("memory:read", "no resource", "\"memories:read\""),
        ("Agents:Read", "no resource", "\"agents:read\""),
        (
            "service-accounts:write",
            "no resource",
            "\"service_accounts:write\"",
        ),
        ("sesions:read", "no resource", "\"sessions:read\""),
        ("eval:read", "no resource", "\"evals:read\""),
        (
            "traces:write",
            "traces has no action \"write\"",
            "traces allows read",
        ),
        ("agents:*", "no action wildcard", "agent_os:admin"),
        ("agents:raed", "no action", "did you mean \"agents:read\""),
        ("agents:list", "no action", "did you mean \"agents:read\""),
        (
            "agent_os:read",
            "agent_os:admin",
            "did you mean \"agent_os:admin\"",
        ),
        (
            "AGENT_OS:ADMIN",
            "agent_os:admin",
            "did you mean \"agent_os:admin\"",
        ),
        ("wiki:read", "company", "--allow-unknown-scopes"),
        (
            "frobs:read",
            "no resource \"frobs\"",
            "resources: config, registry",
        ),
    ];
    for (s, msg, hint) in bad {
        let e = validate_scope(LATEST, s).unwrap_err();
        assert!(e.msg.contains(msg), "{s}: {e}");
        let h = e.hint.clone().unwrap();
        assert!(h.contains(hint), "{s}: {h}");
        assert!(h.contains("--allow-unknown-scopes"), "{s}: {h}");
    }
    let malformed: &[(&str, &str)] = &[
        ("", "empty scope"),
        ("agents: read", "whitespace"),
        ("agents:read ", "whitespace"),
        ("agents:a:b:run", "too many colons"),
        ("admin", "no action"),
        ("agents", "no action"),
        (":read", "empty resource"),
        ("agents:", "empty action"),
        ("agents::run", "empty id"),
        ("agents:web*:run", "matched exactly"),
        ("sessions:s1:read", "no per-id scopes"),
    ];
    for (s, msg) in malformed {
        let e = validate_scope(LATEST, s).unwrap_err();
        assert!(e.msg.contains(msg), "{s:?}: {e}");
        assert!(e.hint.is_some(), "{s:?}");
    }
    assert!(validate_scope(LATEST, "admin")
        .unwrap_err()
        .hint
        .unwrap()
        .contains("agent_os:admin"));
}

#[test]
fn splitting() {
    let v = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        split_scopes(&v(&["agents:read, agents:run", "agents:read"])),
        v(&["agents:read", "agents:run"])
    );
    assert_eq!(
        split_scopes(&v(&[" a b ,, c ", "", "b"])),
        v(&["a", "b", "c"])
    );
    assert_eq!(split_scopes(&v(&[])), Vec::<String>::new());
}

#[test]
fn subjects() {
    for ok in [
        "alice",
        "user-1",
        "alice@example.com",
        "sa",
        "xsa:1",
        "__scheduler__x",
        "__oauth__",
    ] {
        check_subject(LATEST, ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
    for (bad, why) in [
        ("", "empty"),
        ("sa:bot", "\"sa:\""),
        ("__oauth__:client", "\"__oauth__:\""),
        ("__scheduler__", "scheduler"),
    ] {
        let e = check_subject(LATEST, bad).unwrap_err();
        assert!(e.msg.contains(why), "{bad}: {e}");
        assert!(e.hint.is_some());
        if !bad.is_empty() {
            assert!(e.msg.contains("Invalid token subject"), "{e}");
        }
    }
}

#[test]
fn presets() {
    let v = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        expand_preset(LATEST, "admin").unwrap(),
        v(&["agent_os:admin"])
    );
    assert_eq!(
        expand_preset(LATEST, "run-agent:my-agent").unwrap(),
        v(&["agents:my-agent:read", "agents:my-agent:run"])
    );
    assert_eq!(
        expand_preset(LATEST, "run-team:t1").unwrap(),
        v(&["teams:t1:read", "teams:t1:run"])
    );
    assert_eq!(
        expand_preset(LATEST, "run-workflow:*").unwrap(),
        v(&["workflows:*:read", "workflows:*:run"])
    );
    let ro = expand_preset(LATEST, "read-only").unwrap();
    assert_eq!(ro.len(), RESOURCES.len());
    assert!(ro.iter().all(|s| s.ends_with(":read")));
    assert!(ro.contains(&"config:read".to_string()) && ro.contains(&"traces:read".to_string()));
    for p in PRESETS {
        let spec = if p.takes_id {
            format!("{}:x", p.name)
        } else {
            p.name.to_string()
        };
        let scopes = expand_preset(LATEST, &spec).unwrap();
        assert!(!scopes.is_empty());
        for s in scopes {
            validate_scope(LATEST, &s).unwrap_or_else(|e| panic!("{spec}: {e}"));
        }
    }
    let agent = serde_json::json!(expand_preset(LATEST, "run-agent:a1").unwrap());
    for (m, path) in [
        ("GET", "/agents/a1"),
        ("POST", "/agents/a1/runs"),
        ("GET", "/agents/a1/runs/r1"),
        ("POST", "/agents/a1/runs/r1/resume"),
    ] {
        assert_eq!(
            check_access(&Server::default(), Some(&agent), m, path),
            Access::Allowed,
            "{m} {path}"
        );
    }
    assert_eq!(
        listing_filter(
            &Server::default(),
            Some(&agent),
            "GET",
            "/agents",
            "/agents"
        ),
        Some(vec!["a1".to_string()])
    );
    let e = expand_preset(LATEST, "run-agnt:x").unwrap_err();
    assert!(e.msg.contains("unknown preset \"run-agnt\""), "{e}");
    assert!(
        e.hint
            .clone()
            .unwrap()
            .contains("did you mean \"run-agent\""),
        "{e}"
    );
    assert!(e.hint.unwrap().contains("run-agent:<id>"));
    assert!(expand_preset(LATEST, "run-agent")
        .unwrap_err()
        .msg
        .contains("needs an id"));
    assert!(expand_preset(LATEST, "run-agent:")
        .unwrap_err()
        .msg
        .contains("needs an id"));
    assert!(expand_preset(LATEST, "admin:x")
        .unwrap_err()
        .msg
        .contains("takes no id"));
    assert!(expand_preset(LATEST, "run-agent:a b").is_err());
    assert!(expand_preset(LATEST, "run-agent:a:b").is_err());
    assert_eq!(
        expand_preset(LATEST, "READ_ONLY")
            .unwrap_err()
            .hint
            .unwrap()
            .split('?')
            .next()
            .unwrap(),
        "did you mean \"read-only\""
    );
}

#[test]
fn helpers() {
    assert!(fnmatch(
        "/agents/a/runs/r/continue",
        "/agents/*/runs/*/continue"
    ));
    assert!(fnmatch("/agents/a/b/runs", "/agents/*/runs"));
    assert!(fnmatch("/agents/", "/agents/*"));
    assert!(!fnmatch("/agents", "/agents/*"));
    assert!(!fnmatch("/agents/a/runs/r", "/agents/*/runs"));
    assert_eq!(
        resource_context(&Server::default(), "/a2a/teams/t1/x"),
        (Some("teams"), Some("t1"))
    );
    assert_eq!(
        resource_context(&Server::default(), "/agentsx/a"),
        (None, None)
    );
    assert_eq!(
        resource_context(&Server::default(), "/knowledge/agents/x"),
        (None, None)
    );
    assert_eq!(
        normalize_path(&Server::default(), "agents//?q=1#f"),
        ("/agents".to_string(), Some("q=1".to_string()))
    );
    assert_eq!(
        normalize_path(&Server::default(), "/"),
        ("/".to_string(), None)
    );
    assert_eq!(edit_distance("agent", "agents"), 1);
}

#[test]
fn version_resolution() {
    use super::for_version;
    let v = |s: &str| for_version(s).unwrap().profile.version;
    assert_eq!(v("3.1.10"), "3.1.10");
    assert_eq!(v("3.1.9"), "3.1.10");
    assert_eq!(v("3.1.8"), "3.1.5");
    assert_eq!(v("3.1.5"), "3.1.5");
    assert_eq!(v("3.1.4"), "3.1.4");
    assert_eq!(v("3.1.3"), "3.1.2");
    assert_eq!(v("3.1.1"), "3.1.0");
    assert_eq!(v("3.0.0"), "3.0.0");
    assert_eq!(v("3.0.8"), "3.0.0");
    assert_eq!(v("3.0.9"), "3.0.11");
    assert_eq!(v("2.9.0"), "2.7.2");
    assert_eq!(v("2.8.4"), "2.7.2");
    assert_eq!(v("2.7.1"), "2.7.0");
    assert_eq!(v("2.6.21"), "2.6.22");
    assert_eq!(v("2.6.19"), "2.6.22");
    assert_eq!(v("2.6.18"), "2.6.14");
    assert_eq!(v("2.6.10"), "2.6.7");
    assert_eq!(v("2.6.6"), "2.6.0");
    assert_eq!(v("2.5.17"), "2.5.14");
    assert_eq!(v("2.5.12"), "2.5.6");
    assert_eq!(v("2.5.5"), "2.5.0");
    assert_eq!(v("2.4.9"), "2.4.0");
    assert_eq!(v("2.3.26"), "2.3.22");
    assert_eq!(v("2.3.21"), "2.3.13");
    assert!(!for_version("3.1.10").unwrap().newer_than_modelled);
    let newer = for_version("3.2.0").unwrap();
    assert_eq!(newer.profile.version, "3.1.10");
    assert!(newer.newer_than_modelled);
    assert!(for_version("2.2.0").is_err());
    assert!(for_version("three").is_err());
}

/// Each profile covers [since, next since): its own release lies in it, so `--agno
/// <version>` gets the profile read off that release.
#[test]
fn profile_ranges_hold_their_release() {
    use super::{for_version, PROFILES};
    let key = |v: &str| {
        v.split('.')
            .map(|n| n.parse::<u32>().unwrap())
            .collect::<Vec<_>>()
    };
    for (i, p) in PROFILES.iter().enumerate() {
        assert!(key(p.since) <= key(p.version), "{}", p.version);
        if let Some(next) = PROFILES.get(i + 1) {
            assert!(
                key(p.version) < key(next.since),
                "{} vs {}",
                p.version,
                next.since
            );
        }
        assert_eq!(for_version(p.since).unwrap().profile.version, p.version);
        assert_eq!(for_version(p.version).unwrap().profile.version, p.version);
    }
}

#[test]
fn scope_mappings_merge_as_dict_update() {
    let custom = vec![
        ("GET /agents".to_string(), vec!["custom:list".to_string()]),
        (
            "POST /custom/run".to_string(),
            vec!["custom:run".to_string()],
        ),
        ("GET /sessions".to_string(), vec![]),
    ];
    let srv = Server::default().with_scope_mappings(&custom);
    let t = route_table(&srv);
    assert_eq!(t.len(), 108, "one added");
    let agents = t
        .iter()
        .position(|(m, p, _)| *m == "GET" && *p == "/agents");
    assert_eq!(agents, Some(2), "an overridden key keeps its place");
    assert_eq!(t[2].2, vec!["custom:list"]);
    assert_eq!(t.last().unwrap().1, "/custom/run");
    let claim = |s: &[&str]| serde_json::json!(s);
    assert!(matches!(
        check_access(&srv, Some(&claim(&["agents:read"])), "POST", "/custom/run"),
        Access::Forbidden { .. }
    ));
    assert_eq!(
        check_access(&srv, Some(&claim(&["custom:run"])), "POST", "/custom/run"),
        Access::Allowed
    );
    assert_eq!(
        check_access(&srv, Some(&claim(&[])), "GET", "/sessions"),
        Access::Allowed
    );
    assert!(srv.custom_scopes.contains(&"custom:run".to_string()));
}

#[test]
fn mounted_routes_from_openapi() {
    use super::deployment::parse_openapi;
    let doc = r#"{"paths": {"/agents": {"get": {}}, "/agents/{agent_id}/runs": {"post": {}},
        "/files/{path:path}": {"get": {}}}}"#;
    let srv = Server {
        routes: Some(parse_openapi(doc, "t").unwrap()),
        ..Server::default()
    };
    assert!(is_mounted(&srv, "GET", "/agents/"));
    assert!(is_mounted(&srv, "post", "/agents/a1/runs"));
    assert!(!is_mounted(&srv, "GET", "/agents/a1/runs"));
    assert!(!is_mounted(&srv, "GET", "/agnets"));
    assert!(is_mounted(&srv, "GET", "/files/a/b/c"));
    assert!(is_mounted(&srv, "GET", "/docs"));
    assert!(parse_openapi("[]", "t").is_err());
    assert!(parse_openapi("{", "t").is_err());
}

#[test]
fn body_gates() {
    use super::for_version;
    let srv = Server::default();
    let claim = |s: &[&str]| serde_json::json!(s);
    let evals = claim(&["evals:write", "agents:a1:run"]);
    assert_eq!(
        check_body(
            &srv,
            Some(&evals),
            "POST",
            "/eval-runs",
            Some(&serde_json::json!({"agent_id": "a1"}))
        ),
        BodyCheck::Allowed
    );
    assert_eq!(
        check_body(
            &srv,
            Some(&evals),
            "POST",
            "/eval-runs",
            Some(&serde_json::json!({"agent_id": "a2"}))
        ),
        BodyCheck::Forbidden {
            detail: "Access denied to run this agent".into(),
            required: vec!["agents:a2:run".into()]
        }
    );
    assert!(matches!(
        check_body(&srv, Some(&evals), "POST", "/eval-runs", None),
        BodyCheck::Unchecked { .. }
    ));
    let sched = claim(&["schedules:write", "teams:run"]);
    let body = |e: &str, m: &str| serde_json::json!({"endpoint": e, "method": m});
    assert_eq!(
        check_body(
            &srv,
            Some(&sched),
            "POST",
            "/schedules",
            Some(&body("/teams/t1/runs", "POST"))
        ),
        BodyCheck::Allowed
    );
    assert!(matches!(
        check_body(
            &srv,
            Some(&sched),
            "POST",
            "/schedules",
            Some(&body("/agents/a1/runs", "POST"))
        ),
        BodyCheck::Forbidden { .. }
    ));
    assert!(matches!(
        check_body(&srv, Some(&sched), "POST", "/schedules", Some(&body("/teams/t1/runs", "GET"))),
        BodyCheck::Forbidden { ref detail, .. } if detail.starts_with("Only admins")
    ));
    let old = Server::new(for_version("2.7.0").unwrap().profile);
    assert_eq!(
        check_body(&old, Some(&sched), "POST", "/schedules", None),
        BodyCheck::None
    );
}

#[test]
fn older_gates() {
    use super::for_version;
    let v2313 = Server::new(for_version("2.3.13").unwrap().profile);
    let none = serde_json::json!([]);
    // Before 2.7.0 an id-less request of a family passes to be filtered, any method.
    assert_eq!(
        check_access(&v2313, Some(&none), "DELETE", "/memories/agents"),
        Access::Allowed
    );
    assert_eq!(
        check_access(&v2313, Some(&none), "GET", "/sessions"),
        Access::Forbidden {
            detail: "Insufficient permissions".into(),
            required: vec!["sessions:read".into()]
        }
    );
    let latest = Server::default();
    assert!(matches!(
        check_access(&latest, Some(&none), "DELETE", "/memories/agents"),
        Access::Forbidden { .. }
    ));
}

#[test]
fn interface_prefixes_per_release() {
    use super::for_version;
    let routes = |extra: &[(&str, &str)]| -> Vec<(String, String)> {
        let mut r: Vec<(String, String)> = [
            ("GET", "/agents"),
            ("POST", "/a2a/agents/{id}/v1/message:send"),
            ("POST", "/chat/agui"),
            ("GET", "/chat/status"),
        ]
        .iter()
        .chain(extra)
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
        r.push(("GET".into(), "/info".into()));
        r
    };
    let served = |v: &str, extra: &[(&str, &str)]| {
        Server::new(for_version(v).unwrap().profile).with_routes(routes(extra))
    };
    let none = serde_json::json!([]);
    // 2.5.13-2.6.x: every prefixed interface is public; 2.5.13's list lacks /info.
    let v2513 = served("2.5.13", &[]);
    assert_eq!(
        check_access(&v2513, None, "POST", "/a2a/agents/a/v1/message:send"),
        Access::Public
    );
    assert_eq!(
        check_access(&v2513, None, "POST", "/chat/agui"),
        Access::Public
    );
    assert_ne!(check_access(&v2513, None, "GET", "/info"), Access::Public);
    assert_eq!(
        check_access(&served("2.5.14", &[]), None, "GET", "/info"),
        Access::Public
    );
    // 2.3.13: nothing excluded, nothing merged.
    let v2313 = served("2.3.13", &[]);
    assert_eq!(
        check_access(&v2313, Some(&none), "POST", "/chat/agui"),
        Access::Allowed
    );
    // 2.7.0 on: A2A and AG-UI stay behind auth with their mappings at the real prefix;
    // a self-authenticating Slack interface is excluded.
    let latest = served("3.1.10", &[("POST", "/slack/events")]);
    assert!(matches!(
        check_access(&latest, Some(&none), "POST", "/chat/agui"),
        Access::Forbidden { ref required, .. } if required == &vec!["agents:run".to_string()]
    ));
    assert_eq!(
        check_access(&latest, None, "POST", "/slack/events"),
        Access::Public
    );
    assert_ne!(
        check_access(&latest, None, "POST", "/a2a/agents/a/v1/message:send"),
        Access::Public
    );
}

#[test]
fn optional_routers_from_openapi() {
    use super::deployment::parse_openapi;
    let claim = |s: &[&str]| serde_json::json!(s);
    let doc = r#"{"paths": {"/agents": {"get": {}}, "/company/tasks": {"get": {}, "post": {}},
        "/users": {"get": {}}, "/queue/stats": {"get": {}}}}"#;
    let srv = Server::default().with_routes(parse_openapi(doc, "t").unwrap());
    let names: Vec<&str> = srv.optional_routers.iter().map(|r| r.name).collect();
    assert_eq!(names, ["job queue", "user directory", "company"]);
    // Company: its mappings join the map, its scopes are known.
    assert_eq!(
        check_access(
            &srv,
            Some(&claim(&["agents:read"])),
            "POST",
            "/company/tasks"
        ),
        Access::Forbidden {
            detail: "Insufficient permissions. Required scope(s): tasks:write".into(),
            required: vec!["tasks:write".into()],
        }
    );
    assert_eq!(
        check_access(
            &srv,
            Some(&claim(&["tasks:write"])),
            "POST",
            "/company/tasks"
        ),
        Access::Allowed
    );
    assert!(srv.knows_router_scope("tasks:write"));
    assert!(srv.knows_router_scope("wiki:*:read"));
    assert!(!srv.knows_router_scope("wiki:delete"));
    assert!(
        !srv.knows_router_scope("tasks:t1:read"),
        "no per-id tasks scopes"
    );
    assert!(!Server::default().knows_router_scope("tasks:write"));
    // The admin-only routers: the admin scope itself, nothing else.
    for (path, detail) in [
        ("/users", "Admin privileges required"),
        (
            "/queue/stats",
            "Job queue operations require an admin scope",
        ),
    ] {
        assert_eq!(
            check_access(&srv, Some(&claim(&["agent_os:admin"])), "GET", path),
            Access::Allowed
        );
        match check_access(
            &srv,
            Some(&claim(&["config:read", "agents:*:read"])),
            "GET",
            path,
        ) {
            Access::Forbidden { detail: d, .. } => assert_eq!(d, detail),
            other => panic!("{path}: {other:?}"),
        }
        assert!(matches!(
            router_gate(&srv, Some(&claim(&["agents:read"])), path),
            Access::Forbidden { .. }
        ));
    }
    // Not mounted: no gate, no company mapping.
    let plain = Server::default();
    assert_eq!(
        check_access(&plain, Some(&claim(&[])), "GET", "/users"),
        Access::Allowed
    );
    assert!(!is_mounted(&plain, "GET", "/users"));
}

#[test]
fn default_app_routes() {
    use super::deployment::parse_openapi;
    let srv = Server::default();
    assert!(is_mounted(&srv, "GET", "/agents"));
    assert!(is_mounted(&srv, "POST", "/agents/a1/runs"));
    assert!(
        !is_mounted(&srv, "GET", "/models"),
        "in the map, not served"
    );
    assert!(!is_mounted(&srv, "GET", "/company/tasks"));
    assert!(!is_mounted(&srv, "POST", "/a2a/agents/a1/v1/message:send"));
    // A switched-off feature answers under its prefix (503), so it is there.
    assert!(is_mounted(&srv, "GET", "/queue/stats"));
    // A custom mapping's route is one the app has added.
    let custom = vec![(
        "POST /custom/{x}".to_string(),
        vec!["custom:run".to_string()],
    )];
    let with_custom = Server::default().with_scope_mappings(&custom);
    assert!(is_mounted(&with_custom, "POST", "/custom/thing"));
    // The same rule for an OpenAPI document's disabled feature.
    let doc = r#"{"paths": {"/queue": {"get": {"operationId": "disabled_queue_get"}}}}"#;
    let routes = parse_openapi(doc, "t").unwrap();
    assert!(routes.contains(&("GET".to_string(), "/queue/{path:path}".to_string())));
    for p in super::PROFILES {
        assert!(
            p.default_app.lines().any(|l| l == "GET /agents"),
            "agno {}: default app without GET /agents",
            p.version
        );
    }
}

#[test]
fn the_mcp_server_is_served_only_when_told() {
    use super::for_version;
    let none = serde_json::json!([]);
    let at = |v: &str| Server::new(for_version(v).unwrap().profile);
    // Not in the OpenAPI document: without --mcp, /mcp is no route.
    let plain = Server::default();
    assert!(!is_mounted(&plain, "POST", "/mcp"));
    assert_eq!(plain.mcp_route("POST", "/mcp"), None);
    // With it: the transport, in no mapping (any valid token passes), and 3.0.9 on the
    // Server Card, public; the tool-run route 3.1.9 on.
    let latest = Server::default().with_mcp();
    for (m, p) in [
        ("POST", "/mcp"),
        ("GET", "/mcp"),
        ("DELETE", "/mcp"),
        ("GET", "/mcp/"),
    ] {
        assert!(is_mounted(&latest, m, p), "{m} {p}");
        assert_eq!(
            check_access(&latest, Some(&none), m, p),
            Access::Allowed,
            "{m} {p}"
        );
    }
    assert!(!is_mounted(&latest, "PUT", "/mcp"));
    assert!(!is_mounted(&latest, "GET", "/mcp/other"));
    assert_eq!(
        check_access(&latest, None, "GET", "/mcp/server-card"),
        Access::Public
    );
    assert!(is_mounted(
        &latest,
        "POST",
        "/mcp/server/tools/get_agents/run"
    ));
    assert_eq!(
        latest.mcp_route("POST", "/mcp/server/tools/get_agents/run?x=1"),
        Some("/mcp/server/tools/{tool_name}/run")
    );
    let v315 = at("3.1.7").with_mcp();
    assert!(!is_mounted(
        &v315,
        "POST",
        "/mcp/server/tools/get_agents/run"
    ));
    assert!(is_mounted(&v315, "GET", "/mcp/server-card"));
    // Before 3.0.9 no Server Card: a path under /mcp the MCP app does not serve.
    let v300 = at("3.0.0").with_mcp();
    assert!(!is_mounted(&v300, "GET", "/mcp/server-card"));
    assert_ne!(
        check_access(&v300, None, "GET", "/mcp/server-card"),
        Access::Public
    );
    assert!(at("2.6.22").profile.mcp.tools.is_empty());
    assert_eq!(at("2.7.0").profile.mcp.tools.len(), 8);
    // The card's exclusion makes app.py pass its own list: /info stays public with it.
    let v3011 = at("3.0.11").with_mcp();
    assert_eq!(check_access(&v3011, None, "GET", "/info"), Access::Public);
    assert_eq!(
        check_access(&v3011, None, "GET", "/mcp/server-card"),
        Access::Public
    );
    assert_ne!(
        check_access(&at("3.0.11"), None, "GET", "/mcp/server-card"),
        Access::Public
    );
}

#[test]
fn mcp_tool_calls_are_checked_as_their_rest_route() {
    use super::for_version;
    use super::mcp::{check_tool, ToolCall, ToolCheck};
    let call = |body: serde_json::Value| ToolCall::of_body(&body).unwrap();
    let rpc = |name: &str, args: serde_json::Value| {
        serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                           "params": {"name": name, "arguments": args}})
    };
    assert_eq!(
        ToolCall::of_body(&serde_json::json!({"method": "tools/list"})),
        None
    );
    let latest = Server::default().with_mcp();
    let reader = serde_json::json!(["agents:read"]);
    let runner = serde_json::json!(["agents:my-agent:run"]);
    let run = call(rpc(
        "run_agent",
        serde_json::json!({"agent_id": "my-agent", "message": "hi"}),
    ));
    assert_eq!(
        check_tool(&latest, Some(&reader), &run),
        ToolCheck::Refused {
            route: "POST /agents/my-agent/runs".into(),
            detail: "Error calling tool 'run_agent': Insufficient permissions. Required scope(s): agents:run".into(),
            required: vec!["agents:run".into()],
        }
    );
    assert!(matches!(
        check_tool(&latest, Some(&runner), &run),
        ToolCheck::Allowed { .. }
    ));
    // No listing escape: get_sessions needs sessions:read itself.
    let sessions = call(rpc("get_sessions", serde_json::json!({})));
    assert!(matches!(
        check_tool(&latest, Some(&reader), &sessions),
        ToolCheck::Refused { .. }
    ));
    // The default mappings, not the server's custom ones.
    let custom = latest
        .clone()
        .with_scope_mappings(&[("POST /agents/*/runs".into(), vec![])]);
    assert!(matches!(
        check_tool(&custom, Some(&reader), &run),
        ToolCheck::Refused { .. }
    ));
    // Exactly one component id for the lifecycle tools.
    let two = call(rpc(
        "cancel_run",
        serde_json::json!({"run_id": "r", "agent_id": "a", "team_id": "t"}),
    ));
    assert!(matches!(
        check_tool(&latest, Some(&reader), &two),
        ToolCheck::BadArguments { detail: Some(d), .. } if d.contains("Provide exactly one of agent_id")
    ));
    // authorization=False: the tools check nothing; before 2.7.0 they check nothing either.
    let mut open = latest.clone();
    open.authorization = false;
    assert!(matches!(
        check_tool(&open, Some(&reader), &run),
        ToolCheck::Allowed { .. }
    ));
    let old = Server::new(for_version("2.6.22").unwrap().profile).with_mcp();
    assert_eq!(check_tool(&old, Some(&reader), &run), ToolCheck::NotChecked);
    // The tool-run route names the tool in its path, the arguments in the body.
    let on_route = ToolCall::of_run_route(
        "/mcp/server/tools/run_agent/run",
        Some(&serde_json::json!({"arguments": {"agent_id": "my-agent", "message": "hi"}})),
    )
    .unwrap();
    assert_eq!(on_route, run);
    assert_eq!(ToolCall::of_run_route("/mcp/server/tools/x", None), None);
}

/// `AgentOS(public=PublicSurface(agents=[a], teams=[t]))`: what a request with and
/// without a token gets (read off agno 3.1.10's `_policy.py`, `_middleware.py`, jwt.py).
#[test]
fn public_surface() {
    use super::deployment::PublicSelection;
    use super::{verify, Config, Request, StaticKey};
    use crate::keys::{Alg, Key};

    let key = Key::generate(Alg::HS256, 0).unwrap();
    let signer = key.signer().unwrap();
    let mint = |claims: Value| {
        let Value::Object(c) = claims else { panic!() };
        let Value::Object(h) = serde_json::json!({"alg": "HS256"}) else {
            panic!()
        };
        crate::token::encode(&h, &c, &signer).unwrap()
    };
    let sel = PublicSelection {
        agents: vec!["a".into()],
        teams: vec!["t".into()],
        mcp: false,
    };
    let cfg = |server: Server| Config {
        alg: Alg::HS256,
        static_keys: vec![StaticKey {
            label: "k".into(),
            text: key.secret().unwrap().to_string(),
        }],
        jwks: None,
        audience: None,
        issuer: None,
        now: 1_000_000.0,
        roles: None,
        server,
    };
    let on = cfg(Server::default().with_public(sel.clone()).unwrap());
    let ask = |c: &Config, token: &str, req: &str| {
        let v = verify(token, c, Some(&Request::parse(req).unwrap()));
        let mut s = format!("{}", v.status);
        if let Some(code) = &v.error_code {
            s.push_str(&format!(" {code}"));
        }
        if let Some(d) = &v.detail {
            s.push_str(&format!(" {d}"));
        }
        if let Some(ids) = &v.visible_ids {
            s.push_str(&format!(" [{}]", ids.join(",")));
        }
        s
    };
    let uuid = "0b9e7f5c-4a4e-4c61-9a53-1d2b7c1e8f00";
    #[rustfmt::skip]
    let anonymous: &[(&str, String)] = &[
        ("POST /agents/a/runs", "200".into()),
        ("POST /teams/t/runs", "200".into()),
        ("POST /agents/b/runs", "401 Authorization header missing".into()),
        ("POST /workflows/w/runs", "401 Authorization header missing".into()),
        ("POST /agents/a/runs?stream=false", "400 query_overrides_not_allowed".into()),
        ("POST /agents/a/runs/x1/cancel", "400 invalid_handle".into()),
        (&*format!("POST /agents/a/runs/{uuid}/cancel"), "200".into()),
        (&*format!("POST /agents/a/runs/{uuid}/continue"), "401 Authorization header missing".into()),
        ("GET /agents", "200 [a]".into()),
        ("GET /teams", "200 [t]".into()),
        ("GET /workflows", "401 Authorization header missing".into()),
        ("GET /agents/a", "401 Authorization header missing".into()),
        ("GET /info", "200".into()),
        ("GET /health", "200".into()),
        ("GET /readyz", "200".into()),
        ("GET /docs", "401 Authorization header missing".into()),
        ("GET /openapi.json", "401 Authorization header missing".into()),
        ("GET /sessions", "401 Authorization header missing".into()),
        ("POST /", "404 not_found".into()),
    ];
    for (req, want) in anonymous {
        assert_eq!(&ask(&on, "", req), want, "no token, {req}");
    }
    // A verified JWT gets the normal REST API and its scopes; a bad one is 401 even on
    // the public routes (the auth middleware reads it).
    let admin = mint(serde_json::json!({"scopes": ["agent_os:admin"]}));
    let read = mint(serde_json::json!({"scopes": ["agents:read"]}));
    let expired = mint(serde_json::json!({"exp": 1}));
    assert_eq!(ask(&on, &admin, "GET /agents"), "200");
    assert_eq!(ask(&on, &admin, "POST /agents/b/runs"), "200");
    assert_eq!(ask(&on, &admin, "GET /docs"), "200");
    assert_eq!(ask(&on, &admin, "GET /readyz"), "200");
    assert_eq!(
        ask(&on, &read, "POST /agents/a/runs"),
        "403 Insufficient permissions. Required scope(s): agents:run"
    );
    assert_eq!(ask(&on, &expired, "GET /health"), "401 Token has expired");
    assert_eq!(
        ask(&on, &expired, "POST /agents/a/runs"),
        "401 Token has expired"
    );
    // A service-account token: checked against the surface's PostgresDb, undecided offline.
    assert_eq!(ask(&on, "agno_pat_x", "GET /sessions"), "0");
    // Two Authorization headers: said in the context of every verdict.
    let v = verify("", &on, Some(&Request::parse("GET /agents").unwrap()));
    assert!(v
        .context
        .iter()
        .any(|n| n.contains("\"Ambiguous Authorization header\"")));
    // authorization=False (a key alone): the public middleware takes no caller as
    // verified, so a valid token gets the anonymous answers.
    let plain = Server {
        authorization: false,
        ..Server::default()
    };
    let off = cfg(plain.with_public(sel.clone()).unwrap());
    assert_eq!(ask(&off, &admin, "GET /sessions"), "404 not_found");
    assert_eq!(ask(&off, &admin, "GET /agents"), "200 [a]");
    assert_eq!(ask(&off, &admin, "GET /info"), "404 not_found");
    assert_eq!(ask(&off, "", "GET /info"), "404 not_found");
    assert_eq!(
        ask(&off, "", "GET /agents"),
        "401 Authorization header missing"
    );
    assert_eq!(ask(&off, &admin, "POST /agents/a/runs"), "200");
    // Public MCP (it turns the MCP server on): /mcp for anyone, the tool runner (3.1.9
    // on) is no public path; without it, a JWT caller's /mcp is 404 (the public
    // middleware answers MCP paths itself).
    let mcp = cfg(Server::default()
        .with_public(PublicSelection {
            mcp: true,
            ..sel.clone()
        })
        .unwrap());
    assert_eq!(ask(&mcp, "", "POST /mcp"), "200");
    assert_eq!(ask(&mcp, "", "GET /mcp/server-card"), "200");
    assert_eq!(ask(&mcp, "", "POST /mcp/server-card"), "404 not_found");
    assert_eq!(
        ask(&mcp, "", "POST /mcp/server/tools/get_agents/run"),
        "401 Authorization header missing"
    );
    assert_eq!(ask(&mcp, &admin, "POST /mcp"), "200");
    let card = cfg(Server::default()
        .with_mcp()
        .with_public(sel.clone())
        .unwrap());
    assert_eq!(ask(&card, &admin, "POST /mcp"), "404 not_found");
    assert_eq!(ask(&card, "", "GET /mcp/server-card"), "404 not_found");
    // Per release: none before 3.0.9; 3.0.9 on the same rules.
    let old = super::for_version("3.0.8").unwrap().profile;
    let e = Server::new(old).with_public(sel.clone()).unwrap_err();
    assert!(e.to_string().contains("3.0.9"), "{e}");
    for v in ["3.0.9", "3.1.0", "3.1.4", "3.1.8", "3.1.9"] {
        let p = super::for_version(v).unwrap().profile;
        assert!(p.public.is_some(), "agno {v}");
    }
    assert!(Server::default()
        .with_public(PublicSelection {
            agents: vec!["a b".into()],
            ..Default::default()
        })
        .is_err());
}
