//! The main window's web view, on Linux (WebKitGTK): what it does when its page cannot run.
//!
//! - A web process that ends (crashed, killed for memory, or by the system) leaves an empty
//!   window behind; WebKitGTK does not restart it on its own (`web-process-terminated`,
//!   <https://webkitgtk.org/reference/webkit2gtk/stable/signal.WebView.web-process-terminated.html>).
//!   The reason goes to the log and the page is loaded again, at most [`MAX_RELOADS`] times a run,
//!   so a page that always brings its process down cannot loop.
//! - A load that fails (`load-failed`) is logged with its address and error.
//! - With `DROPDOCK_WEB_CONSOLE=1` the page's console (errors such as a script refused by the
//!   content security policy or a module that failed to load) is written to standard output
//!   (`WebKitSettings:enable-write-console-messages-to-stdout`). The end-to-end tests turn it on,
//!   so a window that stays blank on a CI machine says why in the log.
//!
//! Elsewhere (WebView2, WKWebView) nothing is wired: those restart or report on their own.

/// How many times a run reloads the page after its web process ended.
#[cfg(target_os = "linux")]
pub const MAX_RELOADS: u32 = 3;

/// Wires the handlers above into the main window's web view. Never fails: a web view that cannot
/// be reached is logged and left as it is.
pub fn watch(app: &tauri::AppHandle) {
    #[cfg(target_os = "linux")]
    {
        use tauri::Manager;
        let Some(window) = app.get_webview_window("main") else {
            return;
        };
        let console = std::env::var("DROPDOCK_WEB_CONSOLE").is_ok_and(|v| v == "1");
        if let Err(e) = window.with_webview(move |platform| linux::watch(platform.inner(), console)) {
            tracing::warn!(error = %e, "the web view could not be watched");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

#[cfg(target_os = "linux")]
mod linux {
    use std::cell::Cell;
    use std::rc::Rc;
    use webkit2gtk::{SettingsExt, WebProcessTerminationReason, WebViewExt};

    pub fn watch(view: webkit2gtk::WebView, console: bool) {
        if console {
            if let Some(settings) = WebViewExt::settings(&view) {
                settings.set_enable_write_console_messages_to_stdout(true);
            }
        }
        let reloads = Rc::new(Cell::new(0u32));
        view.connect_web_process_terminated(move |view, reason| {
            let why = match reason {
                WebProcessTerminationReason::Crashed => "crashed",
                WebProcessTerminationReason::ExceededMemoryLimit => "exceeded its memory limit",
                WebProcessTerminationReason::TerminatedByApi => "was ended by the app",
                _ => "ended",
            };
            let done = reloads.get();
            if done >= super::MAX_RELOADS {
                tracing::error!(reason = why, "the web view's process ended again; not reloading any more");
                return;
            }
            reloads.set(done + 1);
            tracing::error!(reason = why, reload = done + 1, "the web view's process ended; loading the page again");
            view.reload();
        });
        view.connect_load_failed(|_, event, uri, error| {
            tracing::error!(uri, ?event, error = %error, "the web view could not load a page");
            false
        });
    }
}
