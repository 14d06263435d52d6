// Comments form: after a failed post, move the focus to the error summary so
// that screen-reader and keyboard users land on it; after a successful post,
// to the thank-you message.
document.addEventListener("DOMContentLoaded", () => {
  const target = document.querySelector("[data-comment-focus]") || document.getElementById("commentaire-merci");
  if (target) {
    target.focus();
  }
});
