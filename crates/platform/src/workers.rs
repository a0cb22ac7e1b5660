//! Blocking work (password hashing, PDF rendering, file hashing and parsing)
//! runs off the async workers, a few jobs of each kind at a time: a flood of
//! one kind waits in its own queue while every other request goes on.

use crate::{error::AppError, error::Result};
use sep_kernel::Rule;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The kinds of blocking work, each with its own queue.
#[derive(Debug, Clone, Copy)]
pub enum Work {
    /// Argon2: slow on purpose.
    Password,
    /// PDFs and spreadsheets.
    Documents,
    /// Hashing, parsing and decrypting uploaded files (.p12, CMS, PDFs).
    Files,
}

/// How long a job waits for its turn before the request is told to retry.
const QUEUE_WAIT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct Workers {
    password: Arc<Semaphore>,
    documents: Arc<Semaphore>,
    files: Arc<Semaphore>,
}

impl Workers {
    pub fn new(per_kind: usize) -> Self {
        let pool = || Arc::new(Semaphore::new(per_kind.max(1)));
        Self {
            password: pool(),
            documents: pool(),
            files: pool(),
        }
    }

    fn queue(&self, work: Work) -> &Arc<Semaphore> {
        match work {
            Work::Password => &self.password,
            Work::Documents => &self.documents,
            Work::Files => &self.files,
        }
    }

    /// Runs `job` on a blocking thread when its kind has a free slot; 429
    /// `server-busy` when none frees up in time.
    pub async fn run<T: Send + 'static>(
        &self,
        work: Work,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        let permit = tokio::time::timeout(QUEUE_WAIT, self.queue(work).clone().acquire_owned())
            .await
            .map_err(|_| AppError::TooMany {
                rule: Rule("server-busy"),
                retry_after_secs: 5,
            })?
            .map_err(|e| AppError::Internal(e.into()))?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            job()
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_queue_of_one_kind_leaves_the_others_free() {
        let w = Workers::new(1);
        let (hold_tx, hold_rx) = std::sync::mpsc::channel::<()>();
        let busy = {
            let w = w.clone();
            tokio::spawn(async move {
                w.run(Work::Files, move || {
                    let _ = hold_rx.recv();
                })
                .await
            })
        };
        tokio::task::yield_now().await;
        // Another kind runs at once although files are busy.
        assert_eq!(w.run(Work::Password, || 7).await.unwrap(), 7);
        hold_tx.send(()).unwrap();
        busy.await.unwrap().unwrap();
        assert_eq!(w.run(Work::Files, || 8).await.unwrap(), 8);
    }
}
