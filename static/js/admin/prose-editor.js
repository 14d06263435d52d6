// Starts django-prose-editor on the article body under our strict CSP.
//
// The package's own loader relies on an inline import map (blocked by
// `script-src 'self'`) and lets Tiptap inject a <style> element (blocked by
// `style-src 'self'`). This module imports the editor bundle by a relative
// URL and creates each editor with `injectCSS: false`; the base rules Tiptap
// would inject live in css/admin/prose-editor.css.
import * as prose from "../../django_prose_editor/editor.js";

const CONFIG_ATTRIBUTE = "data-django-prose-editor-configurable";
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
