//! The parts of an application's view that only its own changes can change,
//! kept per instance so that a status read asks the database for the
//! application's row alone (it asked four times: the row, its files, their
//! metadata and its history; the fee a fifth).
//!
//! Every change that adds to the history or the files moves the row's
//! `version` on (`store::transition`, or the insert at submission), and
//! attachments are never altered once linked, so parts kept for the version
//! the row still has are what the database would answer — on this instance
//! and on any other, with no time window. The fee's charge is kept only once
//! paid: a paid charge never becomes unpaid, while an unpaid one may be paid
//! at any moment by the payments context, which the row does not record.

use super::views::{FileView, HistoryEntry};
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use uuid::Uuid;

/// Beyond this many applications the lot is dropped and refilled: a bound on
/// memory however many are read.
const MAX_ENTRIES: usize = 50_000;

#[derive(Clone)]
pub struct Parts {
    pub version: i32,
    pub files: Vec<FileView>,
    pub history: Vec<HistoryEntry>,
    /// The УИН of the fee, once it is paid.
    pub paid_fee: Option<String>,
}

static KEPT: LazyLock<Mutex<HashMap<Uuid, Parts>>> = LazyLock::new(Default::default);

/// The kept parts of `id`, if they were read at `version`.
pub fn parts(id: Uuid, version: i32) -> Option<Parts> {
    let kept = KEPT.lock().unwrap_or_else(|e| e.into_inner());
    kept.get(&id).filter(|p| p.version == version).cloned()
}

pub fn keep(id: Uuid, parts: Parts) {
    let mut kept = KEPT.lock().unwrap_or_else(|e| e.into_inner());
    if kept.len() >= MAX_ENTRIES {
        kept.clear();
    }
    // A slower read of an older version must not replace a newer one.
    if kept.get(&id).is_some_and(|k| k.version > parts.version) {
        return;
    }
    kept.insert(id, parts);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(version: i32) -> Parts {
        Parts {
            version,
            files: Vec::new(),
            history: Vec::new(),
            paid_fee: None,
        }
    }

    #[test]
    fn parts_serve_only_the_version_they_were_read_at() {
        let id = Uuid::now_v7();
        keep(id, parts(1));
        assert!(super::parts(id, 1).is_some());
        assert!(super::parts(id, 0).is_none());
        assert!(super::parts(id, 2).is_none(), "a newer row reads again");
    }

    #[test]
    fn a_slow_read_of_an_older_version_does_not_replace_a_newer_one() {
        let id = Uuid::now_v7();
        keep(id, parts(3));
        keep(id, parts(2));
        assert!(super::parts(id, 3).is_some());
        assert!(super::parts(id, 2).is_none());
    }
}
