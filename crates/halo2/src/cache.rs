//! A small process-wide cache of shared values (params per `k`, verifier data per profile).

use std::sync::{Arc, Mutex, PoisonError};

/// A list of `Arc`s behind a mutex, searched by a predicate. A poisoned lock is used as is:
/// entries are only ever pushed whole, so a panic elsewhere cannot leave one half-written.
#[derive(Debug)]
pub(crate) struct ArcCache<T>(Mutex<Vec<Arc<T>>>);

impl<T> ArcCache<T> {
    /// An empty cache (usable in a `static`).
    pub(crate) const fn new() -> Self {
        Self(Mutex::new(Vec::new()))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Arc<T>>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The first entry that matches.
    pub(crate) fn find(&self, pred: impl Fn(&T) -> bool) -> Option<Arc<T>> {
        self.lock().iter().find(|x| pred(x)).cloned()
    }

    /// Add `value` unless an entry already matches.
    pub(crate) fn insert_unless(&self, value: Arc<T>, pred: impl Fn(&T) -> bool) {
        let mut c = self.lock();
        if !c.iter().any(|x| pred(x)) {
            c.push(value);
        }
    }

    /// The first entry that matches, or the one `make` builds (added to the cache). `make`
    /// runs under the lock, so concurrent callers build it once.
    pub(crate) fn get_or_try_insert<E>(
        &self,
        pred: impl Fn(&T) -> bool,
        make: impl FnOnce() -> Result<T, E>,
    ) -> Result<Arc<T>, E> {
        let mut c = self.lock();
        if let Some(x) = c.iter().find(|x| pred(x)) {
            return Ok(x.clone());
        }
        let x = Arc::new(make()?);
        c.push(x.clone());
        Ok(x)
    }
}
