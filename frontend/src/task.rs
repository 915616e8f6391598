//! Async work tied to the component that started it.

use std::future::Future;

use leptos::prelude::*;
use leptos::reactive::owner::Owner;

/// Spawns tasks that are cancelled when the component that created the
/// spawner goes away, and only then: a task started from a button inside a
/// part of the view that re-renders (a "retry" in an error box) survives
/// that re-render, and no task touches a page the user has left.
#[derive(Clone, Copy)]
pub struct Spawner(StoredValue<Owner>);

impl Spawner {
    /// Call in the component's body.
    pub fn new() -> Spawner {
        Spawner(StoredValue::new(Owner::current().unwrap_or_default()))
    }

    pub fn spawn(self, task: impl Future<Output = ()> + 'static) {
        if let Some(owner) = self.0.try_get_value() {
            owner.with(|| leptos::task::spawn_local_scoped_with_cancellation(task));
        }
    }
}
