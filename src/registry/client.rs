//! A minimal, blocking client of the OCI distribution API: `GET
//! /v2/<name>/manifests/<reference>` and `GET /v2/<name>/blobs/<digest>`,
//! with the registry's authentication challenge answered the way Docker
//! does (Basic, or a Bearer token from the challenge's realm).
//!
//! Why not an OCI client crate: the maintained ones (`oci-client`) are
//! async and bring tokio, hyper and reqwest for what is here two or three
//! sequential GETs per image; `ureq` keeps the compile cost small on the
//! 2-core CI. What this implements: the distribution spec's pull of a
//! manifest and a blob, the token flow of the distribution "token
//! authentication specification" (realm/service/scope, GET with Basic
//! credentials, or POST with an identity token as refresh token).
//!
//! Must not know findings, caching or how manifests are read (that is
//! `manifest.rs`); never panics on odd answers and never logs a secret.

use super::credentials::{self, Credential};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

/// Largest manifest we read (the distribution registry's own limit is 4 MiB).
pub(crate) const MANIFEST_LIMIT: u64 = 4 * 1024 * 1024;
/// Largest image config we read (Windows configs are a few KiB; history
/// lines can make them larger).
pub(crate) const CONFIG_LIMIT: u64 = 8 * 1024 * 1024;

/// Why a registry request failed, in terms a warning can say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FetchError {
    /// 401; `with_credentials` says whether we had any to offer.
    Unauthorized {
        with_credentials: bool,
    },
    Forbidden,
    NotFound,
    RateLimited,
    Status(u16),
    Timeout,
    Unreachable(String),
    /// The answer could not be used (too large, digest mismatch, bad JSON).
    Invalid(String),
    /// The Docker config or a credential helper failed.
    Credentials(String),
}

/// Where a registry is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoint {
    /// The registry as the reference names it (`docker.io`, `127.0.0.1:5000`).
    pub registry: String,
    /// `https://host[:port]` or `http://…`.
    pub base: String,
    pub plain_http: bool,
}

/// Whether `host[:port]` is on the loopback interface (`localhost`,
/// 127.0.0.0/8, `::1`), which Docker reaches over plain HTTP.
pub(crate) fn is_loopback(registry: &str) -> bool {
    let host = if let Some(rest) = registry.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        registry.rsplit_once(':').map_or(registry, |(h, _)| h)
    };
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    host.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

/// The endpoint for a registry: HTTPS, except loopback and the registries
/// named with `--insecure-registry` (`host` or `host:port`).
pub(crate) fn endpoint(registry: &str, insecure: &[String]) -> Endpoint {
    let api_host = if registry == "docker.io" || registry == "index.docker.io" {
        "registry-1.docker.io"
    } else {
        registry
    };
    let host_only = registry.rsplit_once(':').map_or(registry, |(h, _)| h);
    // `--insecure-registry http://r.lan:5000/` is taken as `r.lan:5000`.
    let plain_http = is_loopback(registry)
        || insecure.iter().any(|i| {
            let i = i
                .trim()
                .trim_start_matches("http://")
                .trim_start_matches("https://")
                .trim_end_matches('/');
            i.eq_ignore_ascii_case(registry) || i.eq_ignore_ascii_case(host_only)
        });
    Endpoint {
        registry: registry.to_owned(),
        base: format!("{}://{api_host}", if plain_http { "http" } else { "https" }),
        plain_http,
    }
}

/// A response body with the headers we use.
pub(crate) struct Fetched {
    pub body: Vec<u8>,
    pub content_type: String,
    /// `sha256:<hex>` of the body as received.
    pub digest: String,
}

/// The registry client for one run.
pub(crate) struct Client {
    /// Through the proxy of `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` (minus
    /// `NO_PROXY`), as ureq reads them and as Docker honours them.
    agent: ureq::Agent,
    /// Never through a proxy: for loopback registries (as Docker).
    direct: ureq::Agent,
    docker_config: Option<PathBuf>,
    insecure: Vec<String>,
    /// `Authorization` values that worked, per registry and repository.
    auth: HashMap<(String, String), String>,
}

/// `sha256:<hex>` of `bytes`.
pub(crate) fn sha256_digest(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

impl Client {
    pub(crate) fn new(
        timeout: Duration,
        docker_config: Option<PathBuf>,
        insecure: Vec<String>,
    ) -> Self {
        let config = |proxy: bool| {
            let builder = ureq::Agent::config_builder()
                .timeout_global(Some(timeout))
                .http_status_as_error(false)
                .max_redirects(5)
                .user_agent(concat!("wincompat/", env!("CARGO_PKG_VERSION")));
            if proxy {
                builder.build()
            } else {
                builder.proxy(None).build()
            }
        };
        Client {
            agent: config(true).into(),
            direct: config(false).into(),
            docker_config,
            insecure,
            auth: HashMap::new(),
        }
    }

    /// GET a manifest by tag or digest.
    pub(crate) fn manifest(
        &mut self,
        ep: &Endpoint,
        repository: &str,
        reference: &str,
    ) -> Result<Fetched, FetchError> {
        let path = format!("/v2/{repository}/manifests/{reference}");
        self.get(
            ep,
            repository,
            &path,
            Some(super::manifest::ACCEPT),
            MANIFEST_LIMIT,
        )
    }

    /// GET a blob; its digest is checked.
    pub(crate) fn blob(
        &mut self,
        ep: &Endpoint,
        repository: &str,
        digest: &str,
    ) -> Result<Fetched, FetchError> {
        let path = format!("/v2/{repository}/blobs/{digest}");
        let got = self.get(ep, repository, &path, None, CONFIG_LIMIT)?;
        if digest.starts_with("sha256:") && got.digest != digest {
            return Err(FetchError::Invalid(format!(
                "the blob {digest} arrived with digest {}",
                got.digest
            )));
        }
        Ok(got)
    }

    fn get(
        &mut self,
        ep: &Endpoint,
        repository: &str,
        path: &str,
        accept: Option<&str>,
        limit: u64,
    ) -> Result<Fetched, FetchError> {
        let url = format!("{}{path}", ep.base);
        let key = (ep.registry.clone(), repository.to_owned());
        let known = self.auth.get(&key).cloned();
        let mut resp = self.send(&url, accept, known.as_deref())?;
        let mut offered_credentials = false;
        if resp.status().as_u16() == 401 && known.is_none() {
            let challenge = resp
                .headers()
                .get("www-authenticate")
                .and_then(|v| v.to_str().ok())
                .map(Challenge::parse);
            let credential = credentials::lookup(self.docker_config.as_deref(), &ep.registry)
                .map_err(FetchError::Credentials)?;
            offered_credentials = credential.is_some();
            let header = match challenge {
                Some(Challenge::Bearer { realm, service }) => {
                    let scope = format!("repository:{repository}:pull");
                    Some(self.token(&realm, service.as_deref(), &scope, credential.as_ref())?)
                }
                Some(Challenge::Basic) | None => match &credential {
                    Some(Credential::Basic { user, password }) => Some(format!(
                        "Basic {}",
                        base64::engine::general_purpose::STANDARD
                            .encode(format!("{user}:{password}"))
                    )),
                    _ => None,
                },
            };
            let Some(header) = header else {
                return Err(FetchError::Unauthorized {
                    with_credentials: false,
                });
            };
            resp = self.send(&url, accept, Some(&header))?;
            if resp.status().is_success() {
                self.auth.insert(key, header);
            }
        }
        let status = resp.status().as_u16();
        match status {
            200..=299 => {}
            401 => {
                return Err(FetchError::Unauthorized {
                    with_credentials: offered_credentials || known.is_some(),
                })
            }
            403 => return Err(FetchError::Forbidden),
            404 => return Err(FetchError::NotFound),
            429 => return Err(FetchError::RateLimited),
            _ => return Err(FetchError::Status(status)),
        }
        let content_type = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = resp
            .body_mut()
            .with_config()
            .limit(limit)
            .read_to_vec()
            .map_err(transport)?;
        let digest = sha256_digest(&body);
        Ok(Fetched {
            body,
            content_type,
            digest,
        })
    }

    /// The agent for `url`: direct for loopback hosts.
    fn agent_for(&self, url: &str) -> &ureq::Agent {
        let host = url
            .split_once("://")
            .map(|(_, rest)| rest.split('/').next().unwrap_or_default())
            .unwrap_or_default();
        if is_loopback(host) {
            &self.direct
        } else {
            &self.agent
        }
    }

    fn send(
        &self,
        url: &str,
        accept: Option<&str>,
        authorization: Option<&str>,
    ) -> Result<ureq::http::Response<ureq::Body>, FetchError> {
        let mut req = self.agent_for(url).get(url);
        if let Some(a) = accept {
            req = req.header("Accept", a);
        }
        if let Some(a) = authorization {
            req = req.header("Authorization", a);
        }
        req.call().map_err(transport)
    }

    /// A Bearer token from the challenge's realm (distribution token spec).
    fn token(
        &self,
        realm: &str,
        service: Option<&str>,
        scope: &str,
        credential: Option<&Credential>,
    ) -> Result<String, FetchError> {
        // Credentials go only where Docker would send them: HTTPS, or a
        // loopback/insecure-registry realm.
        let realm_host = realm
            .split_once("://")
            .map(|(_, rest)| rest.split('/').next().unwrap_or_default())
            .unwrap_or_default();
        let secure =
            realm.starts_with("https://") || endpoint(realm_host, &self.insecure).plain_http;
        let credential = credential.filter(|_| secure);
        let resp = match credential {
            Some(Credential::IdentityToken(refresh)) => {
                let mut form = vec![
                    ("grant_type", "refresh_token"),
                    ("refresh_token", refresh.as_str()),
                    ("scope", scope),
                    ("client_id", "wincompat"),
                ];
                if let Some(s) = service {
                    form.push(("service", s));
                }
                self.agent_for(realm).post(realm).send_form(form)
            }
            other => {
                let mut req = self.agent_for(realm).get(realm).query("scope", scope);
                if let Some(s) = service {
                    req = req.query("service", s);
                }
                if let Some(Credential::Basic { user, password }) = other {
                    req = req.header(
                        "Authorization",
                        format!(
                            "Basic {}",
                            base64::engine::general_purpose::STANDARD
                                .encode(format!("{user}:{password}"))
                        ),
                    );
                }
                req.call()
            }
        }
        .map_err(transport)?;
        let mut resp = resp;
        match resp.status().as_u16() {
            200..=299 => {}
            401 => {
                return Err(FetchError::Unauthorized {
                    with_credentials: credential.is_some(),
                })
            }
            403 => return Err(FetchError::Forbidden),
            429 => return Err(FetchError::RateLimited),
            s => return Err(FetchError::Status(s)),
        }
        let body = resp
            .body_mut()
            .with_config()
            .limit(1024 * 1024)
            .read_to_vec()
            .map_err(transport)?;
        #[derive(serde::Deserialize)]
        struct Token {
            #[serde(default)]
            token: Option<String>,
            #[serde(default)]
            access_token: Option<String>,
        }
        let t: Token = serde_json::from_slice(&body)
            .map_err(|e| FetchError::Invalid(format!("the token answer is not JSON: {e}")))?;
        t.token
            .or(t.access_token)
            .filter(|t| !t.is_empty())
            .map(|t| format!("Bearer {t}"))
            .ok_or_else(|| FetchError::Invalid("the token answer has no token".to_owned()))
    }
}

fn transport(e: ureq::Error) -> FetchError {
    match e {
        ureq::Error::Timeout(_) => FetchError::Timeout,
        ureq::Error::BodyExceedsLimit(n) => {
            FetchError::Invalid(format!("the answer is larger than {n} bytes"))
        }
        ureq::Error::StatusCode(s) => FetchError::Status(s),
        other => FetchError::Unreachable(other.to_string()),
    }
}

/// A `WWW-Authenticate` challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Challenge {
    Basic,
    Bearer {
        realm: String,
        service: Option<String>,
    },
}

impl Challenge {
    /// `Bearer realm="https://auth.example/token",service="r.example",scope="repository:a:pull"`
    /// or `Basic realm="Registry Realm"`.
    fn parse(header: &str) -> Challenge {
        let header = header.trim();
        let (scheme, rest) = header.split_once(' ').unwrap_or((header, ""));
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Challenge::Basic;
        }
        let params = auth_params(rest);
        let get = |k: &str| {
            params
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(k))
                .map(|(_, v)| v.clone())
        };
        match get("realm") {
            Some(realm) => Challenge::Bearer {
                realm,
                service: get("service"),
            },
            None => Challenge::Basic,
        }
    }
}

/// `key="value", key=value` pairs; commas inside quotes stay in the value.
fn auth_params(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ',' || c.is_whitespace()) {
            chars.next();
        }
        let key: String = chars.by_ref().take_while(|c| *c != '=').collect();
        if key.is_empty() {
            break;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        if let Some(n) = chars.next() {
                            value.push(n);
                        }
                    }
                    '"' => break,
                    _ => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.peek() {
                if *c == ',' {
                    break;
                }
                value.push(*c);
                chars.next();
            }
        }
        out.push((key.trim().to_owned(), value.trim().to_owned()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_and_insecure_registries_use_plain_http() {
        for r in [
            "localhost:5000",
            "127.0.0.1:5000",
            "127.1.2.3",
            "[::1]:5000",
            "localhost",
        ] {
            assert!(endpoint(r, &[]).plain_http, "{r}");
        }
        for r in [
            "mcr.microsoft.com",
            "10.0.0.5:5000",
            "localhost.example.com",
        ] {
            assert!(!endpoint(r, &[]).plain_http, "{r}");
        }
        let insecure = vec!["registry.lan".to_owned(), "10.0.0.5:5000".to_owned()];
        assert!(endpoint("registry.lan:5000", &insecure).plain_http);
        assert!(endpoint("10.0.0.5:5000", &insecure).plain_http);
        assert!(!endpoint("10.0.0.5:6000", &insecure).plain_http);
        let with_scheme = vec!["http://registry.lan:5000/".to_owned()];
        assert!(endpoint("registry.lan:5000", &with_scheme).plain_http);
        assert_eq!(
            endpoint("docker.io", &[]).base,
            "https://registry-1.docker.io"
        );
    }

    #[test]
    fn challenges_are_read() {
        assert_eq!(
            Challenge::parse(
                r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/a:pull,push""#
            ),
            Challenge::Bearer {
                realm: "https://auth.docker.io/token".to_owned(),
                service: Some("registry.docker.io".to_owned())
            }
        );
        assert_eq!(
            Challenge::parse(r#"Basic realm="Registry Realm""#),
            Challenge::Basic
        );
        assert_eq!(Challenge::parse("Bearer"), Challenge::Basic);
        assert_eq!(Challenge::parse(""), Challenge::Basic);
        let p = auth_params(r#"a="x,y", b=z ,c="q\"r""#);
        assert_eq!(
            p,
            [
                ("a".to_owned(), "x,y".to_owned()),
                ("b".to_owned(), "z".to_owned()),
                ("c".to_owned(), "q\"r".to_owned())
            ]
        );
    }

    #[test]
    fn digests_are_sha256_of_the_bytes() {
        assert_eq!(
            sha256_digest(b""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
