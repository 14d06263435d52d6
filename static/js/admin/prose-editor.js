// Starts django-prose-editor on the article body under our strict CSP.
//
// The package's own loader relies on an inline import map (blocked by
// `script-src 'self'`) and lets Tiptap inject a <style> element (blocked by
// `style-src 'self'`). This module imports the editor bundle by a relative
// URL and creates each editor with `injectCSS: false`; the base rules Tiptap
// would inject live in css/admin/prose-editor.css.
import * as prose from "../../django_prose_editor/editor.js";

const CONFIG_ATTRIBUTE = "data-django-prose-editor-configurable";

// The toolbar's tooltips and accessible names are written in English by the
// package, without gettext (its dialogs use `window.gettext`, which the
// admin's JavaScript catalog provides in French: see newsroom/urls.py).
const TOOLBAR_FR = {
  bold: "Gras",
  italic: "Italique",
  underline: "Souligné",
  strike: "Barré",
  subscript: "Indice",
  superscript: "Exposant",
  "unordered list": "Liste à puces",
  "ordered list": "Liste numérotée",
  blockquote: "Citation",
  "insert link": "Insérer un lien",
  "remove link": "Retirer le lien",
  paragraph: "Paragraphe",
  undo: "Annuler",
  redo: "Rétablir",
  "horizontal rule": "Filet horizontal",
  "edit HTML": "Modifier le HTML",
  "Insert table": "Insérer un tableau",
  figure: "Figure",
  Code: "Code",
  "Code block": "Bloc de code",
  "Merge cells": "Fusionner les cellules",
  "Split cell": "Diviser la cellule",
};

function frenchTitle(title) {
  const heading = /^heading ?(\d)$/i.exec(title);
  return heading ? `Intertitre de niveau ${heading[1]}` : TOOLBAR_FR[title];
}

// The block picker's choices (« Heading 2 », « Paragraph »), by their name.
function frenchOption(name) {
  return name === "paragraph" ? "Paragraphe" : frenchTitle(name.replace(/^heading/, "heading "));
}

function translateToolbar(root) {
  root.querySelectorAll(".prose-menubar__option[data-name]").forEach((option) => {
    const french = frenchOption(option.dataset.name);
    const label = option.firstElementChild || option;
    if (french && label.textContent !== french) {
      label.textContent = french;
    }
  });
  root.querySelectorAll("[title]").forEach((element) => {
    const french = frenchTitle(element.getAttribute("title"));
    if (french) {
      element.setAttribute("title", french);
      if (element.hasAttribute("aria-label")) {
        element.setAttribute("aria-label", french);
      }
    }
  });
}
const EMPTY_BLOCK = /^<(\w+)(\s[^>]*)?><\/\1>$/i;

function extensionsFrom(config) {
  const extensions = [];
  for (const [name, options] of Object.entries(config.extensions || {})) {
    const extension = prose[name];
    if (!extension) {
      console.warn(`prose-editor: unknown extension ${name}`);
      continue;
    }
    extensions.push(typeof options === "object" ? extension.configure(options) : extension);
  }
  return extensions;
}

function createEditor(textarea) {
  if (textarea.closest(".prose-editor")) {
    return null;
  }
  const config = JSON.parse(textarea.getAttribute(CONFIG_ATTRIBUTE) || "{}");
  const disabled = textarea.hasAttribute("disabled");
  const wrapper = prose.crel("div", { className: disabled ? "prose-editor disabled" : "prose-editor" });
  textarea.before(wrapper);
  wrapper.append(textarea);
  // The menu is drawn with the editor and redrawn on some changes.
  new MutationObserver(() => translateToolbar(wrapper)).observe(wrapper, { childList: true, subtree: true });
  return new prose.Editor({
    element: wrapper,
    editable: !disabled,
    injectCSS: false,
    extensions: extensionsFrom(config),
    content: textarea.value,
    onUpdate({ editor }) {
      const html = editor.getHTML();
      textarea.value = EMPTY_BLOCK.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
    onDestroy() {
      wrapper.before(textarea);
      wrapper.remove();
    },
  });
}

prose.initializeEditors(createEditor, `[${CONFIG_ATTRIBUTE}]`);
