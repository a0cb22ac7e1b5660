//! Group commit. Requests that each write a few rows wait at the write gate
//! (SQLite's one writer) one after another, and each turn costs a
//! transaction's round trips to the database: under a stream of
//! submissions those turns, not the rows, were the limit. With a
//! [`Combiner`] the request at the front writes for all that queued behind
//! it, in one transaction, and answers each of them.

use std::future::Future;
use tokio::sync::oneshot;

/// Jobs `J` waiting to be written together; each gets its own answer `R`.
pub struct Combiner<J, R> {
    waiting: std::sync::Mutex<Vec<(J, oneshot::Sender<R>)>>,
    /// Held by the request writing a batch; the next in line takes all
    /// that queued meanwhile.
    turn: tokio::sync::Mutex<()>,
    most: usize,
}

impl<J: Send + 'static, R: Send + 'static> Combiner<J, R> {
    /// At most `most` jobs in one batch (one transaction holds the gate for
    /// all of them).
    pub fn new(most: usize) -> Self {
        Self {
            waiting: std::sync::Mutex::new(Vec::new()),
            turn: tokio::sync::Mutex::new(()),
            most: most.max(1),
        }
    }

    /// Queues `job` and returns its answer once it is written — by this
    /// caller, writing everything queued, or by one before it. `write` gets
    /// a batch and answers each of its jobs, in order. `None` if the batch
    /// that took this job ended without answering it (it panicked: nothing
    /// of it was committed).
    pub async fn run<W, F>(&self, job: J, write: W) -> Option<R>
    where
        W: Fn(Vec<J>) -> F,
        F: Future<Output = Vec<R>> + Send + 'static,
    {
        let (reply, mut answer) = oneshot::channel();
        self.lock_waiting().push((job, reply));
        loop {
            let turn = self.turn.lock().await;
            // The batch before this one may have taken and answered it.
            match answer.try_recv() {
                Ok(r) => return Some(r),
                Err(oneshot::error::TryRecvError::Closed) => return None,
                Err(oneshot::error::TryRecvError::Empty) => {}
            }
            let batch: Vec<_> = {
                let mut waiting = self.lock_waiting();
                let n = waiting.len().min(self.most);
                waiting.drain(..n).collect()
            };
            if batch.is_empty() {
                // Taken by a batch still being written (its writer's client
                // went away, so it let go of the turn): wait for it.
                drop(turn);
                return answer.await.ok();
            }
            let (jobs, replies): (Vec<J>, Vec<_>) = batch.into_iter().unzip();
            let written = write(jobs);
            // Its own task: if this request is dropped (its client went
            // away) the others' writes go on and are answered.
            let task = tokio::spawn(async move {
                for (reply, r) in replies.into_iter().zip(written.await) {
                    let _ = reply.send(r);
                }
            });
            let _ = task.await;
            drop(turn);
        }
    }

    fn lock_waiting(&self) -> std::sync::MutexGuard<'_, Vec<(J, oneshot::Sender<R>)>> {
        self.waiting.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn queued_jobs_are_written_together_and_each_gets_its_own_answer() {
        let combiner = Arc::new(Combiner::<u32, u32>::new(8));
        let batches = Arc::new(AtomicUsize::new(0));
        let (first_in, first_waits) = (
            Arc::new(tokio::sync::Notify::new()),
            Arc::new(tokio::sync::Notify::new()),
        );
        let write = {
            let (batches, first_in, first_waits) =
                (batches.clone(), first_in.clone(), first_waits.clone());
            move |jobs: Vec<u32>| {
                let (batches, first_in, first_waits) =
                    (batches.clone(), first_in.clone(), first_waits.clone());
                async move {
                    // The first batch holds the turn until the others queued.
                    if batches.fetch_add(1, Ordering::SeqCst) == 0 {
                        first_in.notify_one();
                        first_waits.notified().await;
                    }
                    jobs.into_iter().map(|j| j * 10).collect()
                }
            }
        };
        let first = tokio::spawn({
            let (c, w) = (combiner.clone(), write.clone());
            async move { c.run(1, w).await }
        });
        first_in.notified().await;
        let rest: Vec<_> = (2..=20)
            .map(|j| {
                let (c, w) = (combiner.clone(), write.clone());
                tokio::spawn(async move { c.run(j, w).await })
            })
            .collect();
        // All nineteen are queued behind the first batch.
        while combiner.lock_waiting().len() < 19 {
            tokio::task::yield_now().await;
        }
        first_waits.notify_one();
        assert_eq!(first.await.unwrap(), Some(10));
        for (j, r) in (2..=20).zip(rest) {
            assert_eq!(r.await.unwrap(), Some(j * 10), "job {j}");
        }
        // 1, then 19 in batches of at most 8: 8, 8, 3.
        assert_eq!(batches.load(Ordering::SeqCst), 4);
    }

    #[tokio::test]
    async fn a_batch_that_panics_answers_none_and_the_next_goes_on() {
        let combiner = Combiner::<u32, u32>::new(4);
        let r = combiner
            .run(
                1,
                |_jobs: Vec<u32>| async move { panic!("a bug in the writer") },
            )
            .await;
        assert_eq!(r, None);
        let r = combiner.run(2, |jobs: Vec<u32>| async move { jobs }).await;
        assert_eq!(r, Some(2));
    }
}
