//! The krew plugin manifest (`plugins/krew/wincompat.yaml`): a valid
//! Plugin once krew-release-bot fills its template lines, and on every
//! platform the binary is installed under the name that makes it behave as
//! `kubectl wincompat` (argv[0] `kubectl-wincompat`).
//!
//! See: issue 11.

use serde_json::Value;

fn manifest() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/plugins/krew/wincompat.yaml"
    ))
    .expect("read the krew manifest");
    // What the release bot does: `{{addURIAndSha URL TAG}}` → uri + sha256.
    let rendered: String = text
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if let Some(rest) = trimmed.strip_prefix("{{addURIAndSha \"") {
                let indent = &line[..line.len() - trimmed.len()];
                let url = rest.split('"').next().unwrap_or("");
                format!(
                    "{indent}uri: {}\n{indent}sha256: {}",
                    url.replace("{{ .TagName }}", "v0.1.0"),
                    "0".repeat(64)
                )
            } else {
                line.replace("{{ .TagName }}", "v0.1.0")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    serde_yaml_ng::from_str(&rendered).expect("the rendered manifest is YAML")
}

#[test]
fn krew_manifest_is_a_plugin_named_wincompat() {
    let m = manifest();
    assert_eq!(
        m["apiVersion"],
        "krew.googlecontainertools.github.com/v1alpha2"
    );
    assert_eq!(m["kind"], "Plugin");
    assert_eq!(m["metadata"]["name"], "wincompat");
    assert_eq!(m["spec"]["version"], "v0.1.0");
    assert!(m["spec"]["shortDescription"]
        .as_str()
        .is_some_and(|s| s.len() <= 80));
}

#[test]
fn every_platform_installs_the_binary_as_kubectl_wincompat() {
    let m = manifest();
    let platforms = m["spec"]["platforms"].as_array().expect("platforms");
    assert!(platforms.len() >= 3);
    for p in platforms {
        let bin = p["bin"].as_str().expect("bin");
        assert!(
            wincompat::cli::is_kubectl_plugin_name(std::path::Path::new(bin)),
            "{bin}"
        );
        let files = p["files"].as_array().expect("files");
        assert!(files.iter().any(|f| f["to"] == bin), "{p:#?}");
        assert!(p["uri"].as_str().is_some_and(|u| u.starts_with("https://")));
        assert_eq!(p["sha256"].as_str().map(str::len), Some(64));
    }
}
