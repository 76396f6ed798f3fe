//! A panic hook that, besides logging to the console, puts the message into the page: a panic
//! must never look like a silently blank canvas.

use std::panic::PanicHookInfo;

/// Installs the hook (once; later calls replace it with the same hook).
pub fn install_hook() {
    std::panic::set_hook(Box::new(hook));
}

fn hook(info: &PanicHookInfo<'_>) {
    console_error_panic_hook::hook(info);
    show_in_page(&info.to_string());
}

/// Writes the message into the element `#panic` (created if the page lacks it) and reveals it.
/// In a worker there is no document; the worker's own error handler reports to the page.
fn show_in_page(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let element = match document.get_element_by_id("panic") {
        Some(element) => element,
        None => {
            let Ok(element) = document.create_element("div") else {
                return;
            };
            element.set_id("panic");
            if let Some(body) = document.body() {
                let _ = body.prepend_with_node_1(&element);
            }
            element
        }
    };
    element.set_text_content(Some(&format!(
        "MoLaP Lab stopped because of an internal error. Reload the page to start again.\n\n{message}"
    )));
    let _ = element.remove_attribute("hidden");
}
