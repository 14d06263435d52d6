// Gives an accessible name (WCAG 4.1.2) to the admin's form controls that
// Django's admin and its select2 autocompletes leave unnamed: the fields of
// tabular inlines (named by their column header), file inputs drawn in a
// fieldset (named by its legend), select2's combobox and search field, and
// the rich-text editor (named by the label of the field it edits), and hides
// select2's mouse-only "clear" cross from assistive technologies. It runs
// again when the page changes (an inline row added, select2 started late).
(function () {
  "use strict";

  function clean(element) {
    return element ? element.textContent.replace(/\s+/g, " ").replace(/\s*:?\s*$/, "").trim() : "";
  }

  function columnHeader(control) {
    const cell = control.closest("td");
    const table = cell && cell.closest("table");
    if (!table || !table.tHead) {
      return "";
    }
    const field = Array.from(cell.classList).find((name) => name.startsWith("field-"));
    const header =
      (field && table.tHead.querySelector("th.column-" + CSS.escape(field.slice(6)))) ||
      table.tHead.rows[0].cells[cell.cellIndex];
    return clean(header);
  }

  function nameOf(control) {
    if (control.id) {
      const label = document.querySelector('label[for="' + CSS.escape(control.id) + '"]');
      if (label) {
        return clean(label);
      }
    }
    const header = columnHeader(control);
    if (header) {
      return header;
    }
    const fieldset = control.closest("fieldset");
    return clean(fieldset && fieldset.querySelector("legend"));
  }

  function isNamed(control) {
    return (
      control.hasAttribute("aria-label") ||
      control.hasAttribute("aria-labelledby") ||
      (control.labels && control.labels.length > 0)
    );
  }

  function name(element, text, { replace = false } = {}) {
    if (text && (replace || !isNamed(element))) {
      element.removeAttribute("aria-labelledby");
      element.setAttribute("aria-label", text);
    }
  }

  function nameAll() {
    document.querySelectorAll("input:not([type=hidden]), select, textarea").forEach((control) => {
      if (!control.classList.contains("select2-search__field") && !control.closest(".select2-container")) {
        name(control, nameOf(control));
      }
    });
    document.querySelectorAll(".select2-container").forEach((container) => {
      const select = container.previousElementSibling;
      if (!select || select.tagName !== "SELECT") {
        return;
      }
      const text = nameOf(select);
      // select2 names its combobox by the text of the current choice, empty
      // when nothing is chosen: name it by the field instead.
      container.querySelectorAll("[role=combobox], [role=textbox], .select2-search__field").forEach((part) => {
        if (part.getAttribute("aria-label") !== text) {
          name(part, text, { replace: true });
        }
      });
    });
    // select2's "clear all" cross sits in its list of choices, where only list
    // items belong; it answers the mouse only (the keyboard clears with
    // Backspace), so it is hidden from assistive technologies.
    document.querySelectorAll("ul.select2-selection__rendered > :not(li)").forEach((cross) => {
      cross.setAttribute("aria-hidden", "true");
    });
    document.querySelectorAll(".prose-editor [contenteditable]").forEach((editor) => {
      const textarea = editor.closest(".prose-editor").querySelector("textarea");
      if (textarea && !editor.hasAttribute("aria-label")) {
        editor.setAttribute("aria-label", nameOf(textarea));
        editor.setAttribute("role", "textbox");
        editor.setAttribute("aria-multiline", "true");
      }
    });
  }

  let scheduled = false;
  function schedule() {
    if (!scheduled) {
      scheduled = true;
      window.requestAnimationFrame(() => {
        scheduled = false;
        nameAll();
      });
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    nameAll();
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  });
})();
