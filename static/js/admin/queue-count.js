// Every admin page, for moderators: the pending count of the header's
// « File de modération (N) » also in the browser tab's title, « (N) … »,
// including on the pages whose template writes its own title.
document.addEventListener("DOMContentLoaded", () => {
  const count = document.querySelector("#desk-header-link [data-desk-count]");
  if (!count || /^\(\d+\)/.test(document.title) || count.textContent === "0") {
    return;
  }
  document.title = `(${count.textContent}) ${document.title}`;
});
