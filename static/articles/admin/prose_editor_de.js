// German names for the body editor's menu. django-prose-editor writes its
// buttons' tooltips and the block-type choices in English without asking
// gettext (its dialogs do ask: see NewsroomAdminSite.i18n_javascript), so
// this extension renames the items by their names once they are defined,
// before the menu is built.
import { Extension } from "django-prose-editor/editor"

const LABELS = {
  paragraph: "Absatz",
  heading2: "Zwischenüberschrift",
  heading3: "Kleine Zwischenüberschrift",
  bulletList: "Aufzählung",
  orderedList: "Nummerierte Liste",
  blockquote: "Zitat",
  horizontalRule: "Trennlinie",
  figure: "Bild",
  bold: "Fett",
  italic: "Kursiv",
  underline: "Unterstrichen",
  strike: "Durchgestrichen",
  subscript: "Tiefgestellt",
  superscript: "Hochgestellt",
  link: "Link setzen oder bearbeiten",
  unlink: "Link entfernen",
  "history:undo": "Rückgängig",
  "history:redo": "Wiederholen",
  html: "HTML bearbeiten",
}

const ALL_GROUPS =
  "blockType headings lists nodes marks link textAlign table history utility"

export const GermanMenu = Extension.create({
  name: "germanMenu",
  // Lowest priority: its menu items come last, after every other
  // extension has defined its own.
  priority: 1,

  addMenuItems({ menu }) {
    for (const item of menu.items(ALL_GROUPS)) {
      const label = LABELS[item.name]
      if (!label) continue
      if (item.button) {
        item.button.title = label
        item.button.setAttribute("aria-label", label)
      }
      if (item.option) item.option.textContent = label
    }
  },
})
