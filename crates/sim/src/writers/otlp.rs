//! The parts of the OTLP/JSON encoding shared by traces, logs and metrics: `KeyValue`
//! and `AnyValue` with the protobuf JSON mapping (int64 as decimal strings), and the
//! resource attributes of a pod (service, version, environment, cloud region, k8s
//! names, host, SDK).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::fleet::{Fleet, ResKey};
use crate::records::{Attr, Val};
use crate::semconv::Semconv;
use crate::system::{Lang, System};

/// OTLP `AnyValue`.
#[derive(Debug, Clone, Serialize)]
pub(crate) enum AnyValue {
    #[serde(rename = "stringValue")]
    Str(String),
    #[serde(rename = "intValue")]
    Int(String),
    #[serde(rename = "doubleValue")]
    Double(f64),
    #[serde(rename = "boolValue")]
    Bool(bool),
    #[serde(rename = "arrayValue")]
    Array(ArrayValue),
}

/// OTLP `ArrayValue`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ArrayValue {
    pub values: Vec<AnyValue>,
}

/// OTLP `KeyValue`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct KeyValue {
    pub key: String,
    pub value: AnyValue,
}

/// OTLP `InstrumentationScope`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Scope {
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub version: String,
}

/// OTLP `Resource`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Resource {
    pub attributes: Vec<KeyValue>,
}

pub(crate) fn kv(a: &Attr) -> KeyValue {
    KeyValue {
        key: a.key.to_string(),
        value: any(&a.val),
    }
}

pub(crate) fn kv_str(key: &str, v: &str) -> KeyValue {
    KeyValue {
        key: key.to_string(),
        value: AnyValue::Str(v.to_string()),
    }
}

pub(crate) fn any(v: &Val) -> AnyValue {
    match v {
        Val::S(s) => AnyValue::Str(s.clone()),
        Val::I(i) => AnyValue::Int(i.to_string()),
        Val::F(f) => AnyValue::Double(*f),
        Val::B(b) => AnyValue::Bool(*b),
        Val::A(items) => AnyValue::Array(ArrayValue {
            values: items.iter().map(|s| AnyValue::Str(s.clone())).collect(),
        }),
    }
}

/// Builds (and caches) resource attributes per pod.
pub(crate) struct Resources<'a> {
    sys: &'a System,
    fleet: &'a Fleet,
    sc: Semconv,
    cache: BTreeMap<ResKey, Resource>,
}

impl<'a> Resources<'a> {
    pub(crate) fn new(sys: &'a System, fleet: &'a Fleet) -> Self {
        Resources {
            sys,
            fleet,
            sc: Semconv {
                old: sys.formats.old_semconv,
            },
            cache: BTreeMap::new(),
        }
    }

    pub(crate) fn get(&mut self, key: ResKey) -> Resource {
        if let Some(r) = self.cache.get(&key) {
            return r.clone();
        }
        let sys = self.sys;
        let svc = &sys.services[key.svc as usize];
        let gen = self.fleet.generation(key);
        let region = &sys.regions[key.region as usize];
        let lang = match svc.lang {
            Lang::Java => "java",
            Lang::Go => "go",
        };
        let sdk = match svc.lang {
            Lang::Java => "1.44.1",
            Lang::Go => "1.33.0",
        };
        let attrs = vec![
            kv_str("service.name", &svc.name),
            kv_str("service.version", &gen.version),
            kv_str("service.namespace", sys.company),
            kv_str(self.sc.environment(), sys.env),
            kv_str("cloud.provider", "aws"),
            kv_str("cloud.region", region.name),
            kv_str("k8s.namespace.name", &sys.namespace),
            kv_str("k8s.deployment.name", &svc.name),
            kv_str(
                "k8s.pod.name",
                &gen.pods[key.region as usize][key.pod as usize],
            ),
            kv_str(
                "host.name",
                &gen.nodes[key.region as usize][key.pod as usize],
            ),
            kv_str("telemetry.sdk.name", "opentelemetry"),
            kv_str("telemetry.sdk.language", lang),
            kv_str("telemetry.sdk.version", sdk),
        ];
        let r = Resource { attributes: attrs };
        self.cache.insert(key, r.clone());
        r
    }
}

/// Scope version for a scope name.
pub(crate) fn scope_version(name: &str) -> String {
    if name.starts_with("io.opentelemetry.") {
        "2.10.0-alpha".to_string()
    } else if name.starts_with("go.opentelemetry.io") {
        "0.58.0".to_string()
    } else if name.starts_with("github.com/XSAM") {
        "0.36.0".to_string()
    } else if name.starts_with("github.com/redis") {
        "9.7.0".to_string()
    } else {
        String::new()
    }
}
