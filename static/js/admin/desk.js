// The moderation desk (« File de modération »): one key per decision, no page
// reload. Without this script every button is a plain form (one page load
// per decision); with it, decisions are sent with fetch, the server answers
// JSON, the decided comment folds away with « Annuler » and the next one
// gets the focus; the live region (#desk-status) announces each outcome.
// Keys: a approve (« Garder » in « Signalés »), r reject, s spam, u undo the
// last decision, j/k next/previous, o open the article, ? the help. Keys are
// ignored while typing in a field and with Ctrl, Alt or Meta. Every message
// comes translated from the page (data-* attributes of #desk) or the server.
(() => {
  "use strict";

  const desk = document.getElementById("desk");
  if (!desk || !window.fetch) {
    return;
  }
  const status = document.getElementById("desk-status");
  const help = document.getElementById("desk-help");
  const cardsBox = document.getElementById("desk-cards");
  let current = null;
  let lastDecision = null;
  let loadingMore = false;

  const cards = () => Array.from(desk.querySelectorAll(".desk-card"));
  const open = () => cards().filter((card) => !card.classList.contains("is-decided"));

  function announce(message) {
    // Emptied first so that the same message twice is read twice.
    status.textContent = "";
    window.setTimeout(() => {
      status.textContent = message;
    }, 50);
  }

  function focusCard(card) {
    if (!card) {
      return;
    }
    current = card;
    cards().forEach((other) => other.classList.toggle("is-current", other === card));
    card.focus();
  }

  function move(step) {
    const list = open();
    if (!list.length) {
      return;
    }
    const index = list.indexOf(current);
    const next = index === -1 ? list[0] : list[Math.min(Math.max(index + step, 0), list.length - 1)];
    focusCard(next);
  }

  function updateCount(count) {
    if (typeof count !== "number") {
      return;
    }
    document.querySelectorAll("[data-desk-count]").forEach((node) => {
      node.textContent = String(count);
    });
    const bare = document.title.replace(/^\(\d+\)\s*/, "");
    document.title = count ? `(${count}) ${bare}` : bare;
  }

  function post(url, body) {
    return window
      .fetch(url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-Requested-With": "fetch" },
      })
      .then((response) => response.json().then((data) => ({ ok: response.ok, data })));
  }

  function setSeenStatus(card, value) {
    card.dataset.status = value;
    card.querySelectorAll('input[name="etat"]').forEach((input) => {
      input.value = value;
    });
  }

  function fold(card, message) {
    card.classList.add("is-decided");
    const outcome = card.querySelector(".desk-outcome");
    outcome.textContent = message;
    outcome.hidden = false;
  }

  function unfold(card) {
    card.classList.remove("is-decided");
    const outcome = card.querySelector(".desk-outcome");
    outcome.textContent = "";
    outcome.hidden = true;
  }

  function nextAfter(card) {
    const list = open();
    const all = cards();
    const position = all.indexOf(card);
    return list.find((other) => all.indexOf(other) > position) || list[list.length - 1] || null;
  }

  function decide(card, form) {
    if (!card || card.classList.contains("is-decided") || card.dataset.busy) {
      return;
    }
    card.dataset.busy = "1";
    const before = card.dataset.status;
    post(form.action, new FormData(form))
      .then(({ ok, data }) => {
        delete card.dataset.busy;
        const label = card.querySelector(".desk-card-title").firstChild.textContent.trim();
        if (ok) {
          setSeenStatus(card, data.status);
          if (data.undoable) {
            lastDecision = { card, before };
            fold(card, `${data.message} ${desk.dataset.undoHint}`);
          } else {
            fold(card, data.message);
          }
          announce(`${label} : ${data.message}`);
        } else {
          fold(card, data.message);
          announce(`${label} : ${data.message}`);
        }
        updateCount(data.pending);
        focusCard(nextAfter(card) || card);
        loadMoreIfNeeded();
      })
      .catch(() => {
        delete card.dataset.busy;
        announce(desk.dataset.failed);
      });
  }

  function undo() {
    if (!lastDecision) {
      announce(desk.dataset.nothingToUndo);
      return;
    }
    const { card } = lastDecision;
    lastDecision = null;
    const body = new FormData();
    const token = card.querySelector('input[name="csrfmiddlewaretoken"]');
    body.append("csrfmiddlewaretoken", token ? token.value : "");
    body.append("etat", card.dataset.status);
    post(card.dataset.undoUrl, body)
      .then(({ ok, data }) => {
        if (ok) {
          setSeenStatus(card, data.status);
          unfold(card);
          focusCard(card);
        }
        updateCount(data.pending);
        announce(data.message);
      })
      .catch(() => announce(desk.dataset.undoFailed));
  }

  function loadMoreIfNeeded() {
    const more = desk.querySelector("[data-desk-more]");
    if (!more || loadingMore || open().length > 5) {
      return;
    }
    loadingMore = true;
    const url = `${more.getAttribute("href")}&fragment=1`;
    window
      .fetch(url, { credentials: "same-origin" })
      .then((response) => response.text())
      .then((html) => {
        const fragment = new DOMParser().parseFromString(html, "text/html");
        const list = cardsBox.querySelector(".desk-list");
        const holder = more.closest(".desk-more");
        fragment.querySelectorAll(".desk-card").forEach((card) => {
          list.appendChild(document.importNode(card, true));
        });
        const nextMore = fragment.querySelector(".desk-more");
        if (nextMore) {
          holder.replaceWith(document.importNode(nextMore, true));
        } else {
          holder.remove();
        }
        loadingMore = false;
        if (!current || current.classList.contains("is-decided")) {
          focusCard(open()[0]);
        }
      })
      .catch(() => {
        loadingMore = false;
      });
  }

  // Clicks on the buttons go through the same path as the keys.
  desk.addEventListener("submit", (event) => {
    const form = event.target;
    const card = form.closest(".desk-card");
    if (!card) {
      return;
    }
    event.preventDefault();
    if (form.closest(".desk-reply")) {
      post(form.action, new FormData(form)).then(({ data }) => {
        announce(data.message);
        if (data.outcome === "done") {
          form.reset();
          form.closest("details").open = false;
          focusCard(card);
        }
      });
      return;
    }
    focusCard(card);
    decide(card, form);
  });

  desk.addEventListener("focusin", (event) => {
    const card = event.target.closest(".desk-card");
    if (card && card !== current) {
      current = card;
      cards().forEach((other) => other.classList.toggle("is-current", other === card));
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented) {
      return;
    }
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) {
      return;
    }
    const key = event.key;
    if (key === "?") {
      help.open = !help.open;
      event.preventDefault();
      return;
    }
    if (key === "j" || key === "k") {
      move(key === "j" ? 1 : -1);
      event.preventDefault();
      return;
    }
    if (key === "u") {
      undo();
      event.preventDefault();
      return;
    }
    const card = current && !current.classList.contains("is-decided") ? current : open()[0];
    if (!card) {
      return;
    }
    if (key === "o") {
      window.open(card.dataset.articleUrl, "_blank", "noopener");
      event.preventDefault();
      return;
    }
    const button = card.querySelector(`button[data-key="${key}"]`);
    if (button) {
      event.preventDefault();
      focusCard(card);
      decide(card, button.form);
    }
  });

  focusCard(open()[0]);
})();
