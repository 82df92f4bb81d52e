//! After something every check depends on changed (an index, a config, the
//! settings): push clients get the open skills checked again, pull clients
//! are asked to pull again.

use std::sync::Arc;

use super::scheduler;
use super::state::State;
use super::tasks;

pub async fn everything(state: &Arc<State>) {
    let support = state.support();
    if !support.pull_diagnostics {
        scheduler::check_all_open(state);
    } else if support.diagnostic_refresh {
        tasks::ask_client(
            "workspace/diagnostic/refresh",
            state.client.workspace_diagnostic_refresh(),
        )
        .await;
    }
}
