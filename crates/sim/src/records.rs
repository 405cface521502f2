//! What one simulated request leaves behind before it is written: spans and log
//! records in a neutral form (the writers turn them into OTLP/JSON). Kept small and
//! per-request so memory stays bounded.

use crate::fleet::ResKey;

/// An attribute value.
#[derive(Debug, Clone)]
pub(crate) enum Val {
    S(String),
    I(i64),
    F(f64),
    B(bool),
    A(Vec<String>),
}

/// A key-value attribute.
#[derive(Debug, Clone)]
pub(crate) struct Attr {
    pub key: &'static str,
    pub val: Val,
}

pub(crate) fn s(key: &'static str, v: impl Into<String>) -> Attr {
    Attr {
        key,
        val: Val::S(v.into()),
    }
}

pub(crate) fn i(key: &'static str, v: i64) -> Attr {
    Attr {
        key,
        val: Val::I(v),
    }
}

pub(crate) fn f(key: &'static str, v: f64) -> Attr {
    Attr {
        key,
        val: Val::F(v),
    }
}

pub(crate) fn b(key: &'static str, v: bool) -> Attr {
    Attr {
        key,
        val: Val::B(v),
    }
}

pub(crate) fn a(key: &'static str, v: Vec<String>) -> Attr {
    Attr {
        key,
        val: Val::A(v),
    }
}

/// Span kinds as OTLP numbers them.
pub(crate) const INTERNAL: u8 = 1;
pub(crate) const SERVER: u8 = 2;
pub(crate) const CLIENT: u8 = 3;

/// A span status.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Status {
    Unset,
    Error(String),
}

/// A span event (exceptions).
#[derive(Debug, Clone)]
pub(crate) struct EventRec {
    pub name: &'static str,
    pub time: i64,
    pub attrs: Vec<Attr>,
}

/// One span.
#[derive(Debug, Clone)]
pub(crate) struct SpanRec {
    pub res: ResKey,
    pub scope: &'static str,
    pub id: String,
    pub parent: Option<String>,
    pub name: String,
    pub kind: u8,
    pub start: i64,
    pub end: i64,
    pub attrs: Vec<Attr>,
    pub events: Vec<EventRec>,
    pub status: Status,
}

/// Log severities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sev {
    Info,
    Warn,
    Error,
}

impl Sev {
    pub(crate) fn number(self) -> i32 {
        match self {
            Sev::Info => 9,
            Sev::Warn => 13,
            Sev::Error => 17,
        }
    }

    pub(crate) fn text(self) -> &'static str {
        match self {
            Sev::Info => "INFO",
            Sev::Warn => "WARN",
            Sev::Error => "ERROR",
        }
    }
}

/// One log record.
#[derive(Debug, Clone)]
pub(crate) struct LogRec {
    pub res: ResKey,
    pub scope: String,
    pub time: i64,
    pub sev: Sev,
    pub body: String,
    pub attrs: Vec<Attr>,
    pub span: Option<String>,
    pub trace: bool,
}
