//! The workspace keeps the architecture's shape: every crate depends only on
//! crates of a lower tier, and no context depends on another context (they
//! speak through `sep-contracts`). Read from Cargo's own view of the
//! workspace, so a new dependency line that breaks the rule fails here.

use serde_json::Value;
use std::collections::BTreeMap;

/// The tier of each crate; a crate may depend only on crates of lower tiers.
fn tier(name: &str) -> Option<u8> {
    Some(match name {
        "sep-kernel" | "sep-pdf" | "sep-pki" | "sep-peers" => 0,
        "sep-platform" | "sep-forms" => 1,
        "sep-audit" | "sep-web" => 2,
        "sep-identity" => 3,
        "sep-contracts" => 4,
        "sep-catalog" | "sep-payments" | "sep-signatures" | "sep-applications"
        | "sep-documents" | "sep-notifications" => 5,
        "sep" => 6,
        "sep-bench" => 7,
        _ => return None,
    })
}

fn workspace_dependencies() -> BTreeMap<String, Vec<String>> {
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| {
            let deps = p["dependencies"]
                .as_array()
                .expect("dependencies")
                .iter()
                // Dev-dependencies are the tests' business: the black-box
                // tests of the binary may reach every context.
                .filter(|d| d["kind"].is_null() && d["path"].is_string())
                .map(|d| d["name"].as_str().expect("name").to_string())
                .collect();
            (p["name"].as_str().expect("name").to_string(), deps)
        })
        .collect()
}

/// Each dependency that does not point to a lower tier.
fn violations(crates: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let mut wrong = Vec::new();
    for (name, deps) in crates {
        let own = tier(name).unwrap_or_else(|| panic!("{name} has a tier in this test"));
        for d in deps {
            let theirs = tier(d).unwrap_or_else(|| panic!("{d} has a tier in this test"));
            if theirs >= own {
                wrong.push(format!("{name} → {d}"));
            }
        }
    }
    wrong
}

#[test]
fn crates_depend_only_downward_and_contexts_never_on_each_other() {
    let crates = workspace_dependencies();
    assert!(crates.len() >= 15, "the workspace is read: {crates:?}");
    assert!(
        crates["sep-applications"].contains(&"sep-contracts".to_string()),
        "path dependencies are read: {crates:?}"
    );
    let wrong = violations(&crates);
    assert!(
        wrong.is_empty(),
        "dependencies that do not point down: {wrong:#?}"
    );
}

#[test]
fn a_context_importing_another_or_a_base_crate_importing_a_context_is_named() {
    let crates = BTreeMap::from([
        (
            "sep-applications".to_string(),
            vec!["sep-contracts".into(), "sep-catalog".into()],
        ),
        ("sep-identity".to_string(), vec!["sep-notifications".into()]),
        ("sep-catalog".to_string(), vec!["sep-forms".into()]),
    ]);
    assert_eq!(
        violations(&crates),
        [
            "sep-applications → sep-catalog",
            "sep-identity → sep-notifications"
        ]
    );
}
