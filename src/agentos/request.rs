//! The request a verdict is about: `METHOD /path` and its body.

use serde_json::Value;

use crate::error::{Error, Result};

/// "METHOD /path".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// The JSON body (`--body`), for the routes whose handler checks it.
    pub body: Option<Value>,
}

impl Request {
    /// Parses "GET /agents" (method case-insensitive; the path must start with '/').
    pub fn parse(s: &str) -> Result<Request> {
        let mut words = s.split_whitespace();
        let (Some(method), Some(path), None) = (words.next(), words.next(), words.next()) else {
            return Err(Error::input(format!("invalid --request {s:?}"))
                .hint("write METHOD /path, e.g. --request \"POST /agents/my-agent/runs\""));
        };
        if !method.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(
                Error::input(format!("invalid HTTP method {method:?} in --request"))
                    .hint("e.g. GET, POST, PATCH, DELETE"),
            );
        }
        if !path.starts_with('/') {
            return Err(Error::input(format!(
                "invalid path {path:?} in --request: must start with '/'"
            ))
            .hint("e.g. --request \"GET /agents\""));
        }
        Ok(Request {
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            body: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_parse() {
        assert_eq!(
            Request::parse("post /agents/a/runs").unwrap(),
            Request {
                method: "POST".into(),
                path: "/agents/a/runs".into(),
                body: None,
            }
        );
        assert!(Request::parse("GET agents").is_err());
        assert!(Request::parse("/agents").is_err());
    }
}
