//! Live updates by server-sent events (`GET /api/v1/live`). A listener is told `change` when
//! what *it* may see changes, with the new fingerprint of its view; events it may not see
//! change nothing in its view, so they send it nothing, and it learns neither that they
//! happened nor how many. A listener whose token is revoked is cut off at the next event.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use tokio::sync::broadcast::error::RecvError;

use crate::auth::{Caller, request_token};
use crate::error::ApiError;
use crate::state::AppState;

struct Listener {
    _slot: crate::state::ListenerSlot,
    state: AppState,
    caller: Caller,
    token: String,
    receiver: tokio::sync::broadcast::Receiver<u64>,
    last: Option<String>,
    greeted: bool,
}

fn event(name: &str, fingerprint: &str) -> Event {
    Event::default().event(name).data(format!("{{\"view\":\"{fingerprint}\"}}"))
}

pub(crate) async fn live(
    State(state): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let token = request_token(&headers).unwrap_or_default().to_owned();
    let slot = state.listener_slot(caller.user.id).ok_or_else(|| {
        ApiError::too_many_requests(15).with_message(format!(
            "too many live streams: each user may hold {} open at once; close one (another tab) first",
            state.inner.options.max_listeners_per_user
        ))
    })?;
    let receiver = state.inner.live.subscribe();
    let view = state.view(&caller.viewer, None).await?;
    let listener = Listener {
        _slot: slot,
        state,
        caller,
        token,
        receiver,
        last: Some(view.fingerprint.clone()),
        greeted: false,
    };
    let stream = futures_util::stream::unfold(listener, |mut listener| async move {
        if !listener.greeted {
            listener.greeted = true;
            let fingerprint = listener.last.clone().unwrap_or_default();
            return Some((Ok(event("ready", &fingerprint)), listener));
        }
        loop {
            match listener.receiver.recv().await {
                Ok(_) | Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => return None,
            }
            // Still allowed to listen? Checked as every request is: a revocation through this
            // server is seen at once, so a write costs no query per listener.
            let interval = listener.state.inner.options.token_check_interval;
            match listener.state.store().authenticate_within(&listener.token, interval).await {
                Ok(Some(user)) if user.id == listener.caller.user.id => {}
                _ => return None,
            }
            let Ok(view) = listener.state.view(&listener.caller.viewer, None).await else {
                continue;
            };
            if listener.last.as_deref() != Some(view.fingerprint.as_str()) {
                listener.last = Some(view.fingerprint.clone());
                return Some((Ok(event("change", &view.fingerprint)), listener));
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
