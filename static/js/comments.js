// Comments form: after a failed post, move the focus to the error summary so
// that screen-reader and keyboard users land on it; after a successful post,
// to the thank-you message.
document.addEventListener("DOMContentLoaded", () => {
  const target = document.querySelector("[data-comment-focus]") || document.getElementById("commentaire-merci");
  if (target) {
    target.focus();
  }
});

// The page may come from a cache, so the form's signed timestamp can be as old
// as the cached copy. When the reader starts writing, ask for fresh hidden
// fields: the server then measures the time spent writing (too fast means a
// robot) and the form's validity from this moment. Without JavaScript, or if
// the request fails, the fields from the page stay and are still valid.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("comment-form");
  const tokenUrl = form && form.getAttribute("data-token-url");
  if (!tokenUrl || !window.fetch) {
    return;
  }
  form.addEventListener(
    "focusin",
    () => {
      window
        .fetch(tokenUrl, { credentials: "omit", cache: "no-store" })
        .then((response) => (response.ok ? response.json() : null))
        .then((fields) => {
          if (!fields) {
            return;
          }
          ["timestamp", "security_hash"].forEach((name) => {
            const input = form.querySelector(`input[name="${name}"]`);
            if (input && fields[name]) {
              input.value = fields[name];
            }
          });
        })
        .catch(() => {});
    },
    { once: true },
  );
});
