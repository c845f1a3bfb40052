// One click for a subheading: a labelled button in the body editor's
// toolbar that turns the current paragraph into an h2 (the article page's
// "Zwischenüberschrift") and back. Without it the heading hides in the
// block-type list, two clicks away.
import { Extension } from "django-prose-editor/editor"

const LABEL = "Zwischenüberschrift"

export const SubheadingButton = Extension.create({
  name: "subheadingButton",

  addMenuItems({ menu }) {
    const button = document.createElement("button")
    button.type = "button"
    button.className = "prose-menubar__button prose-menubar__button--subheading"
    button.textContent = LABEL
    button.title = "Absatz zur Zwischenüberschrift machen (und zurück)"
    menu.defineItem({
      name: "subheading",
      // "nodes" without "blockType": a button of its own, not a list entry.
      groups: "nodes",
      button,
      command(editor) {
        editor.chain().focus().toggleHeading({ level: 2 }).run()
      },
      active: (editor) => editor.isActive("heading", { level: 2 }),
      enabled: (editor) => editor.can().toggleHeading({ level: 2 }),
    })
  },
})
