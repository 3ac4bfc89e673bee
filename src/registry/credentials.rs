//! The user's Docker credentials for a registry: `config.json` in the
//! Docker config folder (`auths`, `credsStore`, `credHelpers`, run through
//! the `docker_credential` crate, which also calls `docker-credential-*`
//! helpers).
//!
//! Must not know HTTP or where the config folder is (the caller resolves
//! `DOCKER_CONFIG` / `~/.docker` once, in `app`). Never logs a secret.

use std::path::Path;

/// A credential for one registry.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Credential {
    Basic {
        user: String,
        password: String,
    },
    /// An identity token (`docker login` with an OAuth2 refresh token).
    IdentityToken(String),
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credential::Basic { user, .. } => write!(f, "Basic({user}, ***)"),
            Credential::IdentityToken(_) => f.write_str("IdentityToken(***)"),
        }
    }
}

/// The key Docker files a registry's credentials under: Docker Hub's is
/// the historical index URL, every other registry's its `host[:port]`.
pub(crate) fn server_key(registry: &str) -> String {
    if registry == "docker.io" || registry == "index.docker.io" {
        "https://index.docker.io/v1/".to_owned()
    } else {
        registry.to_owned()
    }
}

/// The credential for `registry`, `Ok(None)` when none is configured (or
/// there is no config file), `Err` with a sentence when the config or a
/// helper failed.
pub(crate) fn lookup(
    config_dir: Option<&Path>,
    registry: &str,
) -> Result<Option<Credential>, String> {
    let Some(dir) = config_dir else {
        return Ok(None);
    };
    let path = dir.join("config.json");
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    use docker_credential::{CredentialRetrievalError as E, DockerCredential};
    match docker_credential::get_credential_from_reader(
        std::io::BufReader::new(file),
        &server_key(registry),
    ) {
        Ok(DockerCredential::UsernamePassword(user, password)) => {
            Ok(Some(Credential::Basic { user, password }))
        }
        Ok(DockerCredential::IdentityToken(t)) => Ok(Some(Credential::IdentityToken(t))),
        Err(E::NoCredentialConfigured) => Ok(None),
        // The helper's own output may hold secrets: name the helper only.
        Err(E::HelperFailure { helper, .. }) => Err(format!(
            "the credential helper {helper} failed for {registry}"
        )),
        Err(e) => Err(format!("{} ({}): {e}", path.display(), registry)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_hub_uses_the_index_url_as_key() {
        assert_eq!(server_key("docker.io"), "https://index.docker.io/v1/");
        assert_eq!(server_key("127.0.0.1:5000"), "127.0.0.1:5000");
    }

    #[test]
    fn auths_entries_are_read_and_missing_files_are_no_credential() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(lookup(Some(dir.path()), "r.example"), Ok(None));
        // "alice:s3cret"
        std::fs::write(
            dir.path().join("config.json"),
            r#"{"auths":{"r.example":{"auth":"YWxpY2U6czNjcmV0"}}}"#,
        )
        .unwrap();
        assert_eq!(
            lookup(Some(dir.path()), "r.example"),
            Ok(Some(Credential::Basic {
                user: "alice".to_owned(),
                password: "s3cret".to_owned()
            }))
        );
        assert_eq!(lookup(Some(dir.path()), "other.example"), Ok(None));
        let shown = format!("{:?}", lookup(Some(dir.path()), "r.example"));
        assert!(!shown.contains("s3cret"), "{shown}");
    }

    #[test]
    fn a_broken_config_is_an_error_sentence() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.json"), "{not json").unwrap();
        assert!(lookup(Some(dir.path()), "r.example").is_err());
    }
}
