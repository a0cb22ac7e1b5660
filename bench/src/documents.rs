//! The documents phases: certificates ordered and issued (registry answer,
//! PDF, the agency's CMS signature, encrypted blob, one transaction each),
//! and the public check of an issued file (digests, the stored signature
//! checked again over the bytes, the audit record).

use crate::{Args, Phase, run_phase};
use anyhow::bail;
use serde_json::{Value, json};
use std::sync::Arc;

pub async fn run(
    args: &Args,
    http: &reqwest::Client,
    base: &str,
    platform: &sep_platform::Platform,
    tokens: &Arc<Vec<String>>,
) -> anyhow::Result<Vec<String>> {
    sep::demo::ensure_pki(platform)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    for token in tokens.iter() {
        sep_bench::fill_profile(http, base, token).await?;
    }

    let issued = Phase::new();
    let files = Arc::new(std::sync::Mutex::new(Vec::<(usize, String)>::new()));
    let secs = {
        let (http, base, tokens, files) = (
            http.clone(),
            base.to_string(),
            tokens.clone(),
            files.clone(),
        );
        run_phase(args, issued.clone(), move |worker, n| {
            let (http, base, tokens, files) =
                (http.clone(), base.clone(), tokens.clone(), files.clone());
            async move {
                let user = (worker + n as usize) % tokens.len();
                let r = http
                    .post(format!("{base}/api/v1/documents/orders"))
                    .bearer_auth(&tokens[user])
                    .json(&json!({ "kinds": ["tax-status"] }))
                    .send()
                    .await;
                let Ok(r) = r else { return false };
                if r.status().as_u16() != 201 {
                    return false;
                }
                let Ok(v) = r.json::<Value>().await else {
                    return false;
                };
                let d = &v["documents"][0];
                if d["state"] != "issued" {
                    return false;
                }
                if let Some(id) = d["id"].as_str() {
                    files.lock().unwrap().push((user, id.to_string()));
                }
                true
            }
        })
        .await
    };
    let issue_line = issued.report("documents", secs);

    // A handful of distinct files, downloaded once, checked over and over.
    let sample: Vec<(usize, String)> = files.lock().unwrap().iter().take(32).cloned().collect();
    let mut pdfs = Vec::new();
    for (user, id) in &sample {
        let bytes = http
            .get(format!("{base}/api/v1/documents/{id}/file"))
            .bearer_auth(&tokens[*user])
            .send()
            .await?
            .bytes()
            .await?;
        pdfs.push(bytes.to_vec());
    }
    let pdfs = Arc::new(pdfs);
    if pdfs.is_empty() {
        bail!("no document was issued");
    }
    let checks = Phase::new();
    let secs = {
        let (http, base, pdfs) = (http.clone(), base.to_string(), pdfs.clone());
        run_phase(args, checks.clone(), move |worker, n| {
            let (http, base, pdfs) = (http.clone(), base.clone(), pdfs.clone());
            async move {
                let pdf = pdfs[(worker + n as usize) % pdfs.len()].clone();
                let form = reqwest::multipart::Form::new().part(
                    "file",
                    reqwest::multipart::Part::bytes(pdf).file_name("doc.pdf"),
                );
                let r = http
                    .post(format!("{base}/api/v1/verify"))
                    .multipart(form)
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status().is_success() => r
                        .json::<Value>()
                        .await
                        .ok()
                        .and_then(|v| v["verdict"].as_str().map(|s| s == "authentic"))
                        .unwrap_or(false),
                    _ => false,
                }
            }
        })
        .await
    };
    Ok(vec![
        issue_line,
        checks.report("file checks", secs),
        format!(
            "(documents: {} issued; checks over {} distinct files)",
            files.lock().unwrap().len(),
            pdfs.len()
        ),
    ])
}
